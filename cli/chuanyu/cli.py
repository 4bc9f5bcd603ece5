"""The `chuanyu` Typer app: reads arguments, calls one function, hands the result to a renderer.

The commands are in chuanyu.commands, each module registering its own on the one app, in the
order help lists them. The console entry point (chuanyu.entry) comes here.
"""

from __future__ import annotations

import copy
import os
import sys

import typer
from typer.main import get_command_name
from typer.models import CommandInfo

# each module registers its commands on the one app, in the order help lists them
from .commands import batch, briefing, catalogue, query, questions, serve  # noqa: F401
from .commands.base import Exit, Format, stdout_to_nowhere
from .commands.shared import app

__all__ = ["Exit", "Format", "app", "app_for", "main"]

#: Set by a shell asking for completions.
COMPLETION_VARIABLE = "_CHUANYU_COMPLETE"


def main() -> None:
    try:
        app_for(sys.argv[1:])(prog_name="chuanyu")
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


def app_for(args: list[str]) -> typer.Typer:
    """The app, holding only the command `args` name where they name one: Typer builds every
    command it holds before it reads a word (a fifth of a question's time), and one command
    answers as it would among all. The whole app for anything else (its help, a name to
    correct, completion, which lists them all)."""
    if not args or COMPLETION_VARIABLE in os.environ:
        return app
    commands = [info for info in app.registered_commands if _command_name(info) == args[0]]
    groups = [info for info in app.registered_groups if info.name == args[0]]
    if not commands and not groups:
        return app
    narrowed = copy.copy(app)
    narrowed.registered_commands, narrowed.registered_groups = commands, groups
    return narrowed


def _command_name(info: CommandInfo) -> str:
    return info.name or get_command_name(info.callback.__name__ if info.callback else "")
