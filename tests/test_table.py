"""Tables for people at a narrow terminal: names whole, spare columns left out and said so."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from rich.cells import cell_len

from chuanyu.model import Catalogue
from conftest import ROOT, catalogue  # noqa: F401  (the session fixture)

NARROW = 80


def table(*args: str, columns: int = NARROW) -> str:
    """What a person sees at a terminal `columns` wide (as a process, as `make run` shows it)."""
    result = subprocess.run(
        [sys.executable, "-m", "chuanyu", *args, "--format", "table"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env={**os.environ, "COLUMNS": str(columns)},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("args", [["agencies"], ["measures"], ["pairs"], ["gaps"], ["agencies", "--province", "sichuan"]])
def test_no_name_of_ten_characters_or_fewer_is_split_at_80_columns(catalogue: Catalogue, args: list[str]) -> None:  # noqa: F811
    shown = table(*args)
    lines = shown.splitlines()
    assert all(cell_len(line) <= NARROW for line in lines)
    names = {agency.name for agency in catalogue.agencies.values() if len(agency.name) <= 10}
    named = {name for name in names if name[:2] in shown and any(name in line for line in lines)}
    # every short name the answer holds is on one line: each name in the TSV answer is found whole
    tsv = subprocess.run(
        [sys.executable, "-m", "chuanyu", *args, "--format", "tsv"], capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=60
    ).stdout
    in_answer = {name for name in names if name in tsv}
    assert in_answer and in_answer <= named, sorted(in_answer - named)


def test_agencies_at_80_columns_leave_out_the_level_and_say_so(catalogue: Catalogue) -> None:  # noqa: F811
    shown = table("agencies")
    header = shown.splitlines()[0].split()
    assert header == ["name", "province", "counterpart", "leads", "involved"]
    assert shown.rstrip().splitlines()[-1] == "(level: left out at 80 columns; --format tsv has every column)"
    assert shown.rstrip().splitlines()[-2] == ""  # after the table and a blank line
    lines = len(shown.splitlines()) - 4  # header, rule, blank line, note
    assert lines <= len(catalogue.agencies) * 1.2  # a line an agency but where a name of over ten characters folds (was 160 lines)


def test_a_wide_terminal_shows_every_column_and_no_note() -> None:
    shown = table("agencies", columns=120)
    assert shown.splitlines()[0].split() == ["name", "province", "level", "counterpart", "leads", "involved"]
    assert "left out" not in shown


def test_a_match_folded_across_lines_is_marked_on_each_at_a_terminal() -> None:
    """At a terminal in colour, a search's match 【thus】 is shown in reverse, also where the
    cell folds it across lines; without colour, the same table has no escape at all."""
    import io

    from chuanyu import db
    from chuanyu.questions.search import search
    from chuanyu.table import PLAIN, REVERSED, Terminal, draw
    from conftest import DATA

    conn = db.open_cached(DATA)
    for width in ("40", "60", "100"):
        coloured, plain = io.StringIO(), io.StringIO()
        draw(search(conn, "数字人民币"), coloured, Terminal(coloured, {"FORCE_COLOR": "1", "COLUMNS": width}))
        draw(search(conn, "数字人民币"), plain, Terminal(plain, {"COLUMNS": width}))
        assert "\x1b" not in plain.getvalue()
        assert coloured.getvalue().replace(REVERSED, "").replace(PLAIN, "").replace("\x1b[1m", "") == plain.getvalue()
        for line in coloured.getvalue().splitlines():
            bare = line.replace(REVERSED, "").replace(PLAIN, "")
            if any(part in bare for part in ("【数", "人民币】")):
                assert REVERSED in line, (width, line)
        folded = [line for line in plain.getvalue().splitlines() if "【" in line and "】" not in line.split("【")[-1]]
        if width == "40":
            assert folded, "at 40 columns some match folds"
