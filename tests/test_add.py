"""`chuanyu add`: a new document from its text or PDF; units not in agencies.yaml proposed for
review and nothing added until then; --replace. Documents from tests/documents/ (constructed)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from chuanyu.adding import function_of
from conftest import DATA, ROOT, copied_catalogue, files, run

DOCUMENTS = ROOT / "tests" / "documents"
THIRD, SECOND = DOCUMENTS / "third-plan.txt", DOCUMENTS / "second-plan.txt"


@pytest.fixture
def catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return copied_catalogue(tmp_path, monkeypatch)


def test_a_document_whose_units_are_known_is_added_and_answered(catalogue: Path) -> None:
    result = run("add", str(SECOND), "--id", "second-2099", "--data", "cat")
    assert (result.code, result.stdout) == (0, "")
    assert result.stderr == "added second-2099: 4 measures, 14 listings, in cat/documents/second-2099.yaml\n"
    assert (catalogue / "sources" / "second-2099.txt").read_bytes() == SECOND.read_bytes()  # kept by the document's id
    assert run("validate", "--data", "cat").code == 0
    assert [d["id"] for d in run("documents", "--data", "cat", "--format", "json").json()] == ["second-2099", "wfc-joint-rules-2022"]
    extracted = run("extract", "cat/sources/second-2099.txt", "--id", "second-2099", "--data", "cat").stdout  # made again from the copy
    assert (catalogue / "documents" / "second-2099.yaml").read_text(encoding="utf-8") == extracted


def test_unknown_units_are_proposed_and_nothing_is_added(catalogue: Path) -> None:
    before = files(catalogue)
    result = run("add", str(THIRD), "--id", "third-2099", "--data", "cat")
    assert (result.code, result.stdout) == (1, "")
    assert (
        result.stderr.splitlines()[0] == "chuanyu: 2 units are not in agencies.yaml; drafts to review are in cat/proposals/third-2099.yaml:"
    )
    after = files(catalogue)
    assert set(after) - set(before) == {"proposals/third-2099.yaml"}  # nothing else written
    assert all(after[name] == content for name, content in before.items())
    drafts = yaml.safe_load((catalogue / "proposals" / "third-2099.yaml").read_text(encoding="utf-8"))["agencies"]
    assert drafts == [
        {
            "id": "cq-new-1",
            "name": "重庆市测试管理局",
            "aliases": ["市测试管理局"],
            "province": "chongqing",
            "level": "provincial-department",
            "counterpart": "sc-new-1",
        },
        {
            "id": "sc-new-1",
            "name": "四川省测试管理厅",
            "aliases": ["省测试管理厅"],
            "province": "sichuan",
            "level": "provincial-department",
            "counterpart": "cq-new-1",
        },
    ]
    text = (catalogue / "proposals" / "third-2099.yaml").read_text(encoding="utf-8")
    assert sum("  # proposed" in line for line in text.splitlines()) == 8  # id, province, level, counterpart of each


def test_after_review_the_document_is_added_and_the_proposals_go(catalogue: Path) -> None:
    run("add", str(THIRD), "--id", "third-2099", "--data", "cat")
    proposals = (catalogue / "proposals" / "third-2099.yaml").read_text(encoding="utf-8")
    with (catalogue / "agencies.yaml").open("a", encoding="utf-8") as agencies:  # the review: accepted as proposed
        agencies.write(proposals.split("\nagencies:\n", 1)[1])
    result = run("add", str(THIRD), "--id", "third-2099", "--data", "cat")
    assert result.code == 0, result.stderr
    assert not (catalogue / "proposals").exists()
    pair = run("pairs", "重庆市测试管理局", "--data", "cat", "--format", "json").json()
    assert pair == [
        {
            "document": "third-2099",
            "chongqing": {"id": "cq-new-1", "name": "重庆市测试管理局"},
            "sichuan": {"id": "sc-new-1", "name": "四川省测试管理厅"},
            "shared": [1, 2, 3],
            "chongqing_only": [],
            "sichuan_only": [],
        }
    ]


def test_an_id_in_the_catalogue_is_refused_unless_replace(catalogue: Path) -> None:
    assert run("add", str(SECOND), "--id", "second-2099", "--data", "cat").code == 0
    before = files(catalogue)
    again = run("add", str(SECOND), "--id", "second-2099", "--data", "cat")
    assert again.code == 1
    assert again.stderr == (
        f"{SECOND}:1: document: "  # outside the working folder: as given
        "id 'second-2099' is already that of cat/documents/second-2099.yaml (--replace replaces it)\n"
    )
    assert files(catalogue) == before
    shipped = run("add", str(SECOND), "--id", "wfc-joint-rules-2022", "--data", "cat")
    assert shipped.code == 1 and "already that of cat/measures.yaml" in shipped.stderr
    replaced = run("add", str(SECOND), "--id", "second-2099", "--data", "cat", "--replace")
    assert replaced.code == 0 and files(catalogue) == before  # the same document again: the same files


def test_a_document_that_breaks_the_catalogue_is_put_back(catalogue: Path, tmp_path: Path) -> None:
    """A measure numbered as another document's is fine; a unit listed twice is not: nothing stays."""
    broken = tmp_path / "broken.txt"
    broken.write_text(SECOND.read_text(encoding="utf-8").replace("市金融监管局、市财政局", "市财政局、市财政局"), encoding="utf-8")
    before = files(catalogue)
    result = run("add", str(broken), "--id", "broken-2099", "--data", "cat")
    assert result.code == 1 and "cat/documents/broken-2099.yaml" in result.stderr
    assert files(catalogue) == before


def test_an_id_that_is_no_id_is_refused(catalogue: Path) -> None:
    result = run("add", str(SECOND), "--id", "Second Plan", "--data", "cat")
    assert result.code == 1
    assert "is not a lower-case ASCII id" in result.stderr and "(name one with --id)" in result.stderr


@pytest.mark.parametrize(
    ("name", "function"),
    [
        ("重庆市财政局", "财政"),
        ("四川省财政厅", "财政"),
        ("重庆市发展改革委", "发展改革"),
        ("四川省大数据中心", "大数据"),
        ("市测试管理局", "测试管理"),
    ],
)
def test_a_units_function_is_its_name_without_province_and_kind(name: str, function: str) -> None:
    assert function_of(name) == function


def test_a_counterpart_is_proposed_by_function_among_units_that_have_none() -> None:
    """四川省乡村振兴局 has no counterpart: a new 重庆市乡村振兴局 is proposed as its pair, with
    the id its function has on the other side; 重庆市财政局's pair is taken, so 市新财政局 gets none."""
    from chuanyu.adding import proposals_yaml, propose
    from chuanyu.catalogue import load_agencies
    from chuanyu.clauses import Unresolved

    agencies = load_agencies(DATA / "agencies.yaml")
    drafts = propose([Unresolved(1, "chongqing", "市乡村振兴局", 3, []), Unresolved(2, "any", "省新兴测试中心", 4, [])], agencies)
    assert [(d.name, d.id, d.province, d.level, d.counterpart) for d in drafts] == [
        ("重庆市乡村振兴局", "cq-rural-revitalization", "chongqing", "provincial-department", "sc-rural-revitalization"),
        ("四川省新兴测试中心", "sc-new-1", "sichuan", "public-institution", None),
    ]
    text = proposals_yaml(drafts, "plan.txt")
    assert (
        "    # and, in agencies.yaml, counterpart: cq-rural-revitalization on sc-rural-revitalization (counterparts are symmetric)\n"
        in text
    )


def test_a_city_government_in_the_local_list_is_proposed_as_sichuans_and_resolves_after_review(catalogue: Path) -> None:
    """`；省财政厅，泸州市政府`: the city is proposed with Sichuan's province and an id of its kind
    (issue 21: it was proposed with none, as joint-new-1, and never resolved once accepted)."""
    document = catalogue.parent / "city.txt"
    document.write_text(
        SECOND.read_text(encoding="utf-8").replace("人行成都分行，成都市政府）", "人行成都分行，成都市政府、泸州市政府）"), encoding="utf-8"
    )
    run("add", str(document), "--id", "city-2099", "--data", "cat")
    proposals = (catalogue / "proposals" / "city-2099.yaml").read_text(encoding="utf-8")
    (draft,) = yaml.safe_load(proposals)["agencies"]
    assert (draft["name"], draft["province"], draft["level"], draft["id"]) == (
        "泸州市政府",
        "sichuan",
        "city-government",
        "sc-city-government",
    )
    with (catalogue / "agencies.yaml").open("a", encoding="utf-8") as agencies:  # the review: accepted as proposed
        agencies.write(proposals.split("\nagencies:\n", 1)[1])
    assert run("add", str(document), "--id", "city-2099", "--data", "cat").code == 0
    measure = run("measure", "2", "--document", "city-2099", "--data", "cat", "--format", "json").json()
    assert [unit["name"] for unit in measure["responsible"]["local"]] == ["成都市政府", "泸州市政府"]
