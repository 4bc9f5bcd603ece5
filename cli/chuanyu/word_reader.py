"""A Word file (.docx) -> its paragraphs and tables in document order, with python-docx.

A cell merged across columns (gridSpan) is one cell spanning them; a cell merged down rows
(vMerge) is read in each row, as python-docx gives it; a cell's paragraphs are its lines.
"""

from __future__ import annotations

import io
import zipfile

from .blocks import Block, Cell, Paragraph, Table, folded
from .errors import DataError, Problem

#: What the formats python-docx cannot read are to be saved as, by their suffix.
SAVE_AS = {
    ".doc": "a Word 97-2003 file (.doc): open it in Word or LibreOffice and save it as .docx (Word document) first",
    ".wps": "a WPS file (.wps): open it in WPS Office and save it as .docx (Word document) first",
    ".ofd": "an OFD file (.ofd): open it in an OFD reader and export it as PDF first",
}


def word_blocks(content: bytes, display: str) -> list[Block]:
    """The document body's paragraphs and tables, in order; a nested table is read as its
    cell's text."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(content))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise DataError([Problem(display, 1, "file", f"not a Word (.docx) file that can be read: {reason}")]) from exc
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, docx.table.Table):
            table = _table(item, len(blocks) + 1)
            if table.rows:
                blocks.append(table)
        elif text := folded(item.text):
            blocks.append(Paragraph(text, len(blocks) + 1))
    return blocks


def _table(table, line: int) -> Table:  # type: ignore[no-untyped-def]
    rows: list[tuple[Cell, ...]] = []
    for row in table.rows:
        cells: list[Cell] = []
        previous = None
        for cell in row.cells:  # a merged cell comes once for each grid column it spans
            if previous is not None and cell._tc is previous._tc:
                cells[-1] = Cell(cells[-1].text, cells[-1].span + 1)
                continue
            previous = cell
            lines = [folded(paragraph.text) for paragraph in cell.paragraphs]
            cells.append(Cell("\n".join(text for text in lines if text)))
        rows.append(tuple(cells))
    return Table(tuple(rows), line)
