"""The `chuanyu` console entry point (also `python -m chuanyu`).

A plain question command is answered on the direct path, without importing Typer; everything
else, and anything the direct path declines, goes to the Typer app.
"""

from __future__ import annotations

import sys


def main() -> None:
    for stream in (sys.stdout, sys.stderr):  # Chinese whatever PYTHONIOENCODING says: UTF-8, never a traceback
        if stream is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
            stream.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    from .commands.direct import run

    if not run(sys.argv[1:]):
        from .cli import main as typer_main

        typer_main()
