"""Where the two provinces' assignments do not match."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Iterator

from ..result import Column, Record, Result
from ..terms import Label, Phrase
from .common import NO_FILTERS, Filters, _by_measure, _limited, _units, display_name, in_document, several_documents, with_documents

#: The kinds of gap, in the order findings about one measure are listed.
GAP_KINDS = ("missing-counterpart", "unpaired-agency", "lead-mismatch", "joint-only")


def gaps(conn: sqlite3.Connection, kind: str | None = None, filters: Filters = NO_FILTERS, limit: int | None = None) -> Result:
    """Where the two provinces' assignments do not match, one record per finding:
    `missing-counterpart`, a unit listed whose counterpart is not listed in that measure;
    `unpaired-agency`, a listed unit with no counterpart at all; `lead-mismatch`, the two
    leads are not counterparts (agency: the Chongqing lead, counterpart: the Sichuan lead);
    `joint-only`, a measure with no province list. With filters: within the measures that pass
    them, and for a province, the findings about its units. With `limit`, the first that many."""
    counts = dict.fromkeys(GAP_KINDS, 0)

    def counted(findings: Iterable[Record]) -> Iterator[Record]:
        for finding in findings:
            counts[finding["kind"]] += 1
            yield finding

    limited = _limited(_findings(conn, kind, filters), limit)
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
    return Result(
        columns,
        counted(limited),
        after=lambda: [Phrase("{kind}: {count}", kind=Label(k), count=counts[k]) for k in summary],
        limited=limited,
    )


def _findings(conn: sqlite3.Connection, kind: str | None, filters: Filters) -> Iterator[Record]:
    """The gaps' findings a measure at a time, in the document's order, and within a measure
    by kind (`GAP_KINDS`), then as the document lists the units."""
    agencies = _units(conn)
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
                yield in_document(document, finding, several)
