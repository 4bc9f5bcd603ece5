"""The briefing's overview tables: chapters, levels and each unit's workload."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from ..result import Column, Record, Result
from .common import NO_FILTERS, PROVINCE_ORDER, Filters, _chosen, _in_province, display_name

_LISTINGS = """
SELECT m.number AS measure, c.number AS chapter, r.grp, r.position, r.role,
       a.id, a.name, a.province, a.level, a.counterpart
FROM responsibilities r
JOIN measures m ON m.id = r.measure
JOIN chapters c ON c.id = m.chapter
JOIN agencies a ON a.id = r.agency
WHERE :measures IS NULL OR m.id IN (SELECT value FROM json_each(:measures))
ORDER BY r.rowid
"""


def listings(conn: sqlite3.Connection, filters: Filters) -> list[sqlite3.Row]:
    """Every listing in the measures that pass `filters`, in the document's order."""
    return conn.execute(_LISTINGS, {"measures": _chosen(conn, filters)}).fetchall()


def chapters_overview(conn: sqlite3.Connection, filters: Filters = NO_FILTERS) -> Result:
    """Per chapter: its title, its measures and their listings (of the filters' province)."""
    titles = {row["number"]: row["title"] for row in conn.execute("SELECT number, title FROM chapters ORDER BY number")}
    measures: dict[int, set[int]] = {number: set() for number in titles}
    counts = dict.fromkeys(titles, 0)
    for row in listings(conn, filters):
        measures[row["chapter"]].add(row["measure"])
        counts[row["chapter"]] += _in_province(row, filters)
    records = [{"chapter": n, "title": titles[n], "measures": len(measures[n]), "listings": counts[n]} for n in titles if measures[n]]
    columns = [
        Column("chapter", "chapter", numeric=True),
        Column("title", "title"),
        Column("measures", "measures", numeric=True),
        Column("listings", "listings", numeric=True),
    ]
    return Result(columns, records)


def levels_overview(conn: sqlite3.Connection, filters: Filters = NO_FILTERS) -> Result:
    """Per province and level of unit: how many units, their listings and their leads."""
    groups: dict[tuple[str | None, str], Record] = {}
    for row in listings(conn, filters):
        if not _in_province(row, filters):
            continue
        group = groups.setdefault(
            (row["province"], row["level"]),
            {"province": row["province"] or "joint", "level": row["level"], "units": set(), "listings": 0, "leads": 0},
        )
        group["units"].add(row["id"])
        group["listings"] += 1
        group["leads"] += row["role"] == "lead"
    records = [g | {"units": len(g["units"])} for g in groups.values()]
    records.sort(key=lambda r: (-r["listings"], r["province"], r["level"]))
    columns = [
        Column("province", "province", atomic=True, labels=True),
        Column("level", "level", atomic=True, labels=True),
        Column("units", "units", numeric=True),
        Column("listings", "listings", numeric=True),
        Column("leads", "leads", numeric=True),
    ]
    return Result(columns, records)


def _in_chapter(index: int) -> Callable[[Record], int | str]:
    """An agency's listings in one chapter, blank for none (a table reads faster so)."""
    return lambda record: record["by_chapter"][index] or ""


def workload(conn: sqlite3.Connection, filters: Filters = NO_FILTERS) -> Result:
    """Per agency: the measures it leads, its listings, and its listings in each chapter; most
    listings first within each province."""
    chapters = [row[0] for row in conn.execute("SELECT number FROM chapters ORDER BY number")]
    agencies: dict[str, Record] = {}
    for row in listings(conn, filters):
        if not _in_province(row, filters):
            continue
        record = agencies.setdefault(
            row["id"],
            {
                "id": row["id"],
                "name": row["name"],
                "province": row["province"],
                "level": row["level"],
                "leads": 0,
                "listings": 0,
                "by_chapter": dict.fromkeys(chapters, 0),
            },
        )
        record["leads"] += row["role"] == "lead"
        record["listings"] += 1
        record["by_chapter"][row["chapter"]] += 1
    records = sorted(agencies.values(), key=lambda r: (PROVINCE_ORDER[r["province"]], -r["listings"], -r["leads"], r["id"]))
    for record in records:
        record["by_chapter"] = [record["by_chapter"][n] for n in chapters]
    columns = [
        Column("id", "id", on_terminal=False),
        Column("name", "name", display_name),
        Column("province", "province", atomic=True, labels=True),
        Column("leads", "leads", numeric=True),
        Column("listings", "listings", numeric=True),
        *(Column(f"chapter_{n}", str(n), _in_chapter(i), numeric=True) for i, n in enumerate(chapters)),
    ]
    return Result(columns, records)
