"""The responsibility clauses joint documents use, on a document constructed for the tests
(tests/documents/clause-forms.txt): one list naming both provinces' units in any order, and
explicit roles (牵头单位 / 配合单位) with or without province lists inside each."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from chuanyu.clauses import ONE_LIST, clause_of
from conftest import DATA, ROOT, run

FORMS = ROOT / "tests" / "documents" / "clause-forms.txt"
ID = "clause-forms-2099"


def measures_of(yaml_text: str) -> dict[int, dict[str, object]]:
    content = yaml.safe_load(yaml_text)
    return {m["number"]: m for c in content["chapters"] for s in c["sections"] for m in s["measures"]}


@pytest.fixture(scope="module")
def extracted() -> dict[int, dict[str, object]]:
    result = run("extract", str(FORMS), "--id", ID)
    assert (result.code, result.stderr) == (0, "")
    return measures_of(result.stdout)


def test_one_list_places_each_unit_in_its_province_in_the_documents_order(extracted: dict[int, dict[str, object]]) -> None:
    assert extracted[1]["responsible"] == {
        "chongqing": ["cq-finance", "cq-pbc"],
        "sichuan": ["sc-finance", "sc-pbc"],
        "local": ["chengdu-government"],
    }
    assert extracted[2]["responsible"] == {"chongqing": ["cq-finance"], "sichuan": ["sc-finance"]}  # 市X, 省X
    assert "leads" not in extracted[1] and "leads" not in extracted[2]  # no roles named: the first of each list leads


def test_named_roles_give_the_leads(extracted: dict[int, dict[str, object]]) -> None:
    assert extracted[3]["responsible"] == {
        "chongqing": ["cq-development-reform", "cq-finance"],
        "sichuan": ["sc-development-reform", "sc-finance"],
    }
    assert extracted[3]["leads"] == ["cq-development-reform", "sc-development-reform"]
    assert extracted[4]["responsible"] == {"chongqing": ["cq-pbc", "cq-csrc"], "sichuan": ["sc-csrc", "sc-pbc"]}  # lists inside 配合单位
    assert extracted[4]["leads"] == ["cq-pbc"]
    assert extracted[5] | {"text": ""} == {"number": 5, "text": "", "responsible": {"sichuan": ["sc-finance"]}, "leads": ["sc-finance"]}


def test_the_clause_reader_keeps_the_forms_in_order_and_names_the_leads() -> None:
    clause = clause_of("牵头单位：市发展改革委、省发展改革委；配合单位：市财政局；省财政厅。")
    assert clause.groups == {ONE_LIST: ["市发展改革委", "省发展改革委", "市财政局", "省财政厅"]}
    assert clause.leads == ["市发展改革委", "省发展改革委"]
    assert clause_of("责任单位：市财政局；省财政厅").groups == {"chongqing": ["市财政局"], "sichuan": ["省财政厅"], "local": []}


def test_the_roles_the_document_names_are_the_catalogues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(DATA, tmp_path / "cat")
    assert run("add", str(FORMS), "--id", ID, "--data", "cat").code == 0

    def led(name: str) -> list[int]:
        return [m["number"] for m in run("measures", "--lead", name, "--document", ID, "--data", "cat", "--format", "json").json()]

    assert led("四川省财政厅") == [1, 2, 5]  # first of its list in 1 and 2; named in 5; co in 3
    assert led("人行重庆营管部") == [4]  # second of its list in 1; named in 4
    assert led("人行成都分行") == []  # in 配合单位 though first of its province's list there
    assert led("重庆市发展改革委") == [3]


def test_a_lead_that_is_not_a_unit_of_the_measure_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(DATA, tmp_path / "cat")
    text = run("extract", str(FORMS), "--id", ID).stdout.replace("leads: [cq-pbc]", "leads: [cq-finance]")
    (tmp_path / "cat" / "documents").mkdir()
    (tmp_path / "cat" / "documents" / f"{ID}.yaml").write_text(text, encoding="utf-8")
    result = run("validate", "--data", "cat")
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if "leads: [cq-finance]" in row)
    assert (result.code, result.stderr) == (
        1,
        f"cat/documents/{ID}.yaml:{line}: measure 4: lead 'cq-finance' is not one of the measure's units\n",
    )


def test_a_document_without_a_covering_notice_is_titled_by_its_first_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("extract", str(ROOT / "tests" / "documents" / "no-notice.txt"), "--id", "no-notice-2099")
    assert (result.code, result.stderr) == (0, "")
    content = yaml.safe_load(result.stdout)
    assert content["document"] == {
        "id": "no-notice-2099",
        "title": "川渝测试无通知实施方案",
        "number": None,
        "date": None,
        "issuers": [],
        "source": "sources/no-notice.txt",
    }
    monkeypatch.chdir(tmp_path)
    shutil.copytree(DATA, tmp_path / "cat")
    assert run("add", str(ROOT / "tests" / "documents" / "no-notice.txt"), "--id", "no-notice-2099", "--data", "cat").code == 0
    listed = run("documents", "--data", "cat", "--format", "json").json()
    assert listed[0] | {"issuers": None} == {
        "id": "no-notice-2099",
        "title": "川渝测试无通知实施方案",
        "number": None,
        "date": None,
        "issuers": None,
        "measures": 2,
        "listings": 4,
    }
    assert run("report", "--data", "cat", "--document", "no-notice-2099", "--out", "briefing").code == 0
    assert (tmp_path / "briefing" / "briefing.md").read_text(encoding="utf-8").splitlines()[2] == (
        "Scope: the whole document: 2 measures in 1 chapters, 4 listings."
    )


def test_text_before_the_first_chapter_is_needed_without_a_notice(tmp_path: Path) -> None:
    source = tmp_path / "bare.txt"
    source.write_text("一、第一部分\n（一）第一节\n1．支持。（责任单位：市财政局；省财政厅）\n", encoding="utf-8")
    result = run("extract", str(source))
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr.endswith(": document: no title before chapter 一、, and no covering notice naming the document\n")


def test_parts_with_prose_sections_numbered_in_each_chapter_and_chapters_without_sections() -> None:
    """tests/documents/parts.txt: 一、总体要求 holds prose only (its sections' prose skipped),
    二、重点任务 numbers its sections from （一） again, 三、保障措施 holds measures without sections,
    四、附则 prose only."""
    content = yaml.safe_load(run("extract", str(ROOT / "tests" / "documents" / "parts.txt"), "--id", "parts-2099").stdout)
    outline = [
        (
            c["number"],
            c["title"],
            [(s["number"], s["title"], [m["number"] for m in s["measures"]]) for s in c.get("sections", [])],
            [m["number"] for m in c.get("measures", [])],
        )
        for c in content["chapters"]
    ]
    assert outline == [
        (1, "总体要求", [(1, "指导思想", []), (2, "工作目标", [])], []),
        (2, "重点任务", [(1, "共建测试平台", [1, 2]), (2, "完善测试制度", [3])], []),
        (3, "保障措施", [], [4, 5]),
        (4, "附则", [], []),
    ]
    assert content["document"]["title"] == "川渝测试分部实施方案"


def test_measures_without_a_section_are_answered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(DATA, tmp_path / "cat")
    assert run("add", str(ROOT / "tests" / "documents" / "parts.txt"), "--id", "parts-2099", "--data", "cat").code == 0
    chosen = ("--document", "parts-2099", "--data", "cat")
    measures = run("measures", *chosen, "--format", "json").json()
    assert [(m["number"], m["chapter"], m["section"]) for m in measures] == [(1, 2, 1), (2, 2, 1), (3, 2, 2), (4, 3, None), (5, 3, None)]
    assert [m["number"] for m in run("measures", "--chapter", "2", "--section", "1", *chosen, "--format", "json").json()] == [1, 2]
    four = run("measure", "4", *chosen, "--format", "json").json()
    assert (four["section"], four["section_title"], four["chapter_title"]) == (None, None, "保障措施")
    found = run("search", "组织领导", *chosen, "--format", "json").json()
    assert [(r["kind"], r["number"], r["section"]) for r in found] == [("measure", 4, None)]
    assert run("report", *chosen, "--out", "briefing").code == 0


def test_a_measure_out_of_sequence_is_no_prose_to_skip(tmp_path: Path) -> None:
    """Prose is skipped, a clause never: a measure numbered 3 after 1 is an error, not lost."""
    source = tmp_path / "skipped.txt"
    source.write_text(
        "川渝测试方案\n一、第一部分\n1．支持。（责任单位：市财政局；省财政厅）\n3．推进。（责任单位：市财政局；省财政厅）\n",
        encoding="utf-8",
    )
    result = run("extract", str(source))
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == (
        f"{source}:4: document: a responsibility clause outside any measure: "
        "expected chapter 二、, section （一） or measure 2．/2、/（2） before it\n"
    )
