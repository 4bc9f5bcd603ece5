"""A joint document's source as text: UTF-8 text as it is, a PDF as it reads (pdf.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .catalogue import display_path
from .errors import DataError, Problem
from .paths import read_regular
from .pdf import pdf_text

#: A source (a document's text or PDF) larger than this is refused before it is read.
MAX_SOURCE_BYTES = 256 * 2**20


@dataclass(frozen=True)
class Source:
    """A document's text, its path as the user would write it, and (for a PDF) how many of its
    characters were mapped back from the fonts' encodings or dropped as control characters."""

    text: str
    display: str
    mapped: int = 0
    dropped: int = 0


def read_source(source: Path) -> Source:
    """The document at `source`; DataError in one line if the file cannot be read, is not UTF-8
    or is a PDF without text."""
    display = display_path(source)
    try:
        given = read_regular(source, MAX_SOURCE_BYTES)
        if given.startswith(PDF_MAGIC):
            read = pdf_text(given, display)
            return Source(read.text, display, read.mapped, read.dropped)
        return Source(given.decode("utf-8-sig"), display)
    except OSError as exc:
        raise DataError([Problem(display, 0, "file", f"cannot read: {exc.strerror or exc}")]) from exc
    except UnicodeDecodeError as exc:
        raise DataError([Problem(display, 1, "file", f"not UTF-8 text (byte {exc.start})")]) from exc


#: How a PDF file starts: such a source is read for its text, any other as UTF-8 text.
PDF_MAGIC = b"%PDF-"
