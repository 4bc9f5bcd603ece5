"""The `chuanyu` command: reads arguments, calls one function, hands the result to a renderer.

Data goes to stdout, messages to stderr. Exit codes are `Exit`.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import typer

from . import __version__, db, paths

if TYPE_CHECKING:
    from .queries import Filters
    from .result import Result


class Exit(enum.IntEnum):
    """The exit codes scripts can rely on (README, "Exit codes")."""

    OK = 0
    DATA_ERROR = 1
    USAGE = 2
    NOT_FOUND = 3
    AMBIGUOUS = 4


class Format(enum.StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    md = "md"


class Province(enum.StrEnum):
    chongqing = "chongqing"
    sichuan = "sichuan"


app = typer.Typer(
    name="chuanyu",
    help="Who is responsible for what in joint Chongqing–Sichuan policy documents.",
    epilog="Run 'chuanyu COMMAND --help' for a command's options and examples.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DataOption = Annotated[
    Optional[Path],
    typer.Option(
        "--data",
        envvar="CHUANYU_DATA",
        show_envvar=True,
        file_okay=False,
        help="Catalogue folder holding measures.yaml and agencies.yaml [default: the shipped catalogue].",
        show_default=False,
    ),
]


def _complete_agency(incomplete: str) -> list[tuple[str, str]]:
    """Shell completion: agency ids and names that contain what has been typed."""
    from .queries import agency_names

    try:
        conn = _connect(None)
    except Exception:  # completion must never print a traceback into the shell
        return []
    return [
        (value, other)
        for agency_id, name in agency_names(conn)
        for value, other in ((agency_id, name), (name, agency_id))
        if incomplete in value
    ]


AsOfOption = Annotated[
    Optional[str],
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Show every unit as the body that held its function on DATE (YYYY-MM-DD, or today), the document's name beside it.",
        show_default=False,
    ),
]


def _as_of(value: str | None) -> tuple[dt.date, dt.date] | None:
    """(the date asked for, today), or None without --as-of."""
    if value is None:
        return None
    today = dt.date.today()
    if value == "today":
        return today, today
    try:
        return dt.date.fromisoformat(value), today
    except ValueError:
        _fail(Exit.USAGE, [f"chuanyu: --as-of takes a date YYYY-MM-DD or today, not {value!r}"])


def _dated(conn: sqlite3.Connection, result: Result, as_of: str | None) -> Result:
    from .queries import Lineage, dated

    when = _as_of(as_of)
    return dated(result, Lineage(conn), *when) if when else result


def _resolve(conn: sqlite3.Connection, name: str) -> str:
    """The agency a name means; a successor's name means the unit the document lists."""
    from .queries import Lineage, directory

    return Lineage(conn).as_listed(directory(conn).resolve(name))


AgencyArgument = Annotated[str, typer.Argument(help="An agency: id, name, alias or a close spelling.", autocompletion=_complete_agency)]
FormatOption = Annotated[
    Optional[Format],
    typer.Option("--format", "-f", help="Output format [default: table on a terminal, else tsv].", show_default=False),
]
BomOption = Annotated[bool, typer.Option("--bom", help="Start CSV with the UTF-8 byte-order mark Excel needs to show Chinese.")]


def _fail(code: Exit, lines: list[str]) -> NoReturn:
    for line in lines:
        typer.echo(line, err=True)
    raise typer.Exit(code)


@contextmanager
def _reporting() -> Iterator[None]:
    """Expected failures become one line each on stderr and a documented exit code."""
    from .errors import DataError, NoSuchMeasure
    from .names import Ambiguous, NotFound

    try:
        yield
    except DataError as exc:
        _fail(Exit.DATA_ERROR, [str(p) for p in exc.problems])
    except NoSuchMeasure as exc:
        _fail(Exit.NOT_FOUND, [f"chuanyu: no measure {exc.args[0]}"])
    except NotFound as exc:
        hint = f"; did you mean {', '.join(map(str, exc.candidates))}?" if exc.candidates else ""
        _fail(Exit.NOT_FOUND, [f"chuanyu: no agency matches {exc.query!r}{hint}"])
    except Ambiguous as exc:
        _fail(
            Exit.AMBIGUOUS,
            [f"chuanyu: {exc.query!r} could be any of {len(exc.candidates)} agencies; name one:"]
            + [f"  {candidate}" for candidate in exc.candidates],
        )


def _connect(data: Path | None) -> sqlite3.Connection:
    return db.connect(db.ensure(paths.data_dir(data)))


@contextmanager
def _to_stdout() -> Iterator[None]:
    """Write data; a reader that stops early (`| head`) ends the command quietly, exit 0."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        # stdout to /dev/null, so that the interpreter's last flush has nowhere to fail
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(Exit.OK) from None


def _show(result: Result, fmt: Format | None, bom: bool) -> None:
    """Render to stdout: a table for a person at a terminal, tab-separated values for a pipe."""
    from .render import render

    chosen = fmt or (Format.table if sys.stdout.isatty() else Format.tsv)
    if bom and chosen is not Format.csv:
        _fail(Exit.USAGE, ["chuanyu: --bom goes with --format csv"])
    with _to_stdout():
        render(result, chosen.value, sys.stdout, bom)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"chuanyu {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Who is responsible for what in joint Chongqing–Sichuan policy documents."""


@app.command()
def extract(
    source: Annotated[Path, typer.Argument(help="The document's text, as extracted from its PDF.", dir_okay=False)],
    data: DataOption = None,
    document_id: Annotated[
        Optional[str], typer.Option("--id", help="The document's id [default: the file's stem].", show_default=False)
    ] = None,
) -> None:
    """Parse a joint document's text into measures YAML on stdout.

    Each unit is resolved to agencies.yaml (short forms 市X / 省X expanded first); every form
    that names no single agency is reported on stderr, and the exit status is then 1.

    \b
    Examples:
      chuanyu extract data/sources/wfc-joint-rules-2022.txt > data/measures.yaml
      chuanyu extract reflowed.txt | diff - data/measures.yaml
    """
    from .catalogue import load_agencies
    from .extract import extract as run
    from .paths import catalogue_files

    with _reporting():
        text, unresolved = run(source, load_agencies(catalogue_files(paths.data_dir(data))[1]).values(), document_id)
    with _to_stdout():
        sys.stdout.write(text)
    if unresolved:
        _fail(Exit.DATA_ERROR, [str(p) for p in unresolved])


@app.command()
def validate(data: DataOption = None) -> None:
    """Check the catalogue and report every problem, each as file:line: entry: message.

    Exit status 1 if there is any problem. Every command that reads a catalogue checks it the
    same way.

    \b
    Examples:
      chuanyu validate
      chuanyu validate --data my-catalogue/
    """
    from .catalogue import load

    with _reporting():
        catalogue = load(paths.data_dir(data))
    listed = {agency for m in catalogue.measures for _, agency, _ in m.listings()}
    listings = sum(1 for m in catalogue.measures for _ in m.listings())
    typer.echo(
        f"ok: {len(catalogue.chapters)} chapters, {len(catalogue.sections)} sections, "
        f"{len(catalogue.measures)} measures, {listings} listings of {len(listed)} agencies, "
        f"{len(catalogue.agencies) - len(listed)} successor bodies",
        err=True,
    )


@app.command()
def build(
    data: DataOption = None,
    db_path: Annotated[
        Optional[Path],
        typer.Option("--db", dir_okay=False, help="Where to write the database [default: the cache].", show_default=False),
    ] = None,
) -> None:
    """Build the SQLite database from the catalogue (atomically: the old file stays whole
    until the new one is complete).

    Query commands build into the cache on first use; run this to write the database to a
    file of your own.

    \b
    Examples:
      chuanyu build
      chuanyu build --db build/chuanyu.db && sqlite3 build/chuanyu.db '.tables'
    """
    with _reporting():
        path = db.build(paths.data_dir(data), db_path)
    typer.echo(f"built {path}", err=True)


@app.command()
def measure(
    number: Annotated[int, typer.Argument(help="The measure's number (1…58 in the shipped document).")],
    as_of: AsOfOption = None,
    data: DataOption = None,
    fmt: FormatOption = None,
    bom: BomOption = False,
) -> None:
    """One measure: its chapter, section, text and responsible units.

    \b
    Examples:
      chuanyu measure 14
      chuanyu measure 14 --as-of today
      chuanyu measure 14 --format json | jq '.responsible.sichuan[].name'
    """
    from .queries import measure as question

    with _reporting():
        conn = _connect(data)
        result = _dated(conn, question(conn, number), as_of)
    _show(result, fmt, bom)


ChapterOption = Annotated[Optional[int], typer.Option(help="Only this chapter (1…8).", show_default=False)]
SectionOption = Annotated[Optional[int], typer.Option(help="Only this section (1…33).", show_default=False)]
AgencyOption = Annotated[
    Optional[list[str]],
    typer.Option(
        help="Only measures listing this agency (id, name, alias or a close spelling); repeat for all of several.",
        show_default=False,
        autocompletion=_complete_agency,
    ),
]
LeadOption = Annotated[
    Optional[str], typer.Option(help="Only measures this agency leads.", show_default=False, autocompletion=_complete_agency)
]
ProvinceFilter = Annotated[
    Optional[Province],
    typer.Option("--province", help="Only measures listing a unit of this province, showing only its units.", show_default=False),
]


def _filters(
    conn: sqlite3.Connection,
    chapter: int | None,
    section: int | None,
    agency: list[str] | None,
    lead: str | None,
    province: Province | None,
) -> Filters:
    """The measures filters, with every agency name resolved."""
    from .queries import Filters

    return Filters(
        chapter=chapter,
        section=section,
        agencies=tuple(_resolve(conn, name) for name in agency or []),
        lead=_resolve(conn, lead) if lead else None,
        province=province.value if province else None,
    )


@app.command()
def measures(
    chapter: ChapterOption = None,
    section: SectionOption = None,
    agency: AgencyOption = None,
    lead: LeadOption = None,
    province: ProvinceFilter = None,
    as_of: AsOfOption = None,
    data: DataOption = None,
    fmt: FormatOption = None,
    bom: BomOption = False,
) -> None:
    """Measures in the document's order, with the units responsible on each side.

    \b
    Examples:
      chuanyu measures --chapter 2
      chuanyu measures --agency 市财政局 --agency 省财政厅
      chuanyu measures --lead 人行成都分行 --province sichuan
      chuanyu measures --agency 外汇局四川 --format json | jq '.[].number'
    """
    from .queries import measures as question

    with _reporting():
        conn = _connect(data)
        result = _dated(conn, question(conn, _filters(conn, chapter, section, agency, lead, province)), as_of)
    _show(result, fmt, bom)


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="What to find: any length, Latin letters in any case.")],
    chapter: ChapterOption = None,
    section: SectionOption = None,
    agency: AgencyOption = None,
    lead: LeadOption = None,
    province: ProvinceFilter = None,
    data: DataOption = None,
    fmt: FormatOption = None,
    bom: BomOption = False,
) -> None:
    """Measures, and chapter and section titles, that contain TEXT, each with a snippet around
    the first match marked 【thus】. Takes the filters of `measures`.

    \b
    Examples:
      chuanyu search 数字人民币
      chuanyu search 绿色 --chapter 3
      chuanyu search 债券 --lead 人行重庆营管部 --format json | jq '.[].number'
    """
    from .queries import search as question

    if not text.strip():
        _fail(Exit.USAGE, ["chuanyu: search needs some text to find"])
    with _reporting():
        conn = _connect(data)
        result = question(conn, text.strip(), _filters(conn, chapter, section, agency, lead, province))
    _show(result, fmt, bom)


@app.command()
def stats(
    top: Annotated[int, typer.Option(min=1, help="How many agencies to rank by leads and by listings.")] = 10,
    data: DataOption = None,
    fmt: FormatOption = None,
    bom: BomOption = False,
) -> None:
    """The catalogue in figures: totals, measures per chapter, listings per province and
    level, and the agencies that lead and appear most. One row per figure, so it pipes.

    \b
    Examples:
      chuanyu stats
      chuanyu stats --top 5 --format md > stats.md
    """
    from .queries import stats as question

    with _reporting():
        result = question(_connect(data), top)
    _show(result, fmt, bom)


@app.command()
def agencies(
    province: Annotated[Optional[Province], typer.Option(help="Only this province's units.", show_default=False)] = None,
    data: DataOption = None,
    fmt: FormatOption = None,
    bom: BomOption = False,
) -> None:
    """Every responsible unit, with its counterpart and how many measures it leads and is
    listed in.

    \b
    Examples:
      chuanyu agencies --province sichuan
      chuanyu agencies --format json | jq -r '.[] | select(.leads > 5) | .name'
    """
    from .queries import agencies as question

    with _reporting():
        result = question(_connect(data), province.value if province else None)
    _show(result, fmt, bom)


@app.command()
def agency(
    name: AgencyArgument, as_of: AsOfOption = None, data: DataOption = None, fmt: FormatOption = None, bom: BomOption = False
) -> None:
    """One agency: its counterpart, the measures it leads and those it is listed in otherwise,
    chapter by chapter, and whether its counterpart is listed in the same measures; then its
    lineage: the bodies that took over its function since the document, with their sources. A
    successor's name finds the unit the document lists.

    \b
    Examples:
      chuanyu agency 人行重庆营管部
      chuanyu agency 国家金融监督管理总局重庆监管局 --as-of today
      chuanyu agency 经信委 --format json | jq '.leads'
    """
    from .queries import agency as question

    with _reporting():
        conn = _connect(data)
        result = _dated(conn, question(conn, _resolve(conn, name)), as_of)
    _show(result, fmt, bom)


@app.command()
def pairs(
    name: Annotated[
        Optional[str],
        typer.Argument(help="Only the pair of this agency.", show_default=False, autocompletion=_complete_agency),
    ] = None,
    observed: Annotated[
        bool, typer.Option("--observed", help="Every Chongqing × Sichuan pair listed together, declared counterparts or not.")
    ] = False,
    as_of: AsOfOption = None,
    data: DataOption = None,
    fmt: FormatOption = None,
    bom: BomOption = False,
) -> None:
    """Counterpart pairs: the measures listing both units, only the Chongqing one, only the
    Sichuan one; units with no counterpart follow, the other side empty.

    With --observed: every Chongqing × Sichuan pair of units listed together in some measure,
    with how often and where: who actually works with whom, not only who is declared to.

    \b
    Examples:
      chuanyu pairs
      chuanyu pairs 市科技局
      chuanyu pairs --as-of today
      chuanyu pairs --observed --format csv --bom > observed.csv
    """
    from .queries import observed_pairs
    from .queries import pairs as declared_pairs

    with _reporting():
        conn = _connect(data)
        agency_id = _resolve(conn, name) if name else None
        result = _dated(conn, (observed_pairs if observed else declared_pairs)(conn, agency_id), as_of)
    _show(result, fmt, bom)


class GapKind(enum.StrEnum):
    missing_counterpart = "missing-counterpart"
    unpaired_agency = "unpaired-agency"
    lead_mismatch = "lead-mismatch"
    joint_only = "joint-only"


@app.command()
def gaps(
    kind: Annotated[Optional[GapKind], typer.Option(help="Only findings of this kind.", show_default=False)] = None,
    as_of: AsOfOption = None,
    data: DataOption = None,
    fmt: FormatOption = None,
    bom: BomOption = False,
) -> None:
    """Where the two provinces' assignments do not match, one finding per line.

    \b
    missing-counterpart  a unit is listed, its counterpart is not
    unpaired-agency      a listed unit has no counterpart at all
    lead-mismatch        the two first-listed units are not counterparts
                         (agency: the Chongqing lead, counterpart: the Sichuan lead)
    joint-only           the measure names no province list

    The table ends with a count of each kind.

    \b
    Examples:
      chuanyu gaps --kind lead-mismatch
      chuanyu gaps --format json | jq 'group_by(.kind) | map({(.[0].kind): length}) | add'
    """
    from .queries import gaps as question

    with _reporting():
        conn = _connect(data)
        result = _dated(conn, question(conn, kind.value if kind else None), as_of)
    _show(result, fmt, bom)


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
    from .sql import QueryError, named_queries, parameters, query_list, run_sql

    if list_queries:
        _show(query_list(paths.queries_dir()), fmt, bom)
        return
    if (name is None) == (sql is None):
        _fail(Exit.USAGE, ["chuanyu: name one query, or give --sql (see chuanyu query --list)"])
    if name is not None:
        known = named_queries(paths.queries_dir())
        if name not in known:
            import difflib

            close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
            _fail(
                Exit.NOT_FOUND,
                [f"chuanyu: no query {name!r}" + (f"; did you mean {', '.join(close)}?" if close else "; see chuanyu query --list")],
            )
        sql = known[name].sql
    assert sql is not None
    values = dict(p.partition("=")[::2] for p in parameter or [])
    if bad := [p for p in parameter or [] if "=" not in p]:
        _fail(Exit.USAGE, [f"chuanyu: -p takes KEY=VALUE, not {bad[0]!r}"])
    wanted = parameters(sql)
    if missing := [p for p in wanted if p not in values]:
        _fail(Exit.USAGE, [f"chuanyu: the query needs {', '.join(f'-p {p}=…' for p in missing)}"])
    if unknown := [p for p in values if p not in wanted]:
        _fail(Exit.USAGE, [f"chuanyu: the query has no parameter {unknown[0]!r} (it takes: {', '.join(wanted) or 'none'})"])
    with _reporting():
        try:
            result = run_sql(_connect(data), sql, values, time_limit)
        except QueryError as exc:
            _fail(Exit.USAGE, [f"chuanyu: query {exc}"])
    _show(result, fmt, bom)


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", file_okay=False, help="The folder to write the briefing set into.")] = Path(
        "build/briefing"
    ),
    chapter: ChapterOption = None,
    section: SectionOption = None,
    agency: AgencyOption = None,
    lead: LeadOption = None,
    province: ProvinceFilter = None,
    stamp: Annotated[
        bool, typer.Option("--stamp", help="Say when the briefing was made (it is otherwise the same bytes each time).")
    ] = False,
    as_of: AsOfOption = None,
    data: DataOption = None,
) -> None:
    """Write a briefing set: briefing.md (tables, pictures and a Mermaid ladder), each table as
    .md and .csv (with the BOM Excel needs), briefing.xlsx (a sheet per table), ladder.svg and
    heatmap.svg. Takes the filters of `measures`: a briefing on one chapter or one agency is
    one command.

    \b
    Examples:
      chuanyu report --out build/briefing
      chuanyu report --chapter 5 --out build/chapter-5
      chuanyu report --as-of today --out build/today
      chuanyu report --agency 人行成都分行 --province sichuan --out build/pbc-sichuan
    """
    from .report import write

    with _reporting():
        conn = _connect(data)
        written = write(conn, out, _filters(conn, chapter, section, agency, lead, province), stamp, _as_of(as_of))
    for path in written:
        typer.echo(f"wrote {path}", err=True)


export_app = typer.Typer(help="Export the catalogue for other tools.", no_args_is_help=True)
app.add_typer(export_app, name="export")


class GraphFormat(enum.StrEnum):
    json = "json"
    mermaid = "mermaid"
    dot = "dot"
    graphml = "graphml"


@export_app.command("graph")
def export_graph(
    fmt: Annotated[GraphFormat, typer.Option("--format", "-f", help="Graph format.")] = GraphFormat.json,
    chapter: ChapterOption = None,
    section: SectionOption = None,
    agency: AgencyOption = None,
    lead: LeadOption = None,
    province: ProvinceFilter = None,
    data: DataOption = None,
) -> None:
    """The counterpart and co-listing network: a node per unit, a `counterpart` edge per
    declared pair (weight: the measures they share), a `co-listed` edge per Chongqing ×
    Sichuan pair listed together (weight: how often). Takes the filters of `measures`.

    \b
    Examples:
      chuanyu export graph --format dot > network.dot
      chuanyu export graph --format graphml --chapter 3 > chapter-3.graphml
    """
    from .graph import network, serialise

    with _reporting():
        conn = _connect(data)
        text = serialise(network(conn, _filters(conn, chapter, section, agency, lead, province)), fmt.value)
    with _to_stdout():
        sys.stdout.write(text)


def main() -> None:
    """Console entry point (also `python -m chuanyu`, which completes and prints usage the same)."""
    app(prog_name="chuanyu")
