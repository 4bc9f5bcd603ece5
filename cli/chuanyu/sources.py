"""A joint document's source as text: UTF-8 text as it is, a PDF as pypdf extracts its text."""

from __future__ import annotations

import codecs
import contextlib
import stat
from pathlib import Path

from .catalogue import display_path
from .errors import DataError, Problem
from .paths import TooLarge, read_regular

#: The largest source read, refused before it is read: a document's text of more than 20 MiB
#: (the largest joint documents are well under 1 MiB), a PDF of more than 100 MiB (scans and
#: fonts make a PDF many times its text), and text extracted from a PDF past the same 20 MiB.
MAX_TEXT_BYTES = 20 * 2**20
MAX_PDF_BYTES = 100 * 2**20
#: How much of a text is decoded at a time: decoding it whole takes, besides its bytes, a
#: buffer of as many characters as bytes at the width of its widest character.
_DECODED_AT_ONCE = 2**20


def read_source(source: Path) -> tuple[str, str]:
    """(the document's text, its path as the user would write it); DataError in one line if
    the file cannot be read, is too large, is not UTF-8 or is a PDF without text."""
    display = display_path(source)
    try:
        given = read_regular(source, _limit_of(source))
        return (pdf_text(given, display) if given.startswith(PDF_MAGIC) else _decoded(given)), display
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


def pdf_text(content: bytes, display: str) -> str:
    """The text of a PDF, a page after another, as pypdf extracts it: lines as the PDF lays them
    out, which `parse` reads as it reads a text extracted by any other tool. A line numbers a page
    of the PDF where a problem is found in it."""
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its complaints about odd PDFs are not lines of ours
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise DataError([Problem(display, 1, "file", "an encrypted PDF: save it without a password first")])
        pages: list[str] = []
        length = 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            length += len(pages[-1])
            if length > MAX_TEXT_BYTES:
                limit = f"the {MAX_TEXT_BYTES // 2**20} Mi characters a document's text may have"
                raise DataError([Problem(display, len(pages), "file", f"the PDF's text is longer than {limit}")])
    except DataError:
        raise
    except (PyPdfError, Exception) as exc:  # a parser of any file it is given: whatever it raises is the PDF's fault
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise DataError([Problem(display, 1, "file", f"not a PDF that can be read: {reason}")]) from exc
    if not any(page.strip() for page in pages):
        raise DataError([Problem(display, 1, "file", "the PDF holds no text (a scan? only PDFs with text can be read)")])
    return "\n".join(pages)
