"""A document's source, whatever its kind, -> the parsed document: the one point where the
kind of file decides how it is read.

Text and PDF go to `extract.parse` as text, but a PDF whose ruled tables hold a task-division
table is read as blocks (pdf_tables.py); a web page (.html) and a Word file (.docx) are
read as blocks, their task-division table read by `task_tables`, or, without one, their
paragraphs parsed as text. Formats that cannot be read are refused in one line saying what to
save them as.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .blocks import Block, Paragraph, Table, plain_text
from .catalogue import display_path
from .errors import DataError, Problem
from .extract import ParsedDocument, _has_notice, _parse_header, parse
from .page_reader import PageMetadata, page_content
from .paths import read_regular
from .pdf_tables import pdf_blocks
from .sources import MAX_PDF_BYTES, read_source
from .stream import normalise
from .task_tables import FIRST_LEADS, has_task_table, read_task_tables
from .word_reader import SAVE_AS, word_blocks

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
WORD_SUFFIX = ".docx"


@dataclass
class ParsedSource:
    """The document a source holds, its path as the user would write it, and how many of its
    characters were mapped back from a PDF's fonts or dropped as control characters."""

    document: ParsedDocument
    display: str
    mapped: int = 0
    dropped: int = 0


def parsed_source(source: Path) -> ParsedSource:
    """The document `source` holds, whatever its kind."""
    display = display_path(source)
    suffix = source.suffix.lower()
    if suffix in SAVE_AS:
        raise DataError([Problem(display, 1, "file", f"{SAVE_AS[suffix]}, then add that")])
    if suffix not in (*PAGE_SUFFIXES, WORD_SUFFIX):
        read = read_source(source)
        if read.from_pdf and _may_hold_task_table(read.text):
            blocks = pdf_blocks(_content(source, display), display)
            if has_task_table(blocks):
                return ParsedSource(parsed_blocks(blocks, display), display, read.mapped, read.dropped)
        return ParsedSource(_parsed_text(read.text, read.display), read.display, read.mapped, read.dropped)
    content = _content(source, display)
    if suffix == WORD_SUFFIX:
        return ParsedSource(parsed_blocks(word_blocks(content, display), display), display)
    blocks, metadata = page_content(content, display)
    return ParsedSource(confirmed(parsed_blocks(blocks, display), metadata, display), display)


def _content(source: Path, display: str) -> bytes:
    try:
        return read_regular(source, MAX_PDF_BYTES)  # a page or a Word file holds more than its text, as a PDF does
    except OSError as exc:
        raise DataError([Problem(display, 0, "file", f"cannot read: {exc.strerror or exc}")]) from exc


def _may_hold_task_table(text: str) -> bool:
    return "序号" in text and ("完成时限" in text or FIRST_LEADS.search(text) is not None)


def _parsed_text(raw: str, display: str) -> ParsedDocument:
    """A text source, or a PDF whose ruled tables hold no task table: its clauses parsed; a task
    table in it is refused in one line, as its columns cannot be told apart in text."""
    try:
        return parse(raw, display)
    except DataError:
        if _may_hold_task_table(raw):
            message = "a task-division table is read only from ruled cells (a Word file, a web page or a PDF with ruled tables)"
            raise DataError([Problem(display, 1, "file", f"{message}: add the document's Word file (.docx) or web page")]) from None
        raise


def parsed_blocks(blocks: list[Block], display: str) -> ParsedDocument:
    """Blocks of a web page or a Word file -> the document: its task tables if it has any, else
    its paragraphs parsed as a text is."""
    if not has_task_table(blocks):
        return parse(plain_text(blocks), display)
    first_table = next(i for i, block in enumerate(blocks) if isinstance(block, Table))
    head = "\n".join(block.text for block in blocks[:first_table] if isinstance(block, Paragraph))
    stream = normalise(head)

    def fail(pos: int, message: str) -> DataError:
        return DataError([Problem(display, stream.line_at(pos), "document", message)])

    if _has_notice(stream.text):
        document = _parse_header(stream, len(stream.text), fail)
    else:
        if not stream.text.strip():
            raise DataError([Problem(display, 1, "document", "no title before the task table, and no notice naming the document")])
        document = ParsedDocument(title=head.split("\n", 1)[0].strip(), number=None, date=None, issuers=[])
    return read_task_tables(blocks, display, document)


def confirmed(document: ParsedDocument, metadata: PageMetadata, display: str) -> ParsedDocument:
    """`document` as its page's metadata table confirms it: a number or date the text does not
    give is taken from the table; one that differs is an error naming both."""
    for key, given in (("number", metadata.number), ("date", metadata.date)):
        written = getattr(document, key)
        if given is None:
            continue
        if written is None:
            setattr(document, key, given)
        elif written != given:
            label = "发文字号" if key == "number" else "成文日期"
            message = f"the page's {label} {given} is not the notice's {key} {written}"
            raise DataError([Problem(display, 1, "document", message)])
    if metadata.issuer and not document.issuers:
        document.issuers = [metadata.issuer]
    return document
