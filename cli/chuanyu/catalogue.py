"""Read and validate a catalogue (a document's measures + agencies.yaml) into plain objects.

Every problem is collected, not only the first, and each names its file, line and entry.
"""

from __future__ import annotations

from pathlib import Path

from .agencies_file import read_agencies, successors_of
from .errors import DataError, Problem
from .measures_file import read_measures
from .model import Agency, Catalogue
from .paths import catalogue_files


def display_path(path: Path) -> str:
    """A path as the user would write it: relative to the working folder where it can be."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_agencies(path: Path) -> dict[str, Agency]:
    problems: list[Problem] = []
    known = read_agencies(path, display_path(path), problems)
    if problems or known is None:
        raise DataError(sorted(problems))
    return known[0]


def load(data_dir: Path) -> Catalogue:
    """The validated catalogue in `data_dir`; raises DataError with every problem."""
    measures_path, agencies_path = catalogue_files(data_dir)
    problems: list[Problem] = []
    agencies_display = display_path(agencies_path)
    known = read_agencies(agencies_path, agencies_display, problems)
    referenced: set[str] = set()
    read = read_measures(measures_path, display_path(measures_path), known, problems, referenced)
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
