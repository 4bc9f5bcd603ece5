"""Where the two provinces' assignments do not match."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..result import Column, Record, Result
from ..terms import Label, Phrase
from .common import NO_FILTERS, Filters, _by_measure, _limited, _units, display_name, in_document, several_documents, with_documents

#: The kinds of gap, in the order findings about one measure are listed.
GAP_KINDS = ("missing-counterpart", "unpaired-agency", "lead-mismatch", "joint-only")

#: How a line under `gaps` says why a unit has no counterpart (agencies.yaml's `no_counterpart.why`).
WHY_SAID = {
    "local-government": "a local government",
    "development-zone": "a development zone",
    "one-province-project": "a body of one province's own project",
    "leading-group": "a joint leading group",
}


@dataclass
class Structural:
    """A unit whose gaps are structural: why it has no counterpart, and the measures listing it."""

    unit: Record
    why: str
    measures: list[int] = field(default_factory=list)


def summed_up(structural: dict[str, Structural], finding: Record) -> None:
    """Count a structural `finding` in its unit's entry of `structural` (by unit id)."""
    unit = finding["agency"]
    structural.setdefault(unit["id"], Structural(unit, finding["why"])).measures.append(finding["measure"])


def structural_units(findings: Iterable[Record]) -> list[Structural]:
    """The units of the structural `findings`, each with why and its measures, as first met."""
    structural: dict[str, Structural] = {}
    for finding in findings:
        if finding["structural"]:
            summed_up(structural, finding)
    return list(structural.values())


def gaps(
    conn: sqlite3.Connection, kind: str | None = None, filters: Filters = NO_FILTERS, limit: int | None = None, every: bool = True
) -> Result:
    """Where the two provinces' assignments do not match, one record per finding:
    `missing-counterpart`, a unit listed whose counterpart is not listed in that measure;
    `unpaired-agency`, a listed unit with no counterpart at all; `lead-mismatch`, the two
    leads are not counterparts (agency: the Chongqing lead, counterpart: the Sichuan lead);
    `joint-only`, a measure with no province list. Each says whether it is `structural` (an
    unpaired unit the directory says has no counterpart by its nature, and `why`). Without
    `every`, only the actionable findings, and under them a line per structural unit with its
    count. With filters: within the measures that pass them, and for a province, the findings
    about its units. With `limit`, the first that many."""
    counts = dict.fromkeys(GAP_KINDS, 0)
    structural: dict[str, Structural] = {}

    def counted(findings: Iterable[Record]) -> Iterator[Record]:
        for finding in findings:
            counts[finding["kind"]] += 1
            yield finding

    def actionable(findings: Iterable[Record]) -> Iterator[Record]:
        for finding in findings:
            if finding["structural"]:
                summed_up(structural, finding)
            else:
                yield finding

    findings = _findings(conn, kind, filters)
    shown = findings if every else actionable(findings)
    limited = _limited(shown, limit)
    columns = with_documents(
        conn,
        [
            Column("kind", "kind", atomic=True, labels=True),
            Column("measure", "measure", numeric=True),
            Column("agency", "agency", lambda r: display_name(r["agency"])),
            Column("counterpart", "counterpart", lambda r: display_name(r["counterpart"])),
        ],
    )
    summary = [k for k in GAP_KINDS if kind in (None, k)]

    def closing() -> list[str]:
        lines: list[str] = [Phrase("{kind}: {count}", kind=Label(k), count=counts[k]) for k in summary]
        if every:
            return lines
        for _ in shown:  # past a limit: the rest read for the structural units' counts
            pass
        if structural:
            lines.append(Phrase("structural, no counterpart by nature (gaps --all lists each finding):"))
        lines += [
            Phrase(
                "{name} ({why}): {count}",
                name=display_name(unit.unit),
                count=len(unit.measures),
                why=Phrase(WHY_SAID[unit.why]),
            )
            for unit in structural.values()
        ]
        return lines

    return Result(columns, counted(limited), after=closing, limited=limited)


#: What a finding that is not structural says of it.
_ACTIONABLE = {"structural": False, "why": None}


def _findings(conn: sqlite3.Connection, kind: str | None, filters: Filters) -> Iterator[Record]:
    """The gaps' findings a measure at a time, in the document's order, and within a measure
    by kind (`GAP_KINDS`), then as the document lists the units."""
    agencies = _units(conn)
    reasons = dict(conn.execute("SELECT id, no_counterpart FROM agencies WHERE no_counterpart IS NOT NULL").fetchall())
    units = {unit_id: {"id": unit_id, "name": a["name"], "province": a["province"]} for unit_id, a in agencies.items()}
    several = several_documents(conn)
    for document, measure, rows in _by_measure(conn, filters):
        listing = [(group, units[unit_id], agencies[unit_id]["counterpart"], role) for group, unit_id, role in rows]
        present = {unit["id"] for _, unit, _, _ in listing}
        found: dict[str, list[Record]] = {k: [] for k in GAP_KINDS}
        for _, unit, counterpart, _ in listing:
            if unit["province"] is None:
                continue
            if counterpart is None:
                why = reasons.get(unit["id"])
                found["unpaired-agency"].append(
                    {
                        "kind": "unpaired-agency",
                        "measure": measure,
                        "agency": unit,
                        "counterpart": None,
                        "structural": why is not None,
                        "why": why,
                    }
                )
            elif counterpart not in present:
                found["missing-counterpart"].append(
                    {"kind": "missing-counterpart", "measure": measure, "agency": unit, "counterpart": units[counterpart], **_ACTIONABLE}
                )
        leads = {group: (unit, counterpart) for group, unit, counterpart, role in listing if role == "lead"}
        if "chongqing" in leads and "sichuan" in leads and leads["chongqing"][1] != leads["sichuan"][0]["id"]:
            found["lead-mismatch"].append(
                {
                    "kind": "lead-mismatch",
                    "measure": measure,
                    "agency": leads["chongqing"][0],
                    "counterpart": leads["sichuan"][0],
                    **_ACTIONABLE,
                }
            )
        if not any(group in ("chongqing", "sichuan") for group, _, _, _ in listing):
            found["joint-only"].append({"kind": "joint-only", "measure": measure, "agency": None, "counterpart": None, **_ACTIONABLE})
        for finding in itertools.chain.from_iterable(found.values()):
            if (kind is None or finding["kind"] == kind) and (
                filters.province is None or (finding["agency"] or {}).get("province") == filters.province
            ):
                yield in_document(document, finding, several)
