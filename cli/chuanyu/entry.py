"""The `chuanyu` console entry point (also `python -m chuanyu`).

A plain question command is answered on the direct path, without importing Typer; everything
else, and anything the direct path declines, goes to the Typer app.
"""

from __future__ import annotations

import sys


def main() -> None:
    from .commands.direct import run

    if not run(sys.argv[1:]):
        from .cli import main as typer_main

        typer_main()
