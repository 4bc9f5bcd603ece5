"""A PDF's text as the document reads: PDFium's lines, page by page, without page furniture and
with the fonts' encodings mapped back (glyphs.py).

PDFium (pypdfium2) was chosen by measurement on PDFs of the shipped document from six producers
(tests/official_pdfs/BASELINE.md): it reads every one in order, joins letter-spaced glyphs and
gives no NULs for CFF fonts, about ten times faster than pypdf.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import DataError, Problem
from .furniture import without_furniture
from .glyphs import as_read


@dataclass(frozen=True)
class PageLine:
    """A line of a PDF's text as it reads, and the page (from 1) it stands on."""

    page: int
    text: str


@dataclass(frozen=True)
class PdfText:
    """A PDF's lines as the document reads them, page after page, and how many characters were
    mapped back from the fonts' encodings or dropped as control characters."""

    lines: list[PageLine]
    pages: int
    mapped: int
    dropped: int

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


#: The longest text read from a PDF: past it, reading stops (a joint document's text is well under 1 Mi).
MAX_TEXT_CHARS = 20 * 2**20


def pdf_text(content: bytes, display: str, longest: int = MAX_TEXT_CHARS) -> PdfText:
    """The text of the PDF `content`; DataError in one line naming `display` if it cannot be
    read, is encrypted, holds no text (a scan) or more than `longest` characters."""
    pages = [page.splitlines() for page in _page_texts(content, display, longest)]
    kept = [(number, line) for number, lines in enumerate(without_furniture(pages), start=1) for line in lines]
    if not any(line.strip() for _, line in kept):  # page numbers alone are no text either
        raise DataError([Problem(display, 1, "file", "the PDF holds no text (a scan? only PDFs with text can be read)")])
    read = as_read("\n".join(line for _, line in kept))  # as a whole: whether Founder's convention holds is the document's
    lines = [PageLine(number, line) for (number, _), line in zip(kept, read.text.split("\n"), strict=True)]
    return PdfText(lines, len(pages), read.mapped, read.dropped)


def opened_pdf(content: bytes, display: str):  # type: ignore[no-untyped-def]
    """PDFium's document of `content`; DataError in one line naming `display` if it cannot be
    opened or is encrypted. The caller closes it."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(content)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise DataError([Problem(display, 1, "file", "an encrypted PDF: save it without a password first")]) from exc
        raise unreadable(exc, display) from exc


def unreadable(exc: Exception, display: str) -> DataError:
    return DataError([Problem(display, 1, "file", f"not a PDF that can be read: {' '.join(str(exc).split())}")])


def _page_texts(content: bytes, display: str, longest: int) -> list[str]:
    import pypdfium2 as pdfium

    document = opened_pdf(content, display)
    try:
        texts: list[str] = []
        length = 0
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
            length += len(texts[-1])
            if length > longest:
                most = f"{longest // 2**20} Mi" if longest % 2**20 == 0 else str(longest)
                too_long = f"the PDF's text is longer than the {most} characters it may have (by page {len(texts)})"
                raise DataError([Problem(display, 1, "file", too_long)])
        return texts
    except pdfium.PdfiumError as exc:
        raise unreadable(exc, display) from exc
    finally:
        document.close()
