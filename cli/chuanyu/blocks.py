"""A document's source as blocks: its paragraphs and tables in order, whatever the file kind.

A web page and a Word file hold their text in paragraphs and table cells; the readers of each
turn them into this one shape, which `task_tables` reads for a task-division table and whose
paragraphs `extract.parse` reads as it reads a plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    """A paragraph's text, white space folded; `line` counts blocks from 1 (a Word file or a
    web page has no lines of its own: the block is what a problem names)."""

    text: str
    line: int


@dataclass(frozen=True)
class Cell:
    """A table cell: its text (its paragraphs joined by a line break) and how many columns it
    spans (a cell merged across the two provinces' columns spans both)."""

    text: str
    span: int = 1


@dataclass(frozen=True)
class Table:
    """A table's rows of cells, in the document's order; `line` as a paragraph's."""

    rows: tuple[tuple[Cell, ...], ...]
    line: int
    row_lines: tuple[int, ...] = field(default=())

    def row_line(self, index: int) -> int:
        """The block number a problem in row `index` names: the table's own unless the reader
        knows each row's."""
        return self.row_lines[index] if index < len(self.row_lines) else self.line


Block = Paragraph | Table


def folded(text: str) -> str:
    """White space folded as the clause parser expects: none beside Chinese characters is kept
    by `extract.normalise`; here runs become one space, ends are trimmed."""
    return " ".join(text.split())


def plain_text(blocks: list[Block]) -> str:
    """The paragraphs as lines of text (tables as a line per row, cells apart by a tab): what
    `extract.parse` reads of a document that gives its units in clauses."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            lines.extend("\t".join(cell.text.replace("\n", " ") for cell in row) for row in block.rows)
    return "\n".join(lines)
