"""README and the docs site show what the tool does: every example runs and prints what its page
shows, the command reference is the commands' own --help, and the tables of exit codes, of the
database and of the versions tested are the code's."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import ROOT
from reference import (
    DOCS,
    SCHEMA_END,
    SCHEMA_START,
    current,
    examples,
    pages,
    reference,
    run_example,
    schema_table,
    walkthrough,
)

TEXTS = {path: path.read_text(encoding="utf-8") for path in pages()}
EXAMPLES = [(path.relative_to(ROOT).as_posix(), command, shown) for path, text in TEXTS.items() for command, shown in examples(text)]
WALKTHROUGHS = {path: steps for path, text in TEXTS.items() if (steps := walkthrough(text))}


def page(name: str) -> str:
    return TEXTS[ROOT / name]


def section(text: str, heading: str) -> str:
    """The body of a `## heading` section of a page, up to the next one."""
    return text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def test_readme_is_a_front_page_of_examples() -> None:
    readme = page("README.md")
    assert len(readme.splitlines()) <= 250
    assert len(examples(readme)) >= 10


@pytest.mark.parametrize(("page_name", "command", "shown"), EXAMPLES, ids=[f"{p}: {c}" for p, c, _ in EXAMPLES])
def test_every_example_prints_what_its_page_shows(tmp_path: Path, page_name: str, command: str, shown: str) -> None:
    output, code = run_example(command, tmp_path)
    assert output == shown, "run `make reference` if the change is meant"
    assert code == 0 or "2>&1" in command  # the examples of errors show their stderr
    if "mktemp" in command:  # what it makes is in the test's own folder (TMPDIR), not in /tmp
        assert any((tmp_path / "tmp").iterdir())


def test_the_command_reference_is_the_help_of_each_command() -> None:
    assert current(page("docs/reference.md")) == reference(), "run `make reference` to bring docs/reference.md up to date"


def test_the_table_of_the_database_is_the_schema_described() -> None:
    shown = current(page("docs/database.md"), SCHEMA_START, SCHEMA_END)
    assert shown == schema_table(), "run `make reference` to bring docs/database.md up to date"


def test_readme_starts_with_the_two_commands() -> None:
    head = page("README.md")[:1500]
    assert "make run" in head and "make test" in head
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().endswith("make ci")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    ci = makefile.split("\nci:\n", 1)[1].split("\n\n", 1)[0]
    assert ci.splitlines()[-1].split() == ["$(MAKE)", "--no-print-directory", "test"]  # the suite from the lock, last, binding


def test_every_page_is_in_the_sites_nav_and_every_readme_link_leads_somewhere() -> None:
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))

    def listed(nav: object) -> list[str]:
        if isinstance(nav, str):
            return [nav]
        if isinstance(nav, dict):
            return [page for value in nav.values() for page in listed(value)]
        return [page for item in nav for page in listed(item)] if isinstance(nav, list) else []

    assert sorted(listed(config["nav"])) == sorted(path.name for path in DOCS.glob("*.md"))
    for target, anchor in re.findall(r"\]\((?!https?:)([^)#]+)(?:#([^)]+))?\)", page("README.md")):
        assert (ROOT / target).is_file(), target
        if anchor:  # a heading of that page, as MkDocs makes its anchor
            headings = re.findall(r"^#+ (.+)$", (ROOT / target).read_text(encoding="utf-8"), re.M)
            assert anchor in [re.sub(r"[^\w\- ]", "", heading).strip().lower().replace(" ", "-") for heading in headings], anchor


def test_the_site_builds_strict_with_every_page_and_the_briefings_pictures(tmp_path: Path) -> None:
    """A broken link or anchor, or a page left out of the nav, is a warning that --strict fails on."""
    import subprocess
    import sys

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert built.returncode == 0, built.stderr
    site = tmp_path / "site"
    for path in DOCS.glob("*.md"):
        assert (site / ("" if path.stem == "index" else path.stem) / "index.html").is_file(), path.name
    briefings = (site / "briefings" / "index.html").read_text(encoding="utf-8")
    for picture in ("ladder.svg", "heatmap.svg"):
        assert f'src="../pictures/{picture}"' in briefings
        assert (site / "pictures" / picture).read_bytes() == (ROOT / "tests" / "golden" / "briefing-zh" / picture).read_bytes()


def test_the_exit_codes_table_is_every_code_the_commands_use() -> None:
    from chuanyu.commands.base import Exit

    table = section(page("docs/robustness.md"), "Exit codes")
    assert [int(code) for code in re.findall(r"^\| (\d+) \|", table, re.MULTILINE)] == sorted(Exit)


def test_the_walkthrough_of_a_second_document_runs_as_its_page_shows(tmp_path: Path) -> None:
    """From a PDF to proposals, to review, to answers across both documents: in order, one cache."""
    from make_pdf import cjk_font

    if cjk_font() is None:  # the walkthrough writes the PDF in a CJK font
        missing = "no CJK font to write the walkthrough's PDF with: install Debian's fonts-wqy-microhei (and fontconfig)"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    assert any(len(steps) >= 6 and any("add" in command for command, _ in steps) for steps in WALKTHROUGHS.values())
    for path, steps in WALKTHROUGHS.items():
        for command, shown in steps:
            output, code = run_example(command, tmp_path)
            assert output == shown, f"{path.name}: {command}: run `make reference` if the change is meant"
            assert code == 0 or "2>&1" in command


def test_the_table_of_tested_versions_is_pyproject_and_the_lock() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lock = (ROOT / "uv.lock").read_text(encoding="utf-8")
    table = page("docs/install.md").split("| package | lowest tested", 1)[1].split("\n\n", 1)[0]
    shown = [row for row in re.findall(r"^\| (\S+) \| (\S+) \| (\S+) \|$", table, re.M) if row[0] != "---"]
    expected = []
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["serve"]]:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement).group(0)  # type: ignore[union-attr]
        floor = re.search(r">=([^,]+)", requirement).group(1)  # type: ignore[union-attr]
        locked = re.search(rf'\[\[package\]\]\nname = "{name.lower()}"\nversion = "([^"]+)"', lock).group(1)  # type: ignore[union-attr]
        expected.append((name, floor, locked))
    assert shown == expected


def test_the_python_examples_of_the_scripting_page_run() -> None:
    """The page's Python blocks, run as a notebook would run them, one after another."""
    import re

    page = (ROOT / "docs" / "scripting.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", page, flags=re.S | re.M)
    assert blocks and "chuanyu.open()" in blocks[0]
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, "docs/scripting.md", "exec"), namespace)
