"""The `chuanyu` Typer app: reads arguments, calls one function, hands the result to a renderer.

The commands are in chuanyu.commands, each module registering its own on the one app, in the
order help lists them. The console entry point (chuanyu.entry) comes here.
"""

from __future__ import annotations

import sys

# each module registers its commands on the one app, in the order help lists them
from .commands import batch, briefing, catalogue, query, questions, serve  # noqa: F401
from .commands.base import Exit, Format, stdout_to_nowhere
from .commands.shared import app

__all__ = ["Exit", "Format", "app", "main"]


def main() -> None:
    try:
        app(prog_name="chuanyu")
    except OSError as exc:  # help or version that cannot be written (a full disk), as an answer that cannot
        stdout_to_nowhere()
        print(f"chuanyu: cannot write to standard output: {exc.strerror or exc}", file=sys.stderr)
        raise SystemExit(Exit.STORAGE) from None
    except SystemExit as ended:
        # click ends with 1 when stdout's reader has gone (`chuanyu --help | head -1`), having
        # quieted the streams: here, as every command, that is done, exit 0
        if ended.code == 1 and type(sys.stdout).__name__ == "PacifyFlushWrapper":
            raise SystemExit(Exit.OK) from None
        raise
