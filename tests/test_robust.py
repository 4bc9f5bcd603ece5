"""Builds killed at random points, and many processes building and querying at once."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chuanyu import db, db_tables
from conftest import DATA, ROOT, run, run_process


def chuanyu(*args: str, cache: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "CHUANYU_CACHE": str(cache)}
    env.pop("CHUANYU_DATA", None)
    return subprocess.Popen(
        [sys.executable, "-m", "chuanyu", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env
    )


def whole(path: Path) -> bool:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return (
            conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            and conn.execute("SELECT count(*) FROM measures").fetchone()[0] == 58
        )
    finally:
        conn.close()


def test_a_build_killed_at_any_point_leaves_the_previous_database_whole(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert chuanyu("build", cache=cache).wait(timeout=120) == 0
    (database,) = cache.glob("*.db")

    def writing(builder: subprocess.Popen[str]) -> bool:
        """Whether this build's own temporary file is there (others may be orphans)."""
        return builder.poll() is None and any(cache.glob(f".{database.name}.{builder.pid}.*.tmp"))

    def wait_for(builder: subprocess.Popen[str], started: bool) -> float:
        deadline = time.monotonic() + 60
        while writing(builder) != started and builder.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        return time.monotonic()

    # how long a build writes its file on this machine, so that the kills land inside that time
    builder = chuanyu("build", cache=cache)
    began = wait_for(builder, started=True)
    writing_time = wait_for(builder, started=False) - began
    assert builder.wait(timeout=120) == 0
    chances = random.Random(2026)
    killed_while_writing = 0
    for _ in range(30):  # until four kills have landed while it writes (a loaded machine's timing varies)
        if killed_while_writing >= 4:
            break
        builder = chuanyu("build", cache=cache)
        wait_for(builder, started=True)
        time.sleep(chances.uniform(0.0, 0.8 * writing_time))  # then somewhere in the writing
        killed_while_writing += writing(builder)
        builder.send_signal(signal.SIGKILL)
        builder.wait(timeout=60)
        assert whole(database)
    assert killed_while_writing >= 4, f"only {killed_while_writing} kills landed during a write"
    # the next command answers, and the next build clears what the killed ones left
    query = chuanyu("measure", "1", "--format", "json", cache=cache)
    out, err = query.communicate(timeout=60)
    assert (query.returncode, err) == (0, "") and json.loads(out)["number"] == 1
    assert chuanyu("build", cache=cache).wait(timeout=120) == 0
    assert list(cache.glob(".*.tmp")) == []


def test_eight_processes_building_and_querying_one_cache_at_once(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = run("measure", "1", "--format", "json").stdout
    processes = [chuanyu("measure", "1", "--format", "json", cache=cache) for _ in range(6)] + [
        chuanyu("build", cache=cache) for _ in range(2)
    ]
    results = [(p.args[3], *p.communicate(timeout=120), p.returncode) for p in processes]
    for command, out, err, code in results:
        assert code == 0 and "locked" not in err, err
        if command == "measure":
            assert out == expected and err == ""
    assert [p.name for p in cache.glob("*.db")] == [db.cache_path(DATA).name]  # one database
    assert list(cache.glob(".*.tmp")) == []  # and no temporary file
    assert whole(cache / db.cache_path(DATA).name)


def at_a_terminal(*args: str) -> tuple[str, str]:
    """(stdout, what a terminal on stderr was sent) of `python -m chuanyu ARGS`."""
    import pty

    reader, terminal = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "chuanyu", *args], stdout=subprocess.PIPE, stderr=terminal, env=os.environ, timeout=120, check=True
        )
    finally:
        os.close(terminal)
    sent = b""
    try:
        while chunk := os.read(reader, 65536):
            sent += chunk
    except OSError:  # the terminal's other end is closed: all is read
        pass
    finally:
        os.close(reader)
    return result.stdout.decode(), sent.decode("utf-8", "replace")


def test_a_build_at_a_terminal_shows_its_stages_in_a_line_that_goes(tmp_path: Path) -> None:
    target = tmp_path / "chuanyu.db"
    stdout, sent = at_a_terminal("build", "--db", str(target))
    assert stdout == ""
    for stage in ("reading the catalogue", "writing 58 measures", "indexing"):
        assert f"chuanyu: building the database: {stage}…" in sent
    assert sent.endswith(f"\x1b[2Kbuilt {target}\r\n")  # the status line erased, then the outcome
    # piped, the outcome alone
    assert run_process("build", "--db", str(target)).stderr == f"built {target}\n"


def test_a_query_at_a_terminal_says_nothing_of_a_build_it_need_not_make() -> None:
    at_a_terminal("stats", "--format", "json")  # builds the cache, showing its stages
    stdout, sent = at_a_terminal("measure", "1", "--format", "json")
    assert json.loads(stdout)["number"] == 1
    assert sent == ""


def test_a_cache_build_or_briefing_folder_that_cannot_be_written_is_one_line_and_exit_5(tmp_path: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    cases = [
        (
            ["measure", "1", "--format", "json"],
            {"CHUANYU_CACHE": str(a_file)},
            f"chuanyu: {a_file}: not a folder, so no cache can be kept there",
        ),
        (["build", "--db", str(a_file / "chuanyu.db")], {}, f"chuanyu: {a_file}: File exists"),
        (["report", "--out", str(a_file / "briefing")], {}, f"chuanyu: {a_file / 'briefing'}: Not a directory"),
        (["build", "--db", "/dev/null"], {}, "chuanyu: /dev/null: there is something other than a file here"),
    ]
    for args, env, line in cases:
        result = run_process(*args, env=env)
        assert (result.returncode, result.stdout, result.stderr) == (5, "", line + "\n"), args


def test_a_disk_that_fills_during_a_build_leaves_the_previous_database_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "chuanyu.db"
    assert run("build", "--db", str(target)).code == 0
    before = target.read_bytes()

    def full(*args: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(db_tables, "fill", full)
    result = run("build", "--db", str(target))
    assert (result.code, result.stderr) == (5, f"chuanyu: {target}: database or disk is full\n")
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chuanyu.db"]  # no temporary file left


@pytest.mark.parametrize(
    "args",
    [
        ["measure", "99999999999999999999"],
        ["measures", "--chapter", "99999999999999999999"],
        ["measures", "--limit", "99999999999999999999"],
        ["search", "金融", "--section", "99999999999999999999"],
        ["gaps", "--limit", "99999999999999999999"],
        ["search", "金融", "--limit", "9223372036854775807"],
        ["stats", "--top", "99999999999999999999"],
        ["query", "agency-measures", "-p", "agency=99999999999999999999"],
    ],
    ids=" ".join,
)
def test_a_number_past_sqlites_integers_is_a_usage_error(args: list[str]) -> None:
    result = run(*args, "--format", "json")
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == "chuanyu: a number is too large: SQLite's integers end at 9223372036854775807\n"


@pytest.mark.parametrize("sql", ["", "   "])
def test_query_sql_with_no_statement_is_a_usage_error(sql: str) -> None:
    result = run("query", "--sql", sql)
    assert (result.code, result.stderr) == (2, "chuanyu: name one query, or give --sql (see chuanyu query --list)\n")


def test_a_briefing_at_a_terminal_shows_its_stages_then_the_files_written(tmp_path: Path) -> None:
    stdout, sent = at_a_terminal("report", "--out", str(tmp_path))
    assert stdout == ""
    for stage in ("asking the questions", "writing gaps.csv", "writing briefing.xlsx"):
        assert f"chuanyu: writing the briefing: {stage}…" in sent
    status, _, after = sent.rpartition("\x1b[2K")  # the status line erased, then what was written
    assert "writing the briefing" in status and "writing the briefing" not in after
    assert after.splitlines()[-1] == f"wrote {tmp_path / 'briefing.xlsx'}"
