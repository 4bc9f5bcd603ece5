"""Source text of a joint Chongqing–Sichuan document -> catalogue entries.

The text is read as one normalised stream (stream.py), never by its line layout. Every
responsibility clause and every measure number in it is placed in a measure, or refused.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import checks
from .clauses import Clause, Resolver, Unresolved, clause_of, next_clause, resolve_clause
from .errors import DataError, Problem
from .measures_yaml import to_yaml
from .model import Agency
from .notice import DATE, NUMBER_TAIL, UnreadNotice, read_notice
from .stream import Stream, normalise

_TITLE = re.compile(r"《([^》]+)》")
#: A measure's number of any value, in half- or full-width digits.
_MEASURE_NUMBER = re.compile(r"(?<![0-9０-９])(?:[0-9０-９]+[．.、](?![0-9０-９])|[（(][0-9０-９]+[）)])")
#: A measure's, a section's or a chapter's number: where a block starts (at the start of what is
#: read past, or after a sentence), one that is not the next is a measure left out.
_ANY_MARKER = re.compile(_MEASURE_NUMBER.pattern + r"|[（(][一二三四五六七八九十百零]+[）)]|[一二三四五六七八九十百零]+、")
_SENTENCE_END = "。！？；"

_DIGITS = "零一二三四五六七八九"
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def chinese_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 21 -> 二十一, 101 -> 一百零一, 110 -> 一百一十 (for 1..999, as chapters
    and sections are numbered)."""
    if not 0 < n < 1000:
        raise ValueError(f"no Chinese numeral for {n}")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    if hundreds == 0:
        head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
        return head + (_DIGITS[ones] if ones else "")
    tail = "" if rest == 0 else ("零" + _DIGITS[ones] if tens == 0 else _DIGITS[tens] + "十" + (_DIGITS[ones] if ones else ""))
    return _DIGITS[hundreds] + "百" + tail


@dataclass(slots=True)
class ParsedMeasure:
    number: int
    chapter: int
    section: int | None  # None: its chapter has no sections
    text: str
    clause: Clause
    lines: array = field(default_factory=lambda: array("I"))  # type: ignore[type-arg]  # of each unit form, in the clause's order
    due: str | None = None  # its time limit (完成时限) as the document writes it; None: it sets none

    @property
    def unit_lines(self) -> dict[str, list[int]]:
        """The source line of each unit form, by group as the clause holds the forms. (Kept as
        one array: a list of numbers would take more than the measure's text.)"""
        by_group: dict[str, list[int]] = {}
        for group, forms in self.clause.groups.items():
            at = sum(map(len, by_group.values()))
            by_group[group] = list(self.lines[at : at + len(forms)])
        return by_group


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
    """Parse a joint document's text into its chapters, sections and measures: every
    responsibility clause stands in a measure, and every number where a block starts is the
    one that follows, or the document is refused (DataError naming the line)."""
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

    def next_marker(after: int, measures: bool = True) -> int:
        """Where the next chapter, section (or, with `measures`, measure) starts after `after`
        (the text's end if none)."""
        markers = [_chapter_marker(chapter + 1), _section_marker(section + 1)]
        if measures:
            markers.append(_measure_marker(measure + 1))
        if current is None or restarts:
            markers.append(_section_marker(1))
        return min(first(pattern, after) for pattern in markers)

    searched: dict[str, tuple[int, int]] = {}  # a marker's pattern -> (searched from, found at or the end)

    def first(pattern: re.Pattern[str], after: int) -> int:
        """Where `pattern` first matches from `after` (the text's end if nowhere): a search
        already made from before `after` that found nothing before it answers again, so that
        a marker missing from the rest of the text is not looked for through it once a measure."""
        begun, found = searched.get(pattern.pattern, (len(text) + 1, 0))
        if not begun <= after <= found:
            match = pattern.search(text, after)
            begun, found = after, (match.start() if match else len(text))
            searched[pattern.pattern] = (begun, found)
        return found

    def expected() -> str:
        following = measure + 1
        return (
            f"chapter {_numeral(chapter + 1)}、, section （{_numeral(section + 1)}） or measure {following}．/{following}、/（{following}）"
        )

    def refuse_strays(begin: int, end: int) -> None:
        """Text read past (a part's prose, what follows a heading) holds no clause, and no
        number where a block starts: each would be a measure left out."""
        if (clause := next_clause(text, begin, end)) is not None:
            raise fail(clause[0], f"a responsibility clause outside any measure: expected {expected()} before it")
        if (marker := _stray_marker(text, begin, end, at_begin=True)) is not None:
            raise fail(marker.start(), f"{marker.group()} does not follow in order: expected {expected()} here")

    while pos < len(text):
        if text[pos] == " ":  # kept between two Latin characters, e.g. after a half-width )
            pos += 1
            continue
        if (m := _chapter_marker(chapter + 1).match(text, pos)) is not None:
            chapter, current = chapter + 1, None
            title, pos = _heading(stream, m.end(), next_marker(m.end()))
            _refuse_in_title(title, m.end(), text, fail)
            doc.chapters.append((chapter, title))
        elif (m := _section_marker(section + 1).match(text, pos) or _restart(text, pos, section, current)) is not None:
            restarts = restarts or (section > 0 and m.group(0) in ("（一）", "(一)"))
            section = 1 if m.group(0) in ("（一）", "(一)") and section > 0 and current is None else section + 1
            current = section
            end = next_marker(m.end())
            candidate = text[m.end() : end]
            stop = candidate.find("。")
            title = (candidate if stop < 0 else candidate[:stop]).strip()
            _refuse_in_title(title, m.end(), text, fail)
            doc.sections.append((chapter, section, title))
            pos = end if stop < 0 else m.end() + stop + 1  # prose after the title is read as prose
        elif (m := _measure_marker(measure + 1).match(text, pos)) is not None:
            measure += 1
            found = next_clause(text, m.end(), next_marker(m.end(), measures=False))
            if found is None:
                raise fail(pos, f"measure {measure} has no （责任单位：…） clause before the next section or chapter")
            opening, closing = found
            if closing is None:
                raise fail(opening, f"measure {measure}'s responsibility clause does not close: a （ lacks its ）")
            if (marker := _stray_marker(text, m.end(), opening, at_begin=False)) is not None:
                raise fail(marker.start(), f"{marker.group()} stands inside measure {measure}, before its clause: expected {expected()}")
            units = clause_of(text[opening + 1 : closing - 1], opening + 1)
            lines = array("I", (stream.line_at(p) for group in units.groups for p in units.starts.get(group, [])))
            units.starts.clear()  # positions in the stream: of no use once their lines are known
            doc.measures.append(ParsedMeasure(measure, chapter, current, text[m.end() : opening].strip(), units, lines))
            pos = closing
        else:  # the prose of a part (一、总体要求 …): skipped, but never a clause or number a measure should hold
            end = next_marker(pos)
            refuse_strays(pos, end)
            pos = end
    return doc


def _stray_marker(text: str, begin: int, end: int, at_begin: bool) -> re.Match[str] | None:
    """A number of a measure, section or chapter in text[begin:end] where a block starts:
    after a sentence, or (`at_begin`) at `begin` itself."""
    for marker in _ANY_MARKER.finditer(text, begin, end):
        before = marker.start() - 1 if marker.start() > begin and text[marker.start() - 1] == " " else marker.start()
        if (at_begin and before == begin) or (before > begin and text[before - 1] in _SENTENCE_END):
            return marker
    return None


def _refuse_in_title(title: str, begin: int, text: str, fail) -> None:  # type: ignore[no-untyped-def]
    """A heading's title holds no measure number: one there is a measure left out."""
    if (marker := _MEASURE_NUMBER.search(title)) is not None:
        raise fail(text.find(marker.group(), begin), f"{marker.group()} stands in a heading's title: a measure number out of order?")


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
    stop = min(stream.line_end(begin), end)
    return stream.text[begin:stop].strip(), stop


def _has_notice(head: str) -> bool:
    """Whether the text before the first chapter is a covering notice: it names the document by
    number or date, or by its 《title》."""
    return any(pattern.search(head) for pattern in (NUMBER_TAIL, DATE, _TITLE))


def _untitled(stream: Stream, start: int, fail) -> ParsedDocument:  # type: ignore[no-untyped-def]
    """A document with no covering notice: its title is its first line; it gives no number, date or issuers."""
    if start == 0 or not stream.text[:start].strip():
        raise fail(0, "no title before chapter 一、, and no covering notice naming the document")
    title = stream.text[: min(stream.line_end(0), start)].strip()
    return ParsedDocument(title=title, number=None, date=None, issuers=[])


def _parse_header(stream: Stream, end: int, fail) -> ParsedDocument:  # type: ignore[no-untyped-def]
    """The covering notice before `end` (notice.py), or the reason it cannot be read for certain."""
    try:
        notice = read_notice(stream.text, stream.line_at, end)
    except UnreadNotice as exc:
        raise fail(exc.pos, exc.message) from None
    return ParsedDocument(title=notice.title, number=notice.number, date=notice.date, issuers=notice.issuers)


def _numeral(n: int) -> str:
    return chinese_numeral(n) if n < 1000 else str(n)


#: A pattern that matches nothing: the marker of a chapter or section past the last numbered one.
_NOTHING = re.compile("(?!)")


def _chapter_marker(n: int) -> re.Pattern[str]:
    return re.compile(re.escape(chinese_numeral(n)) + "、") if n < 1000 else _NOTHING


def _section_marker(n: int) -> re.Pattern[str]:
    return re.compile(f"[（(]{chinese_numeral(n)}[）)]") if n < 1000 else _NOTHING


def _measure_marker(n: int) -> re.Pattern[str]:
    """Measure N as joint documents number them: `N．`, `N.`, `N、` or `（N）`, its digits
    half- or full-width."""
    digits = "".join(f"[{d}{d.translate(_FULL_WIDTH)}]" for d in str(n))
    return re.compile(f"(?<![0-9０-９])(?:{digits}[．.、](?![0-9０-９])|[（(]{digits}[）)])")


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
        due = {} if m.due is None else {"due": m.due}
        measures_of.setdefault((m.chapter, m.section), []).append({"number": m.number, "text": m.text, **due, **resolved[m.number]})
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
        return [Problem(self.source, u.line, f"measure {u.measure}", _unresolved_message(u)) for u in self.unresolved]


def _refuse_invisible(doc: ParsedDocument, source: str) -> None:
    """A unit form holding a character that shows as nothing is refused, not resolved nor
    proposed: it would print like a name it is not (checks.invisible)."""
    problems = [
        Problem(source, line, f"measure {measure.number}", f"unit {form!r} {wrong}: remove it from the source")
        for measure in doc.measures
        for group, forms in measure.clause.groups.items()
        for form, line in zip(forms, measure.unit_lines.get(group, []), strict=True)
        if (wrong := checks.invisible(form))
    ]
    if problems:
        raise DataError(problems)


def _unresolved_message(u: Unresolved) -> str:
    if u.misplaced:
        return f"{u.group} unit {u.form!r} is {', '.join(u.candidates)}, {u.misplaced}: it stands in the wrong list"
    return f"{u.group} unit {u.form!r} " + (f"could be any of {', '.join(u.candidates)}" if u.candidates else "is not in agencies.yaml")


def extracted(source: Path, agencies: Iterable[Agency], document_id: str | None = None, kept_as: str | None = None) -> Extracted:
    """The measures file for `source` (its text or its PDF), with the forms that name no single
    agency; `kept_as`: the name of its copy in the catalogue's sources/ (by default its own)."""
    from .source_kinds import parsed_source

    parsed = parsed_source(source)
    doc, display, mapped, dropped = parsed.document, parsed.display, parsed.mapped, parsed.dropped
    del parsed
    _refuse_invisible(doc, display)
    resolved, unresolved = resolve(doc, agencies)
    shipped = f"sources/{kept_as or source.name}"
    content = catalogue_yaml(doc, document_id or source.stem, shipped, resolved)
    measures = len(doc.measures)
    listings = sum(len(ids) for measure in resolved.values() for ids in measure["responsible"].values())
    del doc, resolved  # the content holds what is written: the rest is freed before the YAML is
    return Extracted(display, to_yaml(content, f"data/{shipped}"), unresolved, measures, listings, mapped, dropped)
