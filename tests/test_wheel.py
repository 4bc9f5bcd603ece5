"""A wheel built from the repository works outside the checkout: catalogue and queries inside."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import DATA, ROOT


def test_the_wheel_carries_the_catalogue_and_answers_from_anywhere(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w", str(tmp_path / "dist"), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("chuanyu-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    assert {"chuanyu/data/measures.yaml", "chuanyu/data/agencies.yaml", "chuanyu/data/sources/wfc-joint-rules-2022.txt"} <= names
    assert any(name.startswith("chuanyu/queries/") and name.endswith(".sql") for name in names)
    assert (tmp_path / "site" / "chuanyu" / "data" / "measures.yaml").read_bytes() == (DATA / "measures.yaml").read_bytes()

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site"), "CHUANYU_CACHE": str(tmp_path / "cache")}
    env.pop("CHUANYU_DATA", None)
    where = subprocess.run(
        [sys.executable, "-c", "import chuanyu; print(chuanyu.__file__)"], capture_output=True, text=True, cwd=elsewhere, env=env
    )
    assert where.stdout.startswith(str(tmp_path / "site"))
    answer = subprocess.run(
        [sys.executable, "-m", "chuanyu", "measure", "58", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        timeout=60,
    )
    assert answer.returncode == 0, answer.stderr
    assert json.loads(answer.stdout)["responsible"]["local"] == [{"id": "chengdu-government", "name": "成都市政府"}]
