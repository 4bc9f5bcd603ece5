"""The SQLite database: its tables and keys, atomic builds, and the content-keyed cache."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from chuanyu import db, db_tables, paths
from chuanyu.model import GROUPS, Catalogue
from conftest import DATA, run


@pytest.fixture
def built(tmp_path: Path) -> sqlite3.Connection:
    path = tmp_path / "chuanyu.db"
    assert run("build", "--db", str(path)).code == 0
    return db.connect(path)


def test_tables_hold_the_whole_catalogue(built: sqlite3.Connection, catalogue: Catalogue) -> None:
    def count(table: str) -> int:
        return int(built.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    assert (count("documents"), count("chapters"), count("sections"), count("measures")) == (1, 8, 33, 58)
    assert count("agencies") == 70 + 6  # the units the document names, and their successors
    assert count("aliases") == sum(len(a.aliases) for a in catalogue.agencies.values())
    assert count("responsibilities") == 602


def test_keys_and_indexes(built: sqlite3.Connection) -> None:
    assert built.execute("PRAGMA foreign_key_check").fetchall() == []
    keys = {
        table: [row["name"] for row in built.execute(f"PRAGMA table_info({table})") if row["pk"]]
        for table in ("documents", "chapters", "sections", "measures", "agencies", "aliases", "responsibilities")
    }
    assert keys["responsibilities"] == ["measure", "agency"]
    assert keys["agencies"] == ["id"]
    references = {(row["table"], row["from"]) for row in built.execute("PRAGMA foreign_key_list(responsibilities)")}
    assert references == {("measures", "measure"), ("agencies", "agency")}
    indexed = {row["name"] for row in built.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "idx_responsibilities_agency_role_measure" in indexed


def test_roles_follow_the_document_order(built: sqlite3.Connection) -> None:
    rows = built.execute(
        """SELECT r.grp, r.position, r.role, r.agency FROM responsibilities r
           JOIN measures m ON m.id = r.measure WHERE m.number = 25 ORDER BY r.grp, r.position"""
    ).fetchall()
    leads = [(row["grp"], row["agency"]) for row in rows if row["role"] == "lead"]
    assert leads == [("chongqing", "cq-pbc"), ("sichuan", "sc-science-technology")]
    assert [row["role"] for row in rows if row["grp"] == "local"] == ["co"]
    joint = built.execute("SELECT r.role FROM responsibilities r JOIN measures m ON m.id = r.measure WHERE m.number = 55").fetchall()
    assert [row["role"] for row in joint] == ["co"]


def test_the_database_is_opened_read_only(built: sqlite3.Connection) -> None:
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        built.execute("DELETE FROM measures")


def test_an_interrupted_build_leaves_the_previous_database_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "chuanyu.db"
    assert run("build", "--db", str(path)).code == 0
    before = path.read_bytes()

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(db_tables, "fill", interrupted)
    with pytest.raises(KeyboardInterrupt):
        db.build(DATA, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chuanyu.db"]  # no temporary file left


def test_a_query_builds_the_cache_once_and_an_edit_is_never_answered_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _private_cache: Path
) -> None:
    catalogue = tmp_path / "data"
    shutil.copytree(DATA, catalogue, ignore=shutil.ignore_patterns("sources"))
    monkeypatch.setenv("CHUANYU_DATA", str(catalogue))
    assert run("measure", "1", "--format", "json").json()["text"].startswith("支持符合条件的主体")
    assert len(list(_private_cache.glob("*.db"))) == 1
    assert run("measure", "2", "--format", "json").code == 0
    assert len(list(_private_cache.glob("*.db"))) == 1  # answered from the cache, not rebuilt

    measures = catalogue / "measures.yaml"
    measures.write_text(measures.read_text(encoding="utf-8").replace("支持符合条件的主体", "改过的文字", 1), encoding="utf-8")
    assert run("measure", "1", "--format", "json").json()["text"].startswith("改过的文字")
    assert list(_private_cache.glob("*.db")) == [db.cache_path(catalogue)]  # the earlier state's is gone


def test_a_build_in_the_cache_removes_only_its_folders_earlier_databases(tmp_path: Path, _private_cache: Path) -> None:
    catalogue = tmp_path / "data"
    shutil.copytree(DATA, catalogue, ignore=shutil.ignore_patterns("sources"))
    shipped, earlier = db.ensure(DATA), db.ensure(catalogue)
    assert shipped == earlier  # the same content, one database: kept for whichever folder built it
    measures = catalogue / "measures.yaml"
    measures.write_text(measures.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    first = db.ensure(catalogue)
    older, newer = _private_cache / "older-schema.db", _private_cache / "newer-schema.db"  # this folder's, of other chuanyus
    for other, schema in ((older, "1"), (newer, "999")):
        shutil.copy(first, other)
        with sqlite3.connect(other) as conn:
            conn.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (schema,))
    not_ours = _private_cache / "not-ours.db"
    not_ours.write_text("not a database")

    measures.write_text(measures.read_text(encoding="utf-8") + "# edited again\n", encoding="utf-8")
    second = db.ensure(catalogue)
    assert sorted(_private_cache.glob("*.db")) == sorted([shipped, second, newer, not_ours])
    assert not first.exists() and not older.exists()
    remembered = {memo.read_text() for memo in _private_cache.glob("*.key")}
    assert remembered == {shipped.stem, second.stem}  # no key names a database that is gone


def test_a_database_removed_just_before_it_is_opened_is_built_anew(monkeypatch: pytest.MonkeyPatch) -> None:
    ensure, found = db.ensure, []

    def ensure_then_lose(data_dir: Path, progress: db.Progress = db._quiet) -> Path:
        path = ensure(data_dir, progress)
        if not found:
            path.unlink()  # as a build for an edit of the same folder would, at just that moment
        found.append(path)
        return path

    monkeypatch.setattr(db, "ensure", ensure_then_lose)
    assert db.open_cached(DATA).execute("SELECT count(*) FROM measures").fetchone()[0] == 58
    assert len(found) == 2


def test_a_catalogue_edited_while_it_is_read_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Else the database would hold what was read under the key of what is there now."""
    from chuanyu import catalogue as catalogue_module

    catalogue = tmp_path / "data"
    shutil.copytree(DATA, catalogue, ignore=shutil.ignore_patterns("sources"))
    measures, load, loads = catalogue / "measures.yaml", catalogue_module.load, []

    def load_then_edit(data_dir: Path) -> Catalogue:
        loaded = load(data_dir)
        if not loads:
            measures.write_text(measures.read_text(encoding="utf-8").replace("支持符合条件的主体", "改过的文字", 1), encoding="utf-8")
        loads.append(loaded)
        return loaded

    monkeypatch.setattr(catalogue_module, "load", load_then_edit)
    path = db.build(catalogue)
    assert len(loads) == 2
    assert path == db.cache_path(catalogue)
    assert db.connect(path).execute("SELECT text FROM measures WHERE number = 1").fetchone()[0].startswith("改过的文字")


def test_the_cache_key_is_remembered_for_the_files_state_and_any_edit_changes_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue = tmp_path / "data"
    shutil.copytree(DATA, catalogue, ignore=shutil.ignore_patterns("sources"))
    first = db.catalogue_key(catalogue)

    def hashed_again(*args: object) -> str:
        raise AssertionError("the catalogue was read and hashed again")

    with monkeypatch.context() as patch:
        patch.setattr(db, "_content_key", hashed_again)
        assert db.catalogue_key(catalogue) == first
    # an edit that keeps the size and puts the modification time back still changes the key
    measures = catalogue / "measures.yaml"
    before, content = measures.stat(), measures.read_bytes()
    edited = content.replace("支持符合条件的主体".encode(), "支持符合条件的单位".encode(), 1)
    assert edited != content and len(edited) == len(content)
    measures.write_bytes(edited)
    os.utime(measures, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert db.catalogue_key(catalogue) != first
    assert db.catalogue_key(catalogue) == db._content_key(paths.catalogue_files(catalogue))


def test_a_key_left_half_written_by_a_killed_process_is_cleared(_private_cache: Path) -> None:
    db.catalogue_key(DATA)
    (memo,) = _private_cache.glob("*.key")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    orphan = _private_cache / f".{memo.name}.{dead}.tmp"
    orphan.write_text("half")
    memo.unlink()
    assert db.catalogue_key(DATA) == memo.read_text()
    assert not orphan.exists()


def test_a_cache_that_cannot_be_written_still_gives_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    monkeypatch.setenv("CHUANYU_CACHE", str(not_a_folder))
    assert db.catalogue_key(DATA) == db._content_key(paths.catalogue_files(DATA))


def test_build_writes_the_cache_by_default(_private_cache: Path) -> None:
    result = run("build")
    assert (result.code, result.stdout) == (0, "")
    assert result.stderr == f"built {db.cache_path(DATA)}\n"
    assert db.cache_path(DATA).parent == _private_cache


def test_listings_and_texts_are_stored_in_the_documents_order(built: sqlite3.Connection) -> None:
    """Queries read them in rowid order as the document's (`db_tables.fill`), without sorting."""
    listings = built.execute(
        "SELECT m.number, r.grp, r.position FROM responsibilities r JOIN measures m ON m.id = r.measure ORDER BY r.rowid"
    )
    listings = [tuple(row) for row in listings]
    assert listings == sorted(listings, key=lambda row: (row[0], GROUPS.index(row[1]), row[2]))
    texts = [tuple(row) for row in built.execute("SELECT kind, chapter, section, number FROM texts ORDER BY id")]
    kinds = ["chapter", "section", "measure"]
    assert texts == sorted(texts, key=lambda row: (row[1], row[2] or 0, kinds.index(row[0]), row[3]))
    assert len(texts) == 8 + 33 + 58


@pytest.mark.parametrize("damage", ["garbage", "emptied", "another catalogue's"])
def test_a_cached_database_that_is_not_whole_is_built_anew(damage: str, tmp_path: Path) -> None:
    cached = db.ensure(DATA)
    if damage == "garbage":
        cached.write_bytes(b"not a database" * 100)
    elif damage == "emptied":
        cached.write_bytes(b"")
    else:
        other = tmp_path / "data"
        shutil.copytree(DATA, other, ignore=shutil.ignore_patterns("sources"))
        (other / "measures.yaml").write_text((other / "measures.yaml").read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
        shutil.copy(db.build(other, tmp_path / "other.db"), cached)
    result = run("measure", "1", "--format", "json")
    assert (result.code, result.stderr, result.json()["number"]) == (0, "", 1)
    assert db.connect(cached).execute("SELECT value FROM meta WHERE key = 'catalogue'").fetchone()[0] == cached.stem


def _damage_pages(path: Path) -> None:
    """Overwrite the pages of the tables that questions read, as a failing disk would: the file
    still opens and names itself (schema and `meta` whole), but no question can read it."""
    conn = db.connect(path)
    pages = [
        row[0]
        for row in conn.execute("SELECT pageno FROM dbstat WHERE name IN ('measures', 'responsibilities', 'agencies', 'texts', 'chapters')")
    ]
    (size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    with open(path, "r+b") as file:
        for page in pages:
            file.seek((page - 1) * size)
            file.write(b"\xff" * size)


@pytest.mark.parametrize(
    "command", [["measure", "1"], ["gaps"], ["search", "金融"], ["pairs"], ["query", "--sql", "SELECT number FROM measures"]], ids=" ".join
)
def test_a_cached_database_found_damaged_as_it_is_read_is_built_anew_and_asked_again(command: list[str]) -> None:
    expected = run(*command, "--format", "json").json()
    _damage_pages(db.ensure(DATA))
    damaged = db.connect(db.ensure(DATA))
    assert damaged.execute("SELECT value FROM meta WHERE key = 'catalogue'").fetchone()[0] == db.ensure(DATA).stem
    with pytest.raises(sqlite3.DatabaseError, match="malformed"):
        damaged.execute("SELECT * FROM measures").fetchall()
    result = run(*command, "--format", "json")
    assert (result.code, result.stderr, result.json()) == (0, "", expected)


def test_a_database_damaged_again_after_it_is_built_anew_is_one_line_and_exit_5(monkeypatch: pytest.MonkeyPatch) -> None:
    build = db.build

    def build_damaged(*args: Any, **kwargs: Any) -> Path:
        built = build(*args, **kwargs)
        _damage_pages(built)
        return built

    monkeypatch.setattr(db, "build", build_damaged)
    result = run("gaps", "--format", "json")
    assert (result.code, result.stdout) == (5, "")
    assert result.stderr == "chuanyu: the database is damaged (database disk image is malformed); `chuanyu build` makes it anew\n"
