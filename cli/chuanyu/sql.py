"""Named SQL from queries/*.sql, and any reading statement, run read-only with a time limit.

A query's file stem is its name, its leading comment lines its title and help, and the `:name`s
in its SQL its parameters.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

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
    }
)
#: Seconds a query may run before it is stopped.
TIME_LIMIT = 5.0


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


def run_sql(conn: sqlite3.Connection, sql: str, values: dict[str, str], time_limit: float = TIME_LIMIT) -> Result:
    """Run one reading statement: anything that writes, attaches, sets a PRAGMA or loads an
    extension is refused before it runs, and a query still running after `time_limit` seconds
    is stopped."""
    import time

    refused: list[str] = []

    def authorise(action: int, first: str | None, second: str | None, database: str | None, trigger: str | None) -> int:
        if action in _READING:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_FUNCTION and second != "load_extension":
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_PRAGMA and first in READING_PRAGMAS:  # table_info(x): x is a name, not a setting
            return sqlite3.SQLITE_OK
        if first in ("sqlite_master", "sqlite_schema", "sqlite_temp_master"):
            refused.append("a change to the schema")  # DROP, CREATE, ALTER: the first thing SQLite asks about
        else:
            target = second if action == sqlite3.SQLITE_FUNCTION else first
            refused.append(" ".join(filter(None, [_ACTIONS.get(action, f"action {action}"), target])))
        return sqlite3.SQLITE_DENY

    deadline = time.monotonic() + time_limit
    conn.set_authorizer(authorise)
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
    try:
        cursor = conn.execute(sql, {k: _typed(v) for k, v in values.items()})
        rows = cursor.fetchall()
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
            raise QueryError(f"stopped after {time_limit:g} s") from exc
        raise QueryError(f"failed: {exc}") from exc
    finally:
        conn.set_authorizer(None)
        conn.set_progress_handler(None, 0)
    names = [d[0] for d in cursor.description or []]
    records = [dict(zip(names, tuple(row), strict=True)) for row in rows]
    numeric = {n for n in names if records and all(isinstance(r[n], int | float) and not isinstance(r[n], bool) for r in records)}
    return Result([Column(n, n, numeric=n in numeric) for n in names], records)


def _typed(value: str) -> int | str:
    """A parameter as SQL should compare it: a whole number as a number, anything else as text."""
    return int(value) if re.fullmatch(r"-?\d+", value) else value
