"""Measures: one, or every measure passing the filters, with the units responsible."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from ..errors import AmbiguousMeasure, NoSuchMeasure
from ..result import Column, Record, Result
from .common import (
    _MEASURES,
    GROUPS,
    NO_FILTERS,
    Filters,
    _limited,
    _names,
    _parameters,
    _tuples,
    in_document,
    several_documents,
    with_documents,
)

MEASURE_COLUMNS = [
    Column("number", "measure", numeric=True),
    Column("chapter", "chapter", numeric=True, spare=True),
    Column("section", "section", numeric=True, spare=True),
    Column("chongqing", "chongqing", _names("chongqing")),
    Column("sichuan", "sichuan", _names("sichuan")),
    Column("local", "local / joint", _names("local", "joint")),
]


#: The units listed in all the measures (`_RESPONSIBLE_ALL`), or in those that pass the filters
#: (`_RESPONSIBLE`), in the order measures are read: that of their ids, which run in the order
#: of documents and numbers (`db_tables.fill`); within a measure, each group's units in the
#: document's order. All of them in rowid order, the document's; the chosen from an index
#: in that order, unsorted (a sort would read them all before the first).
_RESPONSIBLE_ALL = """
SELECT r.measure, r.grp, a.id, a.name
FROM responsibilities r JOIN agencies a ON a.id = r.agency
WHERE :province IS NULL OR a.province = :province
ORDER BY r.rowid
"""


_RESPONSIBLE = f"""
SELECT r.measure, r.grp, a.id, a.name
FROM responsibilities r JOIN agencies a ON a.id = r.agency
WHERE r.measure IN (SELECT id FROM ({_MEASURES})) AND (:province IS NULL OR a.province = :province)
ORDER BY r.measure, r.grp, r.position
"""


def _measure_records(
    conn: sqlite3.Connection, filters: Filters, number: int | None = None, titles: bool = False, limit: int | None = None
) -> Iterator[Record]:
    """The measures that pass `filters`, each with its units, as SQLite reads them: the measures
    and their listings in one order, each measure taking the listings of its id from the front."""
    several = several_documents(conn)
    parameters = _parameters(filters, number, limit)
    every = filters == NO_FILTERS and number is None and limit is None  # then every listing, without the filters
    listed = _tuples(conn, _RESPONSIBLE_ALL if every else _RESPONSIBLE, parameters)
    pending = next(listed, None)
    for row in conn.execute(_MEASURES, parameters):
        responsible: dict[str, list[dict[str, str]]] = {g: [] for g in GROUPS}
        while pending is not None and pending[0] == row["id"]:
            responsible[pending[1]].append({"id": pending[2], "name": pending[3]})
            pending = next(listed, None)
        record: Record = {"number": row["number"], "chapter": row["chapter"], "section": row["section"]}
        if titles:
            record |= {"chapter_title": row["chapter_title"], "section_title": row["section_title"]}
        record |= {"text": row["text"], "due": row["due"], "due_by": row["due_by"], "responsible": responsible}
        yield in_document(row["document"], record, several)


#: A measure's time limit, shown where some document of the catalogue sets one.
DUE_COLUMN = Column("due", "due", lambda record: record["due"] or "")


def with_due(conn: sqlite3.Connection, columns: list[Column]) -> list[Column]:
    """`columns` and the time limit where a document sets any (a table of the shipped document,
    which sets none, stays as it was)."""
    dated = conn.execute("SELECT EXISTS (SELECT 1 FROM measures WHERE due IS NOT NULL)").fetchone()[0]
    return [*columns, DUE_COLUMN] if dated else columns


def measures(conn: sqlite3.Connection, filters: Filters = NO_FILTERS, limit: int | None = None) -> Result:
    """The measures that pass every filter given, in the document's order; with `limit`, the
    first that many."""
    limited = _limited(_measure_records(conn, filters, limit=None if limit is None else limit + 1), limit)
    return Result(with_due(conn, with_documents(conn, MEASURE_COLUMNS)), limited, limited=limited)


def measure(conn: sqlite3.Connection, number: int) -> Result:
    """One measure with its text and its chapter and section titles."""
    records = list(_measure_records(conn, NO_FILTERS, number=number, titles=True))
    if not records:
        raise NoSuchMeasure(number)
    if len(records) > 1:
        raise AmbiguousMeasure(number, [record["document"] for record in records])
    columns = [
        *with_documents(conn, []),
        Column("number", "measure"),
        Column("chapter", "chapter", lambda r: f"{r['chapter']} {r['chapter_title']}"),
        Column("section", "section", lambda r: f"{r['section']} {r['section_title']}" if r["section"] is not None else ""),
        Column("text", "text"),
        *MEASURE_COLUMNS[3:5],
        Column("local", "local", _names("local")),
        Column("joint", "joint", _names("joint")),
    ]
    return Result(columns, records[:1], single=True)
