"""chuanyu query: named SQL and --sql, read-only."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import paths
from .shared import (
    BomOption,
    DataOption,
    Exit,
    FormatOption,
    app,
    connect,
    fail,
    reporting,
    show,
)


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
    from ..sql import QueryError, named_queries, parameters, query_list, run_sql

    if list_queries:
        show(query_list(paths.queries_dir()), fmt, bom)
        return
    if (name is None) == (sql is None):
        fail(Exit.USAGE, ["chuanyu: name one query, or give --sql (see chuanyu query --list)"])
    if name is not None:
        known = named_queries(paths.queries_dir())
        if name not in known:
            import difflib

            close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
            fail(
                Exit.NOT_FOUND,
                [f"chuanyu: no query {name!r}" + (f"; did you mean {', '.join(close)}?" if close else "; see chuanyu query --list")],
            )
        sql = known[name].sql
    assert sql is not None
    values = dict(p.partition("=")[::2] for p in parameter or [])
    if bad := [p for p in parameter or [] if "=" not in p]:
        fail(Exit.USAGE, [f"chuanyu: -p takes KEY=VALUE, not {bad[0]!r}"])
    wanted = parameters(sql)
    if missing := [p for p in wanted if p not in values]:
        fail(Exit.USAGE, [f"chuanyu: the query needs {', '.join(f'-p {p}=…' for p in missing)}"])
    if unknown := [p for p in values if p not in wanted]:
        fail(Exit.USAGE, [f"chuanyu: the query has no parameter {unknown[0]!r} (it takes: {', '.join(wanted) or 'none'})"])
    with reporting():
        try:
            result = run_sql(connect(data), sql, values, time_limit)
        except QueryError as exc:
            fail(Exit.USAGE, [f"chuanyu: query {exc}"])
    show(result, fmt, bom)
