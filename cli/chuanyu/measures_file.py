"""A document's measures file: the document, its chapters, sections and measures with their units."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from . import checks
from .due_dates import due_by
from .errors import Problem
from .model import GROUPS, PROVINCES, Agency, Chapter, Document, Measure, Section
from .paths import AGENCIES_FILE
from .safe_yaml import YMap

_Known = tuple[dict[str, Agency], set[str]] | None


class _Sequence:
    """Numbers that must run 1, 2, 3… without repeats."""

    def __init__(self, kind: str):
        self.kind, self.seen, self.expected = kind, {}, 1  # type: ignore[var-annotated]

    def check(self, number: int, line: int, entry: checks.Entry) -> None:
        if number in self.seen:
            entry.problem(line, f"duplicate {self.kind} number {number} (first at line {self.seen[number]})")
        elif number != self.expected:
            entry.problem(line, f"{self.kind} number {number} out of sequence (expected {self.expected})")
        self.seen.setdefault(number, line)
        self.expected = number + 1  # on from this one: a number out of place is one problem, not one for each after it

    def skip(self) -> None:
        """An entry whose number is missing or wrong still takes its place in the sequence."""
        self.expected += 1


def read_measures(
    path: Path, display: str, agencies: _Known, problems: list[Problem], referenced: set[str]
) -> tuple[Document | None, list[Chapter], list[Section], list[Measure]] | None:
    """The document, chapters, sections and measures; every id a measure names goes into
    `referenced`. None if the file cannot be read at all."""
    chapters: list[Chapter] = []
    sections: list[Section] = []
    measures: list[Measure] = []
    top = checks.top_of(path, display, problems)
    if top is None or top.mapping is None:  # top_of gives an entry only with a mapping: said for mypy
        return None
    top.only("document", "chapters")
    if not isinstance(top.mapping.get("chapters"), list):
        top.get("chapters", lambda v: f"must be a list, not {checks.kind_of(v)}")
        top.get("document", lambda v: None)
        return None  # not a measures file: its other faults would only be noise
    raw_document = top.get("document", lambda v: None)
    document = None if raw_document is None else _read_document(raw_document, top, display, problems)
    numbers = {kind: _Sequence(kind) for kind in ("chapter", "section", "measure")}
    for raw_chapter, c_line in checks.list_of(top.get("chapters", lambda v: None), display, "chapters", top.line_of("chapters"), problems):
        chapter = checks.Entry(raw_chapter, display, _entry_name("chapter", raw_chapter), c_line, problems)
        chapter.only("number", "title", "sections", "measures")
        c_number, c_title = _numbered(chapter, numbers["chapter"])
        if c_number is not None:
            chapters.append(Chapter(c_number, c_title, chapter.line))
        direct = chapter.mapping is not None and "measures" in chapter.mapping  # a chapter without sections
        if direct and "sections" in (chapter.mapping or {}):
            chapter.problem(chapter.line_of("measures"), "holds both sections and measures: its measures stand in one or the other")
        raw_sections = chapter.get("sections", lambda v: None, required=not direct)
        if _first_number(raw_sections) == 1:  # sections numbered from （一） in each chapter
            numbers["section"] = _Sequence("section")
        for raw_section, s_line in checks.list_of(raw_sections, display, chapter.entry, chapter.line, problems):
            section = checks.Entry(raw_section, display, _entry_name("section", raw_section), s_line, problems)
            section.only("number", "title", "measures")
            s_number, s_title = _numbered(section, numbers["section"])
            if s_number is not None:
                sections.append(Section(s_number, c_number or 0, s_title, section.line))
            measures += _read_measures_of(
                section, display, agencies, problems, numbers["measure"], referenced, c_number or 0, s_number or 0
            )
        if direct:
            measures += _read_measures_of(chapter, display, agencies, problems, numbers["measure"], referenced, c_number or 0, None)
    return document, chapters, sections, measures


def _numbered(entry: checks.Entry, sequence: _Sequence) -> tuple[int | None, str]:
    """A chapter's or a section's number, checked in its sequence (which a missing one still
    takes a place in), and its title."""
    number = entry.get("number", checks.number)
    title = entry.get("title", checks.title)
    if number is None:
        sequence.skip()
    else:
        sequence.check(number, entry.line_of("number"), entry)
    return number, title or ""


def _first_number(raw_list: Any) -> Any:
    """The `number` of a list's first entry, if it has one."""
    return raw_list[0].get("number") if isinstance(raw_list, list) and raw_list and isinstance(raw_list[0], dict) else None


def _read_measures_of(
    holder: checks.Entry,
    display: str,
    agencies: _Known,
    problems: list[Problem],
    numbers: _Sequence,
    referenced: set[str],
    chapter: int,
    section: int | None,
) -> list[Measure]:
    """The measures a section holds, or a chapter without sections (`section` None)."""
    found = []
    for raw_measure, m_line in checks.list_of(holder.get("measures", lambda v: None), display, holder.entry, holder.line, problems):
        measure = _read_measure(raw_measure, m_line, display, agencies, problems, numbers, referenced)
        if measure is not None:
            found.append(dataclasses.replace(measure, chapter=chapter, section=section))
    return found


def _entry_name(kind: str, raw: Any) -> str:
    number = raw.get("number") if isinstance(raw, dict) else None
    return f"{kind} {number}" if isinstance(number, int) and not isinstance(number, bool) else kind


def _read_document(raw: Any, top: checks.Entry, display: str, problems: list[Problem]) -> Document | None:
    entry = checks.Entry(raw, display, "document", top.line_of("document"), problems)
    entry.only("id", "title", "number", "date", "issuers", "source")
    values = {
        "id": entry.get("id", checks.identifier),
        "title": entry.get("title", checks.title),
        "number": entry.get("number", checks.document_number),  # null: the document has no covering notice
        "date": entry.get("date", checks.optional_date),
        "issuers": entry.get("issuers", checks.texts),
        "source": entry.get("source", checks.optional_text, required=False),
    }
    if any(values[k] is None for k in ("id", "title", "issuers")):
        return None
    return Document(
        id=values["id"],
        title=values["title"],
        number=values["number"],
        date=None if values["date"] is None else str(values["date"]),
        issuers=tuple(values["issuers"]),
        source=values["source"],
        line=entry.line_of("id"),
    )


def _read_measure(
    raw: Any, line: int, display: str, agencies: _Known, problems: list[Problem], numbers: _Sequence, referenced: set[str]
) -> Measure | None:
    entry = checks.Entry(raw, display, _entry_name("measure", raw), line, problems)
    entry.only("number", "text", "due", "responsible", "leads")
    number = entry.get("number", checks.number)
    text = entry.get("text", checks.text)
    raw_groups = entry.get(
        "responsible", lambda v: None if isinstance(v, dict) else f"must be a mapping of groups, not {checks.kind_of(v)}"
    )
    if number is None:
        numbers.skip()
    else:
        numbers.check(number, entry.line_of("number"), entry)
    responsible: dict[str, tuple[str, ...]] = {}
    if isinstance(raw_groups, YMap):
        groups = checks.Entry(raw_groups, display, entry.entry, entry.line_of("responsible"), problems)
        groups.only(*GROUPS)
        listed: dict[str, str] = {}
        for group in GROUPS:
            ids = groups.get(group, lambda v: checks.texts(v) if v else None, required=False)
            for agency_id in ids or []:
                where = groups.line_of(group)
                if agency_id in listed:
                    first = listed[agency_id]
                    groups.problem(
                        where,
                        f"unit {agency_id} listed twice in {group}"
                        if first == group
                        else f"unit {agency_id} listed in both {first} and {group}",
                    )
                    continue
                listed[agency_id] = group
                referenced.add(agency_id)
                if agencies is None:
                    continue  # the agencies file could not be read: that is the problem to report
                known, faulty = agencies
                agency = known.get(agency_id)
                if agency is None:
                    groups.problem(where, f"{group} unit {agency_id!r} is not in {AGENCIES_FILE}")
                elif agency_id not in faulty and (wrong := _fits_group(agency, group)):
                    groups.problem(where, f"{group} unit {agency_id} {wrong}")
            if ids:
                responsible[group] = tuple(ids)
        if not responsible and groups.mapping is not None:
            groups.problem(entry.line_of("responsible"), "no responsible unit listed")
    leads = entry.get("leads", checks.texts, required=False)
    if leads is not None:
        listed_ids = {agency_id for ids in responsible.values() for agency_id in ids}
        for agency_id in leads:
            if agency_id not in listed_ids:
                entry.problem(entry.line_of("leads"), f"lead {agency_id!r} is not one of the measure's units")
    due, last_day = _due(entry)
    if number is None or text is None or not responsible:
        return None
    return Measure(number, 0, 0, text, responsible, entry.line, None if leads is None else tuple(leads), due, last_day)


def _due(entry: checks.Entry) -> tuple[str | None, str | None]:
    """A measure's time limit as written, and the last day it names (`due_dates.due_by`)."""
    due = entry.get("due", checks.optional_text, required=False)
    try:
        return due, due_by(due)
    except ValueError as exc:
        entry.problem(entry.line_of("due"), f"due {due!r}: {exc}")
        return due, None


def _fits_group(agency: Agency, group: str) -> str | None:
    if group in PROVINCES:
        return None if agency.province == group else f"is in province {agency.province}"
    if group == "local":
        return None if agency.level == "city-government" else f"is a {agency.level}, not a city-government"
    return None if agency.level == "joint-body" else f"is a {agency.level}, not a joint-body"
