"""chuanyu query: named SQL and --sql, read-only."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from . import answers
from .base import Lang, answer
from .shared import BomOption, DataOption, FormatOption, LangOption, app


@app.command()
def query(
    name: Annotated[Optional[str], typer.Argument(help="A named query: the stem of a file in queries/.", show_default=False)] = None,
    parameter: Annotated[
        Optional[list[str]],
        typer.Option(
            "--parameter", "-p", metavar="KEY=VALUE", help="A value for the query's :KEY; repeat for several.", show_default=False
        ),
    ] = None,
    list_queries: Annotated[bool, typer.Option("--list", help="List the named queries with their parameters.")] = False,
    sql: Annotated[Optional[str], typer.Option("--sql", help="Run this SQL instead (one reading statement).", show_default=False)] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, help="Stop a query still running after this many seconds.")] = 5.0,
    data: DataOption = None,
    fmt: FormatOption = None,
    bom: BomOption = False,
    lang: LangOption = Lang.en,
) -> None:
    """Run named SQL from queries/ (or --sql) on the catalogue's database, read-only.

    Writes, ATTACH, PRAGMAs that set anything and extension loading are refused (exit 2), and a
    query still running after --time-limit seconds is stopped (exit 2). The tables are listed in
    README ("The database").

    \b
    Examples:
      chuanyu query --list
      chuanyu query lead-pairs --format csv --bom > leads.csv
      chuanyu query agency-chapters -p agency=cq-pbc
      chuanyu query --sql "SELECT level, count(*) AS n FROM agencies GROUP BY level"
    """
    answer(answers.query, locals())
