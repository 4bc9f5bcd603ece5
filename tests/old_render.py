"""The renderers as they were before answers streamed (commit 1100b6e), kept word for word as the
oracle of tests/test_stream.py: the streaming renderers and chuanyu's own table must write the
same bytes. Each takes a Result whose records are a list and whose footer holds every line
under it (`Result.read()`). Tables are drawn by rich, as they were."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any, TextIO

from chuanyu.result import Column, Result

#: What Excel needs to read a CSV file as UTF-8 (and so show Chinese).
BOM = "\ufeff"
#: One record, compact, by json's C encoder: one encoder for all (json.dumps makes one a call).
_compact = json.JSONEncoder(ensure_ascii=False).encode
#: Records encoded and written at a time: a whole answer of a million records at once would hold
#: its text twice over in memory (gaps at 100k measures: 1.2 GB).
_BATCH = 10_000


def _json(result: Result, out: TextIO) -> None:
    """One object pretty-printed; an array one record a line, so that it diffs line by line and
    is written by json's C encoder (which `indent` would bypass: five times slower)."""
    if result.document is not None or result.single:
        data = result.document if result.document is not None else result.records[0]
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif not result.records:
        out.write("[]\n")
    else:
        out.write("[\n")
        for start in range(0, len(result.records), _BATCH):
            if start:
                out.write(",\n")
            out.write(",\n".join(map(_compact, result.records[start : start + _BATCH])))
        out.write("\n]\n")


def _jsonl(result: Result, out: TextIO) -> None:
    for record in result.records:
        out.write(_compact(record) + "\n")


def _rows(result: Result) -> list[list[str]]:
    """Header and cells as flat text: several items in a cell joined with 、 as the document does."""
    return [[c.header for c in result.columns]] + [[c.cell(record) for c in result.columns] for record in result.records]


def _csv(result: Result, out: TextIO) -> None:
    csv.writer(out).writerows(_rows(result))


def _tsv(result: Result, out: TextIO) -> None:
    for row in _rows(result):
        out.write("\t".join(" ".join(cell.split()) if ("\t" in cell or "\n" in cell) else cell for cell in row) + "\n")


def _md(result: Result, out: TextIO) -> None:
    rows = [[cell.replace("|", "\\|").replace("\n", "<br>") for cell in row] for row in _rows(result)]
    if result.title:
        out.write(f"**{result.title}**\n\n")
    out.write("| " + " | ".join(rows[0]) + " |\n")
    out.write("| " + " | ".join("---:" if c.numeric else "---" for c in result.columns) + " |\n")
    for row in rows[1:]:
        out.write("| " + " | ".join(row) + " |\n")
    if result.footer:
        out.write("\n" + "".join(f"{line.strip()}  \n" for line in result.footer))


def _table(result: Result, out: TextIO) -> None:
    import textwrap

    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    terminal = Console(file=out)
    # COLUMNS=0 says nothing of the width; below NARROWEST, a block's values would have no room
    width = max(terminal.width, NARROWEST) if terminal.width > 0 else 80
    columns = [c for c in result.columns if c.on_terminal]
    cells = [[column.cell(record, "\n") for column in columns] for record in result.records]
    widths, left_out = _fit(columns, cells, width) if not result.single else ([], [])
    blocks = result.single or widths is None  # too narrow for a row a record: a block a record, every field
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, show_header=not blocks)
    footer = result.footer
    if blocks:  # a field per line, a blank line between records
        table.add_column("field", style="bold", no_wrap=True)
        table.add_column("value", overflow="fold")
        rows: list[list[Any]] = []
        for n, fields in enumerate(cells):
            rows += [[Text("")] * 2] if n else []
            rows += [[Text(c.header), Text(cell)] for c, cell in zip(columns, fields, strict=True)]
    else:
        assert widths is not None
        if left_out:
            kept = [i for i, column in enumerate(columns) if column not in left_out]
            columns, cells = [columns[i] for i in kept], [[row[i] for i in kept] for row in cells]
            note = f"({', '.join(c.header for c in left_out)}: left out at {width} columns; --format tsv has every column)"
            footer = [*textwrap.wrap(note, width), *footer]
        for column, column_width in zip(columns, widths, strict=True):
            table.add_column(
                column.header,
                no_wrap=column.atomic or column.numeric,
                justify="right" if column.numeric else "left",
                overflow="fold",
                width=column_width,
            )
        # Text, not str: brackets in the data are shown as they are, never read as markup
        rows = [[_text(cell, column.highlight) for cell, column in zip(row, columns, strict=True)] for row in cells]
    for row in rows:
        table.add_row(*row)
    # render at the terminal's width and colours (none at all under NO_COLOR or TERM=dumb), then
    # drop the padding rich adds to each line
    styled = terminal.is_terminal and not terminal.no_color and not terminal.is_dumb_terminal
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=styled,
        color_system=terminal.color_system if styled else None,  # type: ignore[arg-type]
        highlight=False,
    )
    if result.title:  # a heading as wide as the terminal, not as the table
        console.print(Text(result.title))
    console.print(table)
    out.write("".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines()))
    if footer:
        out.write("\n" + "\n".join(footer) + "\n")


#: The fewest columns a table is drawn in: a narrower terminal folds its lines.
NARROWEST = 24
#: The widest run of text without spaces (in terminal cells) that a table keeps on one line: an
#: agency's name of up to ten Chinese characters is never split, a chapter's title may be.
WORD_CELLS = 20


def _fit(columns: list[Column], cells: list[list[str]], width: int) -> tuple[list[int | None] | None, list[Column]]:
    """Widths for the columns of a table at `width` cells, and the spare columns it leaves out.

    Each column needs at least its longest word (a name, a code, a number: a run of text without
    spaces, up to WORD_CELLS); where these do not fit beside each other, spare columns go, the last
    first. Room beyond the needs is shared out evenly, a column taking no more than its longest
    line, the least wanting first; None where rich may size a column itself (the whole table fits),
    and None for all where even the words of the columns do not fit beside each other."""
    from rich.cells import cell_len

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

    def gaps() -> int:  # between two columns: a cell of padding each side and the rule's own
        return 3 * (len(kept) - 1)

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


def _text(cell: str, highlight: bool) -> Any:
    from rich.text import Text

    text = Text(cell)
    if highlight:
        text.highlight_regex(r"【[^】]*】", style="bold reverse")
    return text


OLD: dict[str, Callable[[Result, TextIO], None]] = {"table": _table, "json": _json, "jsonl": _jsonl, "csv": _csv, "tsv": _tsv, "md": _md}
