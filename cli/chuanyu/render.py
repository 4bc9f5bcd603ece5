"""One Result -> text on a stream, in one of the output formats.

Only this module imports rich, and only for tables: JSON output never pays for it.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import TextIO

from .result import Result


def _json(result: Result, out: TextIO) -> None:
    data = result.records[0] if result.single else result.records
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _table(result: Result, out: TextIO) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    terminal = Console(file=out)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, show_header=not result.single)
    if result.single:  # one record: a field per line
        table.add_column("field", style="bold", no_wrap=True)
        table.add_column("value", overflow="fold")
        rows = [[Text(c.header), Text(c.cell(record, "\n"))] for record in result.records for c in result.columns]
    else:
        for column in result.columns:
            table.add_column(
                column.header, no_wrap=column.atomic or column.numeric, justify="right" if column.numeric else "left", overflow="fold"
            )
        # Text, not str: brackets in the data are shown as they are, never read as markup
        rows = [[Text(column.cell(record, "\n")) for column in result.columns] for record in result.records]
    for row in rows:
        table.add_row(*row)
    # render at the terminal's width and colours, then drop the padding rich adds to each line
    buffer = io.StringIO()
    Console(
        file=buffer,
        width=terminal.width,
        force_terminal=terminal.is_terminal,
        color_system=terminal.color_system,  # type: ignore[arg-type]
        no_color=terminal.no_color,
        highlight=False,
    ).print(table)
    out.write("".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines()))


RENDERERS: dict[str, Callable[[Result, TextIO], None]] = {"table": _table, "json": _json}


def render(result: Result, fmt: str, out: TextIO) -> None:
    RENDERERS[fmt](result, out)
