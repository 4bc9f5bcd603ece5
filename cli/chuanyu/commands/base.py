"""What the commands do alike: exit codes, output formats, one-line errors, opening the
database and rendering an answer to stdout. Data goes to stdout, messages to stderr; exit codes
are `Exit`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import itertools
import math
import os
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from .. import db, paths

if TYPE_CHECKING:
    from ..answers import Answers
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
    from ..errors import Ambiguous, AmbiguousMeasure, BadQuestion, DataError, NoSuchDocument, NoSuchMeasure, NoSuchQuery, NotFound

    try:
        yield
    except BadQuestion as exc:
        fail(Exit.USAGE, [f"chuanyu: {exc}"])
    except NoSuchQuery as exc:
        hint = f"; did you mean {', '.join(exc.close)}?" if exc.close else "; see chuanyu query --list"
        fail(Exit.NOT_FOUND, [f"chuanyu: no query {exc.name!r}{hint}"])
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


#: The answers of each catalogue, kept open for the process's life (`held_open`).
_held: dict[Path, Answers] | None = None


@contextmanager
def held_open() -> Iterator[None]:
    """Within this, each catalogue's database is opened once, and what its questions share
    (names, lineage) is loaded once, for every question asked of it (`chuanyu batch`)."""
    global _held
    _held = {}
    try:
        yield
    finally:
        for answers in _held.values():
            answers.conn.close()
        _held = None


def connect(data: Path | None, document: list[str] | None = None) -> sqlite3.Connection:
    """The catalogue's database, built first if the cache has none (its stages shown at a
    terminal); with `document`, as if it held only those documents."""
    return answers_of(data, document).conn


def answers_of(data: Path | None, document: list[str] | None = None) -> Answers:
    """The questions, asked of the catalogue's database (see `connect`)."""
    from ..answers import Answers
    from ..questions.documents import restrict

    folder = paths.data_dir(data)
    answers = _held.get(folder) if _held is not None else None
    if answers is None:
        with building() as progress:
            answers = Answers(db.open_cached(folder, progress), folder)
        if _held is not None:
            _held[folder] = answers
    restrict(answers.conn, document)
    return answers


def forget(data: Path | None) -> None:
    """The cached database of `data` is damaged: away with it (the next query builds it anew)."""
    folder = paths.data_dir(data)
    if _held is not None and (answers := _held.pop(folder, None)) is not None:
        answers.conn.close()
    db.discard(folder)


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


@dataclass(frozen=True)
class Output:
    """How an answer is shown: `fmt` (None: a table at a terminal, else TSV), `bom` before CSV,
    and the language of its headers and the lines around it."""

    fmt: Format | None = None
    bom: bool = False
    lang: Lang = Lang.en


def show(result: Result, output: Output) -> None:
    """Render to stdout: a table for a person at a terminal, tab-separated values for a pipe;
    its headers and the lines around it in the output's language."""
    from ..render import render

    chosen = output.fmt or (Format.table if sys.stdout.isatty() else Format.tsv)
    if output.bom and chosen is not Format.csv:
        fail(Exit.USAGE, ["chuanyu: --bom goes with --format csv"])
    with to_stdout():
        render(result, chosen.value, sys.stdout, output.bom, output.lang.value)


def answer(ask: Callable[[Answers], Result], *, data: Path | None, document: list[str] | None, output: Output) -> None:
    """A question command: `ask` it of the catalogue's answers, then show the answer as `output` says."""
    with reporting():
        try:
            result = with_first_record_read(ask(answers_of(data, document)))
        except sqlite3.DatabaseError as exc:
            if not db.damaged(exc):
                raise
            forget(data)  # found damaged as it was read: it is only a cache, so away with it, and ask again
            result = with_first_record_read(ask(answers_of(data, document)))
        try:
            show(result, output)
        except sqlite3.DatabaseError as exc:
            if db.damaged(exc):  # found damaged once the answer had begun: built anew by the next query
                forget(data)
            raise


def with_first_record_read(result: Result) -> Result:
    """`result` with its first record read, so that what fails at once fails before a byte is
    written (a damaged database is then built anew); the rest are read as they are written."""
    records = iter(result.records)
    first = list(itertools.islice(records, 1))
    return dataclasses.replace(result, records=itertools.chain(first, records))


def check_arguments(arguments: Iterable[tuple[str, Any]]) -> None:
    """Arguments (name, value) a command can be run with, else a usage error: text that is UTF-8
    (bytes that are not reach Python as lone surrogates, which no query can hold) and numbers
    that are finite."""
    for name, value in arguments:
        for given in value if isinstance(value, list | tuple) else [value]:
            item = given if isinstance(given, str | float) else str(given)  # a folder's name too: SQLite keeps it
            if isinstance(item, str) and not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    shown = os.fsencode(item)
                    fail(Exit.USAGE, [f"chuanyu: {name.replace('_', '-')}: not UTF-8 text: {shown!r}"])
            if isinstance(item, float) and not math.isfinite(item):
                fail(Exit.USAGE, [f"chuanyu: {name.replace('_', '-')}: {item} is not a number of seconds (nor any finite number)"])
