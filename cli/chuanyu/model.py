"""The catalogue as plain objects: units, documents, chapters, sections, measures and their listings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

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
#: Why a unit has no counterpart by its nature (agencies.yaml's `no_counterpart.why`): its gaps
#: are structural, summed up per unit rather than listed.
NO_COUNTERPART_REASONS = ("local-government", "development-zone", "one-province-project", "leading-group")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Succession:
    """A body that took over a unit's function: when (None: the source gives no date), the
    source that says so, and what it says."""

    id: str
    since: str | None
    source: str
    note: str | None = None


@dataclass(frozen=True)
class NoCounterpart:
    """Why a unit has no counterpart in the other province by its nature: `why` (one of
    `NO_COUNTERPART_REASONS`), what shows it (`basis`), and the source where it is a fact
    beyond this file (None: the unit's level here says so)."""

    why: str
    basis: str
    source: str | None = None


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
    no_counterpart: NoCounterpart | None = None
    line: int = 0


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    number: str | None  # None: a document with no covering notice gives none
    date: str | None
    issuers: tuple[str, ...]
    source: str | None = None
    line: int = 0  # of its id in its measures file


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
    section: int | None  # None: its chapter has no sections
    text: str
    responsible: dict[str, tuple[str, ...]]
    line: int = 0
    #: the units the document names as leading (牵头单位); None: it names none, and the first of
    #: each province's list leads
    leads: tuple[str, ...] | None = None

    def listings(self) -> Iterator[tuple[str, str, int]]:
        """(group, agency id, position from 1) in the document's order."""
        for group in GROUPS:
            for position, agency in enumerate(self.responsible.get(group, ()), start=1):
                yield group, agency, position

    def role(self, group: str, agency: str, position: int) -> str:
        """`lead` or `co`: as the document names them, else by `role`."""
        return ("lead" if agency in self.leads else "co") if self.leads is not None else role(group, position)


def role(group: str, position: int) -> str:
    """`lead` for the first-listed unit of a province's list, else `co`."""
    return "lead" if group in PROVINCES and position == 1 else "co"


@dataclass
class Part:
    """One document of a catalogue, from its own measures file: chapters, sections, measures."""

    document: Document
    chapters: list[Chapter]
    sections: list[Section]
    measures: list[Measure]


@dataclass
class Catalogue:
    """Every document (data/measures.yaml's first, then documents/ by file name) and the one
    directory of units they all name."""

    parts: list[Part]
    agencies: dict[str, Agency]

    @property
    def document(self) -> Document:
        """The first document: data/measures.yaml's."""
        return self.parts[0].document

    @property
    def chapters(self) -> list[Chapter]:
        """The first document's chapters."""
        return self.parts[0].chapters

    @property
    def sections(self) -> list[Section]:
        """The first document's sections."""
        return self.parts[0].sections

    @property
    def measures(self) -> list[Measure]:
        """The first document's measures."""
        return self.parts[0].measures
