"""README shows what the tool does: its examples run and print what it shows, and its command
reference is the commands' own --help."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from reference import SCHEMA_END, SCHEMA_START, current, examples, reference, run_example, schema_table, walkthrough

README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = examples(README)


def test_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize(("command", "shown"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_every_readme_example_prints_what_readme_shows(tmp_path: Path, command: str, shown: str) -> None:
    output, code = run_example(command, tmp_path)
    assert output == shown, "run `make reference` if the change is meant"
    assert code == 0 or "2>&1" in command  # the examples of errors show their stderr


def test_the_command_reference_is_the_help_of_each_command() -> None:
    assert current(README) == reference(), "run `make reference` to bring README up to date"


def test_the_table_of_the_database_is_the_schema_described() -> None:
    assert current(README, SCHEMA_START, SCHEMA_END) == schema_table(), "run `make reference` to bring README up to date"


def test_readme_starts_with_the_two_commands() -> None:
    head = README[:1500]
    assert "make run" in head and "make test" in head
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().endswith("make ci")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    ci = makefile.split("\nci:\n", 1)[1].split("\n\n", 1)[0]
    assert ci.splitlines()[-1].split() == ["$(MAKE)", "--no-print-directory", "test"]  # the suite from the lock, last, binding


def test_the_exit_codes_table_is_every_code_the_commands_use() -> None:
    import re

    from chuanyu.commands.base import Exit

    table = README.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    assert [int(code) for code in re.findall(r"^\| (\d+) \|", table, re.MULTILINE)] == sorted(Exit)


def test_the_walkthrough_of_a_second_document_runs_as_readme_shows(tmp_path: Path) -> None:
    """From a PDF to proposals, to review, to answers across both documents: in order, one cache."""
    import os

    from make_pdf import cjk_font

    if cjk_font() is None:  # the walkthrough writes the PDF in a CJK font
        missing = "no CJK font to write the walkthrough's PDF with: install Debian's fonts-wqy-microhei (and fontconfig)"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    steps = walkthrough(README)
    assert len(steps) >= 6 and any("add" in command for command, _ in steps)
    for command, shown in steps:
        output, code = run_example(command, tmp_path)
        assert output == shown, f"{command}: run `make reference` if the change is meant"
        assert code == 0 or "2>&1" in command


def test_the_table_of_tested_versions_is_pyproject_and_the_lock() -> None:
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lock = (ROOT / "uv.lock").read_text(encoding="utf-8")
    table = README.split("| package | lowest tested", 1)[1].split("\n\n", 1)[0]
    shown = [row for row in re.findall(r"^\| (\S+) \| (\S+) \| (\S+) \|$", table, re.M) if row[0] != "---"]
    expected = []
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["serve"]]:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement).group(0)  # type: ignore[union-attr]
        floor = re.search(r">=([^,]+)", requirement).group(1)  # type: ignore[union-attr]
        locked = re.search(rf'\[\[package\]\]\nname = "{name.lower()}"\nversion = "([^"]+)"', lock).group(1)  # type: ignore[union-attr]
        expected.append((name, floor, locked))
    assert shown == expected
