"""Where the catalogue, the named queries and the database cache live.

A wheel carries `data/` and `queries/` inside the package; a checkout keeps them at the top of
the repository. Nothing here imports more than the standard library: every command pays for it.
"""

from __future__ import annotations

import os
from pathlib import Path

MEASURES_FILE = "measures.yaml"
AGENCIES_FILE = "agencies.yaml"

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent


def _shipped(name: str) -> Path:
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _CHECKOUT / name


def data_dir(given: Path | None = None) -> Path:
    """The catalogue folder: --data, else $CHUANYU_DATA, else the shipped catalogue."""
    if given is not None:
        return given
    env = os.environ.get("CHUANYU_DATA")
    return Path(env) if env else _shipped("data")


def queries_dir() -> Path:
    return _shipped("queries")


def cache_dir() -> Path:
    """$CHUANYU_CACHE, else $XDG_CACHE_HOME/chuanyu, else ~/.cache/chuanyu."""
    env = os.environ.get("CHUANYU_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "chuanyu"


def catalogue_files(data: Path) -> tuple[Path, Path]:
    """The measures file and the agencies file of the catalogue in `data`."""
    return data / MEASURES_FILE, data / AGENCIES_FILE
