"""What is read off the Typer app: README's command reference, made from the commands' own
--help, README's examples' output, and the direct path's parameters (commands/direct.json) and
help texts (commands/help.json).

`python tests/reference.py --write README.md` rewrites direct.json and help.json, then the reference between
the markers and the output under every `$ command` in README's console blocks, by running the
command; tests/test_readme.py and tests/test_direct.py hold them equal.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

START, END = "<!-- reference: start -->", "<!-- reference: end -->"
#: Where README's table of the database's tables is, made from db_tables.SCHEMA.
SCHEMA_START, SCHEMA_END = "<!-- schema: start -->", "<!-- schema: end -->"


def commands() -> list[str]:
    from typer.main import get_command

    from chuanyu.cli import app

    return list(get_command(app).commands)  # type: ignore[attr-defined]


def help_text(*args: str) -> str:
    """What `chuanyu ARGS --help` prints as a process of the venv's own entry point, at the width a
    terminal of 80 columns or more gives it (click folds help to 78 there, whatever the width)."""
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    chuanyu = Path(sys.executable).parent / "chuanyu"
    result = subprocess.run([str(chuanyu), *args, "--help"], capture_output=True, text=True, encoding="utf-8", env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.rstrip() + "\n"


def typer_help(*args: str) -> str:
    """What Typer itself prints for `chuanyu ARGS --help`, as a process, at the width a terminal of
    80 columns or more gives it: what commands/help.json keeps for the direct path to print."""
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    program = "import sys; from chuanyu.cli import main; sys.argv[0] = 'chuanyu'; main()"
    result = subprocess.run(
        [sys.executable, "-c", program, *args, "--help"], capture_output=True, text=True, encoding="utf-8", env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def help_json() -> str:
    """Every command's help as Typer prints it (and the app's, under ""), for the direct path."""
    texts = {"": typer_help(), **{name: typer_help(name) for name in commands()}}
    return json.dumps(texts, ensure_ascii=False, indent=1) + "\n"


def reference() -> str:
    parts = ["### chuanyu\n\n```text\n" + help_text() + "```\n"]
    parts += [f"### chuanyu {name}\n\n```text\n" + help_text(name) + "```\n" for name in commands()]
    return "\n".join(parts)


def direct_json() -> str:
    from chuanyu.cli import direct_spec

    return json.dumps(direct_spec(), ensure_ascii=False, indent=1) + "\n"


def schema_table() -> str:
    """README's table of the database (a row per table: what it holds, its columns with what
    they mean, the primary key first), from db_tables.SCHEMA and a database built from it."""
    import sqlite3

    from chuanyu import db
    from chuanyu.db_tables import SCHEMA
    from chuanyu.paths import data_dir

    rows = ["| table | holds | columns (primary key first) |", "| --- | --- | --- |"]
    with tempfile.TemporaryDirectory() as folder:
        conn = sqlite3.connect(db.build(data_dir(), Path(folder) / "schema.db"))
        for table, (holds, columns) in SCHEMA.items():
            key = [name for _, name, *_, pk in sorted(conn.execute(f"PRAGMA table_info([{table}])"), key=lambda c: c[-1]) if pk]
            shown = [f"`{name}`" + (f" ({meaning})" if meaning else "") for name, meaning in columns.items()]
            if len(key) > 1:  # a key of several columns, in parentheses
                shown = [f"({', '.join(shown[: len(key)])})", *shown[len(key) :]]
            rows.append(f"| `{table}` | {holds} | {', '.join(shown)} |")
        conn.close()
    return "\n".join(rows) + "\n"


def replace(readme: str, section: str, start: str = START, end: str = END) -> str:
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if not pattern.search(readme):
        raise SystemExit(f"README has no {start} … {end} markers")
    return pattern.sub(lambda _: f"{start}\n{section}{end}", readme)


def current(readme: str, start: str = START, end: str = END) -> str:
    match = re.search(re.escape(start) + r"\n(.*?)" + re.escape(end), readme, re.S)
    return match.group(1) if match else ""


ROOT = Path(__file__).resolve().parent.parent
DIRECT_JSON = ROOT / "cli" / "chuanyu" / "commands" / "direct.json"
HELP_JSON = ROOT / "cli" / "chuanyu" / "commands" / "help.json"
_CONSOLE = re.compile(r"(```console\n)(.*?)(```)", re.S)
#: README's walkthrough: commands that build on each other, run in order with one cache.
_WALKTHROUGH = re.compile(r"(```shell-session\n)(.*?)(```)", re.S)


def run_example(command: str, cache: Path) -> tuple[str, int]:
    """A README example as a reader runs it: bash, the venv's chuanyu first on PATH, 100 columns."""
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "COLUMNS": "100",
        "CHUANYU_CACHE": str(cache),
    }
    env.pop("CHUANYU_DATA", None)
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    return result.stdout, result.returncode


def examples(readme: str, blocks: re.Pattern[str] = _CONSOLE) -> list[tuple[str, str]]:
    """(command, shown output) for every `$ ` line in README's console blocks (or `blocks`)."""
    found = []
    for block in blocks.findall(readme):
        for chunk in re.split(r"^\$ ", block[1], flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            found.append((command, output))
    return found


def walkthrough(readme: str) -> list[tuple[str, str]]:
    """(command, shown output) for every `$ ` line of README's walkthrough blocks, in order."""
    return examples(readme, _WALKTHROUGH)


def with_outputs(readme: str) -> str:
    with tempfile.TemporaryDirectory() as cache:

        def block(match: re.Match[str]) -> str:
            commands = [c.partition("\n")[0] for c in re.split(r"^\$ ", match.group(2), flags=re.M)[1:]]
            body = "".join(f"$ {c}\n" + run_example(c, Path(cache))[0] for c in commands)
            return match.group(1) + body + match.group(3)

        return _WALKTHROUGH.sub(block, _CONSOLE.sub(block, readme))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", type=Path, required=True)
    path = parser.parse_args().write
    DIRECT_JSON.write_text(direct_json(), encoding="utf-8")
    HELP_JSON.write_text(help_json(), encoding="utf-8")
    readme = replace(replace(path.read_text(encoding="utf-8"), reference()), schema_table(), SCHEMA_START, SCHEMA_END)
    path.write_text(with_outputs(readme), encoding="utf-8")
