"""`chuanyu report` whole or not at all (issue 23): the sets of several documents replaced all or
none, kills and Ctrl-C at random instants leaving whole sets (old or new) and exiting 130 quietly,
staging folders of killed runs cleaned, `--out ''` refused. The second document is constructed
(tests/documents/second-plan.txt)."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chuanyu import db, report
from chuanyu.adding import add
from conftest import DATA, ROOT, interruptible, run

SECOND = ROOT / "tests" / "documents" / "second-plan.txt"


@pytest.fixture
def two_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(DATA, tmp_path / "cat")
    add(SECOND, tmp_path / "cat", "second-2099")
    return tmp_path / "cat"


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def report_process(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "chuanyu", "report", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        preexec_fn=interruptible,
    )


def test_an_empty_out_is_refused_as_an_empty_data_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("report", "--out", "")
    assert result.code == 2 and "Invalid value for '--out': an empty name is no folder" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_set_that_cannot_be_placed_leaves_every_earlier_set_as_it_was(two_documents: Path) -> None:
    assert run("report", "--data", "cat", "--out", "out", "--chapter", "1").code == 0
    shutil.rmtree("out/wfc-joint-rules-2022")
    Path("out/wfc-joint-rules-2022").write_text("a file of the user's", encoding="utf-8")  # after second-2099, by id
    before = files(Path("out"))
    result = run("report", "--data", "cat", "--out", "out")
    assert (result.code, result.stderr) == (5, "chuanyu: out/wfc-joint-rules-2022: not a folder, so no briefing set can go there\n")
    assert files(Path("out")) == before


def test_a_move_that_fails_puts_back_the_files_already_moved(two_documents: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("report", "--data", "cat", "--out", "out", "--chapter", "1").code == 0
    before = files(Path("out"))
    moves = 0
    real_replace = os.replace

    def failing_replace(source: object, target: object) -> None:
        nonlocal moves
        moves += 1
        if moves == 20:  # in the second document's set
            raise OSError(28, "No space left on device", str(target))
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(report.os, "replace", failing_replace)
    with db.open_cached(two_documents) as conn, pytest.raises(OSError):
        report.write_each(conn, Path("out"))
    assert files(Path("out")) == before


def test_staging_folders_of_killed_reports_are_removed(two_documents: Path) -> None:
    out = Path("out")
    for left in (f"{report.STAGING_PREFIX}999999999-abcd", f"{report.STAGING_PREFIX}k2j4h5g6"):  # a dead pid; an older run's
        (out / left / "second-2099").mkdir(parents=True)
        (out / left / "second-2099" / "briefing.md").write_text("half", encoding="utf-8")
    assert run("report", "--data", "cat", "--out", "out").code == 0
    assert not list(out.glob(".chuanyu-*"))
    assert sorted(p.name for p in out.iterdir()) == ["second-2099", "wfc-joint-rules-2022"]


def test_kills_and_interrupts_at_random_instants_leave_whole_sets(two_documents: Path, tmp_path: Path) -> None:
    """Old sets: chapter 1 of each document; new: the whole of each. SIGKILL or SIGINT after a
    random delay; then the next report's clean-up; every file is then of the old sets or every
    one of the new, and an interrupted report said nothing and exited 130."""
    assert run("report", "--data", "cat", "--out", "old", "--chapter", "1").code == 0
    assert run("report", "--data", "cat", "--out", "new").code == 0
    old, new = files(Path("old")), files(Path("new"))
    assert old.keys() == new.keys() and old != new
    started = time.monotonic()
    assert report_process("--data", "cat", "--out", "new", cwd=tmp_path).wait(timeout=120) == 0
    took = time.monotonic() - started
    chosen = random.Random(23)
    seen = {"old": 0, "new": 0}
    for attempt in range(50):
        out = tmp_path / "out"
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree("old", out)
        reporting = report_process("--data", "cat", "--out", "out", cwd=tmp_path)
        time.sleep(chosen.uniform(0.2, took * 1.1))
        signum = signal.SIGKILL if attempt % 2 else signal.SIGINT
        reporting.send_signal(signum)
        _, stderr = reporting.communicate(timeout=120)
        if signum == signal.SIGINT:
            # 130; or, interrupted as the interpreter ends after the last file, killed by SIGINT (130 to a shell)
            assert reporting.returncode in (0, 130, -signal.SIGINT), stderr
            assert all(line.startswith("wrote ") for line in stderr.splitlines()), stderr
        report.recover(out)
        now = files(out)
        assert now in (old, new), attempt
        seen["old" if now == old else "new"] += 1
    assert seen["old"] and seen["new"]


def test_a_report_killed_while_it_moves_its_sets_is_finished_by_the_next(two_documents: Path) -> None:
    assert run("report", "--data", "cat", "--out", "new").code == 0
    assert run("report", "--data", "cat", "--out", "out", "--chapter", "1").code == 0
    new = files(Path("new"))
    staging = Path("out") / f"{report.STAGING_PREFIX}999999999-x"
    shutil.copytree("new", staging)
    names = sorted(new)
    (staging / "plan.json").write_text(json.dumps(names), encoding="utf-8")
    for name in names[: len(names) // 2]:  # half moved when it was killed
        os.replace(staging / name, Path("out") / name)
    report.recover(Path("out"))
    assert files(Path("out")) == new


def test_a_full_disk_while_writing_is_said_naming_the_file(two_documents: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    staged: list[Path] = []
    real_write = Path.write_bytes

    def full(path: Path, content: bytes) -> int:
        staged.append(path)
        with Path("/dev/full").open("wb") as disk:
            disk.write(content)
            disk.flush()
        return real_write(path, content)

    with pytest.MonkeyPatch.context() as patch, db.open_cached(two_documents) as conn:
        patch.setattr(Path, "write_bytes", full)
        with pytest.raises(OSError) as raised:
            report.write_each(conn, Path("out"))
    assert raised.value.filename == str(staged[0]) and raised.value.errno == 28
    assert not Path("out").exists() or not [p for p in Path("out").rglob("*") if p.is_file()]
