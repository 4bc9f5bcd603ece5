"""Any input gives a result or a clean error, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chuanyu import db
from chuanyu.catalogue import read_yaml
from chuanyu.errors import DataError
from chuanyu.extract import parse
from chuanyu.names import Ambiguous, Directory, NotFound
from chuanyu.paths import data_dir
from chuanyu.queries import directory as load_directory
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
