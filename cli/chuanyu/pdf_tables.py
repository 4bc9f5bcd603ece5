"""A PDF's pages as blocks: its ruled tables as Table blocks of cells, the text around them as
Paragraph blocks, in reading order, with PDFium alone.

A table is found from its ruling lines (thin path objects that touch one another); its grid
from the lines' positions; a cell spans the columns no rule separates within its row, and a
cell no rule closes above continues the one above it (read in each row, as the Word reader
does). A cell's lines are its characters grouped by where they stand (PDFium's own line
breaks inside a cell are not reliable); a line that runs to the cell's right edge, or whose
next line's first character (with the punctuation that may not start a line) would not have
fitted after it, wraps; any other line ends a paragraph, and paragraphs are joined by a line
break as the Word reader joins them. A table that runs over pages repeats its header: the
pages' parts are one table, and a row the page break cut in two is one row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from .blocks import Block, Cell, Paragraph, Table, folded
from .furniture import without_furniture
from .glyphs import as_read
from .pdf import opened_pdf, unreadable
from .stream import WIDE

#: A ruling line is thinner than this (points); lines this close are one.
THIN = 3.0
#: How near two rules must come to touch (points).
TOUCH = 2.0
#: Punctuation that may not start a line: a line breaks before the character ahead of it.
NO_LINE_START = "。，、；：？！）》」』〉”’%．,.;:?!)"
#: Where a table stands among a page's lines (a control character no line keeps).
_TABLE_MARK = "\x00"
_WIDE = re.compile(f"[{WIDE}]")
_SPACE_BESIDE_WIDE = re.compile(f"\\s+(?=[{WIDE}])|(?<=[{WIDE}])\\s+")


@dataclass(frozen=True)
class _Rule:
    left: float
    bottom: float
    right: float
    top: float

    @property
    def horizontal(self) -> bool:
        return self.top - self.bottom < THIN

    def touches(self, other: _Rule) -> bool:
        return not (
            self.right + TOUCH < other.left
            or other.right + TOUCH < self.left
            or self.top + TOUCH < other.bottom
            or other.top + TOUCH < self.bottom
        )


@dataclass(frozen=True)
class _Char:
    text: str
    left: float
    bottom: float
    right: float
    top: float


@dataclass(frozen=True)
class _CellLines:
    """A cell's lines of characters, top down, and where its text may run to on the right."""

    lines: list[list[_Char]]
    text_right: float


#: A table as read: rows of cells, None for a column the cell before it spans.
_Rows = list[list[_CellLines | None]]


@dataclass
class _Grid:
    """A table's rules: x of its column lines (left to right), y of its row lines (top down)."""

    rules: list[_Rule]
    xs: list[float]
    ys: list[float]

    @property
    def top(self) -> float:
        return self.ys[0]

    @property
    def bottom(self) -> float:
        return self.ys[-1]

    def ruled_across(self, y: float, left: float, right: float) -> bool:
        middle = (left + right) / 2
        return any(r.horizontal and abs((r.top + r.bottom) / 2 - y) < TOUCH and r.left <= middle <= r.right for r in self.rules)

    def ruled_down(self, x: float, top: float, bottom: float) -> bool:
        middle = (top + bottom) / 2
        return any(not r.horizontal and abs((r.left + r.right) / 2 - x) < TOUCH and r.bottom <= middle <= r.top for r in self.rules)


def pdf_blocks(content: bytes, display: str) -> list[Block]:
    """The PDF's paragraphs (a block per line, page furniture removed) and ruled tables, in order."""
    import pypdfium2 as pdfium

    document = opened_pdf(content, display)
    try:
        pages = [_page_items(page) for page in document]
    except pdfium.PdfiumError as exc:
        raise unreadable(exc, display) from exc
    finally:
        document.close()
    tables: list[_Rows] = []
    marked: list[list[str]] = []
    for items in pages:
        marked.append([])
        for item in items:
            if isinstance(item, str):
                marked[-1].append(item.replace(_TABLE_MARK, ""))  # a control character as_read drops anyway
            else:
                marked[-1].append(f"{_TABLE_MARK}{len(tables)}")  # the table's place, never furniture
                tables.append(item)
    kept = without_furniture(marked)
    joined_to: dict[int, int] = {}  # a table's part on a later page -> the table it is part of
    lines = [line for index, page in enumerate(kept) for line in page if not _continues(kept, index, line, tables, joined_to)]
    return _as_blocks(lines, tables)


def _continues(pages: list[list[str]], index: int, line: str, tables: list[_Rows], joined_to: dict[int, int]) -> bool:
    """Whether `line` marks a table that opens page `index` and goes on with the table that
    closes the page before; if so its rows are joined to that table's."""
    filled = [[text for text in page if text.strip()] for page in pages[index - 1 : index + 1]]
    if index == 0 or not line.startswith(_TABLE_MARK) or not filled[0] or filled[1][0] != line:
        return False
    if not filled[0][-1].startswith(_TABLE_MARK):
        return False
    closing = int(filled[0][-1][1:])
    whole = joined_to.get(closing, closing)
    before, after = tables[whole], tables[int(line[1:])]
    if len(before[0]) != len(after[0]):
        return False
    header = 0
    while header < min(len(before), len(after)) - 1 and _row_texts(after[header]) == _row_texts(before[header]):
        header += 1
    rows = after[header:]
    if rows and not _cell_text(rows[0][0]) and _cell_text(before[-1][0]):  # the row the page break cut
        before[-1] = [_joined(above, below) for above, below in zip(before[-1], rows[0], strict=True)]
        rows = rows[1:]
    before.extend(rows)
    joined_to[int(line[1:])] = whole
    return True


def _joined(above: _CellLines | None, below: _CellLines | None) -> _CellLines | None:
    if above is None or below is None:
        return above
    return _CellLines(above.lines + below.lines, above.text_right)


def _row_texts(row: list[_CellLines | None]) -> list[str]:
    return [_cell_text(cell) for cell in row]


def _as_blocks(lines: list[str], tables: list[_Rows]) -> list[Block]:
    """Lines and tables (marked among the lines) as blocks, the fonts' encodings mapped back."""
    blocks: list[Block] = []
    for line in lines:
        if line.startswith(_TABLE_MARK):
            rows = tables[int(line[1:])]
            blocks.append(Table(tuple(_cells(row) for row in rows), len(blocks) + 1))
        elif text := folded(_read(line)):
            blocks.append(Paragraph(text, len(blocks) + 1))
    return blocks


def _cells(row: list[_CellLines | None]) -> tuple[Cell, ...]:
    cells: list[Cell] = []
    for cell in row:
        if cell is None and cells:
            cells[-1] = Cell(cells[-1].text, cells[-1].span + 1)
        else:
            cells.append(Cell(_cell_text(cell)))
    return tuple(cells)


def _read(text: str) -> str:
    return _SPACE_BESIDE_WIDE.sub("", as_read(text).text)


def _cell_text(cell: _CellLines | None) -> str:
    """The cell's paragraphs, each folded, apart by a line break."""
    if cell is None or not cell.lines:
        return ""
    text = ""
    for line, following in zip(cell.lines, [*cell.lines[1:], None], strict=True):
        text += _line_text(line)
        if following is not None:
            text += _break_after(line, following, cell.text_right)
    return "\n".join(folded(_read(paragraph)) for paragraph in text.split("\n") if paragraph.strip())


def _line_text(line: list[_Char]) -> str:
    """A line's characters, a space where a gap parts two that are not Chinese."""
    text = line[0].text
    for before, char in pairwise(line):
        gap = char.left - before.right
        text += (" " if gap > (char.top - char.bottom) / 5 else "") + char.text
    return text


def _page_items(page) -> list[str | _Rows]:  # type: ignore[no-untyped-def]
    """A page's lines outside its tables and its tables, top down."""
    grids = sorted(_grids(page), key=lambda grid: -grid.top)
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage)
        width, height = page.get_size()
        items: list[str | _Rows] = []
        above = height
        for grid in grids:
            items.extend(textpage.get_text_bounded(0, grid.top, width, above).splitlines())
            items.append(_rows(grid, chars))
            above = grid.bottom
        items.extend(textpage.get_text_bounded(0, 0, width, above).splitlines())
        return items
    finally:
        textpage.close()
        page.close()


def _chars(textpage) -> list[_Char]:  # type: ignore[no-untyped-def]
    """The page's printed characters with their boxes (the font's, not the glyph's ink)."""
    chars = []
    for index in range(textpage.count_chars()):
        text = textpage.get_text_range(index, 1)
        if text.strip():
            chars.append(_Char(text, *textpage.get_charbox(index, loose=True)))
    return chars


def _grids(page) -> list[_Grid]:  # type: ignore[no-untyped-def]
    """The page's ruled tables: groups of touching thin paths with two lines or more each way."""
    import pypdfium2 as pdfium

    rules = []
    for item in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_PATH]):
        left, bottom, right, top = item.get_bounds()
        if (top - bottom < THIN) != (right - left < THIN):
            rules.append(_Rule(left, bottom, right, top))
    groups: list[list[_Rule]] = []
    for rule in rules:
        touching = [group for group in groups if any(rule.touches(other) for other in group)]
        merged = [rule, *(other for group in touching for other in group)]
        groups = [group for group in groups if group not in touching] + [merged]
    grids = []
    for group in groups:
        xs = _distinct([(r.left + r.right) / 2 for r in group if not r.horizontal])
        ys = _distinct([(r.top + r.bottom) / 2 for r in group if r.horizontal])[::-1]
        if len(xs) >= 2 and len(ys) >= 2:
            grids.append(_Grid(group, xs, ys))
    return grids


def _distinct(values: list[float]) -> list[float]:
    kept: list[float] = []
    for value in sorted(values):
        if not kept or value - kept[-1] >= TOUCH:
            kept.append(value)
    return kept


def _rows(grid: _Grid, chars: list[_Char]) -> _Rows:
    """The grid's rows of cells; a cell merged down stands in each row it covers."""
    rows: _Rows = []
    for row in range(len(grid.ys) - 1):
        top, bottom = grid.ys[row], grid.ys[row + 1]
        cells: list[_CellLines | None] = []
        for column in range(len(grid.xs) - 1):
            left = grid.xs[column]
            if column and not grid.ruled_down(left, top, bottom):
                cells.append(None)
                continue
            right_column = column + 1
            while right_column < len(grid.xs) - 1 and not grid.ruled_down(grid.xs[right_column], top, bottom):
                right_column += 1
            right = grid.xs[right_column]
            if row and not grid.ruled_across(top, left, right):
                cells.append(rows[-1][column])
                continue
            below = row + 1
            while below < len(grid.ys) - 1 and not grid.ruled_across(grid.ys[below], left, right):
                below += 1
            cells.append(_cell_lines(chars, left, grid.ys[below], right, top))
        rows.append(cells)
    return rows


def _cell_lines(chars: list[_Char], left: float, bottom: float, right: float, top: float) -> _CellLines:
    """The characters inside the cell as lines: those whose middles stand level, left to right."""
    inside = [c for c in chars if left < (c.left + c.right) / 2 < right and bottom < (c.bottom + c.top) / 2 < top]
    lines: list[list[_Char]] = []
    for char in sorted(inside, key=lambda c: -(c.bottom + c.top)):
        middle = (char.bottom + char.top) / 2
        if lines and abs((lines[-1][0].bottom + lines[-1][0].top) / 2 - middle) < (char.top - char.bottom) / 2:
            lines[-1].append(char)
        else:
            lines.append([char])
    lines = [sorted(line, key=lambda c: c.left) for line in lines]
    padding = min((c.left for c in inside), default=left) - left
    return _CellLines(lines, right - padding)


def _break_after(line: list[_Char], following: list[_Char], text_right: float) -> str:
    """'' or ' ' if `line` wraps into `following`, a line break if a paragraph ends with it."""
    first = 1
    while first < len(following) and following[first].text in NO_LINE_START:
        first += 1
    needed = following[first - 1].right - following[0].left
    last_wide, next_wide = (_WIDE.match(c.text) is not None for c in (line[-1], following[0]))
    if last_wide != next_wide:  # Chinese beside Latin or digits is set a quarter em apart
        needed += (following[0].top - following[0].bottom) / 4
    if text_right - line[-1].right >= needed - 0.5:
        return "\n"
    return "" if last_wide or next_wide else " "
