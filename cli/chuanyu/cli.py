"""The `chuanyu` Typer app: reads arguments, calls one function, hands the result to a renderer.

The commands are in chuanyu.commands, each module registering its own on the one app, in the
order help lists them. The console entry point (chuanyu.entry) comes here for everything the
direct path does not answer itself.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Any

from .commands.base import Exit, Format, stdout_to_nowhere
from .commands.shared import app

for _module in ("catalogue", "questions", "query", "briefing", "serve"):
    import_module(f"{__package__}.commands.{_module}")

__all__ = ["Exit", "Format", "app", "direct_spec", "main"]

#: The question commands the direct path may answer without Typer.
DIRECT = ("measure", "measures", "search", "stats", "agencies", "agency", "pairs", "gaps", "query", "documents")


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


def direct_spec() -> dict[str, list[dict[str, Any]]]:
    """What the direct path needs of each DIRECT command's parameters, read off the Typer app:
    written to commands/direct.json by `make reference`, and tested to match."""
    from typer.main import get_command

    commands = get_command(app).commands  # type: ignore[attr-defined]
    spec = {name: [_describe(param) for param in commands[name].params] for name in DIRECT}
    for name, params in spec.items():  # the direct path renders, so each takes the output options
        if not {"fmt", "bom", "lang"} <= {param["name"] for param in params}:
            raise TypeError(f"the direct path cannot render {name}: it takes no --format, --bom and --lang")
    return spec


def _describe(param: Any) -> dict[str, Any]:
    kind = param.type
    described: dict[str, Any] = {"name": param.name, "argument": param.param_type_name == "argument"}
    if param.param_type_name == "option":
        described |= {"options": param.opts, "off": param.secondary_opts, "multiple": param.multiple, "envvar": param.envvar}
    if getattr(param, "is_flag", False):
        described["type"] = "flag"
    elif kind.name == "choice" and kind.case_sensitive:
        described |= {"type": "choice", "choices": [str(choice) for choice in kind.choices]}
    elif kind.name in ("int", "int range", "float", "float range"):
        described |= {"type": kind.name.split()[0], "min": getattr(kind, "min", None), "min_open": getattr(kind, "min_open", False)}
    elif kind.name == "directory" and kind.readable and not kind.resolve_path:  # the direct path checks it is one
        described["type"] = "folder"
    elif kind.name == "str":
        described["type"] = "text"
    else:
        raise TypeError(f"the direct path cannot read {param.name}, a {kind.name}")
    if param.callback is not None or param.nargs != 1 or getattr(param, "max", None) is not None:
        raise TypeError(f"the direct path cannot read {param.name}")
    return described | {"required": param.required, "default": param.default}
