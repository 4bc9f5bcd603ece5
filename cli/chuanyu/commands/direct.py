"""The direct path: a question command with plain arguments, answered without importing Typer.

Importing Typer and building its command tree is most of a query's time (README, "Speed").
For the question commands, what Typer would do with well-formed arguments is simple: match
options, convert a few types, fill defaults. This does just that, from `direct.json`, which
`make reference` reads off the Typer app (`chuanyu.cli.direct_spec`); a test holds the two
equal, and another that for any arguments this either gives exactly what Typer gives or
declines. `--help` is printed from `help.json`, Typer's own output kept by `make reference`
(and held equal to it by a test), where the terminal is wide enough for it to be the same.
Anything else (completion, an error to explain, an unusual spelling) is declined and goes to
Typer, which answers it as it always would.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

TYPE_CHECKING = False  # typing only for the type checker: importing it costs every command's start-up
if TYPE_CHECKING:
    from typing import Any

SPEC = Path(__file__).with_name("direct.json")
HELP = Path(__file__).with_name("help.json")
#: Set by a shell asking Click for completions.
COMPLETION_VARIABLE = "_CHUANYU_COMPLETE"
_NUMBER = {"int": (re.compile(r"[0-9]+"), int), "float": (re.compile(r"[0-9]+(\.[0-9]+)?"), float)}


class Declined(Exception):
    """These arguments are Typer's to read."""


def parse(argv: Sequence[str], environ: Mapping[str, str], spec: dict[str, list[dict[str, Any]]]) -> tuple[str, dict[str, Any]]:
    """(command, the value of each of its parameters) as Typer would pass them, or Declined."""
    if not argv or argv[0] not in spec or COMPLETION_VARIABLE in environ:
        raise Declined
    params = spec[argv[0]]
    switches = {name: (param, True) for param in params if not param["argument"] for name in param["options"]}
    switches |= {name: (param, False) for param in params if not param["argument"] for name in param["off"]}
    given: dict[str, Any] = {}
    positional: list[str] = []
    tokens = list(argv[1:])
    while tokens:
        token = tokens.pop(0)
        if token == "--":
            positional += tokens
            break
        if not token.startswith("-"):
            positional.append(token)
            continue
        name, equals, attached = token.partition("=") if token.startswith("--") else (token, "", "")
        if name not in switches:
            raise Declined
        param, on = switches[name]
        if param["type"] == "flag":
            if equals:
                raise Declined
            value = on
        elif equals:
            value = _convert(param, attached)
        elif tokens and not tokens[0].startswith("-"):
            value = _convert(param, tokens.pop(0))
        else:
            raise Declined
        if param["multiple"]:
            given.setdefault(param["name"], []).append(value)
        elif param["name"] in given:
            raise Declined
        else:
            given[param["name"]] = value
    arguments = [param for param in params if param["argument"]]
    if len(positional) > len(arguments):
        raise Declined
    given |= {param["name"]: _convert(param, value) for param, value in zip(arguments[: len(positional)], positional, strict=True)}
    for param in params:
        if param["name"] in given:
            continue
        from_env = environ.get(param.get("envvar") or "")
        if from_env:
            given[param["name"]] = _convert(param, from_env)
        elif param["required"]:
            raise Declined
        else:
            given[param["name"]] = param["default"]
    return argv[0], given


def _convert(param: dict[str, Any], value: str) -> Any:
    kind = param["type"]
    if kind == "text":
        return value
    if kind == "choice" and value in param["choices"]:
        return value
    if kind == "folder" and os.path.isdir(value) and os.access(value, os.R_OK):
        return Path(value)
    if kind in _NUMBER:
        pattern, number = _NUMBER[kind]
        least = param["min"]
        if pattern.fullmatch(value) and (least is None or number(value) > least or (number(value) == least and not param["min_open"])):
            return number(value)
    raise Declined


def help_text(argv: Sequence[str], environ: Mapping[str, str]) -> str | None:
    """What Typer prints for `chuanyu [COMMAND] --help`, from `help.json`, which `make reference`
    writes from Typer's own output and a test holds equal to it; None where Typer must answer: a
    terminal narrower than 80 columns (click folds help to 78 at 80 or more, whatever the width),
    anything but one command and --help, completion."""
    if not argv or argv[-1] not in ("--help", "-h") or len(argv) > 2 or COMPLETION_VARIABLE in environ:
        return None
    import shutil

    if shutil.get_terminal_size().columns < 80:
        return None
    try:
        texts: dict[str, str] = json.loads(HELP.read_text(encoding="utf-8"))
    except OSError:
        return None
    return texts.get(argv[0] if len(argv) == 2 else "")


def run(argv: Sequence[str]) -> bool:
    """Answer `chuanyu ARGV` if it is a plain question or asks for help; False if it is Typer's
    to answer."""
    if (text := help_text(argv, os.environ)) is not None:
        from .base import to_stdout

        with to_stdout(what=""):  # as help Typer could not write says it
            sys.stdout.write(text)
        return True
    try:
        command, values = parse(argv, os.environ, json.loads(SPEC.read_text(encoding="utf-8")))
    except (Declined, OSError):  # no direct.json (a tree of one's own): Typer answers everything
        return False
    from . import answers
    from .base import Exit, answer

    try:
        answer(getattr(answers, command), values)
    except KeyboardInterrupt:  # as Typer ends an interrupted command: quietly, no traceback
        raise SystemExit(Exit.INTERRUPTED) from None
    return True
