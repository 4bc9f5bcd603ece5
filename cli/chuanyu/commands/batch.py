"""chuanyu batch: many questions in one process, a JSON line each way (as `git cat-file --batch`)."""

from __future__ import annotations

import io
import json
import sys
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

import typer
from typer.core import TyperGroup

from .base import Exit, held_open, to_stdout
from .shared import app

#: The commands a batch answers: those whose answer is what `--format json` prints.
QUESTIONS = ("measure", "measures", "search", "stats", "agencies", "agency", "documents", "pairs", "gaps", "query")


@app.command()
def batch() -> None:
    """Answer questions read from standard input, one JSON line each, in one process.

    Each line is an array of a command's arguments as on the command line, e.g.
    ["measures", "--lead", "人行成都分行"]. Each answer is one JSON line, written as soon as it is
    known: {"args": [...], "exit": 0, "answer": <what --format json prints>, "error": null}; a
    question that fails has its exit code, "answer": null and its message in "error", and the
    batch goes on. The commands: measure, measures, search, stats, agencies, agency, documents,
    pairs, gaps, query. Each catalogue's database is opened once for every question.

    \b
    Examples:
      echo '["gaps", "--kind", "lead-mismatch"]' | chuanyu batch
      printf '%s\\n' '["measure", "14"]' '["agency", "市科技局"]' | chuanyu batch | jq '.answer'
    """
    command = typer.main.get_command(app)
    assert isinstance(command, TyperGroup)
    with held_open(), to_stdout():
        for number, line in enumerate(sys.stdin, start=1):
            if line.strip():
                sys.stdout.write(json.dumps(batch_answer(command, number, line), ensure_ascii=False) + "\n")
                sys.stdout.flush()


def batch_answer(command: TyperGroup, number: int, line: str) -> dict[str, Any]:
    """The answer to line `number` of a batch: its command run in this process, its output JSON."""
    try:
        args = json.loads(line)
    except ValueError as exc:
        return _refused(None, f"chuanyu: batch line {number}: not JSON ({exc})")
    if not isinstance(args, list) or not all(isinstance(arg, str) for arg in args):
        return _refused(args, f"chuanyu: batch line {number}: not an array of arguments as strings")
    if not args or args[0] not in QUESTIONS:
        return _refused(args, f"chuanyu: batch line {number}: a batch asks {', '.join(QUESTIONS)}")
    options = args[1 : args.index("--")] if "--" in args else args[1:]
    if said := next((arg for arg in options if arg.partition("=")[0] in ("--format", "-f", "--help", "-h") or arg.startswith("-f")), None):
        return _refused(args, f"chuanyu: batch line {number}: {said}: a batch answers in JSON, without --format or --help")
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            command.main(args=[args[0], "--format", "json", *args[1:]], prog_name="chuanyu", standalone_mode=True)
            code = int(Exit.OK)
        except SystemExit as ended:
            code = ended.code if isinstance(ended.code, int) else int(Exit.DATA_ERROR)
    if code == Exit.INTERRUPTED:  # Ctrl-C: the whole batch stops
        raise SystemExit(code)
    if code != Exit.OK:
        return {"args": args, "exit": code, "answer": None, "error": err.getvalue().strip() or None}
    return {"args": args, "exit": code, "answer": json.loads(out.getvalue()), "error": None}


def _refused(args: Any, message: str) -> dict[str, Any]:
    return {"args": args, "exit": int(Exit.USAGE), "answer": None, "error": message}
