"""One Result -> text on a stream, in one of the output formats.

Only this module imports rich, and only for tables: JSON output never pays for it.
"""

from __future__ import annotations

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

    console = Console(file=out, highlight=False, soft_wrap=False)
    if result.single:
        table = Table(box=box.SIMPLE, show_header=False)
        table.add_column("field", style="bold", no_wrap=True)
        table.add_column("value", overflow="fold")
        for record in result.records:
            for column in result.columns:
                # Text, not str: brackets in the data are shown, never read as markup
                table.add_row(Text(column.header), Text(column.text(record)))
    else:
        table = Table(box=box.SIMPLE_HEAD)
        for column in result.columns:
            table.add_column(column.header, overflow="fold")
        for record in result.records:
            table.add_row(*(Text(column.text(record)) for column in result.columns))
    console.print(table)


RENDERERS: dict[str, Callable[[Result, TextIO], None]] = {"table": _table, "json": _json}


def render(result: Result, fmt: str, out: TextIO) -> None:
    RENDERERS[fmt](result, out)
