"""What the questions share: filters on measures, the units of a measure, names as shown."""

from __future__ import annotations

import itertools
import json
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..result import Column, Limited, Record

if TYPE_CHECKING:
    from ..names import Directory

GROUPS = ("chongqing", "sichuan", "local", "joint")


def directory(conn: sqlite3.Connection) -> Directory:
    """Every agency's names, for resolving what people type."""
    from ..names import Directory

    agencies = conn.execute("SELECT id, name, full_name FROM agencies ORDER BY id").fetchall()
    aliases = conn.execute("SELECT agency, alias FROM aliases ORDER BY agency, position").fetchall()
    return Directory.of((tuple(row) for row in agencies), (tuple(row) for row in aliases))  # type: ignore[misc]


def display_name(unit: Record | None) -> str:
    """A unit's name as tables and pictures show it: with --as-of, the body that held its
    function then, the document's name beside it (原: formerly)."""
    if unit is None:
        return ""
    current = unit.get("current")
    return f"{current['name']}（原：{unit['name']}）" if current else str(unit["name"])


def _names(*groups: str) -> Callable[[Record], list[str]]:
    """The names of a measure's units in these groups, in the document's order."""
    return lambda record: [display_name(unit) for group in groups for unit in record["responsible"][group]]


_MEASURES = """
SELECT m.id, m.document, m.number, c.number AS chapter, c.title AS chapter_title,
       s.number AS section, s.title AS section_title, m.text, m.due, m.due_by
FROM measures m
JOIN chapters c ON c.id = m.chapter
LEFT JOIN sections s ON s.id = m.section
WHERE (:chapter IS NULL OR c.number = :chapter)
  AND (:section IS NULL OR s.number = :section)
  AND (:number IS NULL OR m.number = :number)
  AND (:due_by IS NULL OR m.due_by <= :due_by)
  AND (:lead IS NULL OR EXISTS (
      SELECT 1 FROM responsibilities r WHERE r.measure = m.id AND r.agency = :lead AND r.role = 'lead'))
  AND (:province IS NULL OR EXISTS (
      SELECT 1 FROM responsibilities r JOIN agencies a ON a.id = r.agency WHERE r.measure = m.id AND a.province = :province))
  AND NOT EXISTS (
      SELECT 1 FROM json_each(:agencies) AS wanted
      WHERE NOT EXISTS (SELECT 1 FROM responsibilities r WHERE r.measure = m.id AND r.agency = wanted.value))
ORDER BY m.document, m.number
LIMIT :limit
"""


@dataclass(frozen=True, kw_only=True)
class Filters:
    """The filters `measures` takes, and every question built on a set of measures, resolved
    (`answers.MeasureFilters` are the same as a person gives them, with names).

    `agencies`: ids that must all be listed; `lead`: an id that must lead; `province`: only
    measures listing a unit of that province, showing only that province's units; `due_by`:
    only measures falling due on or before that ISO date.
    """

    chapter: int | None = None
    section: int | None = None
    agencies: tuple[str, ...] = ()
    lead: str | None = None
    province: str | None = None
    due_by: str | None = None


#: No filter: every measure, every unit.
NO_FILTERS = Filters()


def _parameters(filters: Filters, number: int | None = None, limit: int | None = None) -> dict[str, Any]:
    """What `_MEASURES` is asked with: `filters`, a measure's `number` if given, and `limit`."""
    return {
        "chapter": filters.chapter,
        "section": filters.section,
        "number": number,
        "agencies": json.dumps(list(filters.agencies)),
        "lead": filters.lead,
        "province": filters.province,
        "due_by": filters.due_by,
        "limit": -1 if limit is None else limit,
    }


def _passing(conn: sqlite3.Connection, filters: Filters) -> sqlite3.Cursor:
    """The measures that pass `filters`, in the document's order, as SQLite reads them."""
    return conn.execute(_MEASURES, _parameters(filters))


def _limited(records: Iterable[Record], limit: int | None) -> Limited:
    """The first `limit` records (all of them for None) as they come, and whether more followed:
    a question that finds its records in order stops at the one after."""
    if limit is not None and limit >= sys.maxsize:  # as SQLite takes no such number, with which `measures` asks
        raise OverflowError(limit)
    return Limited(records, limit)


def _tuples(conn: sqlite3.Connection, sql: str, parameters: dict[str, Any]) -> sqlite3.Cursor:
    """The rows of `sql` as plain tuples: for the questions that read a row per listing, where
    a lookup by name would cost a second for a million rows."""
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor.execute(sql, parameters)


def names_by_id(conn: sqlite3.Connection) -> dict[str, str]:
    """Every agency's name, by id, in id order."""
    return dict(conn.execute("SELECT id, name FROM agencies ORDER BY id").fetchall())


def _numbers(values: Sequence[int]) -> str:
    return ", ".join(map(str, values))


def _unit(row: sqlite3.Row | None, *keys: str) -> Record | None:
    return {key: row[key] for key in keys} if row is not None else None


def _sides(row: Record) -> tuple[str, str]:
    return display_name(row["chongqing"]), display_name(row["sichuan"])


#: Each listing's measure, group, unit and role, without the joins to units and chapters: what
#: gaps and observed pairs need of the listings. In rowid order, the document's (see `db_tables.fill`).
_LISTED = """
SELECT m.id, m.document, m.number, r.grp, r.agency, r.role FROM responsibilities r JOIN measures m ON m.id = r.measure
WHERE :measures IS NULL OR m.id IN (SELECT value FROM json_each(:measures))
ORDER BY r.rowid
"""


def _by_measure(conn: sqlite3.Connection, filters: Filters) -> Iterator[tuple[str, int, list[tuple[str, str, str]]]]:
    """(document, measure number, its listings as (group, unit id, role)) for the measures that
    pass `filters`, a measure at a time in the document's order."""
    for (document, measure), rows in itertools.groupby(
        _tuples(conn, _LISTED, {"measures": _chosen(conn, filters)}), key=lambda row: (row[1], row[2])
    ):
        yield document, measure, [(group, unit_id, role) for _, _, _, group, unit_id, role in rows]


def several_documents(conn: sqlite3.Connection) -> bool:
    """Whether the catalogue holds more than one document: then every record of a measure names
    its document (`"document"` first), whichever documents a question is asked of."""
    return bool(conn.execute("SELECT count(*) > 1 FROM main.documents").fetchone()[0])


def in_document(document: str, record: Record, several: bool) -> Record:
    """`record`, led by its document's id where the catalogue holds several documents."""
    return {"document": document, **record} if several else record


def with_documents(conn: sqlite3.Connection, columns: list[Column]) -> list[Column]:
    """`columns`, led by the document's where the catalogue holds several documents."""
    return [Column("document", "document", atomic=True), *columns] if several_documents(conn) else columns


def _units(conn: sqlite3.Connection) -> dict[str, sqlite3.Row]:
    """Every unit by id, with what the pairing questions need of it, in order of id."""
    return {row["id"]: row for row in conn.execute("SELECT id, name, province, counterpart FROM agencies ORDER BY id")}


def _chosen(conn: sqlite3.Connection, filters: Filters) -> str | None:
    """The ids of the measures that pass `filters`, as JSON for json_each; None for all."""
    return None if filters == NO_FILTERS else json.dumps([row["id"] for row in _passing(conn, filters)])


#: Chongqing, Sichuan, then the joint body (of neither province): the order of every listing by province.
PROVINCE_ORDER = {"chongqing": 0, "sichuan": 1, None: 2}


def _in_province(row: sqlite3.Row, filters: Filters) -> bool:
    return filters.province is None or row["province"] == filters.province
