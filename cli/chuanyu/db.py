"""The SQLite database: built with sqlite-utils into a temporary file and renamed into place,
opened read-only with the standard library for every query.

Query commands use a cache keyed on the catalogue's content: a fresh install builds on first
use, and an edited YAML gets a new key, so it is never answered from a stale database.
"""

from __future__ import annotations

import errno
import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .paths import cache_dir, catalogue_files

try:  # the interpreter's own SHA-256: hashlib would first load OpenSSL, ~3 ms on every command
    from _sha256 import sha256  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - other interpreters, or Python 3.12+ (_sha2)
    from hashlib import sha256

if TYPE_CHECKING:  # the query path must not pay for importing these
    import sqlite_utils

    from .catalogue import Catalogue, Measure, Section

#: Bump when the tables change, so every cached database is rebuilt.
SCHEMA_VERSION = "7"

#: Told each stage of a build as it starts, in a few words (a terminal shows them).
Progress = Callable[[str], None]


def _quiet(stage: str) -> None:
    """No one is told."""


def catalogue_key(data_dir: Path) -> str:
    """A digest of the catalogue's files and the schema: the cache's name for this catalogue.

    Remembered in the cache for the files' state (size, times, inode), which any change to a
    file changes: a query on 100k measures would otherwise read and hash 100 MB first."""
    files = catalogue_files(data_dir)
    stats = [(path.resolve(), path.stat()) for path in files]
    state = "".join(f"{p} {s.st_size} {s.st_mtime_ns} {s.st_ctime_ns} {s.st_ino} {s.st_dev}\n" for p, s in stats)
    signature = sha256(f"chuanyu schema {SCHEMA_VERSION}\n{state}".encode()).hexdigest()[:32]
    memo = cache_dir() / f"{signature}.key"
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
        temporary = memo.with_name(f".{memo.name}.{os.getpid()}.tmp")
        temporary.write_text(key, encoding="ascii")
        os.replace(temporary, memo)
    except OSError:
        pass
    return key


def _content_key(files: Iterable[Path]) -> str:
    digest = sha256(f"chuanyu schema {SCHEMA_VERSION}\n".encode())
    for path in files:
        content = path.read_bytes()
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
    for memo in kept.parent.glob("*.key"):
        try:
            if memo.read_text(encoding="ascii") in removed:
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

    if path.exists() and not path.is_file():  # a folder, a device: never renamed over
        raise OSError(errno.EEXIST, "there is something other than a file here", str(path))
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
            progress(f"writing {len(catalogue.measures):,} measures")
            _create(db)
            _fill(db, catalogue, key, origin)
            progress("indexing")
            _index(db)
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
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            orphan.unlink(missing_ok=True)
        except PermissionError:  # another user's build, still running
            pass


def _create(db: sqlite_utils.Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("documents").create(
        {"id": str, "title": str, "number": str, "date": str, "issuers": str, "source": str},
        pk="id",
        not_null={"title", "number", "date"},
    )
    db.table("chapters").create(
        {"id": int, "document": str, "number": int, "title": str},
        pk="id",
        foreign_keys=[("document", "documents", "id")],
        not_null={"document", "number", "title"},
    )
    db.table("sections").create(
        {"id": int, "document": str, "chapter": int, "number": int, "title": str},
        pk="id",
        foreign_keys=[("document", "documents", "id"), ("chapter", "chapters", "id")],
        not_null={"document", "chapter", "number", "title"},
    )
    db.table("measures").create(
        {"id": int, "document": str, "chapter": int, "section": int, "number": int, "text": str},
        pk="id",
        foreign_keys=[("document", "documents", "id"), ("chapter", "chapters", "id"), ("section", "sections", "id")],
        not_null={"document", "chapter", "section", "number", "text"},
    )
    db.table("agencies").create(
        {
            "id": str,
            "name": str,
            "full_name": str,
            "province": str,
            "level": str,
            "counterpart": str,
            "founding_date": str,
            "dissolution_date": str,
        },
        pk="id",
        foreign_keys=[("counterpart", "agencies", "id")],
        not_null={"name", "level"},
    )
    # who took over a unit's function, since when (null: the source gives no date), and the source
    db.table("successions").create(
        {"agency": str, "successor": str, "since": str, "source": str, "note": str, "position": int},
        pk=("agency", "successor"),
        foreign_keys=[("agency", "agencies", "id"), ("successor", "agencies", "id")],
        not_null={"source", "position"},
    )
    db.table("aliases").create(
        {"agency": str, "alias": str, "position": int},
        pk=("agency", "alias"),
        foreign_keys=[("agency", "agencies", "id")],
    )
    db.table("responsibilities").create(
        {"measure": int, "agency": str, "grp": str, "position": int, "role": str},
        pk=("measure", "agency"),
        foreign_keys=[("measure", "measures", "id"), ("agency", "agencies", "id")],
        not_null={"grp", "position", "role"},
    )
    # every searchable text: chapter and section titles and measure texts, indexed by trigrams
    db.table("texts").create(
        {"id": int, "document": str, "kind": str, "chapter": int, "section": int, "number": int, "text": str},
        pk="id",
        foreign_keys=[("document", "documents", "id")],
        not_null={"document", "kind", "chapter", "number", "text"},
    )


def _insert(db: sqlite_utils.Database, table: str, rows: Iterable[dict[str, Any]]) -> None:
    """Rows, each with every column of the table, into a table sqlite-utils made."""
    from operator import itemgetter

    _insert_values(db, table, map(itemgetter(*_columns(db, table)), rows))


def _insert_values(db: sqlite_utils.Database, table: str, values: Iterable[tuple[Any, ...]]) -> None:
    """Rows as tuples in the table's order of columns, in the build's one transaction:
    executemany on its connection, without insert_all's per-value work (a tenth of the time at
    100k measures)."""
    columns = _columns(db, table)
    sql = f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) VALUES ({', '.join('?' * len(columns))})"
    db.conn.executemany(sql, values)


def _columns(db: sqlite_utils.Database, table: str) -> list[str]:
    return [column.name for column in db.table(table).columns]


def _index(db: sqlite_utils.Database) -> None:
    """Indexes, made once the rows are in: cheaper than keeping them up to date row by row."""
    for table, columns in (
        ("chapters", ["document", "number"]),
        ("sections", ["document", "number"]),
        ("measures", ["document", "number"]),
    ):
        db.table(table).create_index(columns, unique=True)
    db.table("measures").create_index(["section"])
    db.table("aliases").create_index(["alias"])
    # an agency's listings with their measures from the index alone (`agency`: a fifth faster at 100k)
    db.table("responsibilities").create_index(["agency", "role", "measure"])
    db.table("responsibilities").create_index(["measure", "grp", "position"])
    # trigrams without their positions (detail=none): half the time to build, and search asks
    # for all of a text's trigrams, then checks each candidate itself; nor the texts' sizes
    # (columnsize=0), which only ranking would read
    db.execute(
        "CREATE VIRTUAL TABLE [texts_fts] USING FTS5 "
        "([text], content=[texts], content_rowid=[id], tokenize='trigram', detail=none, columnsize=0)"
    )
    db.execute("INSERT INTO [texts_fts] (rowid, [text]) SELECT [id], [text] FROM [texts]")


def _fill(db: sqlite_utils.Database, catalogue: Catalogue, key: str, origin: Path | None) -> None:
    """Every table's rows, in the document's order: queries read listings and texts in rowid
    order as the document's, without sorting them (or all of them, to answer the first few)."""
    from .catalogue import role

    document = catalogue.document
    meta = [("schema", SCHEMA_VERSION), ("catalogue", key), ("chuanyu", __version__)]
    meta += [("data", str(origin.resolve()))] if origin is not None else []
    _insert(db, "meta", [{"key": k, "value": v} for k, v in meta])
    issuers = json.dumps(list(document.issuers), ensure_ascii=False)
    _insert(db, "documents", [vars(document) | {"issuers": issuers}])
    chapter_ids = {c.number: i for i, c in enumerate(catalogue.chapters, start=1)}
    section_ids = {s.number: i for i, s in enumerate(catalogue.sections, start=1)}
    chapters = ({"id": chapter_ids[c.number], "document": document.id, "number": c.number, "title": c.title} for c in catalogue.chapters)
    _insert(db, "chapters", chapters)
    sections = (
        {"id": section_ids[s.number], "document": document.id, "chapter": chapter_ids[s.chapter], "number": s.number, "title": s.title}
        for s in catalogue.sections
    )
    _insert(db, "sections", sections)
    measures = (
        {
            "id": i,
            "document": document.id,
            "chapter": chapter_ids[m.chapter],
            "section": section_ids[m.section],
            "number": m.number,
            "text": m.text,
        }
        for i, m in enumerate(catalogue.measures, start=1)
    )
    _insert(db, "measures", measures)
    _insert(db, "agencies", (vars(a) for a in catalogue.agencies.values()))
    successions = (
        {"agency": a.id, "successor": step.id, "since": step.since, "source": step.source, "note": step.note, "position": position}
        for a in catalogue.agencies.values()
        for position, step in enumerate(a.successors, start=1)
    )
    _insert(db, "successions", successions)
    aliases = (
        {"agency": a.id, "alias": alias, "position": position}
        for a in catalogue.agencies.values()
        for position, alias in enumerate(a.aliases, start=1)
    )
    _insert(db, "aliases", aliases)
    # a million at 100k measures: as tuples in the table's order (measure, agency, grp,
    # position, role), a second sooner than as rows by name
    listings = (
        (i, agency, group, position, role(group, position))
        for i, m in enumerate(catalogue.measures, start=1)
        for group, agency, position in m.listings()
    )
    _insert_values(db, "responsibilities", listings)
    _insert(db, "texts", ({"id": None, "document": document.id, **text} for text in _texts(catalogue)))


def _texts(catalogue: Catalogue) -> Iterator[dict[str, Any]]:
    """Every searchable text in the document's order: a chapter's title, then each of its
    sections' title followed by that section's measures."""
    sections: dict[int, list[Section]] = {}
    for section in catalogue.sections:
        sections.setdefault(section.chapter, []).append(section)
    measures: dict[int, list[Measure]] = {}
    for measure in catalogue.measures:
        measures.setdefault(measure.section, []).append(measure)
    for chapter in catalogue.chapters:
        yield {"kind": "chapter", "chapter": chapter.number, "section": None, "number": chapter.number, "text": chapter.title}
        for section in sections.get(chapter.number, []):
            yield {"kind": "section", "chapter": chapter.number, "section": section.number, "number": section.number, "text": section.title}
            for m in measures.get(section.number, []):
                yield {"kind": "measure", "chapter": m.chapter, "section": m.section, "number": m.number, "text": m.text}
