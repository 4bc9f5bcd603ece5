"""What goes wrong with input data, as plain objects every layer can raise and the CLI reports."""

from __future__ import annotations

TYPE_CHECKING = False  # typing only for the type checker: importing it costs every command's start-up
if TYPE_CHECKING:
    from typing import Any


class Problem:
    """One thing wrong with a file, printed as `file:line: entry: message`. Ordered by file,
    line, entry, message. (A plain class: every command imports this module, and dataclasses
    would cost each one's start-up ~8 ms.)"""

    __slots__ = ("entry", "file", "line", "message")

    def __init__(self, file: str, line: int, entry: str, message: str):
        self.file, self.line, self.entry, self.message = file, line, entry, message

    def _fields(self) -> tuple[str, int, str, str]:
        return self.file, self.line, self.entry, self.message

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and self._fields() == other._fields()

    def __lt__(self, other: Problem) -> bool:
        return self._fields() < other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return "Problem({!r}, {!r}, {!r}, {!r})".format(*self._fields())

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.entry}: {self.message}"


class DataError(Exception):
    """A catalogue or source text that cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class NoSuchMeasure(LookupError):
    """No measure has that number."""


class AmbiguousMeasure(LookupError):
    """Several documents have a measure of that number: which is meant must be said."""

    def __init__(self, number: int, documents: list[str]):
        super().__init__(number)
        self.number, self.documents = number, documents


class NoSuchDocument(LookupError):
    """No document of the catalogue has that id."""

    def __init__(self, document: str, known: list[str]):
        super().__init__(document)
        self.document, self.known = document, known


class NameLookupError(LookupError):
    """A name that names no one agency; `candidates` (`names.Candidate`s) are the agencies it may mean."""

    def __init__(self, query: str, candidates: list[Any]):
        super().__init__(query)
        self.query, self.candidates = query, candidates


class NotFound(NameLookupError):
    """Nothing close enough; `candidates` are did-you-mean suggestions."""


class Ambiguous(NameLookupError):
    """Several agencies fit equally well; `candidates` are all of them."""
