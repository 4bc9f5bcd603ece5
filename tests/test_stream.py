"""Answers stream: each record is written as it is read, the first at once, and the bytes are
what they were when every answer was gathered whole first (tests/old_render.py, the renderers of
that time, is the oracle; tables then were rich's)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench_growth import synthetic
from chuanyu.commands import base
from chuanyu.render import render
from chuanyu.result import Result
from conftest import DATA, ROOT, run
from old_render import OLD

SECOND = ROOT / "tests" / "documents" / "second-plan.txt"

#: Every question command, with its filters, limits and --as-of.
COMMANDS = [
    ["measure", "1"],
    ["measure", "58"],
    ["measures"],
    ["measures", "--chapter", "8"],
    ["measures", "--province", "sichuan"],
    ["measures", "--agency", "市财政局", "--lead", "重庆市财政局"],
    ["measures", "--limit", "3"],
    ["measures", "--as-of", "2024-01-01", "--limit", "5"],
    ["measures", "--as-of", "today"],
    ["search", "金融"],
    ["search", "数字人民币"],
    ["search", "金融", "--limit", "4"],
    ["search", "金融", "--chapter", "2"],
    ["stats"],
    ["agencies"],
    ["agencies", "--province", "chongqing"],
    ["documents"],
    ["agency", "重庆市金融监管局"],
    ["agency", "人行重庆营管部", "--as-of", "today"],
    ["pairs"],
    ["pairs", "--observed"],
    ["pairs", "--observed", "--limit", "2"],
    ["pairs", "人行重庆营管部"],
    ["pairs", "--as-of", "today"],
    ["gaps"],
    ["gaps", "--limit", "7"],
    ["gaps", "--kind", "lead-mismatch"],
    ["gaps", "--as-of", "2025-01-01"],
    ["query", "lead-ranking"],
    ["query", "--list"],
]
WIDTHS = ["200", "100", "80", "40", "20"]


def answer(argv: list[str], data: Path | None = None) -> Result:
    """The Result `chuanyu ARGV` shows, as the command asks for it, unread."""
    asked: list[Result] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(base, "show", lambda result, output: asked.append(result))
        ran = run(*argv, *(["--data", str(data)] if data else []))
    assert ran.code == 0, ran.stderr
    (result,) = asked
    return result


def written(renderer: Any, result: Result) -> str:
    out = io.StringIO()
    renderer(result, out)
    return out.getvalue()


def streamed(fmt: str, result: Result) -> str:
    out = io.StringIO()
    render(result, fmt, out)
    return out.getvalue()


def same_as_before(argv: list[str], monkeypatch: pytest.MonkeyPatch, data: Path | None = None) -> None:
    for fmt in ("json", "jsonl", "csv", "tsv", "md"):
        assert streamed(fmt, answer(argv, data)) == written(OLD[fmt], answer(argv, data).read()), fmt
    for width in WIDTHS:
        monkeypatch.setenv("COLUMNS", width)
        assert streamed("table", answer(argv, data)) == written(OLD["table"], answer(argv, data).read()), f"table at {width} columns"


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_every_format_writes_what_it_wrote_before_answers_streamed(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    same_as_before(argv, monkeypatch)


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalogue with a second document (constructed for tests) beside it."""
    catalogue = tmp_path_factory.mktemp("two") / "catalogue"
    shutil.copytree(DATA, catalogue)
    extracted = run("extract", str(SECOND), "--id", "second-plan", "--data", str(catalogue))
    assert (extracted.code, extracted.stderr) == (0, "")
    (catalogue / "documents").mkdir(exist_ok=True)
    (catalogue / "documents" / "second-plan.yaml").write_text(extracted.stdout, encoding="utf-8")
    return catalogue


@pytest.mark.parametrize(
    "argv",
    [["measures", "--limit", "70"], ["gaps"], ["pairs"], ["pairs", "--observed", "--limit", "5"], ["search", "金融"], ["documents"]],
    ids=" ".join,
)
def test_and_across_several_documents(argv: list[str], two: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    same_as_before(argv, monkeypatch, two)


class Counted:
    """Records passed on as they are read, counted; the count when the first line was written."""

    def __init__(self, records: Any):
        self.records, self.read, self.total = records, 0, 0

    def __iter__(self) -> Iterator[Any]:
        for record in self.records:
            self.read += 1
            yield record


class Reader(io.StringIO):
    """A reader that stops after one line, as `| head -1`: it notes how many records had been
    read when that line came, and every write after it fails as a closed pipe does."""

    def __init__(self, counted: Counted):
        super().__init__()
        self.counted, self.read_at_first_line = counted, None

    def write(self, text: str) -> int:
        if self.read_at_first_line is not None:
            raise BrokenPipeError
        written = super().write(text)
        if "\n" in self.getvalue():
            self.read_at_first_line = self.counted.read
        return written


@pytest.mark.parametrize("fmt", ["jsonl", "json", "tsv", "csv", "md"])
@pytest.mark.parametrize("argv", [["gaps"], ["measures"], ["search", "金融"], ["pairs", "--observed"]], ids=" ".join)
def test_the_first_record_reaches_a_reader_before_the_last_is_read(argv: list[str], fmt: str) -> None:
    total = sum(1 for _ in answer(argv).records)
    result = answer(argv)
    counted = Counted(result.records)
    result.records = counted
    reader = Reader(counted)
    with pytest.raises(BrokenPipeError):
        render(result, fmt, reader)
    # JSON lines: the first record is its first line; the other formats open with a header
    # (json: "[") and write the first record in their first write after it
    assert reader.read_at_first_line is not None and reader.read_at_first_line <= 1 < total


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a synthetic catalogue of 2,000 measures (made as `make bench-growth`
    makes them), built: its answers are far longer than a pipe holds."""
    folder = tmp_path_factory.mktemp("large")
    synthetic(2000, folder / "data")
    env = {**os.environ, "CHUANYU_DATA": str(folder / "data"), "CHUANYU_CACHE": str(folder / "cache")}
    subprocess.run([sys.executable, "-m", "chuanyu", "build"], env=env, capture_output=True, check=True)
    return env


@pytest.mark.parametrize("fmt", ["jsonl", "tsv"])
@pytest.mark.parametrize("argv", [["gaps"], ["measures"], ["search", "金融"]], ids=" ".join)
def test_a_reader_that_goes_after_one_line_ends_the_command_quietly(argv: list[str], fmt: str, large: dict[str, str]) -> None:
    """As a process: the command ends, exit 0 and nothing on stderr, the one line the first of
    the whole answer."""
    command = [sys.executable, "-m", "chuanyu", *argv, "--format", fmt]
    whole = subprocess.run(command, env=large, capture_output=True, check=True).stdout
    assert len(whole) > 200_000  # far more than a pipe holds (64 KB)
    process = subprocess.Popen(command, env=large, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    assert process.wait(timeout=60) == 0
    assert process.stderr.read() == b""
    assert first == whole.split(b"\n", 1)[0] + b"\n"


def test_a_cache_found_damaged_once_the_answer_began_is_built_anew_by_the_next_query(large: dict[str, str]) -> None:
    """Damage SQLite meets past the first record: that answer ends with one line, exit 5 (or,
    met at once, is asked again); either way the next query answers whole from a new database."""
    command = [sys.executable, "-m", "chuanyu", "measures", "--format", "jsonl"]
    whole = subprocess.run(command, env=large, capture_output=True, check=True).stdout
    (database,) = Path(large["CHUANYU_CACHE"]).glob("*.db")
    size = database.stat().st_size
    with open(database, "r+b") as damaged:  # every seventh page of the second half overwritten
        for offset in range(size // 2 - size // 2 % 4096, size, 4096 * 7):
            damaged.seek(offset)
            damaged.write(b"\xee" * 4096)
    first = subprocess.run(command, env=large, capture_output=True)
    assert first.returncode in (0, 5) and len(first.stderr.decode().splitlines()) == (first.returncode == 5), first.stderr
    again = subprocess.run(command, env=large, capture_output=True)
    assert (again.returncode, again.stderr, again.stdout) == (0, b"", whole)


@pytest.mark.parametrize("stderr", ["closed", "full"])
def test_a_message_that_cannot_be_written_changes_neither_the_exit_code_nor_stdout(stderr: str) -> None:
    script = "import sys; from chuanyu.entry import main; sys.argv[0] = 'chuanyu'; main()"
    with open("/dev/full", "wb") as full:
        shown = subprocess.run(
            ["bash", "-c", f'"$0" -c "{script}" measure 999 ' + ("2>&-" if stderr == "closed" else "2>/dev/full"), sys.executable],
            stdout=subprocess.PIPE,
            stderr=full,
        )
    assert (shown.returncode, shown.stdout) == (3, b"")
