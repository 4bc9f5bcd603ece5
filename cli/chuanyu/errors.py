"""What goes wrong with input data, as plain objects every layer can raise and the CLI reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a file, printed as `file:line: entry: message`. Ordered by file,
    line, entry, message."""

    file: str
    line: int
    entry: str
    message: str

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


class BadQuestion(ValueError):
    """A question asked with arguments it cannot be answered with (a usage error)."""


class NoSuchQuery(LookupError):
    """No named query of that name; `close` are the names it may mean."""

    def __init__(self, name: str, close: list[str]):
        super().__init__(name)
        self.name, self.close = name, close
