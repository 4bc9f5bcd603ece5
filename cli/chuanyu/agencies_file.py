"""agencies.yaml: the directory of units every document names, with counterparts and successors."""

from __future__ import annotations

from pathlib import Path

from . import checks
from .errors import Problem
from .model import LEVELS, NO_COUNTERPART_REASONS, PROVINCES, Agency, NoCounterpart, Succession


def read_agencies(path: Path, display: str, problems: list[Problem]) -> tuple[dict[str, Agency], set[str]] | None:
    """The agencies by id, and the ids whose entries have problems (known by id, so that
    measures naming them are not reported again). None if the file cannot be read at all."""
    top = checks.top_of(path, display, problems)
    if top is None:
        return None
    top.only("agencies")
    agencies: dict[str, Agency] = {}
    faulty: set[str] = set()
    for index, (raw, line) in enumerate(checks.list_of(top.get("agencies", lambda v: None), display, "agencies", top.line, problems), 1):
        entry_name = f"agency {raw.get('id')}" if isinstance(raw, dict) and isinstance(raw.get("id"), str) else f"agency #{index}"
        entry = checks.Entry(raw, display, entry_name, line, problems)
        before = len(problems)
        entry.only(
            "id",
            "name",
            "full_name",
            "aliases",
            "province",
            "level",
            "counterpart",
            "founding_date",
            "dissolution_date",
            "successors",
            "no_counterpart",
        )
        agency_id = entry.get("id", checks.identifier)
        name = entry.get("name", checks.name)
        province = entry.get("province", checks.one_of(*PROVINCES, None))
        level = entry.get("level", checks.one_of(*LEVELS))
        aliases = entry.get("aliases", checks.texts, required=False) or []
        full_name = entry.get("full_name", checks.optional_name, required=False)
        counterpart = entry.get("counterpart", lambda v: None if v is None else checks.identifier(v), required=False)
        founding_date = entry.get("founding_date", checks.optional_date, required=False)
        dissolution_date = entry.get("dissolution_date", checks.optional_date, required=False)
        successors = _read_successors(entry, display, problems)
        no_counterpart = _read_no_counterpart(entry, display, problems)
        if agency_id is None:
            continue
        if agency_id in agencies:
            entry.problem(entry.line_of("id"), f"duplicate id (first at line {agencies[agency_id].line})")
            continue
        if no_counterpart is not None and counterpart is not None:
            entry.problem(entry.line_of("no_counterpart"), f"no_counterpart, yet its counterpart is {counterpart}")
        for alias in sorted({a for a in aliases if aliases.count(a) > 1 or a == name}):
            entry.problem(entry.line_of("aliases"), f"alias {alias!r} repeats the name or another alias")
        if len(problems) > before:
            faulty.add(agency_id)
        agencies[agency_id] = Agency(
            id=agency_id,
            name=name or "",
            province=province,
            level=level or "",
            aliases=tuple(aliases),
            full_name=full_name,
            counterpart=counterpart,
            founding_date=None if founding_date is None else str(founding_date),
            dissolution_date=None if dissolution_date is None else str(dissolution_date),
            successors=successors,
            no_counterpart=no_counterpart,
            line=entry.line,
        )
    _check_agencies(agencies, faulty, display, problems)
    return agencies, faulty


def _read_successors(entry: checks.Entry, display: str, problems: list[Problem]) -> tuple[Succession, ...]:
    found = []
    for raw, line in checks.list_of(
        entry.get("successors", lambda v: None, required=False), display, entry.entry, entry.line_of("successors"), problems
    ):
        step = checks.Entry(raw, display, entry.entry, line, problems)
        step.only("id", "since", "source", "note")
        successor = step.get("id", checks.identifier)
        since = step.get("since", checks.optional_date)
        source = step.get("source", checks.text)
        note = step.get("note", checks.optional_text, required=False)
        if successor is not None and source is not None and step.mapping is not None and "since" in step.mapping:
            found.append(Succession(successor, None if since is None else str(since), source, note))
    return tuple(found)


def _read_no_counterpart(entry: checks.Entry, display: str, problems: list[Problem]) -> NoCounterpart | None:
    """Why the unit has no counterpart by its nature, if the directory says so."""
    raw = entry.get("no_counterpart", lambda v: None, required=False)
    if raw is None:
        return None
    reason = checks.Entry(raw, display, entry.entry, entry.line_of("no_counterpart"), problems)
    if reason.mapping is None:
        entry.problem(entry.line_of("no_counterpart"), f"no_counterpart must be a mapping (why, basis, source), not {checks.kind_of(raw)}")
        return None
    reason.only("why", "basis", "source")
    why = reason.get("why", checks.one_of(*NO_COUNTERPART_REASONS))
    basis = reason.get("basis", checks.text)
    source = reason.get("source", checks.optional_text, required=False)
    return NoCounterpart(why, basis, source) if why is not None and basis is not None else None


def successors_of(agencies: dict[str, Agency], agency_id: str) -> list[str]:
    """Every body that followed `agency_id`, step by step along its successors."""
    found: list[str] = []
    frontier = [s.id for s in agencies[agency_id].successors] if agency_id in agencies else []
    while frontier:
        current = frontier.pop(0)
        if current in found or current == agency_id or current not in agencies:
            continue
        found.append(current)
        frontier += [s.id for s in agencies[current].successors]
    return found


def _check_agencies(agencies: dict[str, Agency], faulty: set[str], display: str, problems: list[Problem]) -> None:
    names: dict[str, Agency] = {}
    for agency in agencies.values():
        if not agency.name:
            continue
        if agency.name in names:
            problems.append(
                Problem(display, agency.line, f"agency {agency.id}", f"name {agency.name!r} is also agency {names[agency.name].id}'s")
            )
        names.setdefault(agency.name, agency)
    for agency in agencies.values():
        entry = f"agency {agency.id}"
        for step in agency.successors:
            if step.id not in agencies:
                problems.append(Problem(display, agency.line, entry, f"successor {step.id!r} is not an agency"))
            elif step.id == agency.id or agency.id in successors_of(agencies, step.id):
                problems.append(Problem(display, agency.line, entry, f"successor {step.id} leads back to {agency.id}"))
        for alias in agency.aliases:
            other = names.get(alias)
            if other is not None and other.id != agency.id:
                problems.append(Problem(display, agency.line, entry, f"alias {alias!r} is the name of agency {other.id}"))
            elif alias in agencies and alias != agency.id:  # a name people type would then be two agencies
                problems.append(Problem(display, agency.line, entry, f"alias {alias!r} is the id of agency {alias}"))
        if agency.counterpart is None or agency.id in faulty or agency.counterpart in faulty:
            continue
        other = agencies.get(agency.counterpart)
        if other is None:
            problems.append(Problem(display, agency.line, entry, f"counterpart {agency.counterpart!r} is not an agency"))
        elif other.id == agency.id:
            problems.append(Problem(display, agency.line, entry, "counterpart is the agency itself"))
        elif other.counterpart != agency.id:
            problems.append(
                Problem(
                    display, agency.line, entry, f"counterpart {other.id} names {other.counterpart!r} as its counterpart, not {agency.id}"
                )
            )
        elif agency.province is None or other.province is None or agency.province == other.province:
            problems.append(
                Problem(display, agency.line, entry, f"counterpart {other.id} must be in the other province (both are {agency.province})")
            )
