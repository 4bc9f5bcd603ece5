"""chuanyu query: named SQL and --sql, read-only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Optional

import typer

from .base import Lang, Output, answer
from .shared import BomOption, DataOption, FormatOption, LangOption, app


@dataclass(frozen=True)
class Binding:
    """A value for a query's :KEY, given as -p KEY=VALUE."""

    key: str
    value: str

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


def binding(given: str) -> Binding:
    key, equals, value = given.partition("=")
    if not equals:
        raise typer.BadParameter(f"takes KEY=VALUE, not {given!r}")
    return Binding(key, value)


def _parameters(bindings: list[Binding] | None) -> dict[str, str]:
    """-p KEY=VALUE given any number of times, as one mapping: a key given twice is a usage error."""
    keys = [b.key for b in bindings or []]
    if twice := next((key for key in keys if keys.count(key) > 1), None):
        raise typer.BadParameter(f"{twice}=… is given more than once", param_hint="'--parameter' / '-p'")
    return {b.key: b.value for b in bindings or []}


@app.command()
def query(
    name: Annotated[Optional[str], typer.Argument(help="A named query: the stem of a file in queries/.", show_default=False)] = None,
    parameter: Annotated[
        Optional[list[Binding]],
        typer.Option(
            "--parameter",
            "-p",
            metavar="KEY=VALUE",
            parser=binding,
            help="A value for the query's :KEY; repeat for several.",
            show_default=False,
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
    values = _parameters(parameter)
    answer(
        lambda answers: answers.queries() if list_queries else answers.query(name, sql=sql, parameters=values, time_limit=time_limit),
        data=data,
        document=None,
        output=Output(fmt=fmt, bom=bom, lang=lang),
    )
