"""The question commands' answers, from the values their arguments parse to: one function per
command, of the command's name, returning the Result it shows.

The Typer commands (questions.py, query.py) and the direct path (direct.py) both call these;
the arguments' defaults live once, in the Typer signatures.
"""

from __future__ import annotations

from pathlib import Path

from .. import paths
from .base import Exit, agency_resolver, connect, dated_result, fail, measure_filters

TYPE_CHECKING = False  # typing only for the type checker: importing it costs every command's start-up
if TYPE_CHECKING:
    from typing import Any

    from ..result import Result


def measure(*, document: list[str] | None, number: int, as_of: str | None, data: Path | None) -> Result:
    from ..questions.measures import measure as question

    conn = connect(data, document)
    return dated_result(conn, question(conn, number), as_of)


def measures(*, document: list[str] | None, limit: int | None, as_of: str | None, data: Path | None, **filters: Any) -> Result:
    """`filters`: the measures filters by name (`measure_filters`)."""
    from ..questions.measures import measures as question

    conn = connect(data, document)
    return dated_result(conn, question(conn, measure_filters(conn, **filters), limit), as_of)


def search(*, document: list[str] | None, text: str, limit: int | None, data: Path | None, **filters: Any) -> Result:
    """`filters`: the measures filters by name (`measure_filters`)."""
    from ..questions.search import search as question

    if not text.strip():
        fail(Exit.USAGE, ["chuanyu: search needs some text to find"])
    conn = connect(data, document)
    return question(conn, text.strip(), measure_filters(conn, **filters), limit=limit)


def stats(*, document: list[str] | None, top: int, data: Path | None) -> Result:
    from ..questions.stats import stats as question

    return question(connect(data, document), top)


def agencies(*, document: list[str] | None, province: str | None, data: Path | None) -> Result:
    from ..questions.agencies import agencies as question

    return question(connect(data, document), str(province) if province else None)


def documents(*, data: Path | None) -> Result:
    from ..questions.documents import documents as question

    return question(connect(data))


def agency(*, document: list[str] | None, name: str, as_of: str | None, data: Path | None) -> Result:
    from ..questions.agencies import agency as question

    conn = connect(data, document)
    return dated_result(conn, question(conn, agency_resolver(conn)(name)), as_of)


def pairs(
    *, document: list[str] | None, name: str | None, observed: bool, limit: int | None, as_of: str | None, data: Path | None
) -> Result:
    from ..questions.pairs import observed_pairs
    from ..questions.pairs import pairs as declared_pairs

    conn = connect(data, document)
    agency_id = agency_resolver(conn)(name) if name else None
    return dated_result(conn, (observed_pairs if observed else declared_pairs)(conn, agency_id, limit=limit), as_of)


def gaps(*, document: list[str] | None, kind: str | None, limit: int | None, as_of: str | None, data: Path | None) -> Result:
    from ..questions.gaps import gaps as question

    conn = connect(data, document)
    return dated_result(conn, question(conn, str(kind) if kind else None, limit=limit), as_of)


def query(
    *,
    name: str | None,
    parameter: list[str] | None,
    list_queries: bool,
    sql: str | None,
    time_limit: float,
    data: Path | None,
) -> Result:
    from ..sql import QueryError, named_queries, parameters, query_list, run_sql

    if list_queries:
        return query_list(paths.queries_dir())
    if (name is None) == (sql is None) or (sql is not None and not sql.strip()):
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
    if len(values) < len(parameter or []):
        given = [p.partition("=")[0] for p in parameter or []]
        fail(Exit.USAGE, [f"chuanyu: -p {next(k for k in given if given.count(k) > 1)}=… is given more than once"])
    if bad := [p for p in parameter or [] if "=" not in p]:
        fail(Exit.USAGE, [f"chuanyu: -p takes KEY=VALUE, not {bad[0]!r}"])
    wanted = parameters(sql)
    if missing := [p for p in wanted if p not in values]:
        fail(Exit.USAGE, [f"chuanyu: the query needs {', '.join(f'-p {p}=…' for p in missing)}"])
    if unknown := [p for p in values if p not in wanted]:
        fail(Exit.USAGE, [f"chuanyu: the query has no parameter {unknown[0]!r} (it takes: {', '.join(wanted) or 'none'})"])
    try:
        return run_sql(connect(data), sql, values, time_limit)
    except QueryError as exc:
        fail(Exit.USAGE, [f"chuanyu: query {exc}"])
