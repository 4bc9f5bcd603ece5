"""A joint document's source as text: UTF-8 text as it is, a PDF as it reads (pdf.py)."""

from __future__ import annotations

import codecs
import contextlib
import stat
from dataclasses import dataclass
from pathlib import Path

from .catalogue import display_path
from .errors import DataError, Problem
from .paths import TooLarge, read_regular
from .pdf import pdf_text

#: The largest source read, refused before it is read: a document's text of more than 20 MiB
#: (the largest joint documents are well under 1 MiB), a PDF of more than 100 MiB (scans and
#: fonts make a PDF many times its text), and text extracted from a PDF past the same 20 MiB.
MAX_TEXT_BYTES = 20 * 2**20
MAX_PDF_BYTES = 100 * 2**20
#: How much of a text is decoded at a time: decoding it whole takes, besides its bytes, a
#: buffer of as many characters as bytes at the width of its widest character.
_DECODED_AT_ONCE = 2**20


@dataclass(frozen=True)
class Source:
    """A document's text, its path as the user would write it, and (for a PDF) how many of its
    characters were mapped back from the fonts' encodings or dropped as control characters."""

    text: str
    display: str
    mapped: int = 0
    dropped: int = 0
    from_pdf: bool = False


def read_source(source: Path) -> Source:
    """The document at `source`; DataError in one line if the file cannot be read, is too large,
    is not UTF-8 or is a PDF without text."""
    display = display_path(source)
    try:
        given = read_regular(source, _limit_of(source))
        if given.startswith(PDF_MAGIC):
            read = pdf_text(given, display, longest=MAX_TEXT_BYTES)
            return Source(read.text, display, read.mapped, read.dropped, from_pdf=True)
        return Source(_decoded(given), display)
    except TooLarge as exc:
        raise DataError([Problem(display, 0, "file", f"{_too_large(exc.size, exc.limit)}: refused before it is read")]) from exc
    except OSError as exc:
        raise DataError([Problem(display, 0, "file", f"cannot read: {exc.strerror or exc}")]) from exc
    except UnicodeDecodeError as exc:
        raise DataError([Problem(display, 1, "file", f"not UTF-8 text (byte {exc.start})")]) from exc


def _too_large(size: int, limit: int) -> str:
    kind = "a PDF" if limit == MAX_PDF_BYTES else "a document's text"
    return f"{size / 2**20:.1f} MiB, more than the {limit // 2**20} MiB {kind} may have"


def _limit_of(source: Path) -> int:
    """The size `source` may have: a PDF's, if it is one; a text's otherwise. Only a regular
    file larger than a text may be is opened to see which (a FIFO is left to read_regular)."""
    with contextlib.suppress(OSError):
        info = source.stat()
        if stat.S_ISREG(info.st_mode) and info.st_size > MAX_TEXT_BYTES:
            with source.open("rb") as handle:
                return MAX_PDF_BYTES if handle.read(len(PDF_MAGIC)) == PDF_MAGIC else MAX_TEXT_BYTES
    return MAX_TEXT_BYTES


def _decoded(given: bytes) -> str:
    """`given` as UTF-8 text (a BOM dropped), decoded a part at a time; UnicodeDecodeError at
    the first byte that is not UTF-8, as decoding it whole would say."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    parts: list[str] = []
    try:
        for start in range(0, len(given), _DECODED_AT_ONCE):
            parts.append(decoder.decode(given[start : start + _DECODED_AT_ONCE], final=start + _DECODED_AT_ONCE >= len(given)))
    except UnicodeDecodeError:
        given.decode("utf-8-sig")  # raises, with the byte counted from the start
        raise
    return "".join(parts)


#: How a PDF file starts: such a source is read for its text, any other as UTF-8 text.
PDF_MAGIC = b"%PDF-"
