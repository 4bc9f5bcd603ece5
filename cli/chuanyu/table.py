"""Tables for people at a terminal, drawn without a library: the layout rich's simple-head table
gave (README, "Speed": importing rich and drawing 58 rows with it took ~50 ms of a ~100 ms
command; this takes a few). Columns are sized on the first page of records and later pages
keep those widths, so that a long answer's first screen is drawn before its last row is read.

Widths are in terminal cells: a Chinese character takes two, as East Asian Width says.
"""

from __future__ import annotations

import itertools
import os
import re
import textwrap
import unicodedata
from collections.abc import Iterator, Mapping
from typing import TextIO

from .result import Column, Record, Result
from .terms import Phrase, listed, rendered_in

#: The fewest columns a table is drawn in: a narrower terminal folds its lines.
NARROWEST = 24
#: The widest run of text without spaces (in terminal cells) that a table keeps on one line: an
#: agency's name of up to ten Chinese characters is never split, a chapter's title may be.
WORD_CELLS = 20
#: The records a table is sized on; those after are drawn in the same widths, a page at a time.
PAGE = 1_000
#: Between two columns: a cell of padding each side and the rule's own.
GAP = "   "
BOLD, REVERSED, PLAIN = "\x1b[1m", "\x1b[1;7m", "\x1b[0m"
_WORD = re.compile(r"\s*\S+\s*")
#: A match marked 【thus】 (only one closed: an opening bracket alone marks nothing).
_MARKED = re.compile(r"【[^【】]*】")
#: Where a cell's lines are joined to find its matches: a noncharacter, which no text holds.
_FOLD = "\ufdd0"


def cell_len(text: str) -> int:
    """The terminal cells `text` takes: two for a wide (East Asian) character, none for a
    combining mark or a format character, one for any other."""
    if text.isascii():
        return len(text)
    return sum(map(_CELLS.__getitem__, text))


class _Cells(dict[str, int]):
    """The cells of each character, worked out once: a table of 58 rows asks for 500,000."""

    def __missing__(self, char: str) -> int:
        if unicodedata.east_asian_width(char) in "WF":
            cells = 2
        else:
            cells = 0 if unicodedata.combining(char) or unicodedata.category(char) in ("Cf", "Mn", "Me") else 1
        self[char] = cells
        return cells


_CELLS = _Cells()


def _chop(word: str, width: int) -> list[str]:
    """`word` cut into pieces of at most `width` cells (a character wider than that alone)."""
    pieces, piece, size = [], "", 0
    for char in word:
        cells = _CELLS[char]
        if size + cells > width and piece:
            pieces.append(piece)
            piece, size = "", 0
        piece += char
        size += cells
    return [*pieces, piece] if piece else pieces


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` cells: at spaces where it can, and a word longer than
    a line cut where it must; each line as it is shown, without the spaces that end it."""
    lines = []
    for paragraph in text.split("\n"):
        line, size = "", 0
        for match in _WORD.finditer(paragraph):
            word = match.group(0)
            bare = cell_len(word.rstrip())
            if bare <= width - size:
                line, size = line + word, size + cell_len(word)
            elif bare > width:
                pieces = _chop(word, width)
                if line:
                    lines.append(line)
                lines += pieces[:-1]
                line, size = pieces[-1], cell_len(pieces[-1])
            else:
                if line:
                    lines.append(line)
                line, size = word, cell_len(word)
        lines.append(line)
    return [line.rstrip() for line in lines]


class Terminal:
    """Where a table goes: its width in cells, and whether it shows bold and reverse."""

    def __init__(self, out: TextIO, environ: Mapping[str, str] = os.environ):
        forced = environ.get("TTY_COMPATIBLE", "")
        if forced in ("0", "1"):
            is_terminal = forced == "1"
        elif environ.get("FORCE_COLOR") is not None:
            is_terminal = environ["FORCE_COLOR"] != ""
        else:
            is_terminal = _isatty(out)
        dumb = is_terminal and environ.get("TERM", "").lower() in ("dumb", "unknown")
        self.styled = is_terminal and not dumb and environ.get("NO_COLOR", "") == ""
        columns = environ.get("COLUMNS", "")
        if columns.isascii() and columns.isdigit():  # not "²", a digit int() does not read
            width = int(columns)
        elif dumb:
            width = 80
        else:
            width = _terminal_width() or 80
        # COLUMNS=0 says nothing of the width; below NARROWEST, a block's values would have no room
        self.width = max(width, NARROWEST) if width > 0 else 80


def _isatty(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (OSError, ValueError):
        return False


def _terminal_width() -> int:
    for descriptor in (0, 1, 2):  # as rich asked: the first standard stream that is a terminal
        try:
            return os.get_terminal_size(descriptor).columns
        except (AttributeError, ValueError, OSError):
            continue
    return 0


def draw(result: Result, out: TextIO, terminal: Terminal | None = None, lang: str = "en") -> None:
    """`result` as a table at the terminal's width, in `lang`: a row a record, its columns sized
    on the first page of records; a block a record (a line a field) for one record, or where
    even the columns' words do not fit beside each other."""
    terminal = terminal or Terminal(out)
    width = terminal.width
    records = iter([result.first()] if result.single else result.records)
    # an answer already in memory is sized whole; one read as it is written, on its first page
    page = list(records) if isinstance(result.records, list) else list(itertools.islice(records, PAGE))
    columns = [c.in_language(lang) for c in result.columns if c.on_terminal]
    cells = [[_shown(column, record) for column in columns] for record in page]
    fitted, left_out = _fit(columns, cells, width) if not result.single else (None, [])
    if result.title:  # a heading as wide as the terminal, not as the table
        out.write("".join(line + "\n" for line in wrap(rendered_in(result.title, lang), width)))
    layout: _Rows | _Blocks
    if result.single or fitted is None:
        layout = _Blocks(columns, cells, width, terminal.styled)
    else:
        kept = [i for i, column in enumerate(columns) if column not in left_out]
        columns, cells = [columns[i] for i in kept], [[row[i] for i in kept] for row in cells]
        layout = _Rows(columns, cells, fitted, terminal.styled)
    out.write("".join(layout.lines(cells, first=True)))
    if not result.single:
        for more in iter(lambda: list(itertools.islice(records, PAGE)), []):
            out.flush()  # a page at a time: the reader has it before the next is read
            out.write("".join(layout.lines([[_shown(column, record) for column in columns] for record in more], first=False)))
    footer = [rendered_in(line, lang) for line in result.closing()]
    if left_out:
        headers = listed([c.header for c in left_out], lang)
        note = Phrase("({columns}: left out at {width} columns; --format tsv has every column)", columns=headers, width=width)
        # textwrap counts a Chinese character as one cell: in Chinese, wrap counts it as two
        footer = [*(textwrap.wrap if lang == "en" else wrap)(rendered_in(note, lang), width), *footer]
    if footer:
        out.write("\n" + "\n".join(footer) + "\n")


class _Rows:
    """A row a record under a header and a rule, each column in its width."""

    def __init__(self, columns: list[Column], cells: list[list[str]], fitted: list[int | None], styled: bool):
        self.columns, self.styled = columns, styled
        natural = [_longest([c.header, *(row[i] for row in cells)]) for i, c in enumerate(columns)]
        self.widths = [given if given is not None else most for given, most in zip(fitted, natural, strict=True)]

    def lines(self, rows: list[list[str]], first: bool) -> Iterator[str]:
        """The lines of `rows` (each a record's cells, as `_shown`), under the header if `first`."""
        columns = self.columns
        if first:
            header = [self._cell(c.header, c, i, header=True) for i, c in enumerate(columns)]
            yield from self._joined(header, bottom=True)
            yield "─" * (sum(self.widths) + len(GAP) * (len(columns) - 1)) + "\n"
        for row in rows:
            yield from self._joined([self._cell(text, c, i) for i, (text, c) in enumerate(zip(row, columns, strict=True))])

    def _cell(self, text: str, column: Column, i: int, header: bool = False) -> list[str]:
        width = self.widths[i]
        # a code or a number is never folded: one longer than the first page's runs past its column
        lines = text.split("\n") if column.atomic or column.numeric else wrap(text, width)
        shown = _styled(lines, BOLD if header else None, column.highlight and not header, self.styled)
        pad = [" " * max(width - cell_len(line), 0) for line in lines]
        if column.numeric:
            return [p + s for p, s in zip(pad, shown, strict=True)]
        return [s + p for p, s in zip(pad, shown, strict=True)]

    def _joined(self, cells: list[list[str]], bottom: bool = False) -> Iterator[str]:
        height = max(map(len, cells))
        blank = [" " * width for width in self.widths]
        for n in range(height):
            parts = []
            for i, cell in enumerate(cells):
                at = n - (height - len(cell)) if bottom else n
                parts.append(cell[at] if 0 <= at < len(cell) else blank[i])
            yield GAP.join(parts).rstrip() + "\n"


class _Blocks:
    """A block a record: a field a line, its name in bold, a blank line between records. A name
    too long to leave its value two cells (a Chinese character) folds."""

    def __init__(self, columns: list[Column], cells: list[list[str]], width: int, styled: bool):
        self.columns, self.styled = columns, styled
        self.names = max(min(max(cell_len(c.header) for c in columns), width - len(GAP) - 2), 1)
        most = _longest([cell for row in cells for cell in row])
        self.values = max(min(most, width - self.names - len(GAP)), 1)
        self.blank = False

    def lines(self, rows: list[list[str]], first: bool) -> Iterator[str]:
        """The blocks of `rows` (each a record's cells, as `_shown`)."""
        for row in rows:
            if self.blank:
                yield "\n"
            self.blank = True
            for column, text in zip(self.columns, row, strict=True):
                names = wrap(column.header, self.names)
                padded = [
                    f"{styled}{' ' * (self.names - cell_len(name))}"
                    for name, styled in zip(names, _styled(names, BOLD, False, self.styled), strict=True)
                ]
                values = _styled(wrap(text, self.values), None, column.highlight, self.styled)
                for name, value in itertools.zip_longest(padded, values, fillvalue=" " * self.names):
                    yield (name + GAP + value).rstrip() + "\n"


def _shown(column: Column, record: Record) -> str:
    """A cell's text as a terminal can show it in its column: tabs as spaces (to the next stop
    of eight), no carriage return (which would send the line back over the row's first cells)."""
    text = column.cell(record, "\n")
    if "\t" in text or "\r" in text:
        text = "\n".join(line.expandtabs(8) for line in text.replace("\r", "").split("\n"))
    return text


def _longest(texts: list[str]) -> int:
    return max((cell_len(line) for text in texts for line in text.split("\n")), default=0)


def _styled(lines: list[str], style: str | None, highlight: bool, styled: bool) -> list[str]:
    """The lines of a cell in `style`, its marked matches 【thus】 in reverse (one folded across
    lines, on each of them), at a terminal that shows them."""
    if not styled:
        return lines
    if highlight:  # matched in the whole cell, as its lines joined by a mark no text holds
        joined = _MARKED.sub(
            lambda m: REVERSED + m.group(0).replace(_FOLD, PLAIN + (style or "") + _FOLD + REVERSED) + PLAIN + (style or ""),
            _FOLD.join(lines),
        )
        lines = joined.split(_FOLD)
    return [f"{style}{line}{PLAIN}" if style and line else line for line in lines]


def _fit(columns: list[Column], cells: list[list[str]], width: int) -> tuple[list[int | None] | None, list[Column]]:
    """Widths for the columns of a table at `width` cells, and the spare columns it leaves out.

    Each column needs at least its longest word (a name, a code, a number: a run of text without
    spaces, up to WORD_CELLS); where these do not fit beside each other, spare columns go, the last
    first. Room beyond the needs is shared out evenly, a column taking no more than its longest
    line, the least wanting first; None where a column may take its longest line (the whole
    table fits), and None for all where even the words of the columns do not fit beside each other."""

    def needs(column: Column, texts: list[str]) -> tuple[int, int]:
        lines = [line for text in texts for line in text.split("\n")]
        longest = max(map(cell_len, lines), default=0)
        if column.atomic or column.numeric:
            return longest, longest
        return min(max((cell_len(word) for line in lines for word in line.split()), default=0), WORD_CELLS), longest

    ranges = [needs(column, [row[i] for row in cells]) for i, column in enumerate(columns)]
    # a header may fold between its words
    ranges = [
        (max(need, *map(cell_len, c.header.split())), max(most, cell_len(c.header)))
        for (need, most), c in zip(ranges, columns, strict=True)
    ]
    kept = list(range(len(columns)))

    def gaps() -> int:
        return len(GAP) * (len(kept) - 1)

    if sum(ranges[i][1] for i in kept) + gaps() <= width:
        return [None] * len(kept), []
    left_out: list[Column] = []
    for i in reversed(range(len(columns))):
        if sum(ranges[k][0] for k in kept) + gaps() <= width:
            break
        if columns[i].spare:
            kept.remove(i)
            left_out.insert(0, columns[i])
    floor = [ranges[i][0] for i in kept]
    spare_room = width - sum(floor) - gaps()
    if spare_room < 0:  # too narrow for every word beside each other: None, a block a record
        return None, []
    wanted = [ranges[i][1] - ranges[i][0] for i in kept]
    if sum(wanted) <= spare_room:
        return [None] * len(kept), left_out
    widths = list(floor)
    asking = sorted(range(len(kept)), key=lambda k: wanted[k])
    for place, k in enumerate(asking):  # the least wanting first, each up to an even share of what is left
        given = min(wanted[k], spare_room // (len(asking) - place))
        widths[k] += given
        spare_room -= given
    return list(widths), left_out
