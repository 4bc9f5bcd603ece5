"""Counterpart pairs: declared in agencies.yaml, or observed in the measures."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from array import array
from collections.abc import Iterator

from ..result import Column, Record, Result
from .common import NO_FILTERS, Filters, _by_measure, _chosen, _limited, _numbers, _sides, _tuples, _unit, _units, display_name
from .documents import per_document

#: The measures listing each unit (their ids), gathered by SQLite from an index alone: a
#: million listings at 100k measures would take a second as Python rows.
_UNIT_MEASURES = """
SELECT agency, json_group_array(measure) FROM responsibilities
WHERE :measures IS NULL OR measure IN (SELECT value FROM json_each(:measures))
GROUP BY agency
"""


#: A document's pairs as the build stored them (`store`), in their order, of the one or every
#: unit: the documents table is the one --document and `per_document` let the question see.
_STORED_PAIRS = """
SELECT chongqing, sichuan, shared, chongqing_only, sichuan_only FROM counterpart_pairs
WHERE document IN (SELECT id FROM documents) AND (:agency IS NULL OR :agency IN (chongqing, sichuan))
ORDER BY document, position
"""
_STORED_OBSERVED = """
SELECT chongqing, sichuan, measures FROM observed_pairs
WHERE document IN (SELECT id FROM documents) AND (:agency IS NULL OR :agency IN (chongqing, sichuan))
ORDER BY document, position
"""


def pairs(conn: sqlite3.Connection, agency_id: str | None = None, filters: Filters = NO_FILTERS, limit: int | None = None) -> Result:
    """`_pairs` in each document (several: a pair's records a document each), without filters
    as the build stored it; with `limit`, the first that many."""
    question = _stored_pairs if filters == NO_FILTERS else lambda chosen, agency: _pairs(chosen, agency, filters)
    return _first(per_document(conn, lambda chosen: question(chosen, agency_id)), limit)


def observed_pairs(
    conn: sqlite3.Connection, agency_id: str | None = None, filters: Filters = NO_FILTERS, limit: int | None = None
) -> Result:
    """`_observed_pairs` in each document (several: a pair's records a document each), without
    filters as the build stored it; with `limit`, the first that many."""
    question = _stored_observed if filters == NO_FILTERS else lambda chosen, agency: _observed_pairs(chosen, agency, filters)
    return _first(per_document(conn, lambda chosen: question(chosen, agency_id)), limit)


def store(conn: sqlite3.Connection) -> None:
    """Both questions' answers without filters, each document's, into counterpart_pairs and
    observed_pairs, as the build writes the rest: ordered by measures shared, a pair is known
    only once every listing is read (at 100k measures, 1.8 s), so it is read once, here, and a
    question gives its first pair at once. `conn`'s rows: sqlite3.Row, as the questions read."""
    from .documents import restrict

    documents = [row[0] for row in conn.execute("SELECT id FROM documents ORDER BY id")]
    for document in documents:
        restrict(conn, [document] if len(documents) > 1 else None)
        declared = _pairs(conn, None, NO_FILTERS).records
        conn.executemany(
            "INSERT INTO counterpart_pairs VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    document,
                    position,
                    r["chongqing"] and r["chongqing"]["id"],
                    r["sichuan"] and r["sichuan"]["id"],
                    *(json.dumps(r[key]) for key in ("shared", "chongqing_only", "sichuan_only")),
                )
                for position, r in enumerate(declared, start=1)
            ),
        )
        observed = _observed_pairs(conn, None, NO_FILTERS).records
        conn.executemany(
            "INSERT INTO observed_pairs VALUES (?, ?, ?, ?, ?, ?)",
            (
                (document, position, r["chongqing"]["id"], r["sichuan"]["id"], r["count"], json.dumps(r["measures"]))
                for position, r in enumerate(observed, start=1)
            ),
        )
    restrict(conn, None)


def _stored_pairs(conn: sqlite3.Connection, agency_id: str | None) -> Result:
    """`_pairs` without filters, as `store` kept it."""
    units = _units(conn)

    def records() -> Iterator[Record]:
        for chongqing, sichuan, shared, chongqing_only, sichuan_only in _tuples(conn, _STORED_PAIRS, {"agency": agency_id}):
            yield {
                "chongqing": _unit(units[chongqing], "id", "name") if chongqing else None,
                "sichuan": _unit(units[sichuan], "id", "name") if sichuan else None,
                "shared": json.loads(shared),
                "chongqing_only": json.loads(chongqing_only),
                "sichuan_only": json.loads(sichuan_only),
            }

    return Result(list(_PAIR_COLUMNS), records())


def _stored_observed(conn: sqlite3.Connection, agency_id: str | None) -> Result:
    """`_observed_pairs` without filters, as `store` kept it."""
    units = _units(conn)

    def records() -> Iterator[Record]:
        for chongqing, sichuan, measures in _tuples(conn, _STORED_OBSERVED, {"agency": agency_id}):
            numbers = json.loads(measures)
            yield {
                "chongqing": {"id": chongqing, "name": units[chongqing]["name"]},
                "sichuan": {"id": sichuan, "name": units[sichuan]["name"]},
                "count": len(numbers),
                "measures": numbers,
                "counterparts": units[chongqing]["counterpart"] == sichuan,
            }

    return Result(list(_OBSERVED_COLUMNS), records())


def _first(result: Result, limit: int | None) -> Result:
    """`result`, its first `limit` records (pairs are ordered by how many measures they share,
    so known only once every listing is read: a limit shortens what is written, not what is read)."""
    limited = _limited(result.records, limit)
    return dataclasses.replace(result, records=limited, limited=limited)


def _pairs(conn: sqlite3.Connection, agency_id: str | None, filters: Filters) -> Result:
    """Each counterpart pair with the measures listing both, only the Chongqing unit, only the
    Sichuan unit; then the units with no counterpart, the other side empty. The joint body,
    of neither province, is left out. With filters: within the measures that pass them, and
    for a province, the pairs with a unit of it. Each unit's measures are held as an array of
    numbers, and a pair's record made as it is written (at 100k measures, a million numbers)."""
    numbers = dict(_tuples(conn, "SELECT id, number FROM measures", {}).fetchall())
    listed = {
        unit_id: array("q", sorted(numbers[measure] for measure in json.loads(measures)))
        for unit_id, measures in _tuples(conn, _UNIT_MEASURES, {"measures": _chosen(conn, filters)})
    }
    units = {unit_id: unit for unit_id, unit in _units(conn).items() if unit_id in listed}
    chosen = []
    for unit in units.values():
        if unit["province"] == "sichuan" and unit["counterpart"] in units:
            continue  # met from its Chongqing side
        if unit["province"] is None:
            continue
        other = units.get(unit["counterpart"]) if unit["counterpart"] else None
        sides = (_unit(unit, "id", "name"), _unit(other, "id", "name"))
        chongqing, sichuan = sides if unit["province"] == "chongqing" else sides[::-1]
        record = {"chongqing": chongqing, "sichuan": sichuan}
        if agency_id is not None and agency_id not in {(chongqing or {}).get("id"), (sichuan or {}).get("id")}:
            continue
        if filters.province is not None and record[filters.province] is None:
            continue
        shared = len(_measures(listed, chongqing).intersection(_measures(listed, sichuan)))
        chosen.append(((chongqing is None or sichuan is None, -shared, *_sides(record)), record))
    chosen.sort(key=lambda keyed: keyed[0])

    def records() -> Iterator[Record]:
        for _, record in chosen:
            cq, sc = _measures(listed, record["chongqing"]), _measures(listed, record["sichuan"])
            yield record | {"shared": sorted(cq & sc), "chongqing_only": sorted(cq - sc), "sichuan_only": sorted(sc - cq)}

    return Result(list(_PAIR_COLUMNS), records())


_PAIR_COLUMNS = [
    Column("chongqing", "chongqing", lambda r: _sides(r)[0]),
    Column("sichuan", "sichuan", lambda r: _sides(r)[1]),
    Column("shared", "shared", lambda r: _numbers(r["shared"])),
    Column("chongqing_only", "chongqing only", lambda r: _numbers(r["chongqing_only"])),
    Column("sichuan_only", "sichuan only", lambda r: _numbers(r["sichuan_only"])),
]


def _measures(listed: dict[str, array[int]], unit: Record | None) -> set[int]:
    """The numbers of the measures listing `unit` (none for no unit)."""
    return set(listed[unit["id"]]) if unit else set()


def _observed_pairs(conn: sqlite3.Connection, agency_id: str | None, filters: Filters) -> Result:
    """Every Chongqing × Sichuan pair of units listed together in some measure: who actually
    works with whom, with how often and where, and whether they are declared counterparts.
    Read a measure at a time: as a join in SQLite, 2.5 million pairings at 100k measures."""
    units = _units(conn)
    together: dict[tuple[str, str], array[int]] = {}  # a pair's measures: at 100k, 2.5 million numbers
    for _, measure, rows in _by_measure(conn, filters):
        listed = [units[unit_id] for _, unit_id, _ in rows]
        for chongqing in (unit["id"] for unit in listed if unit["province"] == "chongqing"):
            for sichuan in (unit["id"] for unit in listed if unit["province"] == "sichuan"):
                together.setdefault((chongqing, sichuan), array("q")).append(measure)
    # the pairs' order needs only how many measures each has; a pair's record is made as it is
    # written, its array of numbers let go
    chosen = sorted((-len(measures), chongqing, sichuan) for (chongqing, sichuan), measures in together.items())

    def records() -> Iterator[Record]:
        for _, chongqing, sichuan in chosen:
            measures = together.pop((chongqing, sichuan))
            if agency_id is None or agency_id in (chongqing, sichuan):
                yield {
                    "chongqing": {"id": chongqing, "name": units[chongqing]["name"]},
                    "sichuan": {"id": sichuan, "name": units[sichuan]["name"]},
                    "count": len(measures),
                    "measures": measures.tolist(),
                    "counterparts": units[chongqing]["counterpart"] == sichuan,
                }

    return Result(list(_OBSERVED_COLUMNS), records())


_OBSERVED_COLUMNS = [
    Column("chongqing", "chongqing", lambda r: display_name(r["chongqing"])),
    Column("sichuan", "sichuan", lambda r: display_name(r["sichuan"])),
    Column("count", "count", numeric=True),
    Column("counterparts", "counterparts", lambda r: "yes" if r["counterparts"] else "", atomic=True, labels=True),
    Column("measures", "measures", lambda r: _numbers(r["measures"])),
]
