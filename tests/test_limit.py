"""--limit: the first rows of the whole answer, in its order; a table says when more follow.

The questions that take it find their rows in the document's order and stop at the one after
the last wanted; `make bench-growth` shows what that saves at scale, these tests what it gives.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterator

import pytest

from chuanyu import db
from chuanyu.paths import data_dir
from chuanyu.questions import common, gaps, overviews, search
from chuanyu.questions.measures import _RESPONSIBLE, _RESPONSIBLE_ALL
from conftest import run

MORE = "the first {} shown (--limit); more follow"

ANSWERS = [
    ["measures"],
    ["measures", "--chapter", "3"],
    ["measures", "--province", "sichuan"],
    ["measures", "--agency", "市财政局", "--as-of", "2025-01-01"],
    ["search", "金融"],
    ["search", "金融科技"],
    ["search", "债", "--lead", "人行重庆营管部"],
    ["search", "支持", "--chapter", "2"],
    ["gaps"],
    ["gaps", "--all"],
    ["gaps", "--all", "--kind", "unpaired-agency"],
    ["gaps", "--as-of", "today"],
]


@pytest.mark.parametrize("args", ANSWERS, ids=" ".join)
def test_a_limit_gives_the_first_rows_of_the_whole_answer(args: list[str]) -> None:
    whole = run(*args, "--format", "json").json()
    assert len(whole) > 3  # else the limits below would not cut it
    for limit in (1, 2, len(whole) - 1, len(whole), len(whole) + 5):
        assert run(*args, "--limit", str(limit), "--format", "json").json() == whole[:limit]


@pytest.mark.parametrize("command", [["measures"], ["search", "金融"], ["gaps"]], ids=" ".join)
def test_a_table_says_when_more_follow_and_data_formats_carry_rows_alone(command: list[str]) -> None:
    total = len(run(*command, "--format", "json").json())
    cut = run(*command, "--limit", "3", "--format", "table").stdout.splitlines()
    assert cut[-1] == MORE.format(3)
    whole = run(*command, "--limit", str(total), "--format", "md").stdout
    assert "more follow" not in whole
    rows = list(csv.reader(io.StringIO(run(*command, "--limit", "3", "--format", "csv").stdout)))
    assert len(rows) == 1 + 3


def test_the_gaps_summary_counts_the_findings_shown() -> None:
    shown = run("gaps", "--limit", "5", "--format", "json").json()
    lines = run("gaps", "--limit", "5", "--format", "table").stdout.splitlines()
    for kind in gaps.GAP_KINDS:
        assert f"{kind}: {sum(r['kind'] == kind for r in shown)}" in lines


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_a_limit_is_a_whole_number_from_1(value: str) -> None:
    result = run("gaps", "--limit", value)
    assert result.code == 2
    assert "--limit" in result.stderr and "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def conn() -> Iterator[sqlite3.Connection]:
    connection = db.open_cached(data_dir())
    yield connection
    connection.close()


@pytest.mark.parametrize(
    "sql, parameters",
    [
        (common._LISTED, {"measures": None}),
        (overviews._LISTINGS, {"measures": None}),
        (_RESPONSIBLE_ALL, {"province": None}),
        (common._MEASURES, common._parameters(common.Filters())),
        (_RESPONSIBLE, common._parameters(common.Filters(chapter=8))),
        (search._SEARCH_FTS, {"trigrams": '"金融科" AND "融科技"'}),
        (search._SEARCH_SCAN, {"pattern": "%金融%"}),
    ],
    ids=["listed", "listings", "every measure's units", "measures", "the chosen measures' units", "search by index", "search by scan"],
)
def test_rows_come_in_the_document_order_without_a_sort(conn: sqlite3.Connection, sql: str, parameters: dict[str, str | None]) -> None:
    """Stored in the document's order, read in rowid order: the first row comes without
    reading them all, so a limit stops early."""
    plan = " | ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, parameters))
    assert "TEMP B-TREE" not in plan
