"""Source text of a joint Chongqing–Sichuan document -> catalogue entries.

The text comes from a PDF: lines break anywhere, pages start with a stray space, page-number
lines may stand between pages. Parsing therefore works on one normalised stream of characters
(each remembering its source line) and never on the line layout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .clauses import CLAUSE, Clause, Resolver, Unresolved, clause_of, resolve_clause
from .errors import DataError, Problem
from .model import Agency
from .notice import DATE, NUMBER_TAIL, UnreadNotice, read_notice
from .sources import read_source

#: Characters that take no space beside them in Chinese typesetting: CJK ideographs and
#: punctuation, full-width forms, curly quotes, dashes and the ellipsis.
WIDE = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef\u2014\u2018\u2019\u201c\u201d\u2026\u00b7"
_WIDE = re.compile(f"[{WIDE}]")
_PAGE_NUMBER = re.compile(r"^\s*[—–－-]+\s*\d+\s*[—–－-]+\s*$")
_TITLE = re.compile(r"《([^》]+)》")

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 21 -> 二十一 (for 1..99, as chapters and sections are numbered)."""
    if not 0 < n < 100:
        raise ValueError(f"no Chinese numeral for {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


@dataclass
class Stream:
    """The document as one string, with the source line of every character."""

    text: str
    lines: list[int]

    def line_at(self, pos: int) -> int:
        return self.lines[min(pos, len(self.lines) - 1)] if self.lines else 1


def normalise(raw: str) -> Stream:
    """Join the PDF's lines into one stream: drop page-number lines, CR and BOM; drop white
    space beside Chinese characters, fold any other run of white space to one space."""
    raw = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    chars: list[str] = []
    lines: list[int] = []
    for number, line in enumerate(raw.split("\n"), start=1):
        if _PAGE_NUMBER.match(line):
            continue
        chars.extend(line)
        chars.append("\n")
        lines.extend([number] * (len(line) + 1))
    text: list[str] = []
    kept: list[int] = []
    i = 0
    while i < len(chars):
        if not chars[i].isspace():
            text.append(chars[i])
            kept.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(chars) and chars[j].isspace():
            j += 1
        before = text[-1] if text else ""
        after = chars[j] if j < len(chars) else ""
        if before and after and not _WIDE.match(before) and not _WIDE.match(after):
            text.append(" ")
            kept.append(lines[i])
        i = j
    return Stream("".join(text), kept)


@dataclass
class ParsedMeasure:
    number: int
    chapter: int
    section: int | None  # None: its chapter has no sections
    text: str
    clause: Clause
    unit_lines: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class ParsedDocument:
    title: str
    number: str | None  # None: the document has no covering notice to give it
    date: str | None
    issuers: list[str]
    chapters: list[tuple[int, str]] = field(default_factory=list)
    sections: list[tuple[int, int, str]] = field(default_factory=list)  # (chapter, number, title)
    measures: list[ParsedMeasure] = field(default_factory=list)


def parse(raw: str, source: str = "<source>") -> ParsedDocument:
    """Parse a joint document's text into its chapters, sections and measures."""
    stream = normalise(raw)
    text = stream.text

    def fail(pos: int, message: str) -> DataError:
        return DataError([Problem(source, stream.line_at(pos), "document", message)])

    first_measure = _measure_marker(1).search(text)
    if first_measure is None:
        raise fail(0, "no measure 1 found (numbered 1．, 1.、 1、 or （1）), so no section （一） found either")
    first_section = _section_marker(1).search(text, 0, first_measure.start())
    anchor = (first_section or first_measure).start()
    start = text.rfind("一、", 0, anchor)
    if start < 0:
        raise fail(anchor, "no chapter 一、 before the first section （一） or measure 1")
    doc = _parse_header(stream, start, fail) if _has_notice(text[:start]) else _untitled(stream, start, fail)

    pos, chapter, section, measure = start, 0, 0, 0
    current: int | None = None  # the section the next measure stands in; None: the chapter has none
    restarts = False  # the document numbers its sections from （一） in each chapter

    def next_marker(after: int) -> int:
        """Where the next chapter, section or measure starts after `after` (the text's end if none)."""
        markers = [_chapter_marker(chapter + 1), _section_marker(section + 1), _measure_marker(measure + 1)]
        if current is None or restarts:
            markers.append(_section_marker(1))
        found = [m.start() for pattern in markers if (m := pattern.search(text, after)) is not None]
        return min(found, default=len(text))

    while pos < len(text):
        if text[pos] == " ":  # kept between two Latin characters, e.g. after a half-width )
            pos += 1
            continue
        if (m := _chapter_marker(chapter + 1).match(text, pos)) is not None:
            chapter, current = chapter + 1, None
            title, pos = _heading(stream, m.end(), next_marker(m.end()))
            doc.chapters.append((chapter, title))
        elif (m := _section_marker(section + 1).match(text, pos) or _restart(text, pos, section, current)) is not None:
            restarts = restarts or (section > 0 and m.group(0) in ("（一）", "(一)"))
            section = 1 if m.group(0) in ("（一）", "(一)") and section > 0 and current is None else section + 1
            current = section
            end = next_marker(m.end())
            candidate = text[m.end() : end].strip()
            title = candidate.split("。", 1)[0] if "。" in candidate else candidate
            doc.sections.append((chapter, section, title))
            pos = end
        elif (m := _measure_marker(measure + 1).match(text, pos)) is not None:
            clause = CLAUSE.search(text, m.end())
            if clause is None:
                raise fail(pos, f"measure {measure + 1} has no （责任单位：…） clause")
            measure += 1
            units = clause_of(clause.group(1), clause.start(1))
            doc.measures.append(
                ParsedMeasure(
                    number=measure,
                    chapter=chapter,
                    section=current,
                    text=text[m.end() : clause.start()].strip(),
                    clause=units,
                    unit_lines={g: [stream.line_at(p) for p in starts] for g, starts in units.starts.items()},
                )
            )
            pos = clause.end()
        else:  # the prose of a part (一、总体要求 …): skipped, but never a clause a measure should hold
            end = next_marker(pos)
            if (stray := CLAUSE.search(text, pos, end)) is not None:
                following = measure + 1
                expected = (
                    f"chapter {chinese_numeral(chapter + 1)}、, section （{chinese_numeral(section + 1)}）"
                    f" or measure {following}．/{following}、/（{following}）"
                )
                raise fail(stray.start(), f"a responsibility clause outside any measure: expected {expected} before it")
            pos = end
    return doc


def _restart(text: str, pos: int, section: int, current: int | None) -> re.Match[str] | None:
    """Section （一） again at the start of a chapter: the document numbers sections in each chapter."""
    return _section_marker(1).match(text, pos) if section > 0 and current is None else None


def _heading(stream: Stream, begin: int, end: int) -> tuple[str, int]:
    """A chapter's title from `begin` and where what follows it starts: all up to the next
    marker (`end`), or, where prose follows the title (a sentence ends before `end`), its own
    line of the source only."""
    candidate = stream.text[begin:end]
    if "。" not in candidate:
        return candidate.strip(), end
    line = stream.line_at(begin)
    stop = begin
    while stop < end and stream.lines[stop] == line:
        stop += 1
    return stream.text[begin:stop].strip(), stop


def _has_notice(head: str) -> bool:
    """Whether the text before the first chapter is a covering notice: it names the document by
    number or date, or by its 《title》."""
    return any(pattern.search(head) for pattern in (NUMBER_TAIL, DATE, _TITLE))


def _untitled(stream: Stream, start: int, fail) -> ParsedDocument:  # type: ignore[no-untyped-def]
    """A document with no covering notice: its title is its first line; it gives no number, date or issuers."""
    if start == 0 or not stream.text[:start].strip():
        raise fail(0, "no title before chapter 一、, and no covering notice naming the document")
    first = stream.lines[0]
    title = "".join(c for c, line in zip(stream.text[:start], stream.lines, strict=False) if line == first).strip()
    return ParsedDocument(title=title, number=None, date=None, issuers=[])


def _parse_header(stream: Stream, end: int, fail) -> ParsedDocument:  # type: ignore[no-untyped-def]
    """The covering notice before `end` (notice.py), or the reason it cannot be read for certain."""
    try:
        notice = read_notice(stream.text, stream.lines, end)
    except UnreadNotice as exc:
        raise fail(exc.pos, exc.message) from None
    return ParsedDocument(title=notice.title, number=notice.number, date=notice.date, issuers=notice.issuers)


def _chapter_marker(n: int) -> re.Pattern[str]:
    return re.compile(re.escape(chinese_numeral(n)) + "、")


def _section_marker(n: int) -> re.Pattern[str]:
    return re.compile(f"[（(]{chinese_numeral(n)}[）)]")


def _measure_marker(n: int) -> re.Pattern[str]:
    """Measure N as joint documents number them: `N．`, `N.`, `N、` or `（N）`."""
    return re.compile(f"(?<![0-9０-９])(?:{n}[．.、](?![0-9])|[（(]{n}[）)])")


def resolve(doc: ParsedDocument, agencies: Iterable[Agency]) -> tuple[dict[int, dict[str, Any]], list[Unresolved]]:
    """Per measure, its agency ids by group and (where the document names roles) its leads;
    every form that is not exactly one agency is reported."""
    resolver = Resolver(agencies)
    resolved: dict[int, dict[str, Any]] = {}
    unresolved: list[Unresolved] = []
    for measure in doc.measures:
        groups, leads, missing = resolve_clause(measure.clause, measure.unit_lines, resolver, measure.number)
        resolved[measure.number] = {"responsible": groups} | ({} if leads is None else {"leads": leads})
        unresolved += missing
    return resolved, unresolved


def catalogue_yaml(doc: ParsedDocument, document_id: str, source: str, resolved: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """The measures file's content: the document, then chapters > sections > measures."""
    measures_of: dict[tuple[int, int | None], list[dict[str, Any]]] = {}
    for m in doc.measures:
        measures_of.setdefault((m.chapter, m.section), []).append({"number": m.number, "text": m.text, **resolved[m.number]})
    sections_of: dict[int, list[dict[str, Any]]] = {}
    for chapter, s_number, s_title in doc.sections:
        sections_of.setdefault(chapter, []).append(
            {"number": s_number, "title": s_title, "measures": measures_of.get((chapter, s_number), [])}
        )
    chapters = []
    for number, title in doc.chapters:  # a chapter's measures stand in its sections, or in it where it has none
        direct = measures_of.get((number, None))
        chapters.append(
            {"number": number, "title": title, **({"measures": direct} if direct else {"sections": sections_of.get(number, [])})}
        )
    return {
        "document": {
            "id": document_id,
            "title": doc.title,
            "number": doc.number,
            "date": doc.date,
            "issuers": doc.issuers,
            "source": source,
        },
        "chapters": chapters,
    }


class _Flow(list):  # type: ignore[type-arg]
    """A list written on one line: a measure's units, in the document's order."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Flow, lambda dumper, value: dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True))


def to_yaml(content: dict[str, Any], source: str) -> str:
    """The measures file as text: deterministic, so the shipped file can be compared byte for byte."""
    for chapter in content["chapters"]:
        for measure in [*chapter.get("measures", []), *(m for section in chapter.get("sections", []) for m in section["measures"])]:
            measure["responsible"] = {group: _Flow(ids) for group, ids in measure["responsible"].items()}
            if "leads" in measure:
                measure["leads"] = _Flow(measure["leads"])
    header = f"# Made by `chuanyu extract {source}` from the document's text. Do not edit: see README.md.\n"
    return header + yaml.dump(content, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096, default_flow_style=False)


@dataclass
class Extracted:
    """A document read from its source: the measures file's text, and the unit forms it names
    that are not exactly one agency (each with the line of the source it stands on)."""

    source: str
    text: str
    unresolved: list[Unresolved]
    measures: int
    listings: int
    mapped: int = 0  # characters of a PDF mapped back from its fonts' encodings (glyphs.py)
    dropped: int = 0  # control characters dropped from a PDF's text

    def reading(self) -> str | None:
        """What reading a PDF changed to give the text as the document reads, if anything."""
        if not (self.mapped or self.dropped):
            return None
        return (
            f"{self.source}: {self.mapped} characters mapped to what they read as (Kangxi radicals,"
            f" compatibility ideographs, Founder punctuation), {self.dropped} control characters dropped"
        )

    def problems(self) -> list[Problem]:
        return [
            Problem(
                self.source,
                u.line,
                f"measure {u.measure}",
                f"{u.group} unit {u.form!r} "
                + (f"could be any of {', '.join(u.candidates)}" if u.candidates else "is not in agencies.yaml"),
            )
            for u in self.unresolved
        ]


def extracted(source: Path, agencies: Iterable[Agency], document_id: str | None = None, kept_as: str | None = None) -> Extracted:
    """The measures file for `source` (its text or its PDF), with the forms that name no single
    agency; `kept_as`: the name of its copy in the catalogue's sources/ (by default its own)."""
    read = read_source(source)
    display = read.display
    doc = parse(read.text, display)
    resolved, unresolved = resolve(doc, agencies)
    shipped = f"sources/{kept_as or source.name}"
    content = catalogue_yaml(doc, document_id or source.stem, shipped, resolved)
    listings = sum(len(ids) for measure in resolved.values() for ids in measure["responsible"].values())
    return Extracted(display, to_yaml(content, f"data/{shipped}"), unresolved, len(doc.measures), listings, read.mapped, read.dropped)
