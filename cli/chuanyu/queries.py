"""The questions chuanyu answers, each a function from a read-only connection to a Result."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import sqlite3
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import NoSuchMeasure
from .names import Directory
from .result import Column, Record, Result

GROUPS = ("chongqing", "sichuan", "local", "joint")


def directory(conn: sqlite3.Connection) -> Directory:
    """Every agency's names, for resolving what people type."""
    agencies = conn.execute("SELECT id, name, full_name FROM agencies ORDER BY id").fetchall()
    aliases = conn.execute("SELECT agency, alias FROM aliases ORDER BY agency, position").fetchall()
    return Directory.of((tuple(row) for row in agencies), (tuple(row) for row in aliases))  # type: ignore[misc]


def shown(unit: Record | None) -> str:
    """A unit's name as tables and pictures show it: with --as-of, the body that held its
    function then, the document's name beside it (原: formerly)."""
    if unit is None:
        return ""
    current = unit.get("current")
    return f"{current['name']}（原：{unit['name']}）" if current else str(unit["name"])


def _names(*groups: str) -> Callable[[Record], list[str]]:
    """The names of a measure's units in these groups, in the document's order."""
    return lambda record: [shown(unit) for group in groups for unit in record["responsible"][group]]


MEASURE_COLUMNS = [
    Column("number", "measure", numeric=True),
    Column("chapter", "chapter", numeric=True, spare=True),
    Column("section", "section", numeric=True, spare=True),
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


@dataclass(frozen=True)
class Filters:
    """The filters `measures` takes, and every question built on a set of measures.

    `agencies`: ids that must all be listed; `lead`: an id that must lead; `province`: only
    measures listing a unit of that province, showing only that province's units.
    """

    chapter: int | None = None
    section: int | None = None
    agencies: tuple[str, ...] = ()
    lead: str | None = None
    province: str | None = None


#: No filter: every measure, every unit.
NO_FILTERS = Filters()


def _passing(conn: sqlite3.Connection, filters: Filters, number: int | None = None, limit: int | None = None) -> list[sqlite3.Row]:
    """The measures that pass `filters` (and have `number`, if given), in the document's order;
    the first `limit` of them, if given."""
    return conn.execute(
        _MEASURES,
        {
            "chapter": filters.chapter,
            "section": filters.section,
            "number": number,
            "agencies": json.dumps(list(filters.agencies)),
            "lead": filters.lead,
            "province": filters.province,
            "limit": -1 if limit is None else limit,
        },
    ).fetchall()


def _measure_records(
    conn: sqlite3.Connection, filters: Filters, number: int | None = None, titles: bool = False, limit: int | None = None
) -> list[Record]:
    rows = _passing(conn, filters, number, limit)
    responsible: dict[int, dict[str, list[dict[str, str]]]] = {row["id"]: {g: [] for g in GROUPS} for row in rows}
    every = filters == NO_FILTERS and number is None and limit is None  # then read in one pass, unsorted
    sql, chosen = (_RESPONSIBLE_ALL, None) if every else (_RESPONSIBLE, json.dumps(list(responsible)))
    for measure, group, unit_id, name in _tuples(conn, sql, {"measures": chosen, "province": filters.province}):
        responsible[measure][group].append({"id": unit_id, "name": name})
    records = []
    for row in rows:
        record: Record = {"number": row["number"], "chapter": row["chapter"], "section": row["section"]}
        if titles:
            record |= {"chapter_title": row["chapter_title"], "section_title": row["section_title"]}
        record |= {"text": row["text"], "responsible": responsible[row["id"]]}
        records.append(record)
    return records


def measures(conn: sqlite3.Connection, filters: Filters = NO_FILTERS, limit: int | None = None) -> Result:
    """The measures that pass every filter given, in the document's order; with `limit`, the
    first that many."""
    records, more = _first(_measure_records(conn, filters, limit=None if limit is None else limit + 1), limit)
    return Result(MEASURE_COLUMNS, records, more=more)


def _first(records: Iterable[Record], limit: int | None) -> tuple[list[Record], bool]:
    """The first `limit` records (all of them for None), and whether more followed: taken
    from an iterator, a question that finds its records in order stops at the one after."""
    if limit is None:
        return list(records), False
    if limit >= sys.maxsize:  # as SQLite takes no such number, with which `measures` asks
        raise OverflowError(limit)
    taken = list(itertools.islice(records, limit + 1))
    return taken[:limit], len(taken) > limit


def _tuples(conn: sqlite3.Connection, sql: str, parameters: dict[str, Any]) -> sqlite3.Cursor:
    """The rows of `sql` as plain tuples: for the questions that read a row per listing, where
    a lookup by name would cost a second for a million rows."""
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor.execute(sql, parameters)


def measure(conn: sqlite3.Connection, number: int) -> Result:
    """One measure with its text and its chapter and section titles."""
    records = _measure_records(conn, NO_FILTERS, number=number, titles=True)
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


def names_by_id(conn: sqlite3.Connection) -> dict[str, str]:
    """Every agency's name, by id, in id order."""
    return dict(conn.execute("SELECT id, name FROM agencies ORDER BY id").fetchall())


def agencies(conn: sqlite3.Connection, province: str | None = None) -> Result:
    """Every agency (of one province, if given): Chongqing, Sichuan, then the joint body; within
    each, the most leads and listings first."""
    names = names_by_id(conn)
    # a table is for people: names, which fold where Chinese text may; the other formats keep ids
    columns = [
        Column("id", "id", on_terminal=False),
        Column("name", "name"),
        Column("province", "province", atomic=True),
        Column("level", "level", atomic=True, spare=True),
        Column("counterpart", "counterpart", lambda r: names.get(r["counterpart"])),
        Column("leads", "leads", numeric=True),
        Column("involved", "involved", numeric=True),
    ]
    return Result(columns, _agency_records(conn, province))


def _numbers(values: Sequence[int]) -> str:
    return ", ".join(map(str, values))


_PROFILE = """
SELECT m.number, c.number AS chapter, c.title AS chapter_title, r.role,
       (SELECT other.role FROM responsibilities other
        WHERE other.measure = m.id AND other.agency = :counterpart) AS counterpart_role
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
    chapters: dict[int, Record] = {}
    for number, chapter_number, chapter_title, role, counterpart_role in rows:
        chapter = chapters.setdefault(
            chapter_number,
            {
                "chapter": chapter_number,
                "title": chapter_title,
                "leads": [],
                "co": [],
                "with_counterpart": [],
                "without_counterpart": [],
            },
        )
        chapter["leads" if role == "lead" else "co"].append(number)
        chapter["with_counterpart" if counterpart_role else "without_counterpart"].append(number)
    for chapter in chapters.values():
        chapter["listings"] = len(chapter["leads"]) + len(chapter["co"])
    columns = [
        Column("chapter", "chapter", numeric=True),
        Column("title", "title", on_terminal=False),
        Column("listings", "listings", numeric=True),
        Column("leads", "leads", lambda r: _numbers(r["leads"])),
        Column("co", "co-listed", lambda r: _numbers(r["co"])),
        Column("with_counterpart", "with counterpart", lambda r: _numbers(r["with_counterpart"])),
        Column("without_counterpart", "without counterpart", lambda r: _numbers(r["without_counterpart"])),
    ]
    other = f"counterpart {counterpart['name']} ({counterpart['id']})" if counterpart else "no counterpart"
    title = (
        f"{record['name']} ({record['id']}) · {record['province'] or 'joint'} · {record['level']} · "
        f"leads {record['leads']} · listed in {record['involved']} · {other}"
    )
    steps = Lineage(conn).chain(agency_id)
    document = {
        "agency": record,
        "counterpart": counterpart,
        "leads": [number for number, _, _, role, _ in rows if role == "lead"],
        "involved": [number for number, *_ in rows],
        "lineage": steps,
    }
    return Result(columns, list(chapters.values()), document=document, title=title, footer=lineage_lines(record["name"], steps))


def lineage_lines(name: str, steps: list[Record]) -> list[str]:
    """The lineage as people read it: the document's name, then each body that took over, since
    when, on whose word."""
    if not steps:
        return [f"{name}: no change recorded"]
    lines = [name + "".join(f" → {step['name']} since {step['since'] or 'a date not known'}" for step in steps)]
    lines += [f"  {step['name']}: {step['source']}" for step in steps]
    return lines


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


def _unit(row: sqlite3.Row | None, *keys: str) -> Record | None:
    return {key: row[key] for key in keys} if row is not None else None


def _sides(row: Record) -> tuple[str, str]:
    return shown(row["chongqing"]), shown(row["sichuan"])


#: Each listing's measure, group, unit and role, without the joins to units and chapters: what
#: gaps and observed pairs need of the listings. In rowid order, the document's (see `db._fill`).
_LISTED = """
SELECT m.number, r.grp, r.agency, r.role FROM responsibilities r JOIN measures m ON m.id = r.measure
WHERE :measures IS NULL OR m.id IN (SELECT value FROM json_each(:measures))
ORDER BY r.rowid
"""


def _by_measure(conn: sqlite3.Connection, filters: Filters) -> Iterator[tuple[int, list[tuple[str, str, str]]]]:
    """(measure number, its listings as (group, unit id, role)) for the measures that pass
    `filters`, a measure at a time in the document's order."""
    for measure, rows in itertools.groupby(_tuples(conn, _LISTED, {"measures": _chosen(conn, filters)}), key=lambda row: row[0]):
        yield measure, [(group, unit_id, role) for _, group, unit_id, role in rows]


def _units(conn: sqlite3.Connection) -> dict[str, sqlite3.Row]:
    """Every unit by id, with what the pairing questions need of it, in order of id."""
    return {row["id"]: row for row in conn.execute("SELECT id, name, province, counterpart FROM agencies ORDER BY id")}


#: The measures listing each unit (their ids), gathered by SQLite from an index alone: a
#: million listings at 100k measures would take a second as Python rows.
_UNIT_MEASURES = """
SELECT agency, json_group_array(measure) FROM responsibilities
WHERE :measures IS NULL OR measure IN (SELECT value FROM json_each(:measures))
GROUP BY agency
"""


def pairs(conn: sqlite3.Connection, agency_id: str | None = None, filters: Filters = NO_FILTERS) -> Result:
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


def _chosen(conn: sqlite3.Connection, filters: Filters) -> str | None:
    """The ids of the measures that pass `filters`, as JSON for json_each; None for all."""
    return None if filters == NO_FILTERS else json.dumps([row["id"] for row in _passing(conn, filters)])


def observed_pairs(conn: sqlite3.Connection, agency_id: str | None = None, filters: Filters = NO_FILTERS) -> Result:
    """Every Chongqing × Sichuan pair of units listed together in some measure: who actually
    works with whom, with how often and where, and whether they are declared counterparts.
    Read a measure at a time: as a join in SQLite, 2.5 million pairings at 100k measures."""
    units = _units(conn)
    together: dict[tuple[str, str], list[int]] = {}
    for measure, rows in _by_measure(conn, filters):
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
        Column("counterparts", "counterparts", lambda r: "yes" if r["counterparts"] else "", atomic=True),
        Column("measures", "measures", lambda r: _numbers(r["measures"])),
    ]
    return Result(columns, ordered)


#: The kinds of gap, in the order findings about one measure are listed.
GAP_KINDS = ("missing-counterpart", "unpaired-agency", "lead-mismatch", "joint-only")


def gaps(conn: sqlite3.Connection, kind: str | None = None, filters: Filters = NO_FILTERS, limit: int | None = None) -> Result:
    """Where the two provinces' assignments do not match, one record per finding:
    `missing-counterpart`, a unit listed whose counterpart is not listed in that measure;
    `unpaired-agency`, a listed unit with no counterpart at all; `lead-mismatch`, the two
    leads are not counterparts (agency: the Chongqing lead, counterpart: the Sichuan lead);
    `joint-only`, a measure with no province list. With filters: within the measures that pass
    them, and for a province, the findings about its units. With `limit`, the first that many."""
    records, more = _first(_findings(conn, kind, filters), limit)
    columns = [
        Column("kind", "kind", atomic=True),
        Column("measure", "measure", numeric=True),
        Column("agency", "agency", lambda r: shown(r["agency"])),
        Column("counterpart", "counterpart", lambda r: shown(r["counterpart"])),
    ]
    summary = [f"{k}: {sum(r['kind'] == k for r in records)}" for k in GAP_KINDS if kind in (None, k)]
    return Result(columns, records, footer=summary, more=more)


def _findings(conn: sqlite3.Connection, kind: str | None, filters: Filters) -> Iterator[Record]:
    """The gaps' findings a measure at a time, in the document's order, and within a measure
    by kind (`GAP_KINDS`), then as the document lists the units."""
    agencies = _units(conn)
    units = {unit_id: {"id": unit_id, "name": a["name"], "province": a["province"]} for unit_id, a in agencies.items()}
    for measure, rows in _by_measure(conn, filters):
        listing = [(group, units[unit_id], agencies[unit_id]["counterpart"], role) for group, unit_id, role in rows]
        present = {unit["id"] for _, unit, _, _ in listing}
        found: dict[str, list[Record]] = {k: [] for k in GAP_KINDS}
        for _, unit, counterpart, _ in listing:
            if unit["province"] is None:
                continue
            if counterpart is None:
                found["unpaired-agency"].append({"kind": "unpaired-agency", "measure": measure, "agency": unit, "counterpart": None})
            elif counterpart not in present:
                found["missing-counterpart"].append(
                    {"kind": "missing-counterpart", "measure": measure, "agency": unit, "counterpart": units[counterpart]}
                )
        leads = {group: (unit, counterpart) for group, unit, counterpart, role in listing if role == "lead"}
        if "chongqing" in leads and "sichuan" in leads and leads["chongqing"][1] != leads["sichuan"][0]["id"]:
            found["lead-mismatch"].append(
                {"kind": "lead-mismatch", "measure": measure, "agency": leads["chongqing"][0], "counterpart": leads["sichuan"][0]}
            )
        if not any(group in ("chongqing", "sichuan") for group, _, _, _ in listing):
            found["joint-only"].append({"kind": "joint-only", "measure": measure, "agency": None, "counterpart": None})
        for finding in itertools.chain.from_iterable(found.values()):
            if (kind is None or finding["kind"] == kind) and (
                filters.province is None or (finding["agency"] or {}).get("province") == filters.province
            ):
                yield finding


#: Chongqing, Sichuan, then the joint body (of neither province): the order of every listing by province.
PROVINCE_ORDER = {"chongqing": 0, "sichuan": 1, None: 2}


def _in_province(row: sqlite3.Row, filters: Filters) -> bool:
    return filters.province is None or row["province"] == filters.province


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
        Column("province", "province", atomic=True),
        Column("level", "level", atomic=True),
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
        Column("name", "name", shown),
        Column("province", "province", atomic=True),
        Column("leads", "leads", numeric=True),
        Column("listings", "listings", numeric=True),
        *(Column(f"chapter_{n}", str(n), _in_chapter(i), numeric=True) for i, n in enumerate(chapters)),
    ]
    return Result(columns, records)


#: Characters either side of a match in a search snippet; matches are marked 【thus】.
SNIPPET_CONTEXT = 24

_SEARCH_FTS = """
SELECT t.kind, t.chapter, t.section, t.number, t.text
FROM texts_fts JOIN texts t ON t.id = texts_fts.rowid
WHERE texts_fts MATCH :trigrams
ORDER BY texts_fts.rowid
"""
_SEARCH_SCAN = """
SELECT kind, chapter, section, number, text FROM texts
WHERE text LIKE :pattern ESCAPE '\\'
ORDER BY id
"""


def _candidates(conn: sqlite3.Connection, text: str, scan: bool) -> sqlite3.Cursor:
    """Texts that may contain `text`, in the document's order (rowid order, see `db._fill`):
    those holding all of its trigrams, from the trigram index, for three characters or more (it
    holds no shorter token), else from a scan of the base table."""
    if len(text) >= 3 and not scan and "\x00" not in text:  # FTS5 takes no NUL in a query
        trigrams = dict.fromkeys(text[i : i + 3] for i in range(len(text) - 2))
        query = " AND ".join('"' + trigram.replace('"', '""') + '"' for trigram in trigrams)
        return conn.execute(_SEARCH_FTS, {"trigrams": query})
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return conn.execute(_SEARCH_SCAN, {"pattern": pattern})


def _snippet(text: str, match: re.Match[str]) -> str:
    start, end = max(match.start() - SNIPPET_CONTEXT, 0), min(match.end() + SNIPPET_CONTEXT, len(text))
    return (
        ("…" if start else "")
        + text[start : match.start()]
        + f"【{match.group(0)}】"
        + text[match.end() : end]
        + ("…" if end < len(text) else "")
    )


def search(conn: sqlite3.Connection, text: str, filters: Filters = NO_FILTERS, scan: bool = False, limit: int | None = None) -> Result:
    """Measures, chapter titles and section titles containing `text` (Latin letters in any case),
    in the document's order, each with a snippet around the first match. With filters, only
    measures that pass them, and the titles of the chapters and sections holding those. With
    `limit`, the first that many."""
    records, more = _first(_matches(conn, text, filters, scan), limit)
    columns = [
        Column("kind", "kind", atomic=True),
        Column("number", "number", numeric=True),
        Column("chapter", "chapter", numeric=True),
        Column("section", "section", numeric=True),
        Column("snippet", "snippet", highlight=True),
    ]
    return Result(columns, records, more=more)


def _matches(conn: sqlite3.Connection, text: str, filters: Filters, scan: bool) -> Iterator[Record]:
    """Search's records as the texts holding `text` are read, in the document's order."""
    wanted = re.compile(re.escape(text), re.IGNORECASE | re.ASCII)
    allowed: dict[str, set[int]] | None = None  # without filters, every text
    if filters != NO_FILTERS:
        passing = _passing(conn, filters)
        allowed = {
            "measure": {row["number"] for row in passing},
            "section": {row["section"] for row in passing},
            "chapter": {row["chapter"] for row in passing},
        }
    for row in _candidates(conn, text, scan):
        match = wanted.search(row["text"])
        if match and (allowed is None or row["number"] in allowed[row["kind"]]):
            yield {
                "kind": row["kind"],
                "number": row["number"],
                "chapter": row["chapter"],
                "section": row["section"],
                "snippet": _snippet(row["text"], match),
            }


_STATS = {
    "total": """
        SELECT 'chapters' AS key, '' AS label, count(*) AS value FROM chapters
        UNION ALL SELECT 'sections', '', count(*) FROM sections
        UNION ALL SELECT 'measures', '', count(*) FROM measures
        UNION ALL SELECT 'listings', '', count(*) FROM responsibilities
        UNION ALL SELECT 'agencies', '', count(*) FROM agencies""",
    "measures per chapter": """
        SELECT c.number AS key, c.title AS label, count(m.id) AS value
        FROM chapters c LEFT JOIN measures m ON m.chapter = c.id GROUP BY c.id ORDER BY c.document, c.number""",
    "listings per province and level": """
        SELECT coalesce(a.province, 'joint') AS key, a.level AS label, count(*) AS value
        FROM responsibilities r JOIN agencies a ON a.id = r.agency
        GROUP BY a.province, a.level ORDER BY value DESC, key, label""",
    "most leads": """
        SELECT a.id AS key, a.name AS label, count(*) AS value
        FROM responsibilities r JOIN agencies a ON a.id = r.agency WHERE r.role = 'lead'
        GROUP BY a.id ORDER BY value DESC, key LIMIT :top""",
    "most listings": """
        SELECT a.id AS key, a.name AS label, count(*) AS value
        FROM responsibilities r JOIN agencies a ON a.id = r.agency
        GROUP BY a.id ORDER BY value DESC, key LIMIT :top""",
}


def stats(conn: sqlite3.Connection, top: int = 10) -> Result:
    """The catalogue in figures, one row per figure: totals, measures per chapter, listings per
    province and level, and the `top` agencies by leads and by listings."""
    records = [
        {"figure": figure, "key": row["key"], "label": row["label"], "value": row["value"]}
        for figure, sql in _STATS.items()
        for row in conn.execute(sql, {"top": top})
    ]
    columns = [
        Column("figure", "figure"),
        Column("key", "key", atomic=True),
        Column("label", "label"),
        Column("value", "value", numeric=True),
    ]
    return Result(columns, records)


# --- who holds it now ------------------------------------------------------------------------


class Lineage:
    """Who took over each unit's function, and when: the successions recorded with a source."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.names = names_by_id(conn)
        self.steps: dict[str, list[Record]] = {}
        self.predecessors: dict[str, list[str]] = {}
        for row in conn.execute("SELECT agency, successor, since, source, note FROM successions ORDER BY agency, position"):
            step = {
                "id": row["successor"],
                "name": self.names[row["successor"]],
                "since": row["since"],
                "source": row["source"],
                "note": row["note"],
            }
            self.steps.setdefault(row["agency"], []).append(step)
            self.predecessors.setdefault(row["successor"], []).append(row["agency"])

    def _listed(self, agency_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM responsibilities WHERE agency = ? LIMIT 1", (agency_id,)).fetchone() is not None

    def chain(self, agency_id: str) -> list[Record]:
        """The successive bodies that took over from `agency_id`, in order (empty: no change
        recorded). Where a unit was split, the first-listed successor is followed."""
        found: list[Record] = []
        seen = {agency_id}
        while (steps := self.steps.get(agency_id)) and steps[0]["id"] not in seen:
            found.append(steps[0])
            agency_id = steps[0]["id"]
            seen.add(agency_id)
        return found

    def current(self, agency_id: str, as_of: dt.date, today: dt.date) -> Record | None:
        """The body that held `agency_id`'s function on `as_of`, if another did: each change is
        followed from its date on; a change whose source gives no date, only from today on."""
        holder = None
        for step in self.chain(agency_id):
            since = dt.date.fromisoformat(step["since"]) if step["since"] else today
            if since > as_of:
                break
            holder = {key: step[key] for key in ("id", "name", "since", "source")}
        return holder

    def as_listed(self, agency_id: str) -> str:
        """The unit the document lists whose function `agency_id` took over (itself if listed,
        or if no listed unit leads to it)."""
        seen = set()
        while agency_id not in seen and len(self.predecessors.get(agency_id, [])) == 1 and not self._listed(agency_id):
            seen.add(agency_id)
            agency_id = self.predecessors[agency_id][0]
        return agency_id


def dated(result: Result, lineage: Lineage, as_of: dt.date, today: dt.date) -> Result:
    """`result` as of a date: every unit in it (a mapping with an agency's `id` and `name`)
    gains `current`, the body that held its function then (null for no change), and every
    record gains `as_of`. Existing keys are left as they are."""

    shown_holders: dict[str, Record] = {}

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
            if isinstance(value.get("id"), str) and "name" in value and value["id"] in lineage.names:
                value["current"] = lineage.current(value["id"], as_of, today)
                if value["current"]:
                    shown_holders[value["current"]["id"]] = value["current"]
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for record in [*result.records, *([result.document] if isinstance(result.document, dict) else [])]:
        walk(record)
        record["as_of"] = as_of.isoformat()
    result.footer += holder_sources(shown_holders.values(), as_of)
    return result


def holder_sources(holders: Collection[Record], as_of: dt.date) -> list[str]:
    """Where each body shown in place of a unit comes from: one line each, for tables."""
    if not holders:
        return [f"as of {as_of.isoformat()}: every unit as the document lists it (no change recorded by then)"]
    lines = [f"as of {as_of.isoformat()}; sources for the bodies shown in place of the document's units:"]
    lines += [f"  {h['name']} (since {h['since'] or 'a date not known'}): {h['source']}" for h in sorted(holders, key=lambda h: h["id"])]
    return lines
