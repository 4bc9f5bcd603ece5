"""A catalogue of several documents: the shipped one and a second, constructed for the tests
(tests/documents/second-plan.txt, see that folder's README), extracted into documents/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import DATA, ROOT, run

SECOND = ROOT / "tests" / "documents" / "second-plan.txt"
SHIPPED_ID, SECOND_ID = "wfc-joint-rules-2022", "second-plan-2099"


@pytest.fixture
def two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped catalogue with the second document beside it, as `extract` makes its file."""
    monkeypatch.chdir(tmp_path)
    catalogue = tmp_path / "cat"
    shutil.copytree(DATA, catalogue)
    (catalogue / "documents").mkdir()
    extracted = run("extract", str(SECOND), "--id", SECOND_ID, "--data", str(catalogue))
    assert (extracted.code, extracted.stderr) == (0, "")
    (catalogue / "documents" / f"{SECOND_ID}.yaml").write_text(extracted.stdout, encoding="utf-8")
    return catalogue


def without_documents(value: Any) -> Any:
    """An answer with every record's "document" key taken out (and "documents" per agency)."""
    if isinstance(value, list):
        return [without_documents(item) for item in value]
    if isinstance(value, dict):
        return {key: without_documents(item) for key, item in value.items() if key != "document"}
    return value


def test_validate_checks_every_document(two: Path) -> None:
    result = run("validate", "--data", str(two))
    assert result.code == 0
    assert result.stderr == "ok: 2 documents: 10 chapters, 36 sections, 62 measures, 616 listings of 70 agencies, 6 successor bodies\n"


def test_documents_lists_each_with_its_figures(two: Path) -> None:
    listed = run("documents", "--data", str(two), "--format", "json").json()
    assert [d["id"] for d in listed] == [SECOND_ID, SHIPPED_ID]  # by id, as every answer orders them
    assert all(set(d) == {"id", "title", "number", "date", "issuers", "measures", "listings"} for d in listed)
    second = yaml.safe_load((two / "documents" / f"{SECOND_ID}.yaml").read_text(encoding="utf-8"))
    measures = [m for c in second["chapters"] for s in c["sections"] for m in s["measures"]]
    assert listed[0] | {"issuers": tuple(listed[0]["issuers"])} == {
        "id": SECOND_ID,
        "title": "川渝金融测试联合行动方案",
        "number": "渝府办发〔2099〕7号",
        "date": "2099-03-01",
        "issuers": ("重庆市人民政府办公厅", "四川省人民政府办公厅"),
        "measures": len(measures),
        "listings": sum(len(units) for m in measures for units in m["responsible"].values()),
    }
    assert listed[1]["measures"] == 58 and listed[1]["listings"] == 602


def test_a_measure_number_in_both_documents_asks_which(two: Path) -> None:
    result = run("measure", "1", "--data", str(two))
    assert (result.code, result.stdout) == (4, "")
    assert result.stderr.splitlines() == [
        "chuanyu: measure 1 is in 2 documents; name one with --document:",
        f"  {SECOND_ID}",
        f"  {SHIPPED_ID}",
    ]
    chosen = run("measure", "1", "--data", str(two), "--document", SECOND_ID, "--format", "json").json()
    assert chosen["document"] == SECOND_ID and chosen["text"] == "建立川渝金融测试联席机制，定期会商测试事项。"
    assert run("measure", "58", "--data", str(two), "--format", "json").json()["document"] == SHIPPED_ID  # in one only


@pytest.mark.parametrize(
    "question",
    [["measures"], ["gaps"], ["search", "金融"], ["pairs"], ["pairs", "--observed"], ["agencies"], ["stats"], ["measure", "14"]],
    ids=" ".join,
)
def test_one_document_of_two_answers_as_the_catalogue_of_it_alone(two: Path, question: list[str]) -> None:
    """--document: the shipped document's answer in the two-document catalogue is the shipped
    catalogue's, but for the "document" each record names."""
    alone = run(*question, "--format", "json").json()
    chosen = run(*question, "--data", str(two), "--document", SHIPPED_ID, "--format", "json").json()
    assert without_documents(chosen) == alone
    records = chosen if isinstance(chosen, list) else [chosen]
    if question[0] in ("measures", "gaps", "search", "pairs", "measure"):
        assert records and all(record["document"] == SHIPPED_ID for record in records)


@pytest.mark.parametrize("question", [["measures"], ["gaps"], ["search", "测试"], ["pairs"]], ids=" ".join)
def test_across_documents_each_record_names_its_document_in_order(two: Path, question: list[str]) -> None:
    across = run(*question, "--data", str(two), "--format", "json").json()
    each = [run(*question, "--data", str(two), "--document", d, "--format", "json").json() for d in (SECOND_ID, SHIPPED_ID)]
    assert across == each[0] + each[1]


def test_the_agency_gives_its_leads_and_listings_per_document(two: Path) -> None:
    profile = run("agency", "重庆市财政局", "--data", str(two), "--format", "json").json()
    assert "leads" not in profile
    assert profile["documents"] == [
        {"document": SECOND_ID, "leads": [4], "involved": [1, 4]},
        {"document": SHIPPED_ID, **{k: run("agency", "重庆市财政局", "--format", "json").json()[k] for k in ("leads", "involved")}},
    ]


def test_the_shipped_catalogue_with_its_document_named_answers_byte_for_byte() -> None:
    for question in (["measures"], ["gaps"], ["pairs"], ["agency", "人行成都分行"], ["search", "数字人民币"], ["stats"]):
        for fmt in ("json", "tsv"):
            assert run(*question, "--document", SHIPPED_ID, "--format", fmt).stdout == run(*question, "--format", fmt).stdout


def test_an_unknown_document_is_exit_3_with_a_hint(two: Path) -> None:
    result = run("gaps", "--data", str(two), "--document", "second-plan-2098")
    assert (result.code, result.stdout) == (3, "")
    assert result.stderr == f"chuanyu: no document 'second-plan-2098'; did you mean {SECOND_ID}?\n"


def test_a_document_id_given_twice_names_the_second_file(two: Path) -> None:
    copy = two / "documents" / "z-copy.yaml"  # after the original, by name
    copy.write_text((two / "documents" / f"{SECOND_ID}.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = run("validate", "--data", str(two))
    assert result.code == 1
    assert result.stderr == f"cat/documents/z-copy.yaml:3: document: id '{SECOND_ID}' is already that of cat/documents/{SECOND_ID}.yaml\n"


def test_a_problem_in_a_further_document_names_its_file_and_line(two: Path) -> None:
    path = two / "documents" / f"{SECOND_ID}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("cq-finance", "cq-no-such-unit", 1), encoding="utf-8")
    result = run("validate", "--data", str(two))
    assert result.code == 1
    (line,) = result.stderr.splitlines()
    number = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if "cq-no-such-unit" in text)
    assert line == f"cat/documents/{SECOND_ID}.yaml:{number}: measure 1: chongqing unit 'cq-no-such-unit' is not in agencies.yaml"


def test_a_document_added_is_answered_without_a_build(two: Path) -> None:
    """The cache's key covers documents/: a file added there is in the next answer."""
    (two / "documents" / f"{SECOND_ID}.yaml").rename(two / "aside.yaml")
    assert [d["id"] for d in run("documents", "--data", str(two), "--format", "json").json()] == [SHIPPED_ID]
    (two / "aside.yaml").rename(two / "documents" / f"{SECOND_ID}.yaml")
    assert [d["id"] for d in run("documents", "--data", str(two), "--format", "json").json()] == [SECOND_ID, SHIPPED_ID]
    assert json.loads(run("measures", "--data", str(two), "--format", "json").stdout)[0]["document"] == SECOND_ID


def test_a_briefing_of_several_documents_is_a_set_for_each(two: Path) -> None:
    assert run("report", "--out", "briefing", "--data", str(two)).code == 0
    assert sorted(p.name for p in (two.parent / "briefing").iterdir()) == [SECOND_ID, SHIPPED_ID]
    assert run("report", "--out", "alone", "--data", str(two), "--document", SHIPPED_ID).code == 0
    for name in ("briefing.md", "pairs.csv", "gaps.csv", "heatmap.svg"):
        each, alone = (two.parent / "briefing" / SHIPPED_ID / name).read_bytes(), (two.parent / "alone" / name).read_bytes()
        assert each == alone, name


def test_the_network_of_several_documents_adds_their_edges(two: Path) -> None:
    across = json.loads(run("export", "graph", "--data", str(two)).stdout)
    each = {d: json.loads(run("export", "graph", "--data", str(two), "--document", d).stdout) for d in (SECOND_ID, SHIPPED_ID)}
    finance = [e for e in across["edges"] if (e["source"], e["target"], e["kind"]) == ("cq-finance", "sc-finance", "counterpart")]
    parts = {
        d: [e for e in g["edges"] if (e["source"], e["target"], e["kind"]) == ("cq-finance", "sc-finance", "counterpart")]
        for d, g in each.items()
    }
    assert finance == [
        {
            "source": "cq-finance",
            "target": "sc-finance",
            "kind": "counterpart",
            "weight": parts[SECOND_ID][0]["weight"] + parts[SHIPPED_ID][0]["weight"],
            "measures": parts[SECOND_ID][0]["measures"] + parts[SHIPPED_ID][0]["measures"],  # each `document:number`
        }
    ]
    assert parts[SECOND_ID][0]["measures"] == [f"{SECOND_ID}:1", f"{SECOND_ID}:4"]
    assert {n["id"] for n in across["nodes"]} == {n["id"] for g in each.values() for n in g["nodes"]}


def test_a_briefing_of_the_second_document_is_of_it_alone(two: Path) -> None:
    assert run("report", "--out", "briefing", "--data", str(two), "--document", SECOND_ID).code == 0
    text = (two.parent / "briefing" / "briefing.md").read_text(encoding="utf-8")
    assert text.startswith(
        "# 《川渝金融测试联合行动方案》 briefing\n\n渝府办发〔2099〕7号, 2099-03-01. Scope: the whole document: 4 measures"
    )
    graph = json.loads(run("export", "graph", "--data", str(two), "--document", SECOND_ID).stdout)
    assert {node["id"] for node in graph["nodes"]} == {
        "cq-csrc",
        "cq-finance",
        "cq-financial-regulation",
        "cq-pbc",
        "sc-csrc",
        "sc-finance",
        "sc-financial-regulation",
        "sc-pbc",
        "chengdu-government",
    }
