"""Pairs stored when the database is built (counterpart_pairs, observed_pairs) answer exactly as
the pairs computed from the listings when asked: on the shipped catalogue, a synthetic one, and
one of two documents; for every unit and for one."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench_growth import synthetic
from chuanyu import db
from chuanyu.questions import pairs
from chuanyu.questions.common import NO_FILTERS
from chuanyu.questions.documents import per_document
from conftest import DATA, run
from test_documents import SECOND, SECOND_ID


def opened(folder: Path, tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = db.connect(db.build(folder, tmp_path / "built.db"))
    try:
        yield conn
    finally:
        conn.close()


@pytest.fixture(params=["shipped", "synthetic", "two documents"])
def conn(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sqlite3.Connection]:
    folder = tmp_path / "data"
    if request.param == "synthetic":
        synthetic(400, folder)
    else:
        shutil.copytree(DATA, folder)
    if request.param == "two documents":
        (folder / "documents").mkdir()
        extracted = run("extract", str(SECOND), "--id", SECOND_ID, "--data", str(folder))
        (folder / "documents" / f"{SECOND_ID}.yaml").write_text(extracted.stdout, encoding="utf-8")
    yield from opened(folder, tmp_path)


def test_the_stored_pairs_are_the_computed_ones(conn: sqlite3.Connection) -> None:
    units = [row[0] for row in conn.execute("SELECT DISTINCT agency FROM responsibilities ORDER BY agency LIMIT 3")]
    for agency in [None, *units]:
        stored = list(pairs.pairs(conn, agency).records)
        computed = list(per_document(conn, lambda chosen: pairs._pairs(chosen, agency, NO_FILTERS)).records)  # noqa: B023
        assert stored == computed and (stored or agency)
        stored = list(pairs.observed_pairs(conn, agency).records)
        computed = list(per_document(conn, lambda chosen: pairs._observed_pairs(chosen, agency, NO_FILTERS)).records)  # noqa: B023
        assert stored == computed and (stored or agency)


def test_the_stored_pairs_are_read_not_computed(conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object) -> None:
        raise AssertionError("computed, not read")

    monkeypatch.setattr(pairs, "_pairs", refused)
    monkeypatch.setattr(pairs, "_observed_pairs", refused)
    assert list(pairs.pairs(conn).records) and list(pairs.observed_pairs(conn).records)


def test_a_pairs_table_holds_a_row_per_pair_and_unpaired_unit(conn: sqlite3.Connection) -> None:
    declared = conn.execute("SELECT count(*) FROM counterpart_pairs").fetchone()[0]
    observed = conn.execute("SELECT count(*) FROM observed_pairs").fetchone()[0]
    assert declared == len(list(pairs.pairs(conn).records))
    assert observed == len(list(pairs.observed_pairs(conn).records))
