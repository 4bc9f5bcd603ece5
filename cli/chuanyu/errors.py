"""What goes wrong with input data, as plain objects every layer can raise and the CLI reports."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a file, printed as `file:line: entry: message`."""

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
