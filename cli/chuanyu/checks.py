"""Checks of a catalogue entry's fields: each takes a value and says what is wrong with it, or None."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import Problem
from .model import ID_PATTERN
from .notice import DOCUMENT_NUMBER
from .safe_yaml import REFUSED, YList, YMap, read_yaml


class Entry:
    """Checks the fields of one YAML mapping, filing problems against its entry."""

    def __init__(self, mapping: Any, display: str, entry: str, line: int, problems: list[Problem]):
        self.mapping = mapping if isinstance(mapping, YMap) else None
        self.display, self.entry, self.problems = display, entry, problems
        self.line = mapping.line if isinstance(mapping, YMap) else line
        if self.mapping is None and mapping is not REFUSED:
            self.problem(self.line, f"expected a mapping, found {kind_of(mapping)}")

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
        if value is REFUSED:  # its problem is told
            return None
        wrong = check(value)
        if wrong:
            self.problem(self.line_of(key), f"field {key!r} {wrong}")
            return None
        return value


def kind_of(value: Any) -> str:
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


#: Characters no catalogue text holds (they would reach a terminal or a CSV as they are): the
#: C0 and C1 controls, a line break included (texts are joined lines), and DEL.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def text(value: Any, limit: int = TEXT_LIMIT) -> str | None:
    if not isinstance(value, str):
        return f"must be text, not {kind_of(value)}"
    if len(value) > limit:
        return f"is {len(value)} characters long, more than {limit}"
    if control := _CONTROL.search(value):
        return f"holds a control character (U+{ord(control.group(0)):04X})"
    if surrogate := _SURROGATE.search(value):  # an escape such as "\ud800": half a character, no text
        return f"holds a lone surrogate (U+{ord(surrogate.group(0)):04X}), which is no character"
    return None if value.strip() else "must not be empty"


def name(value: Any) -> str | None:
    return text(value, NAME_LIMIT) or invisible(value)


def invisible(value: str) -> str | None:
    """What is wrong with a name holding a character that shows as nothing: Unicode's format
    characters (zero-width space, joiners, word joiner, BOM, soft hyphen, bidirectional
    controls…) and variation selectors. Such a name prints like another and is not it."""
    for character in value:
        if unicodedata.category(character) == "Cf" or "\ufe00" <= character <= "\ufe0f":
            code = f"U+{ord(character):04X} {unicodedata.name(character, '')}".rstrip()
            return f"holds an invisible character ({code}), so it prints like a name it is not"
    return None


def title(value: Any) -> str | None:
    return text(value, TITLE_LIMIT)


def optional_name(value: Any) -> str | None:
    return None if value is None else name(value)


def optional_text(value: Any) -> str | None:
    return None if value is None else text(value)


def number(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"must be a whole number, not {kind_of(value)}"
    return None if value > 0 else "must be positive"


def identifier(value: Any) -> str | None:
    return name(value) or (None if ID_PATTERN.match(value) else f"{value!r} is not a lower-case ASCII id (a-z, 0-9, -)")


def texts(value: Any) -> str | None:
    """A list of names (aliases, issuers, ids)."""
    if not isinstance(value, list):
        return f"must be a list, not {kind_of(value)}"
    wrong = [problem for v in value if v is not REFUSED and (problem := name(v))]
    return f"must hold only names: one {wrong[0]}" if wrong else None


def one_of(*choices: str | None) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if value in choices else f"must be one of {', '.join(map(str, choices))}, not {kind_of(value)}"

    return check


def optional_date(value: Any) -> str | None:
    return None if value is None else date(value)


def date(value: Any) -> str | None:
    if isinstance(value, dt.date):
        return None
    if isinstance(value, str):
        try:
            dt.date.fromisoformat(value)
            return None
        except ValueError:
            pass
    return f"must be a date YYYY-MM-DD, not {kind_of(value)}"


def list_of(value: Any, display: str, entry: str, line: int, problems: list[Problem]) -> list[tuple[Any, int]]:
    """The items of a list field with their lines; None (a missing field, already reported) is empty."""
    if value is None or value is REFUSED:
        return []
    if not isinstance(value, list):
        problems.append(Problem(display, line, entry, f"expected a list, found {kind_of(value)}"))
        return []
    lines = value.item_lines if isinstance(value, YList) else [line] * len(value)
    return list(zip(value, lines, strict=True))


def top_of(path: Path, display: str, problems: list[Problem]) -> Entry | None:
    """A catalogue file's top-level mapping, as an entry; None (its problems told) if the file
    cannot be read or holds no mapping."""
    data, found = read_yaml(path, display)
    problems.extend(found)
    if data is None:
        return None
    top = Entry(data, display, "file", 1, problems)
    return top if top.mapping is not None else None


def document_number(value: Any) -> str | None:
    """A document's number as official documents give it (渝府办发〔2022〕126号), or null where
    the document has no covering notice."""
    if value is None or (isinstance(value, str) and DOCUMENT_NUMBER.fullmatch(value)):
        return None
    return (
        f"must be a document number such as 渝府办发〔2022〕126号, not {value!r}"
        if isinstance(value, str)
        else f"must be a text, not {kind_of(value)}"
    )
