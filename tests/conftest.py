"""Shared fixtures: the repository's paths, the shipped catalogue, and the CLI run in-process."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from chuanyu.catalogue import load
from chuanyu.cli import app
from chuanyu.commands import direct
from chuanyu.model import Catalogue

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SOURCE = DATA / "sources" / "wfc-joint-rules-2022.txt"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets a cache of its own and the shipped catalogue, whatever the caller's env."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("CHUANYU_CACHE", str(cache))
    monkeypatch.delenv("CHUANYU_DATA", raising=False)
    return cache


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load(DATA)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run(*args: str) -> Run:
    """`chuanyu ARGS` in this process, through Typer; where the direct path answers these
    arguments too, its answer must be the same to the byte, exit code included."""
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    through_typer = Run(result.exit_code, result.stdout, result.stderr)
    through_direct = _direct(list(args))
    assert through_direct in (None, through_typer), f"the direct path answers {args} otherwise than Typer"
    return through_typer


def _direct(argv: list[str]) -> Run | None:
    if direct.help_text(argv, os.environ) is not None:
        # help as a process prints (test_direct.py holds it equal to Typer's as a process); in
        # this process, CliRunner's Typer folds it at another width
        return None
    stdout, stderr, code = io.StringIO(), io.StringIO(), 0
    with redirect_stdout(stdout), redirect_stderr(stderr):
        try:
            if not direct.run(argv):
                return None
        except SystemExit as exc:
            code = int(exc.code or 0)
    # as CliRunner reads its output: line ends as "\n"
    return Run(code, stdout.getvalue().replace("\r\n", "\n"), stderr.getvalue().replace("\r\n", "\n"))


def run_process(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m chuanyu ARGS` as a process of its own, as scripts run it."""
    return subprocess.run(
        [sys.executable, "-m", "chuanyu", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def interruptible() -> None:
    """For `preexec_fn`: the child takes Ctrl-C (SIGINT) as a terminal sends it, even where this
    run was started with it ignored (a background job of a shell without job control, as some CI
    runners start it), which the child would inherit and so never see the signal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
