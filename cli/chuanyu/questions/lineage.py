"""Who holds each unit's function now: the successions recorded with a source."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Collection
from typing import Any

from ..result import Record, Result
from ..terms import Phrase
from .common import names_by_id


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


def with_successors(result: Result, lineage: Lineage, as_of: dt.date, today: dt.date) -> Result:
    """`result` as of a date: every unit in it (a mapping with an agency's `id` and `name`)
    gains `current`, the body that held its function then (null for no change), and every
    record gains `as_of`, each as it is read. Existing keys are left as they are. Under a
    table, the sources of the bodies shown, once every record is read."""

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

    def when(record: Record) -> Record:
        walk(record)
        record["as_of"] = as_of.isoformat()
        return record

    if isinstance(result.document, dict):
        when(result.document)
    earlier = result.after
    return dataclasses.replace(
        result,
        records=map(when, result.records),
        after=lambda: [*(earlier() if earlier else []), *holder_sources(shown_holders.values(), as_of)],
    )


def holder_sources(holders: Collection[Record], as_of: dt.date) -> list[str]:
    """Where each body shown in place of a unit comes from: one line each, for tables."""
    if not holders:
        return [Phrase("as of {date}: every unit as the document lists it (no change recorded by then)", date=as_of.isoformat())]
    lines: list[str] = [Phrase("as of {date}; sources for the bodies shown in place of the document's units:", date=as_of.isoformat())]
    lines += [
        Phrase("  {name} (since {since}): {source}", name=h["name"], since=h["since"] or Phrase("a date not known"), source=h["source"])
        for h in sorted(holders, key=lambda h: h["id"])
    ]
    return lines
