"""Every official-layout PDF in tests/official_pdfs/ (constructed for tests: red heads as text and
as pictures, running headers, page numbers in five forms, glyph-by-glyph text, CFF fonts, Founder
punctuation, Kangxi radicals) gives the shipped catalogue byte for byte but its source's name; a
notice that cannot be read for certain is refused in one line, exit 1, nothing added."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from chuanyu.errors import DataError
from chuanyu.furniture import without_furniture
from chuanyu.glyphs import as_read
from chuanyu.pdf import pdf_text
from conftest import DATA, ROOT, SOURCE, run

PDFS = ROOT / "tests" / "official_pdfs"
MANIFEST: list[dict[str, Any]] = json.loads((PDFS / "manifest.json").read_text(encoding="utf-8"))
SHIPPED = (DATA / "measures.yaml").read_text(encoding="utf-8")
DOCUMENT_ID = "wfc-joint-rules-2022"


def but_source(measures_yaml: str) -> list[str]:
    """The measures file without the two lines that name its source."""
    return [line for line in measures_yaml.splitlines()[1:] if not line.startswith("  source: ")]


@pytest.mark.parametrize("pdf", MANIFEST, ids=[pdf["file"] for pdf in MANIFEST])
def test_each_official_pdf_gives_the_shipped_catalogue(pdf: dict[str, Any]) -> None:
    result = run("extract", str(PDFS / pdf["file"]), "--id", DOCUMENT_ID)
    assert result.code == 0, result.stderr
    assert but_source(result.stdout) == but_source(SHIPPED)
    document = yaml.safe_load(result.stdout)["document"]
    expected = pdf["expected"]
    assert (document["number"], document["date"], document["issuers"]) == (expected["number"], expected["date"], expected["issuers"])
    remapped = bool(pdf["to_unicode_remapped"] or pdf["typeset_as"])
    assert len(result.stderr.splitlines()) == remapped  # one line saying how many characters were mapped, where any were
    if remapped:
        mapped = int(result.stderr.split(": ", 1)[1].split()[0])
        assert mapped > 0


def test_a_red_head_pdf_is_added_with_both_issuers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(DATA, tmp_path / "cat")
    result = run("add", str(PDFS / "redhead-reportlab.pdf"), "--id", DOCUMENT_ID, "--replace", "--data", "cat")
    assert result.code == 0, result.stderr
    added = (tmp_path / "cat" / "measures.yaml").read_text(encoding="utf-8")
    assert "source: sources/wfc-joint-rules-2022.pdf" in added
    assert but_source(added) == but_source(SHIPPED)
    assert yaml.safe_load(added)["document"]["issuers"] == ["重庆市人民政府办公厅", "四川省人民政府办公厅"]


RAW = SOURCE.read_text(encoding="utf-8")
SIGNATURE = "重庆市人民政府办公厅 四川省人民政府办公厅\n\n2022 年 12 月 14 日"

UNCERTAIN = {
    "the head and the signature name different issuers": (
        RAW.replace(SIGNATURE, "重庆市人民政府办公厅\n\n2022 年 12 月 14 日"),
        "the red head names 重庆市人民政府办公厅、四川省人民政府办公厅 but the signature 重庆市人民政府办公厅",
    ),
    "a date that is no date": (RAW.replace("2022 年 12 月 14 日", "2022 年 13 月 14 日"), "date 2022年13月14日 is no date"),
    "no issuer in head or signature": (
        RAW.replace(" 重庆市人民政府办公厅\n\n四川省人民政府办公厅\n", "", 1).replace(SIGNATURE, "2022 年 12 月 14 日"),
        "names no issuer",
    ),
    "no signature and two dates": (
        RAW.replace(SIGNATURE, "").replace("现印发给你们", "自2023年1月1日起现印发给你们").replace("（此件公开发布）", "2022年12月14日"),
        "date cannot be told",
    ),
    "the number after prose, not a head": (
        RAW.replace("渝府办发〔2022〕126号", "附件：见渝府办发〔2022〕126号", 1),
        "the document number cannot be told",
    ),
    "the number run into words": (
        RAW.replace("渝府办发〔2022〕126号", "附件见渝府办发〔2022〕126号", 1),
        "the document number cannot be told",
    ),
}


@pytest.mark.parametrize("case", UNCERTAIN)
def test_a_notice_not_read_for_certain_is_one_line_exit_1_nothing_added(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text, reason = UNCERTAIN[case]
    assert text != RAW
    monkeypatch.chdir(tmp_path)
    shutil.copytree(DATA, tmp_path / "cat")
    source = tmp_path / "plan.txt"
    source.write_text(text, encoding="utf-8")
    before = sorted(p.relative_to(tmp_path / "cat") for p in (tmp_path / "cat").rglob("*"))
    result = run("add", str(source), "--id", "plan-2022", "--data", "cat")
    assert (result.code, result.stdout) == (1, "")
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("plan.txt:") and reason in result.stderr, result.stderr
    assert sorted(p.relative_to(tmp_path / "cat") for p in (tmp_path / "cat").rglob("*")) == before


@pytest.mark.parametrize(
    "issuers", [("中共重庆市委办公厅", "四川省人民政府办公厅"), ("重庆市人民政府", "四川省人民政府"), ("重庆市人民政府办公厅",)]
)
def test_every_issuer_of_the_head_and_signature_is_kept(tmp_path: Path, issuers: tuple[str, ...]) -> None:
    text = RAW.replace(" 重庆市人民政府办公厅\n\n四川省人民政府办公厅\n", " " + "\n\n".join(issuers) + "\n", 1)
    source = tmp_path / "plan.txt"
    source.write_text(text.replace(SIGNATURE, " ".join(issuers) + "\n\n2022 年 12 月 14 日"), encoding="utf-8")
    result = run("extract", str(source), "--id", DOCUMENT_ID)
    assert result.code == 0, result.stderr
    assert yaml.safe_load(result.stdout)["document"]["issuers"] == list(issuers)


def test_the_fonts_encodings_are_mapped_back_and_nothing_else() -> None:
    read = as_read("⼀、加快形成具有竞争⼒的⾦融机构，⻓江⻔户\x00 ０１２～㈠ 2 0 2 2 年")
    assert read.text == "一、加快形成具有竞争力的金融机构，长江门户 ０１２～㈠ 2022 年"
    assert (read.mapped, read.dropped) == (5, 1)


def test_brackets_are_mapped_only_where_founder_punctuation_shows_the_convention() -> None:
    assert as_read("(州)«规划»").text == "(州)«规划»"
    assert as_read("(州)«规划»ꎬ已经同意ꎮ").text == "（州）《规划》，已经同意。"


@pytest.mark.parametrize("form", ["— {n} —", "- {n} -", "{n}", "第 {n} 页 共 5 页", "{n}/5"])
def test_page_numbers_and_headers_go_and_a_unit_name_broken_by_a_page_joins(form: str) -> None:
    body = [line.strip() for line in RAW.splitlines() if line.strip()][:40]
    body[15:17] = ["（责任单位：人行重", "庆营管部）"]  # page 2 ends inside the unit's name
    body[39] = "2025"  # a number at a page's foot that is not its page number
    pages = [["成渝共建规划细则", *body[8 * n : 8 * n + 8], form.format(n=n + 1)] for n in range(5)]
    pages[0] = pages[0][1:]  # the first page has no running header
    if form == "{n}":
        pages = [[*page[:-1], page[-1]] if n % 2 else [page[-1], *page[:-1]] for n, page in enumerate(pages)]  # left, right
    joined = "".join(line for page in without_furniture(pages) for line in page)
    assert joined == "".join(body)


@pytest.mark.parametrize(
    ("field", "wrong", "says"),
    [
        (
            "number",
            "公厅文件渝府办发〔2022〕126",
            "must be a document number such as 渝府办发〔2022〕126号, not '公厅文件渝府办发〔2022〕126'",
        ),
        ("date", "'2022-02-30'", "must be a date YYYY-MM-DD, not str '2022-02-30'"),
    ],
)
def test_validate_holds_a_number_to_the_form_of_one_and_a_date_to_a_date(tmp_path: Path, field: str, wrong: str, says: str) -> None:
    shutil.copytree(DATA, tmp_path / "cat")
    measures = tmp_path / "cat" / "measures.yaml"
    lines = measures.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(f"  {field}: "))
    lines[at] = f"  {field}: {wrong}\n"
    measures.write_text("".join(lines), encoding="utf-8")
    result = run("validate", "--data", str(tmp_path / "cat"))
    assert result.code == 1
    assert result.stderr.splitlines() == [f"{measures}:{at + 1}: document: field {field!r} {says}"]


def test_reading_stops_at_the_longest_text_a_pdf_may_have() -> None:
    content = (PDFS / "control-reportlab.pdf").read_bytes()
    whole = pdf_text(content, "plan.pdf")
    assert whole.pages == 31 and whole.lines[-1].page == 31
    with pytest.raises(DataError) as refused:
        pdf_text(content, "plan.pdf", longest=len(whole.text) // 2)
    [problem] = refused.value.problems
    assert str(problem).startswith(f"plan.pdf:1: file: the PDF's text is longer than the {len(whole.text) // 2} characters it may have")
