"""What the docs show that is read off chuanyu itself: the command reference (docs/reference.md,
made from each command's --help), the table of the database (docs/database.md, made from
db_tables.SCHEMA), and the output under every `$ command` of README's and each docs page's
console blocks, made by running the command.

`python tests/reference.py --write` rewrites all three in README.md and every docs/*.md;
tests/test_docs.py holds them equal.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
#: Where the command reference is, in docs/reference.md.
START, END = "<!-- reference: start -->", "<!-- reference: end -->"
#: Where the table of the database's tables is, in docs/database.md.
SCHEMA_START, SCHEMA_END = "<!-- schema: start -->", "<!-- schema: end -->"
_CONSOLE = re.compile(r"(```console\n)(.*?)(```)", re.S)
#: A walkthrough: commands that build on each other, run in order with one cache.
_WALKTHROUGH = re.compile(r"(```shell-session\n)(.*?)(```)", re.S)


def pages() -> list[Path]:
    """README and every page of the docs site: the files whose examples are run."""
    return [README, *sorted(DOCS.glob("*.md"))]


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


def reference() -> str:
    parts = ["## chuanyu\n\n```text\n" + help_text() + "```\n"]
    parts += [f"## chuanyu {name}\n\n```text\n" + help_text(name) + "```\n" for name in commands()]
    return "\n".join(parts)


def schema_table() -> str:
    """The table of the database (a row per table: what it holds, its columns with what they
    mean, the primary key first), from db_tables.SCHEMA and a database built from it."""
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


def replace(page: str, section: str, start: str, end: str) -> str:
    """`page` with `section` between its markers `start` and `end`, or as it is without them."""
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    return pattern.sub(lambda _: f"{start}\n{section}{end}", page)


def current(page: str, start: str = START, end: str = END) -> str | None:
    """What stands between the markers in `page`; None where it has none."""
    match = re.search(re.escape(start) + r"\n(.*?)" + re.escape(end), page, re.S)
    return match.group(1) if match else None


def run_example(command: str, folder: Path) -> tuple[str, int]:
    """An example as a reader runs it: bash, the venv's chuanyu first on PATH, 100 columns; its
    cache, and whatever it makes with `mktemp`, in `folder` (a test's own temporary folder)."""
    temporary = folder / "tmp"
    temporary.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "COLUMNS": "100",
        "CHUANYU_CACHE": str(folder / "cache"),
        "TMPDIR": str(temporary),
    }
    env.pop("CHUANYU_DATA", None)
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    return result.stdout, result.returncode


def examples(page: str, blocks: re.Pattern[str] = _CONSOLE) -> list[tuple[str, str]]:
    """(command, shown output) for every `$ ` line in a page's console blocks (or `blocks`)."""
    found = []
    for block in blocks.findall(page):
        for chunk in re.split(r"^\$ ", block[1], flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            found.append((command, output))
    return found


def walkthrough(page: str) -> list[tuple[str, str]]:
    """(command, shown output) for every `$ ` line of a page's walkthrough blocks, in order."""
    return examples(page, _WALKTHROUGH)


def with_outputs(page: str) -> str:
    """`page` with the output of each example under it, as run in one temporary folder."""
    with tempfile.TemporaryDirectory() as folder:

        def block(match: re.Match[str]) -> str:
            commands = [c.partition("\n")[0] for c in re.split(r"^\$ ", match.group(2), flags=re.M)[1:]]
            body = "".join(f"$ {c}\n" + run_example(c, Path(folder))[0] for c in commands)
            return match.group(1) + body + match.group(3)

        return _WALKTHROUGH.sub(block, _CONSOLE.sub(block, page))


def rewritten(page: str) -> str:
    """`page` as `make reference` leaves it: reference, schema and examples' output made anew."""
    if current(page) is not None:
        page = replace(page, reference(), START, END)
    if current(page, SCHEMA_START, SCHEMA_END) is not None:
        page = replace(page, schema_table(), SCHEMA_START, SCHEMA_END)
    return with_outputs(page)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", required=True, help="rewrite README.md and docs/*.md in place")
    parser.parse_args()
    for path in pages():
        path.write_text(rewritten(path.read_text(encoding="utf-8")), encoding="utf-8")
