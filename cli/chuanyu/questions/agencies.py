"""Agencies: every responsible unit, and one unit's profile."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ..result import Column, Record, Result
from ..terms import Label, Phrase
from .common import _numbers, _tuples, in_document, names_by_id, several_documents, with_documents
from .lineage import Lineage

_AGENCIES = """
SELECT a.id, a.name, a.full_name, a.province, a.level, a.counterpart,
       (SELECT json_group_array(alias) FROM
            (SELECT alias FROM aliases WHERE agency = a.id ORDER BY position)) AS aliases,
       (SELECT count(*) FROM responsibilities r WHERE r.agency = a.id AND r.role = 'lead') AS leads,
       (SELECT count(*) FROM responsibilities r WHERE r.agency = a.id) AS involved
FROM agencies a
WHERE (:province IS NULL OR a.province = :province) AND (:id IS NULL OR a.id = :id)
ORDER BY CASE a.province WHEN 'chongqing' THEN 0 WHEN 'sichuan' THEN 1 ELSE 2 END,
         leads DESC, involved DESC, a.id
"""


def _agency_records(conn: sqlite3.Connection, province: str | None = None, agency: str | None = None) -> list[Record]:
    return [
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
        for row in conn.execute(_AGENCIES, {"province": province, "id": agency})
    ]


def agencies(conn: sqlite3.Connection, province: str | None = None) -> Result:
    """Every agency (of one province, if given): Chongqing, Sichuan, then the joint body; within
    each, the most leads and listings first."""
    names = names_by_id(conn)
    # a table is for people: names, which fold where Chinese text may; the other formats keep ids
    columns = [
        Column("id", "id", on_terminal=False),
        Column("name", "name"),
        Column("province", "province", atomic=True, labels=True),
        Column("level", "level", atomic=True, spare=True, labels=True),
        Column("counterpart", "counterpart", lambda r: names.get(r["counterpart"])),
        Column("leads", "leads", numeric=True),
        Column("involved", "involved", numeric=True),
    ]
    return Result(columns, _agency_records(conn, province))


_PROFILE = """
SELECT m.document, m.number, c.number AS chapter, c.title AS chapter_title, r.role,
       (SELECT other.role FROM responsibilities other
        WHERE other.measure = m.id AND other.agency = :counterpart) AS counterpart_role,
       m.due, m.due_by
FROM responsibilities r
JOIN measures m ON m.id = r.measure
JOIN chapters c ON c.id = m.chapter
WHERE r.agency = :agency
ORDER BY m.document, m.number
"""


def agency(conn: sqlite3.Connection, agency_id: str) -> Result:
    """One agency: its counterpart, the measures it leads and those it is listed in otherwise,
    chapter by chapter, and whether its counterpart is listed in the same measures."""
    (record,) = _agency_records(conn, agency=agency_id)
    counterpart = _agency_records(conn, agency=record["counterpart"])[0] if record["counterpart"] else None
    rows = _tuples(conn, _PROFILE, {"agency": agency_id, "counterpart": record["counterpart"]}).fetchall()
    several = several_documents(conn)
    chapters: dict[tuple[str, int], Record] = {}
    for document, number, chapter_number, chapter_title, role, counterpart_role, _due, _due_by in rows:
        chapter = chapters.setdefault(
            (document, chapter_number),
            in_document(
                document,
                {
                    "chapter": chapter_number,
                    "title": chapter_title,
                    "leads": [],
                    "co": [],
                    "with_counterpart": [],
                    "without_counterpart": [],
                },
                several,
            ),
        )
        chapter["leads" if role == "lead" else "co"].append(number)
        chapter["with_counterpart" if counterpart_role else "without_counterpart"].append(number)
    for chapter in chapters.values():
        chapter["listings"] = len(chapter["leads"]) + len(chapter["co"])
    columns = with_documents(
        conn,
        [
            Column("chapter", "chapter", numeric=True),
            Column("title", "title", on_terminal=False),
            Column("listings", "listings", numeric=True),
            Column("leads", "leads", lambda r: _numbers(r["leads"])),
            Column("co", "co-listed", lambda r: _numbers(r["co"])),
            Column("with_counterpart", "with counterpart", lambda r: _numbers(r["with_counterpart"])),
            Column("without_counterpart", "without counterpart", lambda r: _numbers(r["without_counterpart"])),
        ],
    )
    other = Phrase("counterpart {name} ({id})", name=counterpart["name"], id=counterpart["id"]) if counterpart else Phrase("no counterpart")
    title = Phrase(
        "{name} ({id}) · {province} · {level} · leads {leads} · listed in {involved} · {other}",
        name=record["name"],
        id=record["id"],
        province=Label(record["province"] or "joint"),
        level=Label(record["level"]),
        leads=record["leads"],
        involved=record["involved"],
        other=other,
    )
    steps = Lineage(conn).chain(agency_id)
    listed = _per_document(rows) if several else _leads_and_involved(rows)
    falling_due = _falling_due(rows, several)
    document = {"agency": record, "counterpart": counterpart, **listed, "lineage": steps, "due": falling_due}
    footer = [*lineage_lines(record["name"], steps), *_due_lines(falling_due)]
    return Result(columns, list(chapters.values()), document=document, title=title, footer=footer)


def _falling_due(rows: list[tuple[Any, ...]], several: bool) -> list[Record]:
    """The measures of `rows` (of _PROFILE) whose document sets a time limit, by the day they
    fall due (those naming no one day, 持续推进 or 每年…, last), each with the unit's role."""
    dated = [row for row in rows if row[6] is not None]
    dated.sort(key=lambda row: (row[7] is None, row[7] or "", row[0], row[1]))
    return [in_document(row[0], {"number": row[1], "role": row[4], "due": row[6], "due_by": row[7]}, several) for row in dated]


def _due_lines(falling_due: list[Record]) -> list[str]:
    """What falls due as people read it: a line a measure, by day."""
    return [
        Phrase(
            "due {day} · {document}measure {number} ({role}) · {due}",
            day=record["due_by"] or "—",
            document=f"{record['document']} " if "document" in record else "",
            number=record["number"],
            role=Phrase("leads" if record["role"] == "lead" else "involved"),
            due=record["due"],
        )
        for record in falling_due
    ]


def _leads_and_involved(rows: list[tuple[Any, ...]]) -> Record:
    """The numbers of the measures `rows` (of _PROFILE) lead and list the unit in."""
    return {"leads": [row[1] for row in rows if row[4] == "lead"], "involved": [row[1] for row in rows]}


def _per_document(rows: list[tuple[Any, ...]]) -> Record:
    """For a catalogue of several documents: the leads and listings in each document that lists the unit."""
    documents: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        documents.setdefault(row[0], []).append(row)
    return {"documents": [{"document": document, **_leads_and_involved(listed)} for document, listed in documents.items()]}


def lineage_lines(name: str, steps: list[Record]) -> list[str]:
    """The lineage as people read it: the document's name, then each body that took over, since
    when, on whose word."""
    if not steps:
        return [Phrase("{name}: no change recorded", name=name)]
    chain = [Phrase(" → {name} since {since}", name=step["name"], since=step["since"] or Phrase("a date not known")) for step in steps]
    lines: list[str] = [Phrase("{name}{chain}", name=name, chain=chain)]
    lines += [Phrase("  {name}: {source}", name=step["name"], source=step["source"]) for step in steps]
    return lines
