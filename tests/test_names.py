"""Agency names as people type them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chuanyu import db
from chuanyu.names import Ambiguous, Directory, NotFound, normalise
from chuanyu.paths import data_dir
from chuanyu.questions.common import directory as load_directory


@pytest.fixture(scope="module")
def directory() -> Iterator[Directory]:
    conn = db.open_cached(data_dir())
    yield load_directory(conn)
    conn.close()


@pytest.mark.parametrize(
    ("typed", "agency"),
    [
        ("cq-finance", "cq-finance"),  # id
        ("重庆市财政局", "cq-finance"),  # name
        ("市财政局", "cq-finance"),  # the document's short form
        ("中国人民银行重庆营业管理部", "cq-pbc"),  # full name
        ("人民银行重庆营业管理部", "cq-pbc"),  # alias a person would type
        ("外汇局重庆", "cq-safe"),
        ("经信委", "cq-economy-informatization"),  # skips characters: only an alias finds it
        ("中新（重庆）战略性互联互通示范项目管理局", "cq-sino-singapore-project"),
        ("中新(重庆)战略性互联互通示范项目管理局", "cq-sino-singapore-project"),  # half-width brackets
        ("ＣＱ－ＦＩＮＡＮＣＥ", "cq-finance"),  # full-width Latin, NFKC
        ("经济合作局", "sc-economic-cooperation"),  # a unique substring
        ("重庆金融局", "cq-financial-regulation"),  # close spelling
        ("四川省财政局", "sc-finance"),  # 局 for 厅
    ],
)
def test_resolves(directory: Directory, typed: str, agency: str) -> None:
    assert directory.resolve(typed) == agency


@pytest.mark.parametrize(
    ("typed", "candidates"),
    [
        ("发改委", {"cq-development-reform", "sc-development-reform"}),
        ("人行", {"cq-pbc", "sc-pbc", "cq-pbc-branch", "sc-pbc-branch"}),  # the 2022 names and their successors
        ("财政", {"cq-finance", "sc-finance"}),
    ],
)
def test_never_settles_a_tie(directory: Directory, typed: str, candidates: set[str]) -> None:
    with pytest.raises(Ambiguous) as caught:
        directory.resolve(typed)
    assert {c.id for c in caught.value.candidates} == candidates


def test_nothing_close_is_not_found_with_suggestions(directory: Directory) -> None:
    with pytest.raises(NotFound) as caught:
        directory.resolve("北京市财政局")
    assert "cq-finance" in {c.id for c in caught.value.candidates}
    with pytest.raises(NotFound):
        directory.resolve("   ")


def test_normalise() -> None:
    assert normalise("〔２０２２〕 Ａ（Ｂ）") == "[2022]a(b)"
