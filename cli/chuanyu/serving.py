"""`chuanyu serve`: the database in Datasette, read-only, with the metadata of `web.py`.

Datasette is an optional extra (`pip install 'chuanyu[serve]'`), imported only here and only
when a server is made: no other command pays for it.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import shutil
import socket
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from . import db, paths
from .sql import named_queries
from .web import DATABASE, metadata, trigram_match

#: Datasette's own time limit on a query, with --sql (milliseconds).
SQL_TIME_LIMIT_MS = 1000
#: Where Datasette is installed from, said when it is not.
EXTRA = "pip install 'chuanyu[serve]'"
#: The name of chuanyu's one plugin (`_trigram_search`).
_PLUGIN = "chuanyu.trigram_search"


class NoDatasette(Exception):
    """Datasette is not installed."""


class CannotListen(Exception):
    """The address cannot be listened on: a port taken, a host that is not this machine's."""


def datasette_installed() -> None:
    """NoDatasette unless Datasette can be imported."""
    import importlib.util

    if importlib.util.find_spec("datasette") is None:
        raise NoDatasette(f"chuanyu serve needs Datasette: {EXTRA}")


def serve(conn: sqlite3.Connection, host: str, port: int, allow_sql: bool, listening: Callable[[str], None]) -> None:
    """Serve the database on `conn` at `host`:`port` until interrupted (Ctrl-C); `listening` is
    told its address once it listens."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listener = socket.create_server((host, port), family=family)
    except OSError as exc:
        raise CannotListen(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from None
    with listener:
        described = metadata(conn, named_queries(paths.queries_dir()), allow_sql)
        with pinned(conn) as path:
            datasette = site(path, described, allow_sql)
            listening(address(host, port))
            run(datasette, listener)


def address(host: str, port: int) -> str:
    """The database's address on the server at `host`:`port`."""
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/{DATABASE}"


def loopback(host: str) -> bool:
    """Whether `host` is this machine only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@contextmanager
def pinned(conn: sqlite3.Connection) -> Iterator[Path]:
    """The database open on `conn` as a file `chuanyu.db` of its own, in a folder beside it: a
    hard link (else a copy), so that a build that replaces or removes the cached file meanwhile
    leaves the served one whole. Removed when the server stops; what a killed server left is
    removed by the next."""
    source = Path(conn.execute("PRAGMA database_list").fetchone()[2])
    for orphan in source.parent.glob(".serve.*"):
        pid = orphan.name.split(".")[2]
        if pid.isdigit() and not db.running(int(pid)):
            shutil.rmtree(orphan, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f".serve.{os.getpid()}.", dir=source.parent))
    target = folder / f"{DATABASE}.db"
    try:
        try:
            os.link(source, target)
        except OSError:  # another file system, or one without links: a copy of what is open
            with contextlib.closing(sqlite3.connect(target)) as copy:
                conn.backup(copy)
        yield target
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def site(path: Path, metadata: dict[str, Any], allow_sql: bool) -> Any:
    """A Datasette for the database file at `path` (named chuanyu.db): opened immutable, SQL of
    the visitors' own only with `allow_sql` (then under Datasette's time limit), no plugins but
    Datasette's own, and the table search of `texts` asking the trigram index for each trigram."""
    from datasette.app import Datasette
    from datasette.plugins import DEFAULT_PLUGINS, pm

    for plugin in pm.get_plugins():  # installed ones (a write plugin among them) stay out
        if pm.get_name(plugin) not in (*DEFAULT_PLUGINS, _PLUGIN):
            pm.unregister(plugin)
    if pm.get_plugin(_PLUGIN) is None:
        pm.register(_trigram_search(), name=_PLUGIN)
    settings = {"sql_time_limit_ms": SQL_TIME_LIMIT_MS, "default_allow_sql": allow_sql}
    return Datasette(immutables=[str(path)], metadata=metadata, settings=settings)


def run(datasette: Any, listener: socket.socket) -> None:
    """Serve on `listener` until interrupted (Ctrl-C) or terminated."""
    import asyncio
    import signal
    import sys

    import uvicorn

    # uvicorn stops, then raises the signal again: terminated as a SystemExit (143, as shells
    # count it), not at once, so that the served copy is removed on the way out
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    asyncio.run(datasette.invoke_startup())
    uvicorn.Server(uvicorn.Config(datasette.app(), log_level="warning", lifespan="on")).run(sockets=[listener])


def _trigram_search() -> ModuleType:
    """A Datasette plugin (a module, as Datasette lists its plugins): `escape_fts`, which the
    table search applies to what was typed, as `trigram_match`, since the trigram index holds no
    phrases (Datasette's own asks for one)."""
    from datasette import hookimpl

    @hookimpl(trylast=True)  # type: ignore[untyped-decorator]  # after Datasette's own, which it replaces
    def prepare_connection(conn: sqlite3.Connection) -> None:
        conn.create_function("escape_fts", 1, trigram_match, deterministic=True)

    plugin = ModuleType(_PLUGIN, _trigram_search.__doc__)
    plugin.prepare_connection = prepare_connection  # type: ignore[attr-defined]
    return plugin
