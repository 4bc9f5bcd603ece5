"""Web pages, Word files and task-division tables (issue 21): the documents constructed for
tests in tests/documents/ (made by make_task_tables.py) read into measures, units, leads and
due dates; formats that cannot be read refused in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from chuanyu.blocks import Paragraph, Table, plain_text
from chuanyu.due_dates import due_by
from chuanyu.page_reader import page_content
from chuanyu.pdf_tables import pdf_blocks
from chuanyu.word_reader import word_blocks
from conftest import ROOT, run

DOCUMENTS = ROOT / "tests" / "documents"
PAGE, WORD, PDF = DOCUMENTS / "task-table-page.html", DOCUMENTS / "task-table-plan.docx", DOCUMENTS / "task-table-plan.pdf"


def extracted(source: Path) -> dict:  # type: ignore[type-arg]
    result = run("extract", str(source))
    assert result.code == 0, result.stderr
    return yaml.safe_load(result.stdout)  # type: ignore[no-any-return]


def measures_of(content: dict) -> dict[int, dict]:  # type: ignore[type-arg]
    return {m["number"]: m | {"chapter": c["number"]} for c in content["chapters"] for m in c["measures"]}


def test_a_page_is_read_without_the_sites_furniture() -> None:
    blocks, metadata = page_content(PAGE.read_bytes(), "page")
    text = " ".join(b.text for b in blocks if isinstance(b, Paragraph))
    for furniture in ("政务公开", "请输入关键词", "当前位置", "分享到", "版权所有", "统计代码", "页尾脚本", "相关文件"):
        assert furniture not in text
    assert "各有关单位：" in text
    assert (metadata.number, metadata.date, metadata.issuer) == ("渝府办发〔2024〕21号", "2024-03-15", "重庆市人民政府办公厅")
    tables = [b for b in blocks if isinstance(b, Table)]
    assert len(tables) == 1  # the metadata table stands outside the article
    below = next(row for row in tables[0].rows if row[0].text == "5")
    assert [cell.text for cell in below] == ["5", "开展金融数据安全联合检查。", "市金融监管局", "四川证监局", "2024年第三季度"]


def test_a_page_with_a_lead_and_partner_table_gives_measures_leads_and_due_dates() -> None:
    content = extracted(PAGE)
    assert content["document"]["number"] == "渝府办发〔2024〕21号"
    assert content["document"]["date"] == "2024-03-15"
    assert [c["title"] for c in content["chapters"]] == ["共建金融数据市场", "强化金融风险联防"]
    measures = measures_of(content)
    assert sorted(measures) == [1, 2, 3, 4, 5]
    assert measures[1]["text"] == "建立川渝金融数据共享机制，定期交换监管数据。"  # two paragraphs of a cell
    assert measures[1]["leads"] == ["cq-financial-regulation", "sc-financial-regulation"]
    assert measures[2]["responsible"] == {"chongqing": ["cq-pbc", "cq-finance"], "sichuan": ["sc-finance"]}
    assert measures[2]["leads"] == ["cq-pbc"]
    assert measures[3]["responsible"]["joint"] == ["wfc-leading-group-members"]
    assert measures[5]["leads"] == ["cq-financial-regulation"]  # its lead cell spans two rows
    assert [measures[n]["due"] for n in (1, 2, 3, 4, 5)] == ["2024年底前", "2025年6月底前", "持续推进", "每年12月底前", "2024年第三季度"]
    assert [measures[n]["chapter"] for n in (1, 2, 3, 4, 5)] == [1, 1, 2, 2, 2]


def test_a_page_whose_metadata_contradicts_its_notice_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE.read_text(encoding="utf-8").replace("2024年03月15日", "2024年03月16日"), encoding="utf-8")
    result = run("extract", str(page))
    assert result.code == 1
    assert result.stderr.count("\n") == 1 and "成文日期 2024-03-16" in result.stderr and "2024-03-15" in result.stderr


def test_a_word_file_is_read_in_order_with_merged_cells() -> None:
    blocks = word_blocks(WORD.read_bytes(), "word")
    assert isinstance(blocks[0], Paragraph) and isinstance(blocks[-1], Table)
    table = blocks[-1]
    assert [cell.span for cell in table.rows[3]] == [1, 1, 1, 2, 1]  # the joint cell spans both sides
    assert table.rows[1][4].text == "人行成都分行\n省财政厅\n成都市政府"  # a cell of several paragraphs
    assert table.rows[2][1].text == "绿色信贷"  # merged down from the row above


def test_a_word_file_with_side_columns_and_a_first_leads_note() -> None:
    content = extracted(WORD)
    assert (content["document"]["number"], content["document"]["date"]) == ("川府办发〔2024〕9号", "2024-04-02")
    assert [c["title"] for c in content["chapters"]] == ["绿色信贷", "绿色债券"]  # the category column
    measures = measures_of(content)
    assert measures[1]["responsible"] == {
        "chongqing": ["cq-pbc", "cq-finance"],
        "sichuan": ["sc-pbc", "sc-finance"],
        "local": ["chengdu-government"],
    }
    assert all("leads" not in m for m in measures.values())  # the note: the first of each side leads
    assert measures[3]["responsible"] == {  # a cell merged across both sides names units of both
        "chongqing": ["cq-csrc", "cq-financial-regulation"],
        "sichuan": ["sc-csrc", "sc-financial-regulation"],
    }
    assert measures[4]["responsible"] == {"joint": ["wfc-leading-group-members"]}
    assert [measures[n]["due"] for n in (1, 2, 3, 4)] == ["2024年9月底前", "2024年底前", "2025年上半年", "持续推进"]


def without_source(content: dict) -> dict:  # type: ignore[type-arg]
    return content | {"document": {k: v for k, v in content["document"].items() if k != "source"}}


@pytest.mark.parametrize("name", ["task-table-plan", "task-table-long"])
def test_the_pdf_libreoffice_makes_of_a_word_file_gives_what_the_word_file_gives(name: str) -> None:
    from_word, from_pdf = extracted(DOCUMENTS / f"{name}.docx"), extracted(DOCUMENTS / f"{name}.pdf")
    assert from_pdf["document"]["source"].endswith(".pdf")
    assert len(measures_of(from_pdf)) == len(measures_of(from_word)) > 0
    assert without_source(from_pdf) == without_source(from_word)


def test_a_pdfs_ruled_table_is_read_into_cells_with_spans_and_paragraphs() -> None:
    blocks = pdf_blocks(PDF.read_bytes(), "pdf")
    assert [type(b) for b in blocks] == [Paragraph] * 11 + [Table]
    assert blocks[2].text == "川府办发〔2024〕9号"  # PDFium's spaces beside Chinese dropped
    table = blocks[-1]
    assert isinstance(table, Table)
    assert [cell.span for cell in table.rows[3]] == [1, 1, 1, 2, 1]
    assert table.rows[1][4].text == "人行成都分行\n省财政厅\n成都市政府"  # a wrapped line joined, paragraphs kept
    assert table.rows[1][5].text == "2024年9月底前"  # wrapped after a digit
    assert table.rows[2][1].text == "绿色信贷"  # merged down from the row above


def test_a_pdf_table_over_pages_is_one_table_its_cut_rows_joined() -> None:
    blocks = pdf_blocks((DOCUMENTS / "task-table-long.pdf").read_bytes(), "pdf")
    tables = [b for b in blocks if isinstance(b, Table)]
    assert len(tables) == 1
    rows = tables[0].rows
    assert [row[0].text for row in rows] == ["序号", *(str(n) for n in range(1, 33))]  # headers repeated on pages dropped
    assert all(row[2].text.endswith("批）。") for row in rows[1:])


def test_a_task_table_in_a_text_is_refused_in_one_line(tmp_path: Path) -> None:
    source = tmp_path / "plan.txt"
    source.write_text(plain_text(word_blocks(WORD.read_bytes(), "word")), encoding="utf-8")
    result = run("extract", str(source))
    assert result.code == 1
    assert result.stderr.count("\n") == 1 and "task-division table" in result.stderr and ".docx" in result.stderr


@pytest.mark.parametrize("suffix", [".doc", ".wps", ".ofd"])
def test_formats_that_cannot_be_read_say_what_to_save_them_as(tmp_path: Path, suffix: str) -> None:
    source = tmp_path / f"plan{suffix}"
    source.write_bytes(b"\xd0\xcf\x11\xe0 not read")
    result = run("extract", str(source))
    assert result.code == 1
    assert result.stderr.count("\n") == 1 and ("save it as .docx" in result.stderr or "export it as PDF" in result.stderr)


def test_a_broken_word_file_is_one_line(tmp_path: Path) -> None:
    source = tmp_path / "plan.docx"
    source.write_bytes(b"PK\x03\x04 broken")
    result = run("extract", str(source))
    assert (result.code, result.stderr.count("\n")) == (1, 1)
    assert "not a Word (.docx) file" in result.stderr


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("2024年底前", "2024-12-31"),
        ("2025年6月底前", "2025-06-30"),
        ("2024年2月底前", "2024-02-29"),
        ("2025年上半年", "2025-06-30"),
        ("2024年第三季度", "2024-09-30"),
        ("2024年12月15日前", "2024-12-15"),
        ("2024年6月启动，2025年底前完成", "2025-12-31"),
        ("2024—2025年", "2025-12-31"),
        ("持续推进", None),
        ("每年12月底前", None),
        (None, None),
    ],
)
def test_due_by_is_the_last_day_named(due: str | None, expected: str | None) -> None:
    assert due_by(due) == expected


def test_a_day_no_calendar_has_is_an_error() -> None:
    with pytest.raises(ValueError, match="2024年13月"):
        due_by("2024年13月底前")


def test_a_word_file_whose_units_stand_in_clauses_reads_as_its_text(tmp_path: Path) -> None:
    import docx

    text = DOCUMENTS / "second-plan.txt"
    word = docx.Document()
    for line in text.read_text(encoding="utf-8").splitlines():
        word.add_paragraph(line)
    word.save(str(tmp_path / "second-plan.docx"))
    from_word, from_text = extracted(tmp_path / "second-plan.docx"), extracted(text)
    assert from_word["chapters"] == from_text["chapters"]
    assert {k: v for k, v in from_word["document"].items() if k != "source"} == {
        k: v for k, v in from_text["document"].items() if k != "source"
    }


def test_a_header_of_two_rows_repeated_and_one_units_column(tmp_path: Path) -> None:
    """责任单位 over 重庆市 and 四川省, repeated on a new page as a PDF's tables are; and one
    责任单位 column read as a clause is, with no group rows: one chapter titled by its caption."""
    head = (
        "<tr><th rowspan='2'>序号</th><th rowspan='2'>工作任务</th><th colspan='2'>责任单位</th></tr>"
        "<tr><th>重庆市</th><th>四川省</th></tr>"
    )
    page = (
        "<html><body><div><p>川渝测试工作安排</p><p>任务清单</p><table>"
        + head
        + "<tr><td>1</td><td>开展测试。</td><td>市财政局</td><td>省财政厅</td></tr>"
        + head
        + "<tr><td>2</td><td>总结测试。</td><td>市金融监管局</td><td>省地方金融监管局</td></tr>"
        + "</table><p>附件二</p><table><tr><td>序号</td><td>主要任务</td><td>责任单位</td></tr>"
        + "<tr><td>1</td><td>推进测试。</td><td>市财政局；省财政厅</td></tr></table></div></body></html>"
    )
    (tmp_path / "two-rows.html").write_text(page, encoding="utf-8")
    content = extracted(tmp_path / "two-rows.html")
    assert content["document"]["title"] == "川渝测试工作安排"
    assert [c["title"] for c in content["chapters"]] == ["任务清单"]
    measures = measures_of(content)
    assert [measures[n]["responsible"] for n in (1, 2, 3)] == [
        {"chongqing": ["cq-finance"], "sichuan": ["sc-finance"]},
        {"chongqing": ["cq-financial-regulation"], "sichuan": ["sc-financial-regulation"]},
        {"chongqing": ["cq-finance"], "sichuan": ["sc-finance"]},
    ]
    assert all(measures[n]["leads"] == [] for n in (1, 2, 3))  # no note: no unit named as leading


@pytest.mark.parametrize("declared", ['<meta charset="gb2312">', ""])
def test_a_page_in_gbk_is_read_declared_or_not(tmp_path: Path, declared: str) -> None:
    page = PAGE.read_text(encoding="utf-8").replace('<meta charset="utf-8">', declared)
    (tmp_path / "gbk.html").write_bytes(page.encode("gb18030"))
    assert extracted(tmp_path / "gbk.html") == extracted(PAGE) | {
        "document": extracted(PAGE)["document"] | {"id": "gbk", "source": "sources/gbk.html"}
    }


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("empty.html", b"", "not a web page that can be read"),
        ("furniture.html", b"<html><body><div class='nav'><p>\xe9\xa6\x96\xe9\xa1\xb5</p></div></body></html>", "holds no article"),
        (
            "no-task.html",
            "<p>川渝测试</p><table><tr><td>序号</td><td>重点任务</td><td>责任单位</td></tr><tr><td>1</td><td></td><td>市财政局</td></tr></table>".encode(),
            "names no task",
        ),
        (
            "bad-day.html",
            "<p>川渝测试</p><table><tr><td>序号</td><td>重点任务</td><td>责任单位</td><td>完成时限</td></tr>"
            "<tr><td>1</td><td>开展测试。</td><td>市财政局</td><td>2024年13月底前</td></tr></table>".encode(),
            "no such day: 2024年13月",
        ),
    ],
)
def test_a_page_that_cannot_be_read_is_one_line(tmp_path: Path, name: str, content: bytes, said: str) -> None:
    (tmp_path / name).write_bytes(content)
    result = run("extract", str(tmp_path / name))
    assert (result.code, result.stdout, result.stderr.count("\n")) == (1, "", 1)
    assert said in result.stderr and name in result.stderr


def test_a_due_naming_no_day_a_calendar_has_is_a_problem_of_its_measures_file(tmp_path: Path) -> None:
    import shutil

    from conftest import DATA

    shutil.copytree(DATA, tmp_path / "cat")
    assert run("add", str(PAGE), "--id", "data-2024", "--data", str(tmp_path / "cat")).code == 0
    path = tmp_path / "cat" / "documents" / "data-2024.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("due: 2025年6月底前", "due: 2025年6月31日前"), encoding="utf-8")
    result = run("validate", "--data", str(tmp_path / "cat"))
    assert result.code == 1
    problem = next(line for line in result.stderr.splitlines() if "due" in line)
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if "2025年6月31日前" in text)
    assert problem.startswith(f"{path}:{line}: measure 2:") or f":{line}: measure 2:" in problem
    assert "no such day: 2025年6月31日" in problem
