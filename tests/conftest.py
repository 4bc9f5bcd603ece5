"""Shared fixtures: the repository's paths, the shipped catalogue, and the CLI run in-process."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from chuanyu.catalogue import load
from chuanyu.cli import app
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
    """`chuanyu ARGS` in this process, through Typer."""
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def copied_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped catalogue as `cat/` in `tmp_path`, the current folder."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(DATA, tmp_path / "cat")
    return tmp_path / "cat"


def files(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, by its path there, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


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
