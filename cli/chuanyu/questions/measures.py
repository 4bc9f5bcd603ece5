"""Measures: one, or every measure passing the filters, with the units responsible."""

from __future__ import annotations

import json
import sqlite3

from ..errors import AmbiguousMeasure, NoSuchMeasure
from ..result import Column, Record, Result
from .common import GROUPS, NO_FILTERS, Filters, _first, _names, _passing, _tuples, in_document, several_documents, with_documents

MEASURE_COLUMNS = [
    Column("number", "measure", numeric=True),
    Column("chapter", "chapter", numeric=True, spare=True),
    Column("section", "section", numeric=True, spare=True),
    Column("chongqing", "chongqing", _names("chongqing")),
    Column("sichuan", "sichuan", _names("sichuan")),
    Column("local", "local / joint", _names("local", "joint")),
]


#: The units listed in the measures chosen (`_RESPONSIBLE`) or in all of them, in one pass
#: (`_RESPONSIBLE_ALL`), in the document's order.
_RESPONSIBLE_IN = """
SELECT r.measure, r.grp, a.id, a.name
FROM responsibilities r JOIN agencies a ON a.id = r.agency
WHERE {chosen}(:province IS NULL OR a.province = :province)
ORDER BY r.rowid
"""


_RESPONSIBLE = _RESPONSIBLE_IN.format(chosen="r.measure IN (SELECT value FROM json_each(:measures)) AND ")


_RESPONSIBLE_ALL = _RESPONSIBLE_IN.format(chosen="")


def _measure_records(
    conn: sqlite3.Connection, filters: Filters, number: int | None = None, titles: bool = False, limit: int | None = None
) -> list[Record]:
    rows = _passing(conn, filters, number, limit)
    responsible: dict[int, dict[str, list[dict[str, str]]]] = {row["id"]: {g: [] for g in GROUPS} for row in rows}
    every = filters == NO_FILTERS and number is None and limit is None  # then read in one pass, unsorted
    sql, chosen = (_RESPONSIBLE_ALL, None) if every else (_RESPONSIBLE, json.dumps(list(responsible)))
    for measure, group, unit_id, name in _tuples(conn, sql, {"measures": chosen, "province": filters.province}):
        responsible[measure][group].append({"id": unit_id, "name": name})
    several = several_documents(conn)
    records = []
    for row in rows:
        record: Record = {"number": row["number"], "chapter": row["chapter"], "section": row["section"]}
        if titles:
            record |= {"chapter_title": row["chapter_title"], "section_title": row["section_title"]}
        record |= {"text": row["text"], "responsible": responsible[row["id"]]}
        records.append(in_document(row["document"], record, several))
    return records


def measures(conn: sqlite3.Connection, filters: Filters = NO_FILTERS, limit: int | None = None) -> Result:
    """The measures that pass every filter given, in the document's order; with `limit`, the
    first that many."""
    records, more = _first(_measure_records(conn, filters, limit=None if limit is None else limit + 1), limit)
    return Result(with_documents(conn, MEASURE_COLUMNS), records, more=more)


def measure(conn: sqlite3.Connection, number: int) -> Result:
    """One measure with its text and its chapter and section titles."""
    records = _measure_records(conn, NO_FILTERS, number=number, titles=True)
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
