"""The questions chuanyu answers, each a function from a read-only connection to a Result."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence

from .errors import NoSuchMeasure
from .names import Directory
from .result import Column, Record, Result

GROUPS = ("chongqing", "sichuan", "local", "joint")


def directory(conn: sqlite3.Connection) -> Directory:
    """Every agency's names, for resolving what people type."""
    agencies = conn.execute("SELECT id, name, full_name FROM agencies ORDER BY id").fetchall()
    aliases = conn.execute("SELECT agency, alias FROM aliases ORDER BY agency, position").fetchall()
    return Directory.of((tuple(row) for row in agencies), (tuple(row) for row in aliases))  # type: ignore[misc]


def _names(*groups: str) -> Callable[[Record], list[str]]:
    """The names of a measure's units in these groups, in the document's order."""
    return lambda record: [unit["name"] for group in groups for unit in record["responsible"][group]]


MEASURE_COLUMNS = [
    Column("number", "measure", numeric=True),
    Column("chapter", "chapter", numeric=True),
    Column("section", "section", numeric=True),
    Column("chongqing", "chongqing", _names("chongqing")),
    Column("sichuan", "sichuan", _names("sichuan")),
    Column("local", "local / joint", _names("local", "joint")),
]

_MEASURES = """
SELECT m.id, m.number, c.number AS chapter, c.title AS chapter_title,
       s.number AS section, s.title AS section_title, m.text
FROM measures m
JOIN chapters c ON c.id = m.chapter
JOIN sections s ON s.id = m.section
WHERE (:chapter IS NULL OR c.number = :chapter)
  AND (:section IS NULL OR s.number = :section)
  AND (:number IS NULL OR m.number = :number)
  AND NOT EXISTS (
      SELECT 1 FROM json_each(:agencies) AS wanted
      WHERE NOT EXISTS (SELECT 1 FROM responsibilities r WHERE r.measure = m.id AND r.agency = wanted.value))
ORDER BY m.document, m.number
"""

_RESPONSIBLE = """
SELECT r.measure, r.grp, a.id, a.name
FROM responsibilities r JOIN agencies a ON a.id = r.agency
WHERE r.measure IN (SELECT value FROM json_each(:measures))
ORDER BY r.measure, r.grp, r.position
"""


def _measure_records(
    conn: sqlite3.Connection,
    *,
    chapter: int | None = None,
    section: int | None = None,
    number: int | None = None,
    agencies: Sequence[str] = (),
    titles: bool = False,
) -> list[Record]:
    rows = conn.execute(
        _MEASURES,
        {"chapter": chapter, "section": section, "number": number, "agencies": json.dumps(list(agencies))},
    ).fetchall()
    responsible: dict[int, dict[str, list[dict[str, str]]]] = {row["id"]: {g: [] for g in GROUPS} for row in rows}
    for unit in conn.execute(_RESPONSIBLE, {"measures": json.dumps(list(responsible))}):
        responsible[unit["measure"]][unit["grp"]].append({"id": unit["id"], "name": unit["name"]})
    records = []
    for row in rows:
        record: Record = {"number": row["number"], "chapter": row["chapter"], "section": row["section"]}
        if titles:
            record |= {"chapter_title": row["chapter_title"], "section_title": row["section_title"]}
        record |= {"text": row["text"], "responsible": responsible[row["id"]]}
        records.append(record)
    return records


def measures(
    conn: sqlite3.Connection,
    chapter: int | None = None,
    section: int | None = None,
    agencies: Sequence[str] = (),
) -> Result:
    """The measures, in the document's order, that match every filter given: in `chapter`, in
    `section`, listing every agency in `agencies` (ids)."""
    return Result(MEASURE_COLUMNS, _measure_records(conn, chapter=chapter, section=section, agencies=agencies))


def measure(conn: sqlite3.Connection, number: int) -> Result:
    """One measure with its text and its chapter and section titles."""
    records = _measure_records(conn, number=number, titles=True)
    if not records:
        raise NoSuchMeasure(number)
    columns = [
        Column("number", "measure"),
        Column("chapter", "chapter", lambda r: f"{r['chapter']} {r['chapter_title']}"),
        Column("section", "section", lambda r: f"{r['section']} {r['section_title']}"),
        Column("text", "text"),
        *MEASURE_COLUMNS[3:5],
        Column("local", "local", _names("local")),
        Column("joint", "joint", _names("joint")),
    ]
    return Result(columns, records[:1], single=True)


_AGENCIES = """
SELECT a.id, a.name, a.full_name, a.province, a.level, a.counterpart,
       (SELECT json_group_array(alias) FROM
            (SELECT alias FROM aliases WHERE agency = a.id ORDER BY position)) AS aliases,
       (SELECT count(*) FROM responsibilities r WHERE r.agency = a.id AND r.role = 'lead') AS leads,
       (SELECT count(*) FROM responsibilities r WHERE r.agency = a.id) AS involved
FROM agencies a
WHERE :province IS NULL OR a.province = :province
ORDER BY CASE a.province WHEN 'chongqing' THEN 0 WHEN 'sichuan' THEN 1 ELSE 2 END,
         leads DESC, involved DESC, a.id
"""


def agencies(conn: sqlite3.Connection, province: str | None = None) -> Result:
    """Every agency (of one province, if given): Chongqing, Sichuan, then the joint body; within
    each, the most leads and listings first."""
    rows = conn.execute(_AGENCIES, {"province": province}).fetchall()
    records = [
        {
            "id": row["id"],
            "name": row["name"],
            "full_name": row["full_name"],
            "aliases": json.loads(row["aliases"]),
            "province": row["province"],
            "level": row["level"],
            "counterpart": row["counterpart"],
            "leads": row["leads"],
            "involved": row["involved"],
        }
        for row in rows
    ]
    names = dict(conn.execute("SELECT id, name FROM agencies").fetchall())
    # a table is for people: names, which fold where Chinese text may; JSON keeps the ids
    columns = [
        Column("id", "id", on_terminal=False),
        Column("name", "name"),
        Column("province", "province", atomic=True),
        Column("level", "level", atomic=True),
        Column("counterpart", "counterpart", lambda r: names.get(r["counterpart"])),
        Column("leads", "leads", numeric=True),
        Column("involved", "involved", numeric=True),
    ]
    return Result(columns, records)
