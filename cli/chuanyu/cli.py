"""The `chuanyu` command: reads arguments, calls one function, hands the result to a renderer.

The commands are in chuanyu.commands, all on one Typer app; this is its entry point.
"""

from __future__ import annotations

from .commands import app
from .commands.shared import Exit, Format

__all__ = ["Exit", "Format", "app", "main"]


def main() -> None:
    """Console entry point (also `python -m chuanyu`, which completes and prints usage the same)."""
    app(prog_name="chuanyu")
