"""Where the catalogue, the named queries and the database cache live.

A wheel carries `data/` and `queries/` inside the package; a checkout keeps them at the top of
the repository. Nothing here imports more than the standard library: every command pays for it.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MEASURES_FILE = "measures.yaml"
AGENCIES_FILE = "agencies.yaml"
#: A catalogue file larger than this is refused before it is read.
MAX_FILE_BYTES = 256 * 2**20
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


class TooLarge(OSError):
    """A file larger than a reader takes: refused before it is read."""

    def __init__(self, path: Path, size: int, limit: int):
        super().__init__(errno.EFBIG, f"{size} bytes, more than the {limit} it may have", str(path))
        self.size, self.limit = size, limit


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at `path` (a link followed), its kind and size checked
    before anything is read: a FIFO or a device is an OSError (reading one would wait for ever
    or never end), a file over `limit` bytes TooLarge, and no more than `limit` bytes are read
    should it grow meanwhile."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    if info.st_size > limit:
        raise TooLarge(path, info.st_size, limit)
    with path.open("rb") as handle:
        raw = handle.read(info.st_size + 1)  # not limit + 1: read(n) takes n bytes of memory before it reads
        if len(raw) > info.st_size:  # it grew meanwhile
            raw += handle.read(limit + 1 - len(raw))
    if len(raw) > limit:
        raise TooLarge(path, len(raw), limit)
    return raw


def write_whole(path: Path, text: str) -> None:
    """`text` into `path` whole or not at all: a temporary file beside it (`.NAME.PID.tmp`),
    renamed over it; interrupted between the two, nothing is left behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with naming(path):
            temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def naming(path: Path) -> Iterator[None]:
    """An OSError raised within that names no file (a full disk, a file-size limit: a write's,
    not an open's) raised again naming `path`, so that the one line that says it names the file."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None:
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
        raise


def refuse_unless_a_file(path: Path) -> None:
    """An OSError if something other than a file (a folder, a FIFO, a device) stands at `path`:
    it is never renamed over, nor opened as a database, where a file is to go."""
    if path.exists() and not path.is_file():
        raise OSError(errno.EEXIST, "there is something other than a file here", str(path))
