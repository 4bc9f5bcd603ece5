"""The direct path answers exactly as Typer would, or leaves the arguments to Typer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from chuanyu.cli import app
from chuanyu.commands import answers, direct, query, questions
from conftest import DATA, ROOT, run
from reference import DIRECT_JSON, HELP_JSON, direct_json, help_json

SPEC = json.loads(DIRECT_JSON.read_text(encoding="utf-8"))


def test_direct_json_is_read_off_the_typer_app() -> None:
    assert DIRECT_JSON.read_text(encoding="utf-8") == direct_json(), "run `make reference` to bring direct.json up to date"


def test_help_json_is_what_typer_prints() -> None:
    assert HELP_JSON.read_text(encoding="utf-8") == help_json(), "run `make reference` to bring help.json up to date"


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["measures", "--help"], ["gaps", "-h"], ["report", "--help"]])
def test_help_is_printed_without_typer_where_the_terminal_is_wide_enough(args: list[str]) -> None:
    """At 80 columns or more (or none said: click assumes 80), the kept text, which is Typer's;
    narrower, Typer itself answers, folding to the width; Typer is imported only then."""
    texts = json.loads(HELP_JSON.read_text(encoding="utf-8"))
    program = (
        "import atexit, sys; atexit.register(lambda: print('typer' in sys.modules, file=sys.stderr)); "
        "from chuanyu.entry import main; sys.argv[0] = 'chuanyu'; main()"
    )
    for columns, from_typer in ((None, False), ("200", False), ("80", False), ("60", True)):
        env = {k: v for k, v in os.environ.items() if k != "COLUMNS"} | ({"COLUMNS": columns} if columns else {})
        shown = subprocess.run([sys.executable, "-c", program, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
        assert shown.returncode == 0 and shown.stderr == f"{from_typer}\n", (columns, shown.stderr)
        kept = texts["" if args[0].startswith("-") else args[0]]
        if from_typer:  # folded narrower than the kept text
            assert shown.stdout.startswith("Usage: chuanyu") and shown.stdout != kept
        else:
            assert shown.stdout == kept


@contextmanager
def typer_values(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """What each Typer command hands to its answer, recorded instead of answered."""
    calls: list[tuple[str, dict[str, Any]]] = []

    def record(question: Any, values: dict[str, Any]) -> None:
        calls.append((question.__name__, dict(values)))

    with monkeypatch.context() as patch:
        patch.setattr(questions, "answer", record)
        patch.setattr(query, "answer", record)
        yield calls


def through_typer(argv: list[str], environ: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> tuple[str, dict[str, Any]] | None:
    """(command, values) as Typer passes them, or None where Typer refuses the arguments."""
    with typer_values(monkeypatch) as calls:
        result = CliRunner().invoke(app, argv, env=environ, catch_exceptions=False)
    return calls[0] if result.exit_code == 0 and calls else None


def through_direct(argv: list[str], environ: dict[str, str]) -> tuple[str, dict[str, Any]] | None:
    try:
        return direct.parse(argv, environ, SPEC)
    except direct.Declined:
        return None


A_FILE = str(DATA / "measures.yaml")
PLAIN = [
    ["measure", "14"],
    ["measure", "14", "--as-of", "today", "--format", "json"],
    ["measure", "--format=json", "14"],
    ["measures", "--agency", "市财政局", "--agency", "省财政厅", "-f", "csv", "--bom"],
    ["measures", "--lead", "人行成都分行", "--province", "sichuan", "--chapter", "2", "--section=5"],
    ["search", "绿色", "--chapter", "3"],
    ["search", "--", "-绿色"],
    ["stats", "--top", "5", "--format", "md"],
    ["agencies", "--province", "chongqing"],
    ["agency", "经信委", "--data", str(DATA)],
    ["pairs"],
    ["pairs", "市科技局", "--observed"],
    ["gaps", "--kind", "lead-mismatch", "--as-of", "2023-06-01"],
    ["query", "agency-chapters", "-p", "agency=cq-pbc", "--time-limit", "0.5"],
    ["query", "--list"],
    ["query", "--sql", "SELECT 1"],
]


@pytest.mark.parametrize("argv", PLAIN, ids=" ".join)
def test_plain_questions_take_the_direct_path_with_typers_values(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    answered = through_direct(argv, {})
    assert answered is not None
    assert answered == through_typer(argv, {}, monkeypatch)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--version"],
        ["measure", "--help"],
        ["measure", "-h"],
        ["measure"],
        ["measure", "x"],
        ["measure", "-1"],
        ["measure", "1", "2"],
        ["measure", "1", "--format", "JSON"],
        ["measure", "1", "-fjson"],
        ["measure", "1", "--format"],
        ["measure", "1", "--bom=yes"],
        ["measure", "1", "--data", A_FILE],
        ["measure", "1", "--data", "/no/such/folder"],
        ["stats", "--top", "0"],
        ["query", "--time-limit", "0.05", "--list"],
        ["measures", "--chapter", "1", "--chapter", "2"],
        ["report"],
        ["build"],
        ["export", "graph"],
    ],
    ids=repr,
)
def test_what_typer_must_explain_is_left_to_typer(argv: list[str]) -> None:
    assert through_direct(argv, {}) is None


def test_the_data_folder_comes_from_the_environment_as_in_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    environ = {"CHUANYU_DATA": str(DATA)}
    answered = through_direct(["measure", "1"], environ)
    assert answered is not None and answered[1]["data"] == DATA
    assert answered == through_typer(["measure", "1"], environ, monkeypatch)
    assert through_direct(["measure", "1"], {"CHUANYU_DATA": ""}) == through_typer(["measure", "1"], {"CHUANYU_DATA": ""}, monkeypatch)
    assert through_direct(["measure", "1"], {"CHUANYU_DATA": A_FILE}) is None
    assert through_direct(["measure", "1"], {direct.COMPLETION_VARIABLE: "complete_bash"}) is None


def _tokens(command: str) -> st.SearchStrategy[str]:
    names = [name for param in SPEC[command] if not param["argument"] for name in param["options"] + param["off"]]
    values = [
        *sorted({choice for param in SPEC[command] for choice in param.get("choices", [])}),
        *["0", "1", "14", "58", "99", "007", "-1", "1.5", "0.05", "0.1", "1e3", "١", "+3", "today", "2023-01-01"],
        *["a=b", "agency=cq-pbc", "人行重庆营管部", "金融", "经信委", "-", "--"],
        "",
        " 1",
        str(DATA),
        A_FILE,
    ]
    extra = ["--help", "-h", "--nope", "-x", "--version", "--no-bom"]
    return st.one_of(
        st.sampled_from(names + extra),
        st.sampled_from(values),
        st.builds(lambda name, value: f"{name}={value}", st.sampled_from(names + extra), st.sampled_from(values)),
        st.text(max_size=4),
    )


_VALUES = {
    "int": st.sampled_from(["0", "1", "5", "14", "58", "007", "1_0", "-2"]),
    "float": st.sampled_from(["0.1", "0.05", "2", "2.5", ".5", "1e1"]),
    "text": st.sampled_from(["人行重庆营管部", "金融", "经信委", "agency=cq-pbc", "x", "", "today", "2023-06-01", "=", "-x"]),
    "folder": st.sampled_from([str(DATA), A_FILE, "/no/such/folder"]),
}


@st.composite
def _well_formed(draw: st.DrawFn, command: str) -> list[str]:
    """Each of some of the command's parameters given once or more, in any order and spelling."""
    pieces: list[list[str]] = []
    for param in SPEC[command]:
        if not draw(st.booleans()):
            continue
        values = st.sampled_from(param["choices"]) if param["type"] == "choice" else _VALUES.get(param["type"], st.just(""))
        for _ in range(draw(st.integers(1, 2 if param.get("multiple") else 1))):
            if param["argument"]:
                pieces.append([draw(values)])
            elif param["type"] == "flag":
                pieces.append([draw(st.sampled_from(param["options"] + param["off"]))])
            else:
                name, value = draw(st.sampled_from(param["options"])), draw(values)
                pieces.append(draw(st.sampled_from([[name, value], [f"{name}={value}"]])))
    return [token for piece in draw(st.permutations(pieces)) for token in piece]


def _argv(command: str) -> st.SearchStrategy[tuple[str, list[str]]]:
    tokens = st.one_of(_well_formed(command), st.lists(_tokens(command), max_size=7))
    return st.tuples(st.just(command), tokens)


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(sorted(SPEC)).flatmap(_argv), st.booleans())
def test_any_arguments_are_read_as_typer_reads_them_or_declined(command_and_tokens: tuple[str, list[str]], data_env: bool) -> None:
    command, tokens = command_and_tokens
    argv = [command, *tokens]
    environ = {"CHUANYU_DATA": str(DATA)} if data_env else {}
    answered = through_direct(argv, environ)
    if answered is not None:
        with pytest.MonkeyPatch.context() as monkeypatch:
            assert answered == through_typer(argv, environ, monkeypatch)


def test_an_interrupted_question_ends_as_in_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(**_: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(answers, "measure", interrupted)
    result = run("measure", "1")  # which checks that both paths end the same
    assert (result.code, result.stdout, result.stderr) == (130, "", "")


def test_without_its_parameters_the_direct_path_leaves_everything_to_typer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(direct, "SPEC", tmp_path / "missing.json")
    assert direct.run(["measure", "1"]) is False


def test_a_plain_question_never_imports_typer() -> None:
    probe = "import sys; from chuanyu.entry import main; main(); assert 'typer' not in sys.modules, 'typer imported'"
    env = {**os.environ, "CHUANYU_CACHE": os.environ["CHUANYU_CACHE"]}
    for argv in (["measure", "1", "--format", "json"], ["pairs", "--format", "csv"]):
        result = subprocess.run(
            [sys.executable, "-c", probe, *argv], capture_output=True, text=True, encoding="utf-8", env=env, cwd=Path(ROOT), timeout=120
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout
