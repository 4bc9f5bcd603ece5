"""What the commands do alike, without Typer: exit codes, output formats, one-line errors,
opening the database, resolving agency names and rendering to stdout.

Both ways into a command run through here: the Typer app, and the direct path (`direct.py`)
that answers plain question commands without importing Typer. Data goes to stdout, messages to
stderr; exit codes are `Exit`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import math
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from .. import db, paths

TYPE_CHECKING = False  # typing only for the type checker: importing it costs every command's start-up
if TYPE_CHECKING:
    from typing import Any, NoReturn

    from ..names import Directory
    from ..questions.common import Filters
    from ..result import Result


class Exit(enum.IntEnum):
    """The exit codes scripts can rely on (README, "Exit codes")."""

    OK = 0
    DATA_ERROR = 1
    USAGE = 2
    NOT_FOUND = 3
    AMBIGUOUS = 4
    STORAGE = 5  # a file or folder that cannot be written or read: the cache, --db, --out, the disk
    INTERRUPTED = 130  # Ctrl-C, as Typer and shells count it (128 + SIGINT)


class Format(enum.StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    md = "md"


class Lang(enum.StrEnum):
    """The language of the words around the data (`terms`): headers, titles, the lines under a table."""

    en = "en"
    zh = "zh"


class Province(enum.StrEnum):
    chongqing = "chongqing"
    sichuan = "sichuan"


#: The most lines of problems a command prints; the rest are counted in one more line.
ERROR_LINES = 50


def fail(code: Exit, lines: list[str]) -> NoReturn:
    """`lines` on stderr, then exit with `code`: the code whether or not stderr takes them (a
    full disk, closed), and never on stdout."""
    shown = lines if len(lines) <= ERROR_LINES + 1 else [*lines[:ERROR_LINES], f"… and {len(lines) - ERROR_LINES} more problems"]
    try:
        if sys.stderr is not None:
            sys.stderr.write("".join(line + "\n" for line in shown))
            sys.stderr.flush()
    except (OSError, ValueError):
        stdout_to_nowhere(sys.stderr)
    raise SystemExit(code)


@contextmanager
def reporting() -> Iterator[None]:
    """Expected failures become one line each on stderr and a documented exit code."""
    from ..errors import Ambiguous, AmbiguousMeasure, DataError, NoSuchDocument, NoSuchMeasure, NotFound

    try:
        yield
    except DataError as exc:
        fail(Exit.DATA_ERROR, [str(p) for p in exc.problems])
    except NoSuchMeasure as exc:
        fail(Exit.NOT_FOUND, [f"chuanyu: no measure {exc.args[0]}"])
    except AmbiguousMeasure as exc:
        fail(
            Exit.AMBIGUOUS,
            [f"chuanyu: measure {exc.number} is in {len(exc.documents)} documents; name one with --document:"]
            + [f"  {document}" for document in exc.documents],
        )
    except NoSuchDocument as exc:
        import difflib

        close = difflib.get_close_matches(exc.document, exc.known, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else f" (see chuanyu documents: {', '.join(exc.known)})"
        fail(Exit.NOT_FOUND, [f"chuanyu: no document {exc.document!r}{hint}"])
    except NotFound as exc:
        hint = f"; did you mean {', '.join(map(str, exc.candidates))}?" if exc.candidates else ""
        fail(Exit.NOT_FOUND, [f"chuanyu: no agency matches {exc.query!r}{hint}"])
    except sqlite3.DatabaseError as exc:
        if not db.damaged(exc):
            raise
        fail(Exit.STORAGE, [f"chuanyu: the database is damaged ({exc}); `chuanyu build` makes it anew"])
    except OverflowError:  # a number given past what SQLite holds: no row has it, nor could
        fail(Exit.USAGE, [f"chuanyu: a number is too large: SQLite's integers end at {2**63 - 1}"])
    except OSError as exc:  # a cache, --db or --out that is no folder, a full disk
        fail(Exit.STORAGE, [f"chuanyu: {exc.filename}: {exc.strerror}" if exc.filename else f"chuanyu: {exc}"])
    except Ambiguous as exc:
        fail(
            Exit.AMBIGUOUS,
            [f"chuanyu: {exc.query!r} could be any of {len(exc.candidates)} agencies; name one:"]
            + [f"  {candidate}" for candidate in exc.candidates],
        )


def building() -> AbstractContextManager[db.Progress]:
    """What a build is told of its stages: shown at a terminal, in one line that goes."""
    from ..render import status_line

    return status_line("building the database")


def connect(data: Path | None, document: list[str] | None = None) -> sqlite3.Connection:
    """The catalogue's database, built first if the cache has none (its stages shown at a
    terminal); with `document`, as if it held only those documents."""
    with building() as progress:
        conn = db.open_cached(paths.data_dir(data), progress)
    if document:
        from ..questions.documents import restrict

        restrict(conn, document)
    return conn


@contextmanager
def to_stdout(what: str = "the answer ") -> Iterator[None]:
    """Write data (or `what`, as a failure names it); a reader that stops early (`| head`) ends
    the command quietly, exit 0."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        stdout_to_nowhere()
        raise SystemExit(Exit.OK) from None
    except OSError as exc:  # a full disk, /dev/full, a closed stdout: what was written is not the answer
        stdout_to_nowhere()
        fail(Exit.STORAGE, [f"chuanyu: cannot write {what}to standard output: {exc.strerror or exc}"])


def stdout_to_nowhere(stream: Any = None) -> None:
    """Standard output (or `stream`) to /dev/null, once it has failed: so that the interpreter's
    last flush has nowhere to fail (a stream that is no file, closed, is left as it is)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), (stream or sys.stdout).fileno())


def show(result: Result, fmt: str | None, bom: bool, lang: str = "en") -> None:
    """Render to stdout: a table for a person at a terminal, tab-separated values for a pipe;
    its headers and the lines around it in `lang`."""
    from ..render import render

    chosen = Format(fmt) if fmt else (Format.table if sys.stdout.isatty() else Format.tsv)
    if bom and chosen is not Format.csv:
        fail(Exit.USAGE, ["chuanyu: --bom goes with --format csv"])
    with to_stdout():
        render(result, chosen.value, sys.stdout, bom, str(lang))


def answer(question: Callable[..., Result], parameters: Mapping[str, Any]) -> None:
    """A question command, whichever way it was called, from its parameters' values by name (a
    Typer command passes its `locals()`, the direct path what it parsed): ask the question
    with all of them but `fmt`, `bom` and `lang`, then show the answer in that format and language."""
    arguments = dict(parameters)
    fmt, bom, lang = arguments.pop("fmt"), arguments.pop("bom"), arguments.pop("lang")
    check_arguments(arguments)
    with reporting():
        try:
            result = begun(question(**arguments))
        except sqlite3.DatabaseError as exc:
            if not db.damaged(exc):
                raise
            # found damaged as it was read: it is only a cache, so away with it, and ask again
            db.discard(paths.data_dir(arguments["data"]))
            result = begun(question(**arguments))
        try:
            show(result, fmt, bom, lang)
        except sqlite3.DatabaseError as exc:
            if db.damaged(exc):  # found damaged once the answer had begun: built anew by the next query
                db.discard(paths.data_dir(arguments["data"]))
            raise


def begun(result: Result) -> Result:
    """`result` with its first record read, so that what fails at once fails before a byte is
    written (a damaged database is then built anew); the rest are read as they are written."""
    import itertools

    records = iter(result.records)
    first = list(itertools.islice(records, 1))
    return result.but(records=itertools.chain(first, records))


def check_arguments(arguments: Mapping[str, Any]) -> None:
    """Arguments a question can be asked with, else a usage error: text that is UTF-8 (bytes
    that are not reach Python as lone surrogates, which no query can hold) and numbers that are
    finite."""
    for name, value in sorted(arguments.items()):  # by name: the same first, whichever path parsed them
        for given in value if isinstance(value, list) else [value]:
            item = str(given) if isinstance(given, Path) else given  # a folder's name too: SQLite keeps it
            if isinstance(item, str) and not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    shown = os.fsencode(item)
                    fail(Exit.USAGE, [f"chuanyu: {name.replace('_', '-')}: not UTF-8 text: {shown!r}"])
            if isinstance(item, float) and not math.isfinite(item):
                fail(Exit.USAGE, [f"chuanyu: {name.replace('_', '-')}: {item} is not a number of seconds (nor any finite number)"])


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
    from ..questions.lineage import Lineage, dated

    when = parse_as_of(as_of)
    return dated(result, Lineage(conn), *when) if when else result


def agency_resolver(conn: sqlite3.Connection) -> Callable[[str], str]:
    """What each name means: the agency it names, or for a successor's name, the unit the
    document lists. The names are loaded on the first call, once for all of a command's names,
    and not at all for a command given none."""
    from ..questions.common import directory
    from ..questions.lineage import Lineage

    @functools.cache
    def loaded() -> tuple[Directory, Lineage]:
        return directory(conn), Lineage(conn)

    def resolve(name: str) -> str:
        names, lineage = loaded()
        return lineage.as_listed(names.resolve(name))

    return resolve


def measure_filters(
    conn: sqlite3.Connection,
    chapter: int | None,
    section: int | None,
    agency: list[str] | None,
    lead: str | None,
    province: str | None,
) -> Filters:
    """The measures filters, with every agency name resolved."""
    from ..questions.common import Filters

    check_arguments({"agency": agency, "lead": lead})
    resolve = agency_resolver(conn)
    return Filters(
        chapter=chapter,
        section=section,
        agencies=tuple(resolve(name) for name in agency or []),
        lead=resolve(lead) if lead else None,
        province=str(province) if province else None,
    )
