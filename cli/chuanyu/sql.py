"""Named SQL from queries/*.sql, and any reading statement, run read-only with a time limit.

A query's file stem is its name, its leading comment lines its title and help, and the `:name`s
in its SQL its parameters.
"""

from __future__ import annotations

import base64
import itertools
import math
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .db import damaged
from .result import Column, Result

_PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_STRING_OR_COMMENT = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/", re.S)
#: PRAGMAs that only read; any other, or any PRAGMA given a value, is refused.
READING_PRAGMAS = frozenset(
    {
        "table_info",
        "table_xinfo",
        "table_list",
        "index_list",
        "index_info",
        "index_xinfo",
        "foreign_key_list",
        "database_list",
        "collation_list",
        "function_list",
        "pragma_list",
        "compile_options",
        # given no value, these only tell a setting or check the file
        "user_version",
        "schema_version",
        "application_id",
        "data_version",
        "integrity_check",
        "quick_check",
        "foreign_key_check",
        "page_count",
        "page_size",
        "freelist_count",
        "encoding",
        "journal_mode",
        "foreign_keys",
        "cache_size",
        "synchronous",
    }
)
#: Seconds a query may run before it is stopped.
TIME_LIMIT = 5.0
#: The longest text or BLOB a query may make (SQLite's SQLITE_LIMIT_LENGTH): the longest text
#: of a catalogue is 20,000 characters, every measure's text together some 60 MB at 100k measures.
LENGTH_LIMIT = 100_000_000
#: The memory SQLite may take for a query (its hard heap limit), and the rows and bytes of text
#: and BLOBs an answer may hold (it is held whole to be written in any format).
HEAP_LIMIT = 512 * 2**20
ROW_LIMIT = 200_000
ANSWER_LIMIT = 100_000_000


#: Functions that change the connection rather than read: one loads code, the other (given two
#: arguments) installs a tokenizer by its pointer.
CHANGING_FUNCTIONS = frozenset({"load_extension", "fts3_tokenizer"})


class QueryError(Exception):
    """SQL that is refused, fails, or runs past its time limit."""


@dataclass(frozen=True)
class NamedQuery:
    """A query in queries/NAME.sql: its leading comment lines are its title and help, and the
    `:name`s in its SQL its parameters."""

    name: str
    title: str
    help: str
    sql: str

    @property
    def parameters(self) -> list[str]:
        return parameters(self.sql)

    @property
    def body(self) -> str:
        """The SQL without its leading comment lines (the title and help, shown apart)."""
        lines = self.sql.splitlines(keepends=True)
        return "".join(itertools.dropwhile(lambda line: line.startswith("--"), lines))


def parameters(sql: str) -> list[str]:
    """The `:name` parameters of `sql`, in order of first use (not those in strings or comments)."""
    code = _STRING_OR_COMMENT.sub(" ", sql)
    return list(dict.fromkeys(_PARAMETER.findall(code)))


def named_queries(folder: Path) -> dict[str, NamedQuery]:
    found = {}
    for path in sorted(folder.glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        comments = []
        for line in sql.splitlines():
            if not line.startswith("--"):
                break
            comments.append(line[2:].strip())
        found[path.stem] = NamedQuery(path.stem, comments[0] if comments else "", " ".join(comments[1:]), sql)
    return found


def query_list(folder: Path) -> Result:
    """The named queries: name, title, parameters and help."""
    records = [{"name": q.name, "title": q.title, "parameters": q.parameters, "help": q.help} for q in named_queries(folder).values()]
    columns = [
        Column("name", "name", atomic=True),
        Column("title", "title"),
        Column("parameters", "parameters", lambda r: ", ".join(r["parameters"])),
        Column("help", "help", on_terminal=False),
    ]
    return Result(columns, records)


_ACTIONS = {
    getattr(sqlite3, name): name.removeprefix("SQLITE_").replace("_", " ").lower()
    for name in (
        "SQLITE_INSERT",
        "SQLITE_UPDATE",
        "SQLITE_DELETE",
        "SQLITE_ATTACH",
        "SQLITE_DETACH",
        "SQLITE_PRAGMA",
        "SQLITE_TRANSACTION",
        "SQLITE_ALTER_TABLE",
        "SQLITE_DROP_TABLE",
        "SQLITE_CREATE_TABLE",
        "SQLITE_CREATE_TEMP_TABLE",
        "SQLITE_CREATE_INDEX",
        "SQLITE_CREATE_VIEW",
        "SQLITE_CREATE_TRIGGER",
        "SQLITE_CREATE_VTABLE",
        "SQLITE_DROP_VIEW",
        "SQLITE_DROP_INDEX",
        "SQLITE_DROP_TRIGGER",
        "SQLITE_ANALYZE",
        "SQLITE_REINDEX",
        "SQLITE_SAVEPOINT",
        "SQLITE_FUNCTION",
    )
}
_READING = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_RECURSIVE}
_SCHEMA_TABLES = ("sqlite_master", "sqlite_schema", "sqlite_temp_master")
#: Of READING_PRAGMAS, those that set something when given a value (`PRAGMA user_version = 3`).
_SETTINGS = frozenset(
    {
        "user_version",
        "schema_version",
        "application_id",
        "page_size",
        "encoding",
        "journal_mode",
        "foreign_keys",
        "cache_size",
        "synchronous",
    }
)


def run_sql(conn: sqlite3.Connection, sql: str, values: dict[str, str], time_limit: float = TIME_LIMIT) -> Result:
    """Run one reading statement: anything that writes, attaches, sets a PRAGMA or loads an
    extension is refused before it runs, and a query still running after `time_limit` seconds
    is stopped."""
    import time

    refused: list[str] = []
    selecting = False  # the statement so far is a SELECT (SQLite asks about SELECT first)

    def authorise(action: int, first: str | None, second: str | None, database: str | None, trigger: str | None) -> int:
        nonlocal selecting
        if action in _READING:
            selecting = selecting or action == sqlite3.SQLITE_SELECT
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_FUNCTION and not changing(second):
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_PRAGMA and first in READING_PRAGMAS and (second is None or first not in _SETTINGS):
            return sqlite3.SQLITE_OK  # table_info(x): x is a name, not a setting
        if action == sqlite3.SQLITE_UPDATE and selecting and first in _SCHEMA_TABLES:
            return sqlite3.SQLITE_OK  # a virtual table (texts_fts, pragma_table_info) read for the first time: SQLite reads its schema
        if first in _SCHEMA_TABLES:
            refused.append("a change to the schema")  # DROP, CREATE, ALTER: the first thing SQLite asks about
        elif action == sqlite3.SQLITE_ATTACH and not first:
            refused.append("vacuum")  # VACUUM asks to attach a database of no name
        elif action == sqlite3.SQLITE_SAVEPOINT:
            refused.append(f"savepoint {second}")
        else:
            target = second if action == sqlite3.SQLITE_FUNCTION else first
            refused.append(" ".join(filter(None, [_ACTIONS.get(action, f"action {action}"), target])))
        return sqlite3.SQLITE_DENY

    deadline = time.monotonic() + time_limit
    bound(conn)
    conn.set_authorizer(authorise)
    # asked every 100 steps of SQLite's machine: a step is short, one that is not (a long
    # printf, a huge join's sort) is bounded by the length and heap limits instead
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 100)
    try:
        cursor = conn.execute(sql, {k: _typed(v) for k, v in values.items()})
        rows = []
        size = 0
        while batch := cursor.fetchmany(1000):
            rows += batch
            size += sum(len(value) if isinstance(value, str | bytes) else 8 for row in batch for value in row)
            if len(rows) > ROW_LIMIT:
                raise QueryError(f"stopped: more than {ROW_LIMIT:,} rows (ask for fewer, or add LIMIT)")
            if size > ANSWER_LIMIT:
                raise QueryError(f"stopped: an answer of more than {ANSWER_LIMIT:,} bytes (ask for less)")
            if time.monotonic() > deadline:
                raise QueryError(f"stopped after {time_limit:g} s (--time-limit)")
    except sqlite3.Warning as exc:  # e.g. more than one statement
        raise QueryError(f"failed: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        if damaged(exc):
            raise  # the file, not the query: the caller builds it anew
        if refused:
            raise QueryError(f"refused: only reading is allowed, not {', '.join(dict.fromkeys(refused))}") from exc
        if "interrupted" in str(exc) and time.monotonic() < deadline:
            raise KeyboardInterrupt from exc  # Ctrl-C, which the progress handler met first
        if "interrupted" in str(exc):
            raise QueryError(f"stopped after {time_limit:g} s (--time-limit)") from exc
        if "too big" in str(exc):
            raise QueryError(f"stopped: a value longer than {LENGTH_LIMIT:,} bytes") from exc
        raise QueryError(f"failed: {exc}") from exc
    except MemoryError as exc:  # SQLite's heap limit met (it says "out of memory")
        raise QueryError(f"stopped: more than {HEAP_LIMIT // 2**20} MB of memory") from exc
    finally:
        conn.set_authorizer(None)
        conn.set_progress_handler(None, 0)
    names = [d[0] for d in cursor.description or []]
    records = [dict(zip(names, map(_portable, row), strict=True)) for row in rows]
    numeric = {n for n in names if records and all(isinstance(r[n], int | float) and not isinstance(r[n], bool) for r in records)}
    return Result([Column(n, n, numeric=n in numeric, verbatim=True) for n in names], records)  # its names are the query's


def changing(function: str | None) -> bool:
    """Whether the SQL function named `function` can change the connection (see CHANGING_FUNCTIONS)."""
    return (function or "").lower() in CHANGING_FUNCTIONS


def bound(conn: sqlite3.Connection, length: int = LENGTH_LIMIT) -> None:
    """The longest value (`length` bytes) a query on `conn` may make, and the memory SQLite may
    take (the heap limit is the process's: every connection's)."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, length)
    conn.execute(f"PRAGMA hard_heap_limit = {HEAP_LIMIT}")


def _portable(value: Any) -> Any:
    """A value as every format can hold it: a BLOB as its base64 text, a number that is not
    finite (1e999, NaN) as null, for JSON has no other way to write them."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _typed(value: str) -> int | str:
    """A parameter as SQL should compare it: a whole number as a number, anything else as text."""
    return int(value) if re.fullmatch(r"-?\d+", value) else value
