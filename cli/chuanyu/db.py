"""The SQLite database: built with sqlite-utils into a temporary file and renamed into place,
opened read-only with the standard library for every query.

Query commands use a cache keyed on the catalogue's content: a fresh install builds on first
use, and an edited YAML gets a new key, so it is never answered from a stale database.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .paths import MAX_FILE_BYTES, cache_dir, catalogue_files, read_regular, refuse_unless_a_file, write_whole

try:  # the interpreter's own SHA-256: hashlib would first load OpenSSL, ~3 ms on every command
    from _sha256 import sha256  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - other interpreters, or Python 3.12+ (_sha2)
    from hashlib import sha256

if TYPE_CHECKING:  # the query path must not pay for importing these
    from .model import Catalogue

#: Bump when the tables change, so every cached database is rebuilt.
SCHEMA_VERSION = "9"

#: Told each stage of a build as it starts, in a few words (a terminal shows them).
Progress = Callable[[str], None]


def _quiet(stage: str) -> None:
    """No one is told."""


def catalogue_key(data_dir: Path) -> str:
    """A digest of the catalogue's files and the schema: the cache's name for this catalogue.

    Remembered in the cache for the files' state (size, times, inode), which any change to a
    file changes: a query on 100k measures would otherwise read and hash 100 MB first."""
    files = catalogue_files(data_dir)
    stats = [(os.path.realpath(path), path.stat()) for path in files]  # realpath: a link that loops is for stat to say
    state = "".join(f"{p} {s.st_size} {s.st_mtime_ns} {s.st_ctime_ns} {s.st_ino} {s.st_dev}\n" for p, s in stats)
    signature = sha256(f"chuanyu schema {SCHEMA_VERSION}\n{state}".encode()).hexdigest()[:32]
    try:
        memo = cache_dir() / f"{signature}.key"
    except OSError:  # no cache to remember it in: said when a database is to be kept there
        return _content_key(files)
    try:
        key = memo.read_text(encoding="ascii")
        if re.fullmatch(r"[0-9a-f]{32}", key):
            return key
    except (OSError, UnicodeDecodeError):
        pass
    key = _content_key(files)
    try:  # atomically, for the processes reading it meanwhile; a cache we cannot write is no error
        memo.parent.mkdir(parents=True, exist_ok=True)
        _remove_orphans(memo)
        write_whole(memo, key)
        _forget_other_states(memo, key)
    except OSError:
        pass
    return key


def _forget_other_states(memo: Path, key: str) -> None:
    """Remove the memos of the catalogue's earlier states that name the same content (a file
    touched, not changed): one memo for it, not one per touch."""
    for other in memo.parent.glob("*.key"):
        if other != memo:
            with contextlib.suppress(OSError, UnicodeDecodeError):
                if other.read_text(encoding="ascii") == key:
                    other.unlink(missing_ok=True)


def _content_key(files: Iterable[Path]) -> str:
    digest = sha256(f"chuanyu schema {SCHEMA_VERSION}\n".encode())
    for path in files:  # what read_yaml would refuse is an OSError here: loading says why
        content = read_regular(path, MAX_FILE_BYTES)
        digest.update(f"{path.name} {len(content)}\n".encode())
        digest.update(content)
    return str(digest.hexdigest()[:32])


def cache_path(data_dir: Path) -> Path:
    """Where the cache keeps the database of the catalogue in `data_dir`."""
    return cache_dir() / f"{catalogue_key(data_dir)}.db"


def ensure(data_dir: Path, progress: Progress = _quiet) -> Path:
    """The cached database for the catalogue in `data_dir`, built (and validated) if missing."""
    try:
        path = cache_path(data_dir)
    except OSError:  # a missing file: loading the catalogue says which, with any other problem
        return build(data_dir, progress=progress)
    refuse_unless_a_file(path)  # a FIFO there would hang SQLite's open
    return path if path.exists() else build(data_dir, progress=progress)


def open_cached(data_dir: Path, progress: Progress = _quiet) -> sqlite3.Connection:
    """A read-only connection to the cached database of the catalogue in `data_dir`, built if
    missing, or if the file is not whole (damaged, emptied, another catalogue's): it is only a
    cache. A build for an edit of the same folder may also remove it just before it is opened
    (see `_prune`): then the one of the catalogue as it is now."""
    path = ensure(data_dir, progress)
    conn = _checked(path)
    if conn is not None:
        return conn
    if path.exists():  # not whole: built again, in its place
        build(data_dir, progress=progress)
    return connect(ensure(data_dir, progress))  # or gone meanwhile: built if need be


def _checked(path: Path) -> sqlite3.Connection | None:
    """The database at `path`, if it opens and names itself by its file's name; else None."""
    try:
        conn = connect(path)
        named = conn.execute("SELECT value FROM meta WHERE key = 'catalogue'").fetchone()
    except sqlite3.DatabaseError:
        return None
    if named is None or named[0] != path.stem:
        conn.close()
        return None
    return conn


def damaged(error: sqlite3.DatabaseError) -> bool:
    """Whether `error` says the database file is damaged, not that a query is wrong."""
    return getattr(error, "sqlite_errorcode", None) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def discard(data_dir: Path) -> None:
    """Remove the cached database of the catalogue in `data_dir`: the next query builds it anew.
    A query holding it open reads on."""
    cache_path(data_dir).unlink(missing_ok=True)


def build(data_dir: Path, path: Path | None = None, progress: Progress = _quiet) -> Path:
    """Validate the catalogue in `data_dir` and write its database to `path`; by default to the
    cache, where it replaces the databases of the folder's earlier states."""
    import gc

    # millions of small objects and no cycles among them: the collector's rescans would make
    # a large build superlinear (100k measures: 36 s with it, 28 s without)
    gc.disable()
    try:
        progress("reading the catalogue")
        catalogue, key = _read(data_dir)
        target = path or cache_dir() / f"{key}.db"
        write(catalogue, target, key, progress, origin=data_dir)
    finally:
        gc.enable()
    if path is None:
        _prune(target, data_dir)
    return target


def _read(data_dir: Path) -> tuple[Catalogue, str]:
    """The catalogue and the key of just what was read: files edited while they were being
    read are read again (twice at most), so that a database is never named for other files."""
    from .catalogue import load

    for _ in range(3):
        try:
            before = catalogue_key(data_dir)
        except OSError:  # a missing file: loading says which
            before = None
        catalogue = load(data_dir)
        key = catalogue_key(data_dir)
        if key == before:
            break
    return catalogue, key


def _prune(kept: Path, origin: Path) -> None:
    """Remove the cached databases of `origin`'s earlier states, and the keys naming them: each
    edit of a large catalogue would otherwise leave its hundreds of megabytes behind, and so
    would each new schema. Other folders' databases, and those of a newer schema (a newer
    chuanyu's), are left alone. A query holding a removed one open reads on; one about to open
    it builds anew (`open_cached`)."""
    folder = str(origin.resolve())
    removed = set()
    for other in kept.parent.glob("*.db"):
        if other == kept:
            continue
        try:
            conn = connect(other)
            try:
                meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            finally:
                conn.close()
        except sqlite3.Error:  # not one of ours, or half gone: not ours to remove
            continue
        if meta.get("data") == folder and _schema(meta.get("schema")) <= int(SCHEMA_VERSION):
            other.unlink(missing_ok=True)
            removed.add(other.stem)
    for memo in kept.parent.glob("*.key"):  # the keys naming them, or any database no longer there
        try:
            named = memo.read_text(encoding="ascii")
            if named in removed or not (kept.parent / f"{named}.db").exists():
                memo.unlink(missing_ok=True)
        except (OSError, UnicodeDecodeError):
            pass


def _schema(version: str | None) -> int:
    """A database's schema as a number to compare; one that says none sorts newest (not ours)."""
    return int(version) if version and version.isdigit() else 2**31


def connect(path: Path) -> sqlite3.Connection:
    """A read-only connection whose rows are dicts by column name."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def write(catalogue: Catalogue, path: Path, key: str, progress: Progress = _quiet, origin: Path | None = None) -> None:
    """Write the database to a temporary file beside `path`, then rename it over `path`:
    an interrupted build leaves the previous database whole. `origin`: the catalogue's folder,
    kept in `meta`."""
    import tempfile

    import sqlite_utils

    from . import db_tables

    refuse_unless_a_file(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_orphans(path)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        db = sqlite_utils.Database(temporary, recreate=True)
        # nothing reads the temporary file, and a crash discards it: no journal needed
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        with db.conn:
            progress(f"writing {sum(len(part.measures) for part in catalogue.parts):,} measures")
            db_tables.create(db)
            db_tables.fill(db, catalogue, key, origin, SCHEMA_VERSION)
            progress("indexing")
            db_tables.index(db)
            progress("pairing")
            db_tables.pairs(db)
        db.close()
        with open(temporary, "rb+") as built:
            os.fsync(built.fileno())
        os.replace(temporary, path)
    except sqlite3.Error as exc:  # a full disk, a file SQLite cannot write: said as the OSError it is
        raise OSError(errno.EIO, str(exc), str(path)) from exc
    finally:
        temporary.unlink(missing_ok=True)


def _remove_orphans(path: Path) -> None:
    """Remove the temporary files (`.NAME.PID.….tmp`) that killed processes left for `path`;
    those of processes still running are left alone."""
    for orphan in path.parent.glob(f".{path.name}.*.tmp"):
        pid = orphan.name.removeprefix(f".{path.name}.").split(".")[0]
        if pid.isdigit() and not running(int(pid)):
            orphan.unlink(missing_ok=True)


def running(pid: int) -> bool:
    """Whether process `pid` is running (another user's too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's, still running
        pass
    return True
