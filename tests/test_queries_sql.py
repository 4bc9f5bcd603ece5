"""The named SQL in queries/: each runs on the built database and answers as the source says."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from chuanyu import db
from chuanyu.paths import data_dir, queries_dir
from test_source import CLAUSES


@pytest.fixture(scope="module")
def conn() -> Iterator[sqlite3.Connection]:
    connection = db.open_cached(data_dir())
    yield connection
    connection.close()


def query(conn: sqlite3.Connection, name: str, **params: str) -> list[sqlite3.Row]:
    return conn.execute((queries_dir() / f"{name}.sql").read_text(encoding="utf-8"), params).fetchall()


def test_every_named_query_opens_with_a_title_and_help() -> None:
    files = sorted(queries_dir().glob("*.sql"))
    assert files
    for file in files:
        lines = file.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("-- ") and lines[1].startswith("-- "), file.name


def test_lead_pairs(conn: sqlite3.Connection) -> None:
    rows = {row["measure"]: row for row in query(conn, "lead-pairs")}
    assert len(rows) == sum("；" in clause for clause in CLAUSES) == 57
    assert (rows[1]["chongqing_lead"], rows[1]["sichuan_lead"], rows[1]["counterparts"]) == ("重庆市金融监管局", "四川省地方金融监管局", 1)
    assert (rows[7]["sichuan_lead"], rows[7]["counterparts"]) == ("外汇局四川省分局", 0)
    assert (rows[25]["chongqing_lead"], rows[25]["sichuan_lead"], rows[25]["counterparts"]) == ("人行重庆营管部", "四川省科技厅", 0)


def test_agency_chapters(conn: sqlite3.Connection) -> None:
    rows = query(conn, "agency-chapters", agency="cq-safe")
    assert sum(row["listings"] for row in rows) == sum("重庆外汇管理部" in clause for clause in CLAUSES)
    assert [row["chapter"] for row in rows] == sorted(row["chapter"] for row in rows)
    assert dict((row["chapter"], row["listings"]) for row in rows)[5] == 8  # 33-40 all name 重庆外汇管理部
