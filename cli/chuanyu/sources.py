"""A joint document's source as text: UTF-8 text as it is, a PDF as pypdf extracts its text."""

from __future__ import annotations

from pathlib import Path

from .catalogue import display_path
from .errors import DataError, Problem
from .paths import read_regular

#: A source (a document's text or PDF) larger than this is refused before it is read.
MAX_SOURCE_BYTES = 256 * 2**20


def read_source(source: Path) -> tuple[str, str]:
    """(the document's text, its path as the user would write it); DataError in one line if
    the file cannot be read, is not UTF-8 or is a PDF without text."""
    display = display_path(source)
    try:
        given = read_regular(source, MAX_SOURCE_BYTES)
        return (pdf_text(given, display) if given.startswith(PDF_MAGIC) else given.decode("utf-8-sig")), display
    except OSError as exc:
        raise DataError([Problem(display, 0, "file", f"cannot read: {exc.strerror or exc}")]) from exc
    except UnicodeDecodeError as exc:
        raise DataError([Problem(display, 1, "file", f"not UTF-8 text (byte {exc.start})")]) from exc


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
        pages = [page.extract_text() or "" for page in reader.pages]
    except DataError:
        raise
    except (PyPdfError, Exception) as exc:  # a parser of any file it is given: whatever it raises is the PDF's fault
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise DataError([Problem(display, 1, "file", f"not a PDF that can be read: {reason}")]) from exc
    if not any(page.strip() for page in pages):
        raise DataError([Problem(display, 1, "file", "the PDF holds no text (a scan? only PDFs with text can be read)")])
    return "\n".join(pages)
