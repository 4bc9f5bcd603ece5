"""`chuanyu add` as a transaction: it writes only its own files, and a kill at any instant, a
full disk or a second writer leaves the old catalogue or the new one, both valid (issue 23).
Documents from tests/documents/ (constructed)."""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chuanyu.adding import add
from chuanyu.catalogue import load
from chuanyu.transaction import LOCK_FILE, STAGING_DIR, locked
from conftest import DATA, ROOT, copied_catalogue, files, run

SECOND = ROOT / "tests" / "documents" / "second-plan.txt"
ALTERED = "推动测试数据共享，按季度通报。"  # measure 2 as a replacing version writes it


@pytest.fixture
def catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return copied_catalogue(tmp_path, monkeypatch)


def catalogue_state(folder: Path) -> dict[str, bytes]:
    """The files a reader of the catalogue reads: the measures files and agencies.yaml."""
    return {name: content for name, content in files(folder).items() if name.endswith(".yaml") and not name.startswith((".", "proposals/"))}


def altered(tmp_path: Path, name: str = "second-plan.txt") -> Path:
    path = tmp_path / "v2" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(SECOND.read_text(encoding="utf-8").replace("推动测试数据共享。", ALTERED), encoding="utf-8")
    return path


def add_process(*args: str, cwd: Path, env: dict[str, str] | None = None, **popen: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "chuanyu", "add", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **popen,  # type: ignore[call-overload]
    )


# --- what it owns -----------------------------------------------------------------------------


def test_a_source_named_as_a_catalogue_file_is_refused(catalogue: Path, tmp_path: Path) -> None:
    source = tmp_path / "x" / "agency-lineage.md"
    source.parent.mkdir()
    shutil.copy(SECOND, source)
    before = files(catalogue)
    result = run("add", str(source), "--data", "cat")
    assert result.code == 1
    assert result.stderr == (
        "x/agency-lineage.md:1: document: "
        "cat/sources/agency-lineage.md is no file of the document it replaces (name another id with --id)\n"
    )
    assert files(catalogue) == before


def test_a_users_own_source_of_another_kind_is_kept(catalogue: Path, tmp_path: Path) -> None:
    (catalogue / "sources" / "plan.pdf").write_bytes(b"the user's own plan")
    source = tmp_path / "plan.txt"
    shutil.copy(SECOND, source)
    assert run("add", str(source), "--data", "cat").code == 0
    assert (catalogue / "sources" / "plan.pdf").read_bytes() == b"the user's own plan"
    assert run("add", str(altered(tmp_path, "plan.txt")), "--data", "cat", "--replace").code == 0
    assert (catalogue / "sources" / "plan.pdf").read_bytes() == b"the user's own plan"


def test_a_replaced_documents_named_source_of_another_kind_goes(catalogue: Path, tmp_path: Path) -> None:
    source = tmp_path / "plan.text"
    shutil.copy(SECOND, source)
    assert run("add", str(source), "--id", "plan", "--data", "cat").code == 0
    assert (catalogue / "sources" / "plan.text").exists()
    assert run("add", str(altered(tmp_path, "plan.txt")), "--data", "cat", "--replace").code == 0
    assert sorted(p.name for p in (catalogue / "sources").iterdir()) == ["agency-lineage.md", "plan.txt", "wfc-joint-rules-2022.txt"]


def test_an_id_whose_file_holds_another_document_is_refused(catalogue: Path) -> None:
    assert run("add", str(SECOND), "--id", "second-2099", "--data", "cat").code == 0
    (catalogue / "documents" / "second-2099.yaml").rename(catalogue / "documents" / "x.yaml")
    before = files(catalogue)
    for replace in ([], ["--replace"]):
        result = run("add", str(SECOND), "--id", "x", "--data", "cat", *replace)
        assert result.code == 1
        assert result.stderr.endswith(": document: cat/documents/x.yaml holds another document, not 'x' (name another id with --id)\n")
        assert files(catalogue) == before


@pytest.mark.parametrize("link", ["sources", "documents", "sources/second-2099.txt", "documents/second-2099.yaml"])
def test_a_link_where_add_writes_is_refused(catalogue: Path, tmp_path: Path, link: str) -> None:
    assert run("add", str(SECOND), "--id", "second-2099", "--data", "cat").code == 0
    outside = tmp_path / "outside"
    shutil.move(catalogue / link, outside)
    (catalogue / link).symlink_to(outside)
    before, outside_before = files(catalogue), (files(outside) if outside.is_dir() else outside.read_bytes())
    result = run("add", str(altered(tmp_path)), "--id", "second-2099", "--data", "cat", "--replace")
    assert result.code == 1
    assert result.stderr.endswith(f": document: cat/{link} is a link; add writes no file through a link, nor over one\n")
    assert files(catalogue) == before
    assert (files(outside) if outside.is_dir() else outside.read_bytes()) == outside_before


def test_a_replace_past_the_file_size_limit_leaves_the_catalogue_whole(catalogue: Path, tmp_path: Path) -> None:
    """Under `ulimit -f` the new measures.yaml cannot be written: said naming the file, nothing changed."""
    before = files(catalogue)
    limit = (catalogue / "measures.yaml").stat().st_size // 2

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    shutil.copy(catalogue / "sources" / "wfc-joint-rules-2022.txt", tmp_path / "plan.txt")
    adding = add_process("plan.txt", "--id", "wfc-joint-rules-2022", "--replace", "--data", "cat", cwd=tmp_path, preexec_fn=limited)
    _, stderr = adding.communicate(timeout=120)
    assert adding.returncode == 5
    assert stderr.decode() == f"chuanyu: cat/{STAGING_DIR}/measures.yaml: File too large\n"
    assert files(catalogue) == before
    load(catalogue)


def test_proposals_past_the_file_size_limit_are_said_naming_the_file(catalogue: Path, tmp_path: Path) -> None:
    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))

    before = files(catalogue)
    third = ROOT / "tests" / "documents" / "third-plan.txt"
    adding = add_process(str(third), "--id", "third-2099", "--data", "cat", cwd=tmp_path, preexec_fn=limited)
    _, stderr = adding.communicate(timeout=120)
    assert (adding.returncode, stderr.decode()) == (5, "chuanyu: cat/proposals/third-2099.yaml: File too large\n")
    assert files(catalogue) == before


# --- kills at every step, and at random instants ---------------------------------------------------


def _states(tmp_path: Path, args: list[str], prepare: object) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The catalogue's files before and after an add left to finish."""
    done = tmp_path / "done"
    shutil.copytree(DATA, done / "cat")
    prepare(done / "cat")  # type: ignore[operator]
    before = files(done / "cat")
    finished = add_process(*args, cwd=done)
    assert finished.wait(timeout=120) == 0
    return before, files(done / "cat")


def _first_version(catalogue: Path) -> None:
    add(SECOND, catalogue, "second-2099")
    (catalogue / "proposals").mkdir()
    (catalogue / "proposals" / "second-2099.yaml").write_text("agencies: []\n", encoding="utf-8")


SCENARIOS = {
    "new": (["../second-plan.txt", "--id", "second-2099", "--data", "cat"], lambda catalogue: None),
    "replace": (["../v2/second-plan.txt", "--id", "second-2099", "--replace", "--data", "cat"], _first_version),
    "shipped": (["../wfc.txt", "--id", "wfc-joint-rules-2022", "--replace", "--data", "cat"], lambda catalogue: None),
}


def _check_after_kill(catalogue: Path, before: dict[str, bytes], after: dict[str, bytes]) -> str:
    """The catalogue a reader sees is the old one or the new one, valid; the next writer finishes
    or discards the killed change (so every file is the old or the new), then adds again."""
    seen = catalogue_state(catalogue)
    assert seen in (catalogue_state_of(before), catalogue_state_of(after))
    load(catalogue)
    with locked(catalogue):
        pass
    now = files(catalogue)
    assert now in (before, after)
    add(altered(catalogue.parent), catalogue, "another-2099")
    assert not (catalogue / STAGING_DIR).exists() and not (catalogue / LOCK_FILE).exists()
    return "new" if now == after else "old"


def catalogue_state_of(snapshot: dict[str, bytes]) -> dict[str, bytes]:
    return {name: content for name, content in snapshot.items() if name.endswith(".yaml") and not name.startswith((".", "proposals/"))}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_a_kill_at_any_step_leaves_the_old_catalogue_or_the_new(tmp_path: Path, scenario: str) -> None:
    args, prepare = SCENARIOS[scenario]
    shutil.copy(SECOND, tmp_path / "second-plan.txt")
    altered(tmp_path)
    shipped = (DATA / "sources" / "wfc-joint-rules-2022.txt").read_text(encoding="utf-8")
    assert "补充资本金。" in shipped
    (tmp_path / "wfc.txt").write_text(shipped.replace("补充资本金。", "加快数字化转型"), encoding="utf-8")
    before, after = _states(tmp_path, args, prepare)
    outcomes = []
    for kill_at in range(1, 40):
        work = tmp_path / f"kill-{kill_at}"
        shutil.copytree(DATA, work / "cat")
        prepare(work / "cat")  # type: ignore[operator]
        adding = add_process(*args, cwd=work, env={"CHUANYU_TEST_KILL_AT_STEP": str(kill_at)})
        if adding.wait(timeout=120) == 0:  # past the last step: every step has been a kill
            break
        assert adding.returncode == -signal.SIGKILL
        outcomes.append(_check_after_kill(work / "cat", before, after))
        shutil.rmtree(work)
    assert len(outcomes) >= 8 and outcomes[0] == "old" and outcomes[-1] == "new"  # kills before and after the commit point


def test_kills_after_random_delays_leave_the_old_catalogue_or_the_new(tmp_path: Path) -> None:
    args, prepare = SCENARIOS["replace"]
    shutil.copy(SECOND, tmp_path / "second-plan.txt")
    altered(tmp_path)
    before, after = _states(tmp_path, args, prepare)
    started = time.monotonic()
    add_process(*args, cwd=tmp_path / "done").wait(timeout=120)  # a replace of the same version: as long as one takes
    took = time.monotonic() - started
    chosen = random.Random(23)
    for attempt in range(20):
        work = tmp_path / f"kill-{attempt}"
        shutil.copytree(DATA, work / "cat")
        prepare(work / "cat")  # type: ignore[operator]
        adding = add_process(*args, cwd=work)
        time.sleep(chosen.uniform(0, took * 1.2))
        adding.kill()
        adding.wait(timeout=120)
        _check_after_kill(work / "cat", before, after)
        shutil.rmtree(work)


def test_a_killed_run_during_recovery_is_recovered_by_the_next(tmp_path: Path) -> None:
    args, prepare = SCENARIOS["replace"]
    shutil.copy(SECOND, tmp_path / "second-plan.txt")
    altered(tmp_path)
    _, after = _states(tmp_path, args, prepare)
    for second_kill in range(1, 8):
        work = tmp_path / f"kill-{second_kill}"
        shutil.copytree(DATA, work / "cat")
        prepare(work / "cat")  # type: ignore[operator]
        first = add_process(*args, cwd=work, env={"CHUANYU_TEST_KILL_AT_STEP": "7"})  # just past the commit point
        assert first.wait(timeout=120) == -signal.SIGKILL
        again = add_process(
            "../second-plan.txt", "--id", "x-2099", "--data", "cat", cwd=work, env={"CHUANYU_TEST_KILL_AT_STEP": str(second_kill)}
        )
        again.wait(timeout=120)
        with locked(work / "cat"):
            pass
        now = files(work / "cat")
        assert {name: now[name] for name in after} == after  # the first, committed, finished
        assert set(now) - set(after) <= {"documents/x-2099.yaml", "sources/x-2099.txt"}
        load(work / "cat")
        shutil.rmtree(work)


# --- a second writer ------------------------------------------------------------------------------


def test_a_second_writer_is_told_which_process_holds_the_catalogue(catalogue: Path, tmp_path: Path) -> None:
    before = files(catalogue)
    with locked(catalogue):
        adding = add_process(str(SECOND), "--id", "second-2099", "--data", "cat", cwd=tmp_path)
        _, stderr = adding.communicate(timeout=120)
    assert adding.returncode == 5
    assert stderr.decode() == (
        f"chuanyu: cat/{LOCK_FILE}: the catalogue is being changed by process {os.getpid()} (chuanyu add); try again once it is done\n"
    )
    assert files(catalogue) == before


def test_two_replaces_at_once_never_undo_a_reported_success(catalogue: Path, tmp_path: Path) -> None:
    add(SECOND, catalogue, "second-2099")
    versions = {"first": SECOND, "second": altered(tmp_path)}
    for _ in range(6):
        writers = {
            name: add_process(str(path), "--id", "second-2099", "--replace", "--data", "cat", cwd=tmp_path)
            for name, path in versions.items()
        }
        results = {name: (writer.communicate(timeout=120)[1].decode(), writer.returncode) for name, writer in writers.items()}
        succeeded = [name for name, (_, code) in results.items() if code == 0]
        for name, (stderr, code) in results.items():
            other = writers["second" if name == "first" else "first"]
            assert code == 0 or (code == 5 and f"being changed by process {other.pid} " in stderr), stderr
        assert succeeded
        text = (catalogue / "documents" / "second-2099.yaml").read_text(encoding="utf-8")
        holds = "second" if ALTERED in text else "first"
        assert holds in succeeded
        if len(succeeded) == 1:
            assert holds == succeeded[0]
        load(catalogue)
