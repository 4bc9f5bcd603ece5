"""`chuanyu serve`: the database in Datasette, read-only, with the metadata of `web.py`.

Datasette is an optional extra (`pip install 'chuanyu[serve]'`), imported only here and only
when a server is made: no other command pays for it.
"""

from __future__ import annotations

import contextlib
import io
import ipaddress
import logging
import os
import queue
import shutil
import socket
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

from . import db, paths
from .sql import ANSWER_LIMIT, bound, changing, named_queries
from .web import DATABASE, metadata, trigram_match

#: Datasette's own time limit on a query, with --sql (milliseconds).
SQL_TIME_LIMIT_MS = 1000
#: The most rows a page of Datasette's holds (its own default, said here): with each value no
#: longer than ANSWER_LIMIT / SERVED_ROWS bytes, a page is no larger than `query`'s largest answer.
SERVED_ROWS = 1000
SERVED_VALUE_LIMIT = ANSWER_LIMIT // SERVED_ROWS
#: Where Datasette is installed from, said when it is not.
EXTRA = "pip install 'chuanyu[serve]'"
#: The name of chuanyu's one plugin (`_plugin`), and of Datasette's own that it replaces.
_PLUGIN = "chuanyu.trigram_search"
_DATASETTES_ERROR_PAGE = "datasette.handle_exception"


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
        with served_copy(conn) as path:
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
def served_copy(conn: sqlite3.Connection) -> Iterator[Path]:
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

    for plugin in pm.get_plugins():  # installed ones (a write plugin among them) stay out; and Datasette's
        if pm.get_name(plugin) not in (*DEFAULT_PLUGINS, _PLUGIN) or pm.get_name(plugin) == _DATASETTES_ERROR_PAGE:
            pm.unregister(plugin)  # error page, which prints tracebacks with their local variables: ours replaces it
    if pm.get_plugin(_PLUGIN) is None:
        pm.register(_plugin(), name=_PLUGIN)
    settings = {"sql_time_limit_ms": SQL_TIME_LIMIT_MS, "default_allow_sql": allow_sql, "max_returned_rows": SERVED_ROWS}
    return Datasette(immutables=[str(path)], metadata=metadata, settings=settings)


def run(datasette: Any, listener: socket.socket) -> None:
    """Serve on `listener` until interrupted (Ctrl-C) or terminated."""
    import asyncio
    import signal

    import uvicorn

    # uvicorn stops, then raises the signal again: terminated as a SystemExit (143, as shells
    # count it), not at once, so that the served copy is removed on the way out
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    asyncio.run(datasette.invoke_startup())
    config = uvicorn.Config(datasette.app(), log_level="warning", lifespan="on", log_config=None, access_log=False)
    with logged():
        uvicorn.Server(config).run(sockets=[listener])


def _plugin() -> ModuleType:
    """chuanyu's Datasette plugin (a module, as Datasette lists its plugins): `escape_fts`, which
    the table search applies to what was typed, as `trigram_match`, since the trigram index holds
    no phrases (Datasette's own asks for one); each connection bounded as `query`'s, its
    functions that change the connection refused and the values of `meta` (which name folders of
    this machine) read as null; a visitor's error an error page and one line in the log; and
    the databases listed without their paths."""
    from datasette import hookimpl

    @hookimpl(trylast=True)  # type: ignore[untyped-decorator]  # after Datasette's own, which it replaces
    def prepare_connection(conn: sqlite3.Connection) -> None:
        conn.create_function("escape_fts", 1, trigram_match, deterministic=True)
        bound(conn, SERVED_VALUE_LIMIT)
        conn.set_authorizer(_visitors_read)

    @hookimpl(tryfirst=True)  # type: ignore[untyped-decorator]  # before Datasette's own, which prints a traceback
    def handle_exception(datasette: Any, request: Any, exception: BaseException) -> Any:
        return lambda: _error_page(datasette, request, exception)

    @hookimpl  # type: ignore[untyped-decorator]
    def register_routes(datasette: Any) -> list[tuple[str, Any]]:
        from datasette import Response

        def databases() -> Any:
            listed = datasette._connected_databases()
            return Response.json([{key: value for key, value in database.items() if key != "path"} for database in listed])

        return [(r"^/-/databases(\.(?P<format>json))?$", databases)]

    plugin = ModuleType(_PLUGIN, _plugin.__doc__)
    plugin.prepare_connection = prepare_connection  # type: ignore[attr-defined]
    plugin.handle_exception = handle_exception  # type: ignore[attr-defined]
    plugin.register_routes = register_routes  # type: ignore[attr-defined]
    return plugin


def _visitors_read(action: int, first: str | None, second: str | None, database: str | None, trigger: str | None) -> int:
    if action == sqlite3.SQLITE_FUNCTION and changing(second):
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_READ and first == "meta" and second == "value":
        return sqlite3.SQLITE_IGNORE
    return sqlite3.SQLITE_OK


async def _error_page(datasette: Any, request: Any, exception: BaseException) -> Any:
    """The page Datasette shows for `exception` (JSON for a .json address), with no more than
    Datasette tells of a visitor's error (400s) and nothing of the server's (500s); one line in
    the log for it."""
    from datasette import Response
    from datasette.utils.asgi import Base400
    from datasette.views.base import DatasetteError
    from markupsafe import Markup

    status, message, title = 500, "the server could not answer this request", None
    if isinstance(exception, Base400):
        status, message = exception.status, str(exception.args[0] if exception.args else exception)
    elif isinstance(exception, DatasetteError):
        status, title = exception.status, exception.title
        message = Markup(exception.message) if exception.message_is_html else exception.message
    said = " ".join(f"{type(exception).__name__}: {exception}".split())
    log(f"chuanyu: serve: {status} {request.method} {request.path}: {said[:300]}")
    info = {"ok": False, "error": message, "status": status, "title": title}
    if request.path.endswith(".json"):
        return Response.json(info, status=status)
    template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
    context = dict(info, urls=datasette.urls, app_css_hash=datasette.app_css_hash(), menu_links=lambda: [])
    return Response.html(await template.render_async(context), status=status)


#: Log lines waiting for standard error: past this many, further lines are dropped.
LOG_BACKLOG = 1000


class _Log(io.TextIOBase):
    """Standard output and error while serving: each line written is queued for the real
    stderr, which a thread of its own writes; a stderr that nobody reads blocks that thread,
    never the server (once LOG_BACKLOG lines wait, the next are dropped)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.partial = stream, ""
        self.backlog: queue.Queue[str] = queue.Queue(LOG_BACKLOG)
        threading.Thread(target=self._write, name="chuanyu-log", daemon=True).start()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        *lines, self.partial = (self.partial + text).split("\n")
        for line in lines:
            with contextlib.suppress(queue.Full):
                self.backlog.put_nowait(line)
        return len(text)

    def _write(self) -> None:
        while True:
            line = self.backlog.get()
            with contextlib.suppress(OSError, ValueError):  # a stderr closed or full: the line is dropped
                self.stream.write(line + "\n")
                self.stream.flush()
            self.backlog.task_done()

    def drained(self, seconds: float) -> None:
        """Give the lines waiting up to `seconds` to be written (a stderr nobody reads may never take them)."""
        deadline = time.monotonic() + seconds
        while self.backlog.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.005)


class _OneLine(logging.Handler):
    """A log record (uvicorn's, asyncio's) as one line, with no traceback."""

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):
            sys.stderr.write(" ".join(f"chuanyu: serve: {record.levelname.lower()}: {record.getMessage()}".split()) + "\n")


@contextmanager
def logged() -> Iterator[None]:
    """While serving: what is printed and logged (warnings and worse) goes to stderr by `_Log`."""
    saved = sys.stdout, sys.stderr
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    log_stream = _Log(sys.stderr)
    sys.stdout = sys.stderr = log_stream
    root.handlers[:] = [_OneLine()]
    root.setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "asyncio"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
        root.handlers[:], root.level = handlers, level
        log_stream.drained(seconds=2.0)


def log(line: str) -> None:
    """One line for the server's log: to stderr (while serving, by way of `_Log`)."""
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(line + "\n")
