"""What falls due: the measures with a day to deliver by, by quarter and unit, for the briefing."""

from __future__ import annotations

import sqlite3

from ..due_dates import quarter
from ..result import Column, Record, Result
from .common import PROVINCE_ORDER, Filters, _chosen, _numbers

#: Each listing of a measure that names a day to fall due by, in order of that day.
_DATED_LISTINGS = """
SELECT m.number, m.due_by, r.role, a.id, a.name, a.province
FROM measures m
JOIN responsibilities r ON r.measure = m.id
JOIN agencies a ON a.id = r.agency
WHERE m.due_by IS NOT NULL AND (:measures IS NULL OR m.id IN (SELECT value FROM json_each(:measures)))
ORDER BY m.due_by, m.number, r.rowid
"""


def any_due(conn: sqlite3.Connection) -> bool:
    """Whether a measure of the catalogue names a day to fall due by."""
    return bool(conn.execute("SELECT EXISTS (SELECT 1 FROM measures WHERE due_by IS NOT NULL)").fetchone()[0])


def falling_due(conn: sqlite3.Connection, filters: Filters) -> Result:
    """A row per quarter and unit: the measures due in that quarter the unit leads, and those
    it takes part in otherwise; quarters in order, Chongqing's units, Sichuan's, then joint."""
    rows: dict[tuple[str, str], Record] = {}
    for number, due_by, role, unit_id, name, province in conn.execute(_DATED_LISTINGS, {"measures": _chosen(conn, filters)}):
        row = rows.setdefault(
            (quarter(due_by), unit_id),
            {"quarter": quarter(due_by), "agency": {"id": unit_id, "name": name}, "province": province, "leads": [], "co": []},
        )
        row["leads" if role == "lead" else "co"].append(number)
    ordered = sorted(rows.values(), key=lambda r: (r["quarter"], PROVINCE_ORDER[r["province"]], r["agency"]["id"]))
    columns = [
        Column("quarter", "quarter", atomic=True),
        Column("agency", "agency", lambda r: r["agency"]["name"]),
        Column("province", "province", lambda r: r["province"] or "joint", atomic=True, labels=True),
        Column("leads", "leads", lambda r: _numbers(r["leads"])),
        Column("co", "co-listed", lambda r: _numbers(r["co"])),
    ]
    return Result(columns, ordered)
