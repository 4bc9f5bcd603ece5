"""The `chuanyu` console entry point (also `python -m chuanyu`): the standard streams made safe
for Chinese and for being closed, then the Typer app."""

from __future__ import annotations

import errno
import io
import os
import sys


class _Closed(io.TextIOBase):
    """Standard output that was closed (`>&-`): writing the answer fails as into a full disk."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "it is closed")


def main() -> None:
    try:
        _main()
    except KeyboardInterrupt:  # before a command could take it (while modules load): quietly, as after
        raise SystemExit(130) from None


def _main() -> None:
    if sys.stdout is None:
        sys.stdout = _Closed()
    if sys.stderr is None:  # closed (`2>&-`): messages go nowhere, never to stdout (print's file=None)
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the process's life
    for stream in (sys.stdout, sys.stderr):  # Chinese whatever PYTHONIOENCODING says: UTF-8, never a traceback
        if isinstance(stream, io.TextIOWrapper) and (stream.encoding or "").lower().replace("-", "") != "utf8":
            stream.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    from .cli import main as typer_main

    typer_main()
