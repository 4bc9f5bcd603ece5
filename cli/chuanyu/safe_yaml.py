"""A YAML file as plain data, safely: YAML's own scalar types, mappings and lists, no anchors or
aliases, nesting and size bounded; each mapping and list remembers its lines. Every problem names
the file and line, and reads the same whichever parser PyYAML has."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem
from .paths import MAX_FILE_BYTES, TooLarge, read_regular

#: The parsers a file is read with, in turn: libyaml's C parser for speed where PyYAML has it, then
#: the pure-Python one, which reads again what the first refuses. libyaml's own limits differ by
#: build (0.2.6 stops at 1,000 levels of nesting, before chuanyu's check at 20 sees them) and so do
#: its words, so every refusal is the pure-Python parser's or chuanyu's, whichever PyYAML is here.
LOADERS: tuple[type[Any], ...] = (yaml.SafeLoader,)
if hasattr(yaml, "CSafeLoader"):  # pragma: no branch - depends on how PyYAML was built
    LOADERS = (yaml.CSafeLoader, yaml.SafeLoader)

MAX_DEPTH = 20


#: A value the reader refused and has said why (a foreign tag, an alias, a value it cannot read):
#: the field checks pass over it, so that one problem is one line.
REFUSED: Any = type("Refused", (), {"__repr__": lambda self: "REFUSED"})()


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
        raw = read_regular(path, MAX_FILE_BYTES)
    except TooLarge as exc:
        return None, [Problem(display, 1, "file", f"{exc.size} bytes, more than the {exc.limit} a catalogue file may have")]
    except OSError as exc:
        return None, [Problem(display, 1, "file", f"cannot read: {exc.strerror or exc}")]
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
        except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, most controls)
            line = text.count("\n", 0, exc.position) + 1
            code = exc.character if isinstance(exc.character, int) else ord(exc.character)
            refusal = Problem(display, line, "file", f"YAML syntax: character #x{code:04x} is not allowed in YAML ({exc.reason})")
        except yaml.YAMLError as exc:
            refusal = Problem(display, 1, "file", f"YAML syntax: {' '.join(str(exc).split())}")
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
                if value is not REFUSED:  # (a refused key, `<<` of a merge, is told already)
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
            place(REFUSED if foreign else closed, start)
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
            place(REFUSED, event)
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
        return REFUSED
    try:
        return _scalars.construct_object(yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style))
    except (yaml.YAMLError, ValueError) as exc:  # e.g. a timestamp that is no date
        problems.append(Problem(display, _line(event), "file", f"unreadable value {event.value!r}: {getattr(exc, 'problem', exc)}"))
        return REFUSED
