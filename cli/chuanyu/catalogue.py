"""Read and validate a catalogue (measures.yaml + agencies.yaml) into plain objects.

Every problem is collected, not only the first, and each names its file, line and entry.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError, Problem
from .paths import AGENCIES_FILE, catalogue_files

#: The parsers a file is read with, in turn: libyaml's C parser for speed where PyYAML has it, then
#: the pure-Python one, which reads again what the first refuses. libyaml's own limits differ by
#: build (0.2.6 stops at 1,000 levels of nesting, before chuanyu's check at 20 sees them) and so do
#: its words, so every refusal is the pure-Python parser's or chuanyu's, whichever PyYAML is here.
LOADERS: tuple[type[Any], ...] = (yaml.SafeLoader,)
if hasattr(yaml, "CSafeLoader"):  # pragma: no branch - depends on how PyYAML was built
    LOADERS = (yaml.CSafeLoader, yaml.SafeLoader)

PROVINCES = ("chongqing", "sichuan")
GROUPS = ("chongqing", "sichuan", "local", "joint")
LEVELS = (
    "provincial-department",
    "public-institution",
    "central-branch",
    "party-organ",
    "court",
    "development-zone",
    "city-government",
    "joint-body",
)
MAX_DEPTH = 20
#: A catalogue file larger than this is refused before it is read as YAML.
MAX_FILE_BYTES = 256 * 2**20
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Succession:
    """A body that took over a unit's function: when (None: the source gives no date), the
    source that says so, and what it says."""

    id: str
    since: str | None
    source: str
    note: str | None = None


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    province: str | None
    level: str
    aliases: tuple[str, ...] = ()
    full_name: str | None = None
    counterpart: str | None = None
    founding_date: str | None = None
    dissolution_date: str | None = None
    successors: tuple[Succession, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    number: str
    date: str
    issuers: tuple[str, ...]
    source: str | None = None


@dataclass(frozen=True)
class Chapter:
    number: int
    title: str
    line: int = 0


@dataclass(frozen=True)
class Section:
    number: int
    chapter: int
    title: str
    line: int = 0


@dataclass(frozen=True)
class Measure:
    number: int
    chapter: int
    section: int
    text: str
    responsible: dict[str, tuple[str, ...]]
    line: int = 0

    def listings(self) -> Iterator[tuple[str, str, int]]:
        """(group, agency id, position from 1) in the document's order."""
        for group in GROUPS:
            for position, agency in enumerate(self.responsible.get(group, ()), start=1):
                yield group, agency, position


def role(group: str, position: int) -> str:
    """`lead` for the first-listed unit of a province's list, else `co`."""
    return "lead" if group in PROVINCES and position == 1 else "co"


@dataclass
class Catalogue:
    document: Document
    chapters: list[Chapter]
    sections: list[Section]
    measures: list[Measure]
    agencies: dict[str, Agency]


# --- YAML with line numbers -------------------------------------------------------------


class YMap(dict):  # type: ignore[type-arg]
    """A YAML mapping as a dict, remembering its own line and each key's."""

    line: int
    key_lines: dict[str, int]


class YList(list):  # type: ignore[type-arg]
    """A YAML sequence as a list, remembering its own line and each item's."""

    line: int
    item_lines: list[int]


def read_yaml(path: Path, display: str) -> tuple[Any, list[Problem]]:
    """Plain data from a YAML file (no tags beyond YAML's own, no anchors), or its problems.

    Built from the parser's events, not a composed node tree: libyaml composes recursively and
    a document nested deep enough crashes it, where events let nesting be refused as it opens."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(display, 1, "file", f"cannot read: {exc.strerror or exc}")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(display, 1, "file", f"{len(raw)} bytes, more than the {MAX_FILE_BYTES} a catalogue file may have")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(display, line, "file", f"not UTF-8 text (byte {exc.start})")]
    if not text.strip():
        return None, [Problem(display, 1, "file", "empty file")]
    for loader in LOADERS:
        problems: list[Problem] = []
        try:
            data = _from_events(_events(text, loader), display, problems)
            break
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            refusal = Problem(display, mark.line + 1 if mark else 1, "file", f"YAML syntax: {exc.problem or exc.context}")
        except yaml.YAMLError as exc:
            refusal = Problem(display, 1, "file", f"YAML syntax: {exc}")
    else:
        return None, [refusal]
    if data is None and not problems:  # `~`, `null`, or nothing but comments
        problems.append(Problem(display, 1, "file", "holds no data"))
    return data, problems


def _events(text: str, loader: type[Any]) -> Iterator[Any]:
    """The parser's events, asked for one at a time (yaml.parse asks twice for each)."""
    parser = loader(text)
    try:
        for event in iter(parser.get_event, None):
            yield event
            if type(event) is yaml.StreamEndEvent:
                return
    finally:
        parser.dispose()


_scalars = yaml.constructor.SafeConstructor()
_resolver = yaml.resolver.Resolver()
#: Plain data only: YAML's own scalar types, mappings and sequences (no Python objects, no sets).
_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}
_MISSING = object()


def _from_events(events: Any, display: str, problems: list[Problem]) -> Any:
    """The document's plain data, made iteratively from parser events: YMap and YList
    remember their lines; anchors, aliases, foreign tags and deep nesting become problems."""
    # each open collection: [container, the key waiting for its value (or _MISSING), the key's
    # line, the event that opened it, whether its tag is foreign (then it counts as no value)]
    stack: list[list[Any]] = []
    document: Any = None
    documents = 0
    refused_anchor = False

    def problem(event: Any, message: str) -> None:
        problems.append(Problem(display, _line(event), "file", message))

    def anchored(event: Any) -> None:
        nonlocal refused_anchor
        if not refused_anchor:  # once: an alias bomb is one line, not thousands
            problem(event, "YAML anchors and aliases are not allowed")
            refused_anchor = True

    def place(value: Any, event: Any) -> None:
        nonlocal document
        if not stack:
            document = value
            return
        frame = stack[-1]
        container = frame[0]
        if isinstance(container, YList):
            container.append(value)
            container.item_lines.append(event.start_mark.line + 1)
        elif frame[1] is _MISSING:
            if not isinstance(value, str):
                problem(event, f"key {value!r} is not text")
                value = None
            frame[1], frame[2] = value, event.start_mark.line + 1
        else:
            key, key_line = frame[1], frame[2]
            frame[1] = _MISSING
            if key is None:
                return
            if key in container:
                problems.append(Problem(display, key_line, "file", f"duplicate key {key!r}"))
                return
            container[key] = value
            container.key_lines[key] = key_line

    scalar, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    for event in events:
        kind = type(event)  # the commonest first: a large catalogue is millions of events
        if kind is scalar:
            if event.anchor:
                anchored(event)
            place(_scalar(event, display, problems), event)
        elif kind in ends:
            closed, _, _, start, foreign = stack.pop()
            place(None if foreign else closed, start)
        elif kind is mapping_start or kind is sequence_start:
            if event.anchor:
                anchored(event)
            tag = "tag:yaml.org,2002:map" if kind is mapping_start else "tag:yaml.org,2002:seq"
            foreign = event.tag not in (None, "!", tag)
            if foreign:
                problem(event, f"unsupported YAML tag {event.tag!r}")
            if len(stack) >= MAX_DEPTH:
                problem(event, f"nested deeper than {MAX_DEPTH} levels")
                return None
            container: YMap | YList
            if kind is mapping_start:
                container = YMap()
                container.line, container.key_lines = _line(event), {}
            else:
                container = YList()
                container.line, container.item_lines = _line(event), []
            stack.append([container, _MISSING, 0, event, foreign])
        elif kind is yaml.AliasEvent:
            anchored(event)
            place(None, event)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                problem(event, "more than one YAML document")
                return None
    return None if refused_anchor else document  # a file with anchors is refused whole


def _line(event: Any) -> int:
    """The line, from 1, where a parser event starts."""
    return int(event.start_mark.line) + 1


_STR, _INT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int"
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")


#: The characters an implicitly typed plain scalar (number, bool, null, date) can start with.
_TYPED_STARTS = frozenset(_resolver.yaml_implicit_resolvers)


def _scalar(event: Any, display: str, problems: list[Problem]) -> Any:
    if event.tag in (None, "!") and (event.style in ("'", '"') or (event.value and event.value[0] not in _TYPED_STARTS)):
        return event.value  # quoted, or plain text no type can start with (ids, Chinese): text
    if event.tag is None and event.implicit[0] and _DECIMAL.fullmatch(event.value):
        return int(event.value)  # a plain decimal, as YAML 1.1 resolves it: numbers are many
    tag = event.tag if event.tag not in (None, "!") else _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    if tag == _STR:
        return event.value  # the common case, without building a node
    if tag == _INT and _DECIMAL.fullmatch(event.value):
        return int(event.value)
    if tag not in _TAGS:
        problems.append(Problem(display, _line(event), "file", f"unsupported YAML tag {tag!r}"))
        return None
    try:
        return _scalars.construct_object(yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style))
    except (yaml.YAMLError, ValueError) as exc:  # e.g. a timestamp that is no date
        problems.append(Problem(display, _line(event), "file", f"unreadable value {event.value!r}: {getattr(exc, 'problem', exc)}"))
        return None


# --- field checks ------------------------------------------------------------------------


class _Entry:
    """Checks the fields of one YAML mapping, filing problems against its entry."""

    def __init__(self, mapping: Any, display: str, entry: str, line: int, problems: list[Problem]):
        self.mapping = mapping if isinstance(mapping, YMap) else None
        self.display, self.entry, self.problems = display, entry, problems
        self.line = mapping.line if isinstance(mapping, YMap) else line
        if self.mapping is None:
            self.problem(self.line, f"expected a mapping, found {_kind(mapping)}")

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.display, line, self.entry, message))

    def line_of(self, key: str) -> int:
        return self.mapping.key_lines.get(key, self.line) if self.mapping is not None else self.line

    def only(self, *known: str) -> None:
        for key in self.mapping or {}:
            if key not in known:
                self.problem(self.line_of(key), f"unknown field {key!r}")

    def get(self, key: str, check: Callable[[Any], str | None], required: bool = True) -> Any:
        """The field's value if it passes `check` (which returns what is wrong, or None)."""
        if self.mapping is None:
            return None
        if key not in self.mapping:
            if required:
                self.problem(self.line, f"missing field {key!r}")
            return None
        value = self.mapping[key]
        wrong = check(value)
        if wrong:
            self.problem(self.line_of(key), f"field {key!r} {wrong}")
            return None
        return value


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"{value!r}".lower()
    return f"{type(value).__name__} {value!r}"


#: The longest a value may be, in characters: an id, name or alias; a title; a measure's text.
NAME_LIMIT, TITLE_LIMIT, TEXT_LIMIT = 200, 500, 20_000


def _text(value: Any, limit: int = TEXT_LIMIT) -> str | None:
    if not isinstance(value, str):
        return f"must be text, not {_kind(value)}"
    if len(value) > limit:
        return f"is {len(value)} characters long, more than {limit}"
    return None if value.strip() else "must not be empty"


def _name(value: Any) -> str | None:
    return _text(value, NAME_LIMIT)


def _title(value: Any) -> str | None:
    return _text(value, TITLE_LIMIT)


def _optional_name(value: Any) -> str | None:
    return None if value is None else _name(value)


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _number(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"must be a whole number, not {_kind(value)}"
    return None if value > 0 else "must be positive"


def _identifier(value: Any) -> str | None:
    return _name(value) or (None if _ID.match(value) else f"{value!r} is not a lower-case ASCII id (a-z, 0-9, -)")


def _texts(value: Any) -> str | None:
    """A list of names (aliases, issuers, ids)."""
    if not isinstance(value, list):
        return f"must be a list, not {_kind(value)}"
    wrong = [problem for v in value if (problem := _name(v))]
    return f"must hold only names: one {wrong[0]}" if wrong else None


def _one_of(*choices: str | None) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if value in choices else f"must be one of {', '.join(map(str, choices))}, not {_kind(value)}"

    return check


def _optional_date(value: Any) -> str | None:
    return None if value is None else _date(value)


def _date(value: Any) -> str | None:
    if isinstance(value, dt.date):
        return None
    if isinstance(value, str):
        try:
            dt.date.fromisoformat(value)
            return None
        except ValueError:
            pass
    return f"must be a date YYYY-MM-DD, not {_kind(value)}"


def _list_of(value: Any, display: str, entry: str, line: int, problems: list[Problem]) -> list[tuple[Any, int]]:
    """The items of a list field with their lines; None (a missing field, already reported) is empty."""
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(Problem(display, line, entry, f"expected a list, found {_kind(value)}"))
        return []
    lines = value.item_lines if isinstance(value, YList) else [line] * len(value)
    return list(zip(value, lines, strict=True))


# --- agencies.yaml ------------------------------------------------------------------------


def _read_agencies(path: Path, display: str, problems: list[Problem]) -> tuple[dict[str, Agency], set[str]] | None:
    """The agencies by id, and the ids whose entries have problems (known by id, so that
    measures naming them are not reported again). None if the file cannot be read at all."""
    data, found = read_yaml(path, display)
    problems.extend(found)
    if data is None:
        return None
    top = _Entry(data, display, "file", 1, problems)
    if top.mapping is None:
        return None
    top.only("agencies")
    agencies: dict[str, Agency] = {}
    faulty: set[str] = set()
    for index, (raw, line) in enumerate(_list_of(top.get("agencies", lambda v: None), display, "agencies", top.line, problems), 1):
        entry_name = f"agency {raw.get('id')}" if isinstance(raw, dict) and isinstance(raw.get("id"), str) else f"agency #{index}"
        entry = _Entry(raw, display, entry_name, line, problems)
        before = len(problems)
        entry.only(
            "id", "name", "full_name", "aliases", "province", "level", "counterpart", "founding_date", "dissolution_date", "successors"
        )
        agency_id = entry.get("id", _identifier)
        name = entry.get("name", _name)
        province = entry.get("province", _one_of(*PROVINCES, None))
        level = entry.get("level", _one_of(*LEVELS))
        aliases = entry.get("aliases", _texts, required=False) or []
        full_name = entry.get("full_name", _optional_name, required=False)
        counterpart = entry.get("counterpart", lambda v: None if v is None else _identifier(v), required=False)
        founding_date = entry.get("founding_date", _optional_date, required=False)
        dissolution_date = entry.get("dissolution_date", _optional_date, required=False)
        successors = _read_successors(entry, display, problems)
        if agency_id is None:
            continue
        if agency_id in agencies:
            entry.problem(entry.line_of("id"), f"duplicate id (first at line {agencies[agency_id].line})")
            continue
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
            line=entry.line,
        )
    _check_agencies(agencies, faulty, display, problems)
    return agencies, faulty


def _read_successors(entry: _Entry, display: str, problems: list[Problem]) -> tuple[Succession, ...]:
    found = []
    for raw, line in _list_of(
        entry.get("successors", lambda v: None, required=False), display, entry.entry, entry.line_of("successors"), problems
    ):
        step = _Entry(raw, display, entry.entry, line, problems)
        step.only("id", "since", "source", "note")
        successor = step.get("id", _identifier)
        since = step.get("since", _optional_date)
        source = step.get("source", _text)
        note = step.get("note", _optional_text, required=False)
        if successor is not None and source is not None and step.mapping is not None and "since" in step.mapping:
            found.append(Succession(successor, None if since is None else str(since), source, note))
    return tuple(found)


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


# --- measures.yaml ------------------------------------------------------------------------


_Known = tuple[dict[str, Agency], set[str]] | None


class _Sequence:
    """Numbers that must run 1, 2, 3… without repeats."""

    def __init__(self, kind: str):
        self.kind, self.seen, self.expected = kind, {}, 1  # type: ignore[var-annotated]

    def check(self, number: int, line: int, entry: _Entry) -> None:
        if number in self.seen:
            entry.problem(line, f"duplicate {self.kind} number {number} (first at line {self.seen[number]})")
        elif number != self.expected:
            entry.problem(line, f"{self.kind} number {number} out of sequence (expected {self.expected})")
        self.seen.setdefault(number, line)
        self.expected = max(self.expected, number + 1)

    def skip(self) -> None:
        """An entry whose number is missing or wrong still takes its place in the sequence."""
        self.expected += 1


def _read_measures(
    path: Path, display: str, agencies: _Known, problems: list[Problem], referenced: set[str]
) -> tuple[Document | None, list[Chapter], list[Section], list[Measure]] | None:
    """The document, chapters, sections and measures; every id a measure names goes into
    `referenced`. None if the file cannot be read at all."""
    chapters: list[Chapter] = []
    sections: list[Section] = []
    measures: list[Measure] = []
    data, found = read_yaml(path, display)
    problems.extend(found)
    if data is None:
        return None
    top = _Entry(data, display, "file", 1, problems)
    if top.mapping is None:
        return None
    top.only("document", "chapters")
    if not isinstance(top.mapping.get("chapters"), list):
        top.get("chapters", lambda v: f"must be a list, not {_kind(v)}")
        top.get("document", lambda v: None)
        return None  # not a measures file: its other faults would only be noise
    raw_document = top.get("document", lambda v: None)
    document = None if raw_document is None else _read_document(raw_document, top, display, problems)
    numbers = {kind: _Sequence(kind) for kind in ("chapter", "section", "measure")}
    for raw_chapter, c_line in _list_of(top.get("chapters", lambda v: None), display, "chapters", top.line_of("chapters"), problems):
        chapter = _Entry(raw_chapter, display, _entry_name("chapter", raw_chapter), c_line, problems)
        chapter.only("number", "title", "sections")
        c_number = chapter.get("number", _number)
        c_title = chapter.get("title", _title)
        if c_number is None:
            numbers["chapter"].skip()
        else:
            numbers["chapter"].check(c_number, chapter.line_of("number"), chapter)
            chapters.append(Chapter(c_number, c_title or "", chapter.line))
        for raw_section, s_line in _list_of(chapter.get("sections", lambda v: None), display, chapter.entry, chapter.line, problems):
            section = _Entry(raw_section, display, _entry_name("section", raw_section), s_line, problems)
            section.only("number", "title", "measures")
            s_number = section.get("number", _number)
            s_title = section.get("title", _title)
            if s_number is None:
                numbers["section"].skip()
            else:
                numbers["section"].check(s_number, section.line_of("number"), section)
                sections.append(Section(s_number, c_number or 0, s_title or "", section.line))
            for raw_measure, m_line in _list_of(section.get("measures", lambda v: None), display, section.entry, section.line, problems):
                measure = _read_measure(raw_measure, m_line, display, agencies, problems, numbers["measure"], referenced)
                if measure is not None:
                    measures.append(Measure(measure.number, c_number or 0, s_number or 0, measure.text, measure.responsible, measure.line))
    return document, chapters, sections, measures


def _entry_name(kind: str, raw: Any) -> str:
    number = raw.get("number") if isinstance(raw, dict) else None
    return f"{kind} {number}" if isinstance(number, int) and not isinstance(number, bool) else kind


def _read_document(raw: Any, top: _Entry, display: str, problems: list[Problem]) -> Document | None:
    entry = _Entry(raw, display, "document", top.line_of("document"), problems)
    entry.only("id", "title", "number", "date", "issuers", "source")
    values = {
        "id": entry.get("id", _identifier),
        "title": entry.get("title", _title),
        "number": entry.get("number", _name),
        "date": entry.get("date", _date),
        "issuers": entry.get("issuers", _texts),
        "source": entry.get("source", _optional_text, required=False),
    }
    if any(values[k] is None for k in ("id", "title", "number", "date", "issuers")):
        return None
    return Document(
        id=values["id"],
        title=values["title"],
        number=values["number"],
        date=str(values["date"]),
        issuers=tuple(values["issuers"]),
        source=values["source"],
    )


def _read_measure(
    raw: Any, line: int, display: str, agencies: _Known, problems: list[Problem], numbers: _Sequence, referenced: set[str]
) -> Measure | None:
    entry = _Entry(raw, display, _entry_name("measure", raw), line, problems)
    entry.only("number", "text", "responsible")
    number = entry.get("number", _number)
    text = entry.get("text", _text)
    raw_groups = entry.get("responsible", lambda v: None if isinstance(v, dict) else f"must be a mapping of groups, not {_kind(v)}")
    if number is None:
        numbers.skip()
    else:
        numbers.check(number, entry.line_of("number"), entry)
    responsible: dict[str, tuple[str, ...]] = {}
    if isinstance(raw_groups, YMap):
        groups = _Entry(raw_groups, display, entry.entry, entry.line_of("responsible"), problems)
        groups.only(*GROUPS)
        listed: dict[str, str] = {}
        for group in GROUPS:
            ids = groups.get(group, lambda v: _texts(v) if v else None, required=False)
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
    if number is None or text is None or not responsible:
        return None
    return Measure(number, 0, 0, text, responsible, entry.line)


def _fits_group(agency: Agency, group: str) -> str | None:
    if group in PROVINCES:
        return None if agency.province == group else f"is in province {agency.province}"
    if group == "local":
        return None if agency.level == "city-government" else f"is a {agency.level}, not a city-government"
    return None if agency.level == "joint-body" else f"is a {agency.level}, not a joint-body"


# --- the whole catalogue ------------------------------------------------------------------


def display_path(path: Path) -> str:
    """A path as the user would write it: relative to the working folder where it can be."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_agencies(path: Path) -> dict[str, Agency]:
    problems: list[Problem] = []
    known = _read_agencies(path, display_path(path), problems)
    if problems or known is None:
        raise DataError(sorted(problems))
    return known[0]


def load(data_dir: Path) -> Catalogue:
    """The validated catalogue in `data_dir`; raises DataError with every problem."""
    measures_path, agencies_path = catalogue_files(data_dir)
    problems: list[Problem] = []
    agencies_display = display_path(agencies_path)
    known = _read_agencies(agencies_path, agencies_display, problems)
    referenced: set[str] = set()
    read = _read_measures(measures_path, display_path(measures_path), known, problems, referenced)
    agencies = known[0] if known else {}
    if read is not None:
        for listed in list(referenced):
            referenced.update(successors_of(agencies, listed))
        for agency in agencies.values():
            if agency.id not in referenced:
                problems.append(
                    Problem(agencies_display, agency.line, f"agency {agency.id}", "no measure lists this agency, nor one it succeeded")
                )
    document, chapters, sections, measures = read or (None, [], [], [])
    if problems or document is None:
        raise DataError(sorted(set(problems)))
    return Catalogue(document, chapters, sections, measures, agencies)
