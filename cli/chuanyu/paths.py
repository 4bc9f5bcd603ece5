"""Where the catalogue, the named queries and the database cache live.

A wheel carries `data/` and `queries/` inside the package; a checkout keeps them at the top of
the repository. Nothing here imports more than the standard library: every command pays for it.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

MEASURES_FILE = "measures.yaml"
AGENCIES_FILE = "agencies.yaml"
#: The folder, beside measures.yaml, of the further documents' measures: a file each.
DOCUMENTS_DIR = "documents"

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
    """$CHUANYU_CACHE, else $XDG_CACHE_HOME/chuanyu (an absolute one: the XDG spec has relative
    ones ignored), else ~/.cache/chuanyu. A cache that is no folder, or a home that does not
    exist (never made here), is an OSError naming it."""
    env = os.environ.get("CHUANYU_CACHE")
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if env:
        folder = Path(env)
    elif os.path.isabs(xdg):
        folder = Path(xdg) / "chuanyu"
    else:
        home = Path.home()
        if not home.is_dir():
            raise OSError(errno.ENOENT, "the home folder does not exist: set CHUANYU_CACHE to a folder for the cache", str(home))
        folder = home / ".cache" / "chuanyu"
    if folder.exists() and not folder.is_dir():
        raise OSError(errno.ENOTDIR, "not a folder, so no cache can be kept there", str(folder))
    return folder


def catalogue_files(data: Path) -> tuple[Path, ...]:
    """The catalogue's files in `data`: the first document's measures, the agencies, then each
    further document's measures file in documents/, by name."""
    return (data / MEASURES_FILE, data / AGENCIES_FILE, *document_files(data))


def document_files(data: Path) -> list[Path]:
    """The further documents' measures files (`documents/*.yaml`), by name; none without the folder."""
    try:
        found = [entry for entry in (data / DOCUMENTS_DIR).iterdir() if entry.suffix == ".yaml" and not entry.name.startswith(".")]
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(found)
