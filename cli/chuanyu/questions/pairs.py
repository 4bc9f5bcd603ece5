"""Counterpart pairs: declared in agencies.yaml, or observed in the measures."""

from __future__ import annotations

import json
import sqlite3

from ..result import Column, Record, Result
from .common import NO_FILTERS, Filters, _by_measure, _chosen, _limited, _numbers, _sides, _tuples, _unit, _units, shown
from .documents import per_document

#: The measures listing each unit (their ids), gathered by SQLite from an index alone: a
#: million listings at 100k measures would take a second as Python rows.
_UNIT_MEASURES = """
SELECT agency, json_group_array(measure) FROM responsibilities
WHERE :measures IS NULL OR measure IN (SELECT value FROM json_each(:measures))
GROUP BY agency
"""


def pairs(conn: sqlite3.Connection, agency_id: str | None = None, filters: Filters = NO_FILTERS, limit: int | None = None) -> Result:
    """`_pairs` in each document (several: a pair's records a document each); with `limit`,
    the first that many."""
    return _first(per_document(conn, lambda chosen: _pairs(chosen, agency_id, filters)), limit)


def observed_pairs(
    conn: sqlite3.Connection, agency_id: str | None = None, filters: Filters = NO_FILTERS, limit: int | None = None
) -> Result:
    """`_observed_pairs` in each document (several: a pair's records a document each); with
    `limit`, the first that many."""
    return _first(per_document(conn, lambda chosen: _observed_pairs(chosen, agency_id, filters)), limit)


def _first(result: Result, limit: int | None) -> Result:
    """`result`, its first `limit` records (pairs are ordered by how many measures they share,
    so known only once every listing is read: a limit shortens what is written, not what is read)."""
    limited = _limited(result.records, limit)
    return result.but(records=limited, limited=limited)


def _pairs(conn: sqlite3.Connection, agency_id: str | None, filters: Filters) -> Result:
    """Each counterpart pair with the measures listing both, only the Chongqing unit, only the
    Sichuan unit; then the units with no counterpart, the other side empty. The joint body,
    of neither province, is left out. With filters: within the measures that pass them, and
    for a province, the pairs with a unit of it."""
    numbers = dict(_tuples(conn, "SELECT id, number FROM measures", {}).fetchall())
    listed = {
        unit_id: [numbers[measure] for measure in json.loads(measures)]
        for unit_id, measures in _tuples(conn, _UNIT_MEASURES, {"measures": _chosen(conn, filters)})
    }
    units = {unit_id: unit for unit_id, unit in _units(conn).items() if unit_id in listed}
    records: list[Record] = []
    for unit in units.values():
        if unit["province"] == "sichuan" and unit["counterpart"] in units:
            continue  # met from its Chongqing side
        if unit["province"] is None:
            continue
        other = units.get(unit["counterpart"]) if unit["counterpart"] else None
        chongqing, sichuan = (unit, other) if unit["province"] == "chongqing" else (other, unit)
        cq = set(listed[chongqing["id"]]) if chongqing else set()
        sc = set(listed[sichuan["id"]]) if sichuan else set()
        records.append(
            {
                "chongqing": _unit(chongqing, "id", "name"),
                "sichuan": _unit(sichuan, "id", "name"),
                "shared": sorted(cq & sc),
                "chongqing_only": sorted(cq - sc),
                "sichuan_only": sorted(sc - cq),
            }
        )
    if agency_id is not None:
        records = [r for r in records if agency_id in {(r["chongqing"] or {}).get("id"), (r["sichuan"] or {}).get("id")}]
    if filters.province is not None:
        records = [r for r in records if r[filters.province] is not None]
    records.sort(key=lambda r: (r["chongqing"] is None or r["sichuan"] is None, -len(r["shared"]), *_sides(r)))
    columns = [
        Column("chongqing", "chongqing", lambda r: _sides(r)[0]),
        Column("sichuan", "sichuan", lambda r: _sides(r)[1]),
        Column("shared", "shared", lambda r: _numbers(r["shared"])),
        Column("chongqing_only", "chongqing only", lambda r: _numbers(r["chongqing_only"])),
        Column("sichuan_only", "sichuan only", lambda r: _numbers(r["sichuan_only"])),
    ]
    return Result(columns, records)


def _observed_pairs(conn: sqlite3.Connection, agency_id: str | None, filters: Filters) -> Result:
    """Every Chongqing × Sichuan pair of units listed together in some measure: who actually
    works with whom, with how often and where, and whether they are declared counterparts.
    Read a measure at a time: as a join in SQLite, 2.5 million pairings at 100k measures."""
    units = _units(conn)
    together: dict[tuple[str, str], list[int]] = {}
    for _, measure, rows in _by_measure(conn, filters):
        listed = [units[unit_id] for _, unit_id, _ in rows]
        for chongqing in (unit["id"] for unit in listed if unit["province"] == "chongqing"):
            for sichuan in (unit["id"] for unit in listed if unit["province"] == "sichuan"):
                together.setdefault((chongqing, sichuan), []).append(measure)
    records = [
        {
            "chongqing": {"id": chongqing, "name": units[chongqing]["name"]},
            "sichuan": {"id": sichuan, "name": units[sichuan]["name"]},
            "count": len(measures),
            "measures": measures,
            "counterparts": units[chongqing]["counterpart"] == sichuan,
        }
        for (chongqing, sichuan), measures in together.items()
        if agency_id is None or agency_id in (chongqing, sichuan)
    ]
    ordered = sorted(records, key=lambda r: (-r["count"], r["chongqing"]["id"], r["sichuan"]["id"]))
    columns = [
        Column("chongqing", "chongqing", lambda r: shown(r["chongqing"])),
        Column("sichuan", "sichuan", lambda r: shown(r["sichuan"])),
        Column("count", "count", numeric=True),
        Column("counterparts", "counterparts", lambda r: "yes" if r["counterparts"] else "", atomic=True, labels=True),
        Column("measures", "measures", lambda r: _numbers(r["measures"])),
    ]
    return Result(columns, ordered)
