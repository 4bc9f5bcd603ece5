"""Any input gives a result or a clean error, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chuanyu import db
from chuanyu.errors import DataError
from chuanyu.extract import parse
from chuanyu.names import Ambiguous, Directory, NotFound
from chuanyu.paths import data_dir
from chuanyu.questions.common import directory as load_directory
from chuanyu.safe_yaml import read_yaml
from conftest import SOURCE

# text made of the characters the document is made of, so that near-miss structures come up often
DOCUMENT_CHARACTERS = st.sampled_from(sorted(set(SOURCE.read_text(encoding="utf-8")) | set("(),:;-—\r\t")))
PIECES = st.sampled_from(
    ["一、", "（一）", "1．", "（责任单位：", "；", "，", "）", "\n", " ", "渝府办发〔2022〕1号", "2022 年 1 月 1 日", "《细则》"]
)
DOCUMENTISH = st.lists(st.one_of(PIECES, DOCUMENT_CHARACTERS), max_size=200).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), DOCUMENTISH))
def test_extractor_parses_or_reports(text: str) -> None:
    try:
        document = parse(text)
    except DataError as error:
        assert error.problems and all(p.line >= 1 for p in error.problems)
    else:
        assert [m.number for m in document.measures] == list(range(1, len(document.measures) + 1))


YAML_PIECES = ["a", ":", " ", "- ", "\n", "  ", "[", "]", "{", "}", "&x ", "*x", "!!python/name:os.system", "'", '"', "#", "\t", "1", "~"]
YAMLISH = st.lists(st.sampled_from(YAML_PIECES), max_size=80).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=200), YAMLISH))
def test_loader_reads_or_reports(tmp_path: Path, text: str) -> None:
    path = tmp_path / "any.yaml"
    path.write_text(text, encoding="utf-8")
    data, problems = read_yaml(path, "any.yaml")
    assert data is not None or problems
    assert all(p.file == "any.yaml" and p.line >= 1 for p in problems)


@pytest.fixture(scope="module")
def names() -> Directory:
    return load_directory(db.open_cached(data_dir()))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=30))
def test_resolver_names_one_agency_or_says_why_not(names: Directory, typed: str) -> None:
    try:
        assert names.resolve(typed) in names.names
    except Ambiguous as error:
        assert len(error.candidates) >= 2
    except NotFound:
        pass


#: The commands that answer questions (and print what they find).
QUESTIONS = ("measure", "measures", "search", "stats", "agencies", "agency", "pairs", "gaps", "query", "documents")


def _question_parameters() -> dict[str, list[dict[str, Any]]]:
    """What the arguments of each question command are, read off the Typer app."""
    from typer.main import get_command

    from chuanyu.cli import app

    commands = get_command(app).commands  # type: ignore[attr-defined]

    def described(param: Any) -> dict[str, Any]:
        kind = param.type
        found: dict[str, Any] = {"argument": param.param_type_name == "argument", "options": param.opts}
        if getattr(param, "is_flag", False):
            return found | {"type": "flag"}
        if kind.name == "choice":
            return found | {"type": "choice", "choices": [str(choice) for choice in kind.choices]}
        if kind.name in ("integer", "integer range", "float", "float range"):
            return found | {"type": "int"}
        if kind.name in ("directory", "path"):
            return found | {"type": "folder"}
        return found | {"type": "text"}

    return {name: [described(param) for param in commands[name].params] for name in QUESTIONS}


def _argument_lists() -> st.SearchStrategy[list[str]]:
    """Any command with its options, mostly each with a value of its kind (numbers of any size,
    text of any kind, names of real units, choices), sometimes any token at all."""
    spec = _question_parameters()
    small = st.integers(min_value=1, max_value=70)
    not_finite = st.sampled_from(["nan", "inf", "-inf", "1e999", "NaN", "Infinity"])
    numbers = st.one_of(small, small, small, st.integers(min_value=0, max_value=2**70).map(str), not_finite).map(str)
    # bytes that are not UTF-8 reach Python as lone surrogates (os.fsdecode), as a shell hands them over
    undecodable = st.binary(min_size=1, max_size=6).map(lambda raw: os.fsdecode(raw + b"\xff"))
    texts = st.one_of(
        st.text(max_size=12),
        st.sampled_from(["人行重庆营管部", "市财政局", "省", "金融", "today", "2025-01-01", "1990-01-01", "x"]),
        undecodable,
    )
    anything = st.one_of(numbers, texts, st.sampled_from(["-", "--", "-1", "-f", "--format=json"]))

    def value(param: dict[str, Any]) -> st.SearchStrategy[list[str]]:
        kind = param["type"]
        if kind == "flag":
            return st.just([])
        if kind == "choice":
            return st.sampled_from(param["choices"]).map(lambda choice: [choice])
        if kind == "folder":
            return st.sampled_from([str(data_dir()), "/nonexistent"]).map(lambda folder: [folder])
        return (numbers if kind in ("int", "float") else texts).map(lambda text: [text])

    def lists(command: str) -> st.SearchStrategy[list[str]]:
        params = spec[command]
        arguments = st.tuples(*(value(p) for p in params if p["argument"]))
        options = [value(p).map(lambda given, name=name: [name, *given]) for p in params if not p["argument"] for name in p["options"]]
        rest = st.lists(st.one_of(*options, anything.map(lambda token: [token])), max_size=4)
        return st.tuples(arguments, rest).map(lambda parts: [command, *(token for part in (*parts[0], *parts[1]) for token in part)])

    return st.sampled_from(sorted(spec)).flatmap(lists)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_argument_lists())
def test_any_arguments_give_an_answer_or_a_documented_exit_never_a_traceback(argv: list[str]) -> None:
    """Through Typer, in this process."""
    from conftest import run

    result = run(*argv)
    assert result.code in (0, 1, 2, 3, 4), (argv, result.stderr)
    assert "Traceback" not in result.stderr
