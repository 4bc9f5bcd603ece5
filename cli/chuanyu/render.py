"""One Result -> text on a stream, in one of the output formats; and a long job's progress.

Tables are drawn by `table`; only progress imports rich, and only at a terminal.
"""

from __future__ import annotations

import io
import itertools
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from .result import Result
from .terms import rendered_in

#: What Excel needs to read a CSV file as UTF-8 (and so show Chinese).
BOM = "\ufeff"
#: One record, compact, by json's C encoder: one encoder for all (json.dumps makes one a call).
_compact = json.JSONEncoder(ensure_ascii=False).encode
#: The most records, and about the most characters, encoded and written at a time: a batch is
#: one write, and memory holds no more than one (a record of `pairs` at 100k measures lists
#: tens of thousands of numbers).
_BATCH = 1_000
_BATCH_CHARS = 1 << 20


def _batches(items: Iterable[Any], size_of: Callable[[Any], int] = len) -> Iterator[list[Any]]:
    """`items` in lists as they come: the first alone (written and flushed at once, for a reader
    waiting), then eight times as many each time up to `_BATCH`, or fewer where they reach
    `_BATCH_CHARS` (so that a reader that stops early, `| head`, ends the command before it
    reads many more, and a batch of long records is not held whole)."""
    items = iter(items)
    most = 1
    while True:
        batch, chars = [], 0
        for item in items:
            batch.append(item)
            chars += size_of(item)
            if len(batch) == most or chars >= _BATCH_CHARS:
                break
        if not batch:
            return
        yield batch
        most = min(most * 8, _BATCH)


def _written(out: TextIO, chunks: Iterable[str]) -> None:
    """Each chunk (a batch's text) a write as it comes; the first flushed, for a reader waiting."""
    for n, chunk in enumerate(chunks):
        out.write(chunk)
        if n == 0:
            out.flush()


def _streamed(out: TextIO, lines: Iterable[str]) -> None:
    """Each line and a newline, a batch a write."""
    _written(out, ("\n".join(batch) + "\n" for batch in _batches(lines)))


def _json(result: Result, out: TextIO, lang: str = "en") -> None:
    """One object pretty-printed; an array one record a line, so that it diffs line by line and
    is written by json's C encoder (which `indent` would bypass: five times slower)."""
    if result.document is not None or result.single:
        data = result.document if result.document is not None else result.first()
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    out.write("[")
    batches = _batches(map(_compact, result.records))
    first = next(batches, None)
    if first is None:
        out.write("]\n")
        return
    _written(out, itertools.chain(["\n" + ",\n".join(first)], (",\n" + ",\n".join(batch) for batch in batches)))
    out.write("\n]\n")


def _jsonl(result: Result, out: TextIO, lang: str = "en") -> None:
    _streamed(out, map(_compact, result.records))


def _rows(result: Result, lang: str) -> Iterator[list[str]]:
    """Header and cells as flat text, a record at a time, in `lang`: several items in a cell
    joined with 、 as the document does."""
    columns = [c.in_language(lang) for c in result.columns]
    yield [c.header for c in columns]
    for record in result.records:
        yield [c.cell(record) for c in columns]


def _csv(result: Result, out: TextIO, lang: str = "en") -> None:
    import csv

    def text(batch: list[list[str]]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer).writerows(batch)
        return buffer.getvalue()

    _written(out, map(text, _batches(_rows(result, lang), lambda row: sum(map(len, row)))))


def _tsv(result: Result, out: TextIO, lang: str = "en") -> None:
    def line(row: list[str]) -> str:
        return "\t".join(" ".join(cell.split()) if ("\t" in cell or "\n" in cell) else cell for cell in row)

    _streamed(out, map(line, _rows(result, lang)))


def _md(result: Result, out: TextIO, lang: str = "en") -> None:
    def line(row: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|").replace("\n", "<br>") for cell in row) + " |"

    if result.title:
        out.write(f"**{rendered_in(result.title, lang)}**\n\n")
    rows = _rows(result, lang)
    out.write(line(next(rows)) + "\n")
    out.write("| " + " | ".join("---:" if c.numeric else "---" for c in result.columns) + " |\n")
    _streamed(out, map(line, rows))
    if footer := result.closing():
        out.write("\n" + "".join(f"{rendered_in(line, lang).strip()}  \n" for line in footer))


def _table(result: Result, out: TextIO, lang: str = "en") -> None:
    from .table import draw

    draw(result, out, lang=lang)


#: Each format's renderer: a Result onto a stream, its headers and the lines around it in a
#: language (`terms.LANGUAGES`; JSON is the same in every one).
RENDERERS: dict[str, Callable[[Result, TextIO, str], None]] = {
    "table": _table,
    "json": _json,
    "jsonl": _jsonl,
    "csv": _csv,
    "tsv": _tsv,
    "md": _md,
}


def render(result: Result, fmt: str, out: TextIO, bom: bool = False, lang: str = "en") -> None:
    if bom:
        out.write(BOM)
    RENDERERS[fmt](result, out, lang)


@contextmanager
def status_line(task: str) -> Iterator[Callable[[str], None]]:
    """A function to tell the stages of `task`: each is drawn as it is told, after a spinner, in
    one line on stderr that is gone when the task ends; at a terminal only. Nothing is drawn,
    and rich is not imported, until a stage is told: a query whose database is built says
    nothing."""
    shown: Any = None
    spinner: Any = None

    def tell(stage: str) -> None:
        nonlocal shown, spinner
        if shown is None:
            if not sys.stderr.isatty():
                return
            from rich.console import Console
            from rich.live import Live
            from rich.spinner import Spinner

            spinner = Spinner("dots", style="green")
            shown = Live(spinner, console=Console(stderr=True, highlight=False), transient=True, refresh_per_second=12.5)
            shown.start()
        spinner.update(text=f"chuanyu: {task}: {stage}…")
        shown.refresh()

    try:
        yield tell
    finally:
        if shown is not None:
            shown.stop()
