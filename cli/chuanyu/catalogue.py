"""Read and validate a catalogue (a document's measures + agencies.yaml) into plain objects.

Every problem is collected, not only the first, and each names its file, line and entry.
"""

from __future__ import annotations

from pathlib import Path

from .agencies_file import read_agencies, successors_of
from .errors import DataError, Problem
from .measures_file import read_measures
from .model import Agency, Catalogue, Part
from .paths import DOCUMENTS_DIR, catalogue_files

#: Agencies no measure lists, each told on a line of its own; more are told in one line.
UNLISTED_LINES = 3


def display_path(path: Path) -> str:
    """A path as the user would write it: relative to the working folder where it can be."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # elsewhere; or a link that loops, which reading it then says
        return str(path)


def load_agencies(path: Path) -> dict[str, Agency]:
    problems: list[Problem] = []
    known = read_agencies(path, display_path(path), problems)
    if problems or known is None:
        raise DataError(sorted(problems))
    return known[0]


def load(data_dir: Path) -> Catalogue:
    """The validated catalogue in `data_dir`; raises DataError with every problem, in every file."""
    measures_path, agencies_path, *further = catalogue_files(data_dir)
    problems: list[Problem] = []
    agencies_display = display_path(agencies_path)
    known = read_agencies(agencies_path, agencies_display, problems)
    referenced: set[str] = set()
    parts: list[Part | None] = []
    first_file: dict[str, str] = {}  # a document's id -> the file that first gave it
    for path in (measures_path, *further):
        display = display_path(path)
        read = read_measures(path, display, known, problems, referenced)
        document, chapters, sections, measures = read or (None, [], [], [])
        parts.append(None if document is None else Part(document, chapters, sections, measures))
        if document is not None and first_file.setdefault(document.id, display) != display:
            problems.append(Problem(display, document.line, "document", f"id {document.id!r} is already that of {first_file[document.id]}"))
    folder = data_dir / DOCUMENTS_DIR
    if folder.exists() and not folder.is_dir():  # else its files would be passed over, unsaid
        problems.append(Problem(display_path(folder), 1, "file", "not a folder: documents/ holds the further documents' files"))
    agencies = known[0] if known else {}
    if all(part is not None for part in parts):
        for listed in list(referenced):
            referenced.update(successors_of(agencies, listed))
        unlisted = [agency for agency in agencies.values() if agency.id not in referenced]
        if len(unlisted) > UNLISTED_LINES:  # many at once: more likely a measures file cut short than units to remove
            problems.append(
                Problem(
                    agencies_display,
                    unlisted[0].line,
                    f"agency {unlisted[0].id}",
                    f"{len(unlisted)} agencies that no measure lists, nor one they succeeded "
                    f"({', '.join(a.id for a in unlisted[:3])}…): is a measures file cut short?",
                )
            )
        else:
            problems += [
                Problem(agencies_display, a.line, f"agency {a.id}", "no measure lists this agency, nor one it succeeded") for a in unlisted
            ]
    if problems or any(part is None for part in parts):
        raise DataError(sorted(set(problems)))
    return Catalogue([part for part in parts if part is not None], agencies)


def summary(catalogue: Catalogue) -> str:
    """The catalogue in a line of figures; the number of documents first where there are several."""
    measures = [measure for part in catalogue.parts for measure in part.measures]
    listed = {agency for m in measures for _, agency, _ in m.listings()}
    listings = sum(1 for m in measures for _ in m.listings())
    figures = (
        f"{sum(len(part.chapters) for part in catalogue.parts)} chapters, {sum(len(part.sections) for part in catalogue.parts)} sections, "
        f"{len(measures)} measures, {listings} listings of {len(listed)} agencies, {len(catalogue.agencies) - len(listed)} successor bodies"
    )
    return figures if len(catalogue.parts) == 1 else f"{len(catalogue.parts)} documents: {figures}"
