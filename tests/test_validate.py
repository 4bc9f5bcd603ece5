"""`chuanyu validate` on the shipped catalogue and on a corpus of broken ones.

Each case under tests/broken/ replaces one file of the tiny catalogue in tests/fixtures/tiny/
and states, in `expected`, every line validate must print.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from chuanyu import safe_yaml
from conftest import DATA, ROOT, run, run_process

TINY = ROOT / "tests" / "fixtures" / "tiny"
BROKEN = sorted(p for p in (ROOT / "tests" / "broken").iterdir() if p.is_dir())


def make_catalogue(tmp_path: Path, *overlays: Path) -> Path:
    catalogue = tmp_path / "cat"
    shutil.copytree(TINY, catalogue)
    for overlay in overlays:
        for file in overlay.glob("*.yaml"):
            shutil.copy(file, catalogue / file.name)
    return catalogue


def test_the_shipped_catalogue_is_valid() -> None:
    result = run("validate", "--data", str(DATA))
    assert (result.code, result.stdout) == (0, "")
    assert result.stderr == "ok: 8 chapters, 33 sections, 58 measures, 602 listings of 70 agencies, 6 successor bodies\n"


def test_the_tiny_catalogue_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    make_catalogue(tmp_path)
    assert run("validate", "--data", "cat").code == 0


def test_there_are_thirty_broken_catalogues_or_more() -> None:
    assert len(BROKEN) >= 30


#: libyaml's C parser first, as chuanyu reads a file where PyYAML has it, and the pure-Python one alone.
PARSERS = {"c-first": safe_yaml.LOADERS, "pure-python": (yaml.SafeLoader,)}


def test_this_pyyaml_has_the_c_parser() -> None:
    assert (yaml.CSafeLoader, yaml.SafeLoader) == safe_yaml.LOADERS


@pytest.mark.parametrize("parsers", PARSERS)
@pytest.mark.parametrize("case", BROKEN, ids=[p.name for p in BROKEN])
def test_each_broken_catalogue_gets_its_lines_and_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: Path, parsers: str) -> None:
    """The same lines whichever parser reads the file (libyaml's limits and words differ by build)."""
    monkeypatch.setattr(safe_yaml, "LOADERS", PARSERS[parsers])
    monkeypatch.chdir(tmp_path)
    make_catalogue(tmp_path, case)
    result = run("validate", "--data", "cat")
    assert result.code == 1
    assert result.stdout == ""
    assert result.stderr == (case / "expected").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [["measures"], ["measure", "1"], ["agencies"], ["build"]])
def test_every_command_that_reads_a_catalogue_validates_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    case = ROOT / "tests" / "broken" / "unknown-unit"
    make_catalogue(tmp_path, case)
    result = run(*command, "--data", "cat")
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == (case / "expected").read_text(encoding="utf-8")


def test_a_missing_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (make_catalogue(tmp_path) / "measures.yaml").unlink()
    result = run("measures", "--data", "cat")
    assert result.code == 1
    assert result.stderr == "cat/measures.yaml:1: file: cannot read: No such file or directory\n"


def test_a_bom_and_crlf_are_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    catalogue = make_catalogue(tmp_path)
    for file in catalogue.glob("*.yaml"):
        file.write_bytes(b"\xef\xbb\xbf" + file.read_bytes().replace(b"\n", b"\r\n"))
    assert run("validate", "--data", "cat").code == 0
    assert run("measure", "1", "--data", "cat", "--format", "json").json()["responsible"]["local"] == [
        {"id": "chengdu-government", "name": "成都市政府"}
    ]


def test_a_broken_catalogue_prints_no_traceback_from_a_real_process(tmp_path: Path) -> None:
    make_catalogue(tmp_path, ROOT / "tests" / "broken" / "yaml-syntax")
    result = run_process("measures", "--data", str(tmp_path / "cat"), "--format", "json")
    assert (result.returncode, result.stdout) == (1, "")
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_file_larger_than_the_limit_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    make_catalogue(tmp_path)
    size = (tmp_path / "cat" / "measures.yaml").stat().st_size
    monkeypatch.setattr(safe_yaml, "MAX_FILE_BYTES", 500)
    result = run("validate", "--data", "cat")
    assert result.code == 1
    assert result.stderr == f"cat/measures.yaml:1: file: {size} bytes, more than the 500 a catalogue file may have\n"


@pytest.mark.parametrize("case", ["alias-bomb", "deep-nesting"])
def test_bombs_are_refused_quickly_in_bounded_memory(tmp_path: Path, case: str) -> None:
    import resource
    import subprocess
    import sys
    import time

    make_catalogue(tmp_path, ROOT / "tests" / "broken" / case)

    def one_gigabyte() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))

    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "chuanyu", "validate", "--data", "cat"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        preexec_fn=one_gigabyte,
        timeout=30,
    )
    assert time.monotonic() - started < 2
    assert (result.returncode, result.stderr) == (1, (ROOT / "tests" / "broken" / case / "expected").read_text(encoding="utf-8"))
