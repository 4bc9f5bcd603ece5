"""What every command shares: the one Typer app, exit codes, output formats, the options
that several commands take, and the helpers that read arguments and render results.

Data goes to stdout, messages to stderr. Exit codes are `Exit`.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import typer

from .. import __version__, db, paths

if TYPE_CHECKING:
    from ..names import Directory
    from ..queries import Filters
    from ..result import Result


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


def complete_agency(incomplete: str) -> list[tuple[str, str]]:
    """Shell completion: agency ids and names that contain what has been typed."""
    from ..queries import names_by_id

    try:
        conn = connect(None)
    except Exception:  # completion must never print a traceback into the shell
        return []
    return [
        (value, other)
        for agency_id, name in names_by_id(conn).items()
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


def parse_as_of(value: str | None) -> tuple[dt.date, dt.date] | None:
    """(the date asked for, today), or None without --as-of."""
    if value is None:
        return None
    today = dt.date.today()
    if value == "today":
        return today, today
    try:
        return dt.date.fromisoformat(value), today
    except ValueError:
        fail(Exit.USAGE, [f"chuanyu: --as-of takes a date YYYY-MM-DD or today, not {value!r}"])


def dated_result(conn: sqlite3.Connection, result: Result, as_of: str | None) -> Result:
    from ..queries import Lineage, dated

    when = parse_as_of(as_of)
    return dated(result, Lineage(conn), *when) if when else result


def agency_resolver(conn: sqlite3.Connection) -> Callable[[str], str]:
    """What each name means: the agency it names, or for a successor's name, the unit the
    document lists. The names are loaded on the first call, once for all of a command's names,
    and not at all for a command given none."""
    from ..queries import Lineage, directory

    @functools.cache
    def loaded() -> tuple[Directory, Lineage]:
        return directory(conn), Lineage(conn)

    def resolve(name: str) -> str:
        names, lineage = loaded()
        return lineage.as_listed(names.resolve(name))

    return resolve


AgencyArgument = Annotated[str, typer.Argument(help="An agency: id, name, alias or a close spelling.", autocompletion=complete_agency)]
FormatOption = Annotated[
    Optional[Format],
    typer.Option("--format", "-f", help="Output format [default: table on a terminal, else tsv].", show_default=False),
]
BomOption = Annotated[bool, typer.Option("--bom", help="Start CSV with the UTF-8 byte-order mark Excel needs to show Chinese.")]


def fail(code: Exit, lines: list[str]) -> NoReturn:
    for line in lines:
        typer.echo(line, err=True)
    raise typer.Exit(code)


@contextmanager
def reporting() -> Iterator[None]:
    """Expected failures become one line each on stderr and a documented exit code."""
    from ..errors import DataError, NoSuchMeasure
    from ..names import Ambiguous, NotFound

    try:
        yield
    except DataError as exc:
        fail(Exit.DATA_ERROR, [str(p) for p in exc.problems])
    except NoSuchMeasure as exc:
        fail(Exit.NOT_FOUND, [f"chuanyu: no measure {exc.args[0]}"])
    except NotFound as exc:
        hint = f"; did you mean {', '.join(map(str, exc.candidates))}?" if exc.candidates else ""
        fail(Exit.NOT_FOUND, [f"chuanyu: no agency matches {exc.query!r}{hint}"])
    except Ambiguous as exc:
        fail(
            Exit.AMBIGUOUS,
            [f"chuanyu: {exc.query!r} could be any of {len(exc.candidates)} agencies; name one:"]
            + [f"  {candidate}" for candidate in exc.candidates],
        )


def connect(data: Path | None) -> sqlite3.Connection:
    return db.connect(db.ensure(paths.data_dir(data)))


@contextmanager
def to_stdout() -> Iterator[None]:
    """Write data; a reader that stops early (`| head`) ends the command quietly, exit 0."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        # stdout to /dev/null, so that the interpreter's last flush has nowhere to fail
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(Exit.OK) from None


def show(result: Result, fmt: Format | None, bom: bool) -> None:
    """Render to stdout: a table for a person at a terminal, tab-separated values for a pipe."""
    from ..render import render

    chosen = fmt or (Format.table if sys.stdout.isatty() else Format.tsv)
    if bom and chosen is not Format.csv:
        fail(Exit.USAGE, ["chuanyu: --bom goes with --format csv"])
    with to_stdout():
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


ChapterOption = Annotated[Optional[int], typer.Option(help="Only this chapter (1…8).", show_default=False)]
SectionOption = Annotated[Optional[int], typer.Option(help="Only this section (1…33).", show_default=False)]
AgencyOption = Annotated[
    Optional[list[str]],
    typer.Option(
        help="Only measures listing this agency (id, name, alias or a close spelling); repeat for all of several.",
        show_default=False,
        autocompletion=complete_agency,
    ),
]
LeadOption = Annotated[
    Optional[str], typer.Option(help="Only measures this agency leads.", show_default=False, autocompletion=complete_agency)
]
ProvinceFilter = Annotated[
    Optional[Province],
    typer.Option("--province", help="Only measures listing a unit of this province, showing only its units.", show_default=False),
]


def measure_filters(
    conn: sqlite3.Connection,
    chapter: int | None,
    section: int | None,
    agency: list[str] | None,
    lead: str | None,
    province: Province | None,
) -> Filters:
    """The measures filters, with every agency name resolved."""
    from ..queries import Filters

    resolve = agency_resolver(conn)
    return Filters(
        chapter=chapter,
        section=section,
        agencies=tuple(resolve(name) for name in agency or []),
        lead=resolve(lead) if lead else None,
        province=province.value if province else None,
    )
