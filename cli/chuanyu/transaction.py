"""A change to the catalogue made whole or not at all, by one writer at a time.

The new files are staged in a folder beside the catalogue (`.chuanyu-add/`, the same file
system), under the places they will take, with the catalogue's other files linked in beside
them, so that the staged catalogue can be validated whole before anything moves. A plan names
the one catalogue file that changes and the files that follow it. Renaming that catalogue file
into place is the commit point: readers see the old catalogue before it and the new one after
it. A run killed before it leaves the old catalogue (the staging folder is thrown away by the
next run); killed after it, the next run finds the staged file gone and finishes the plan.
A lock on `.chuanyu-add.lock` (flock) keeps a second writer out, told which process holds it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import fcntl
import json
import os
import shutil
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .paths import catalogue_files, naming

LOCK_FILE = ".chuanyu-add.lock"
STAGING_DIR = ".chuanyu-add"
_PLAN = "plan.json"
#: For the tests of kills at every instant: the step (1, 2, …) at which the process kills itself.
_KILL_AT_STEP = "CHUANYU_TEST_KILL_AT_STEP"
_steps_taken = 0


def step() -> None:
    """One step on the file system: where a test may have the process killed (SIGKILL)."""
    global _steps_taken
    _steps_taken += 1
    if os.environ.get(_KILL_AT_STEP) == str(_steps_taken):
        os.kill(os.getpid(), signal.SIGKILL)


@contextlib.contextmanager
def locked(data: Path) -> Iterator[None]:
    """The catalogue in `data` for this process alone, finished or cleaned of any killed run's
    change first; a second writer fails at once, an OSError naming the lock file and the process
    that holds it (the lock goes with that process, however it ends)."""
    path = data / LOCK_FILE
    descriptor = _lock(path)
    try:
        os.pwrite(descriptor, f"{os.getpid():<20}\n".encode("ascii"), 0)  # one write, whole: a reader never sees half
        recover(data)
        yield
    finally:
        with contextlib.suppress(OSError):  # removed while held: a writer waiting on it then takes a fresh one
            path.unlink()
        os.close(descriptor)


def _lock(path: Path) -> int:
    """The lock file at `path`, opened and locked: the one in the folder now (another writer may
    remove the one it held as this one took it)."""
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(descriptor)
            os.close(descriptor)
            who = f"process {holder}" if holder.isdigit() else "another process"
            raise OSError(
                errno.EAGAIN, f"the catalogue is being changed by {who} (chuanyu add); try again once it is done", str(path)
            ) from None
        held = os.fstat(descriptor)
        try:
            there = os.stat(path, follow_symlinks=False)
            if (there.st_ino, there.st_dev) == (held.st_ino, held.st_dev):
                return descriptor
        except FileNotFoundError:
            pass
        os.close(descriptor)


def _holder(descriptor: int) -> str:
    """The process id the lock's holder wrote, given a moment to write it (it writes just after
    it takes the lock); empty if it has not."""
    deadline = time.monotonic() + 0.5
    while not (holder := os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()) and time.monotonic() < deadline:
        time.sleep(0.01)
    return holder


@dataclass
class Staged:
    """A change being staged in `folder`: `changed`, the catalogue file it writes (relative to
    the catalogue); `following`, the files that take their place after it; `removed`, files to
    remove once they have."""

    data: Path
    folder: Path
    changed: str
    following: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def write(self, relative: str, content: bytes) -> None:
        """`content` staged to take the place of `relative` in the catalogue."""
        path = self.folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        step()
        _write_synced(path, content)
        self._follow(relative)

    def copy(self, relative: str, source: Path) -> None:
        """A copy of the file `source` staged to take the place of `relative`."""
        path = self.folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        step()
        with source.open("rb") as reading, naming(path), path.open("xb") as writing:
            shutil.copyfileobj(reading, writing)
            writing.flush()
            os.fsync(writing.fileno())
        self._follow(relative)

    def _follow(self, relative: str) -> None:
        if relative != self.changed and relative not in self.following:
            self.following.append(relative)


@contextlib.contextmanager
def staged(data: Path, changed: str) -> Iterator[Staged]:
    """A change to stage, then `commit`; any failure or interruption before the commit point
    throws the staged files away (after it, the change is finished, now or by the next run)."""
    change = _stage(data, changed)
    try:
        yield change
    except BaseException:
        with contextlib.suppress(OSError):
            recover(data)
        raise


def _stage(data: Path, changed: str) -> Staged:
    """A fresh staging folder in `data` holding the catalogue's files as they are (linked, or
    copied where the file system has no links), but for `changed`, which the change writes."""
    folder = data / STAGING_DIR
    _discard(folder)
    step()
    folder.mkdir()
    for path in catalogue_files(data):
        relative = str(path.relative_to(data))
        if relative == changed or not path.is_file():  # a missing file: validating the staged catalogue says so
            continue
        staged = folder / relative
        staged.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, staged, follow_symlinks=False)
        except OSError:
            shutil.copy2(path, staged, follow_symlinks=False)
    return Staged(data, folder, changed)


def commit(change: Staged) -> None:
    """Put the staged change in place: the plan first, then the changed catalogue file by one
    rename (the commit point), then the files that follow it and the removals."""
    plan = Plan(change.changed, change.following, change.removed)
    step()
    temporary = change.folder / f".{_PLAN}"
    _write_synced(temporary, json.dumps(dataclasses.asdict(plan), ensure_ascii=False).encode("utf-8"))
    step()
    os.replace(temporary, change.folder / _PLAN)
    _sync_folder(change.folder)
    (change.data / change.changed).parent.mkdir(parents=True, exist_ok=True)
    step()
    os.replace(change.folder / change.changed, change.data / change.changed)
    _sync_folder((change.data / change.changed).parent)
    _finish(change.data, change.folder, plan)


def recover(data: Path) -> None:
    """Finish the change a killed run committed, or throw away the one it had not; and remove
    the temporary files (`.NAME.PID.tmp`) killed writers left in the folders `add` writes."""
    folder = data / STAGING_DIR
    if folder.is_dir() and not folder.is_symlink():
        plan = _plan(folder)
        if plan is not None and not (folder / plan.changed).exists():  # committed: its file has moved
            _finish(data, folder, plan)
        else:
            _discard(folder)
    for sub in ("documents", "sources", "proposals"):
        _remove_orphans(data / sub)


@dataclass
class Plan:
    """What a staged change does once committed: `changed` is renamed into place (the commit
    point), then the files `following` it, then the files `removed` go (relative to the catalogue)."""

    changed: str
    following: list[str]
    removed: list[str]


def _plan(folder: Path) -> Plan | None:
    """The plan of the change staged in `folder`, if one was written whole."""
    try:
        read = json.loads((folder / _PLAN).read_text(encoding="utf-8"))
        plan = Plan(read["changed"], list(read["following"]), list(read["removed"]))
    except (OSError, ValueError, TypeError, KeyError):
        return None
    names = [plan.changed, *plan.following, *plan.removed]
    return plan if all(isinstance(name, str) and ".." not in Path(name).parts and not Path(name).is_absolute() for name in names) else None


def _finish(data: Path, folder: Path, plan: Plan) -> None:
    """The rest of a committed plan, each step of which may be taken again: a file already moved
    is no longer staged, a file already removed is not there."""
    for relative in plan.following:
        staged = folder / relative
        if staged.exists():
            (data / relative).parent.mkdir(parents=True, exist_ok=True)
            step()
            os.replace(staged, data / relative)
    for relative in plan.removed:
        step()
        (data / relative).unlink(missing_ok=True)
    step()
    (folder / _PLAN).unlink(missing_ok=True)
    _discard(folder)


def _discard(folder: Path) -> None:
    if folder.is_symlink() or folder.is_file():
        step()
        folder.unlink()
    elif folder.exists():
        step()
        shutil.rmtree(folder)


def _remove_orphans(folder: Path) -> None:
    from .db import running

    for orphan in folder.glob(".*.tmp") if folder.is_dir() else ():
        pid = orphan.name.rsplit(".", 2)[-2]
        if pid.isdigit() and not running(int(pid)):
            orphan.unlink(missing_ok=True)


def _write_synced(path: Path, content: bytes) -> None:
    with naming(path), path.open("wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    """The folder's entries to the disk, so that a rename outlives a power cut (where the file
    system allows it)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
