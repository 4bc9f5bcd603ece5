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


def query_table(sql: str, columns: str) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, "-m", "chuanyu", "query", "--sql", sql, "--format", "table"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": columns, "TTY_COMPATIBLE": "1"},
        cwd=ROOT,
    )
    return result.returncode, result.stdout


def test_tabs_and_carriage_returns_keep_a_table_in_line() -> None:
    code, shown = query_table("SELECT 'a' || char(9) || 'b' AS t, 'x' || char(13) || 'yy' AS r, 'z' AS z", "80")
    plain = [line.replace("\x1b[1m", "").replace("\x1b[0m", "") for line in shown.splitlines()]
    assert code == 0 and "\r" not in shown and "\t" not in shown
    assert plain[0].index("r") == plain[2].index("xyy") and plain[0].index("z") == plain[2].index("z")


def test_a_block_is_no_wider_than_the_terminal_whatever_its_field_names() -> None:
    code, shown = query_table("SELECT '重庆市金融监管局' AS this_is_a_really_long_column_alias, 'abc def' AS b", "24")
    plain = [line.replace("\x1b[1m", "").replace("\x1b[0m", "") for line in shown.splitlines()]
    assert code == 0 and max(map(cell_len, plain)) <= 24
    assert "".join(line[19:].strip() for line in plain[:8]).startswith("重庆市金融监管局")


def test_a_number_longer_than_the_first_pages_is_never_cut() -> None:
    sql = (
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1003) "
        "SELECT n * (CASE WHEN n > 1000 THEN 1000 ELSE 1 END) AS n FROM c"
    )
    code, shown = query_table(sql, "80")
    assert code == 0 and shown.rstrip().splitlines()[-1].strip() == "1003000"


def test_an_unreadable_columns_is_no_width() -> None:
    code, shown = query_table("SELECT 1 AS one", "²")
    assert code == 0 and "one" in shown


def test_a_lone_bracket_marks_nothing() -> None:
    from chuanyu.table import REVERSED, _styled

    assert _styled(["见附表【1中的【金融】机构"], None, True, True) == [f"见附表【1中的{REVERSED}【金融】\x1b[0m机构"]
    assert _styled(["【金融】机构【"], None, True, True) == [f"{REVERSED}【金融】\x1b[0m机构【"]
