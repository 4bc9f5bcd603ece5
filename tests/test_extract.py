"""`chuanyu extract` reproduces the shipped measures.yaml, whatever the text's layout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chuanyu.clauses import parse_clause
from chuanyu.extract import chinese_numeral, normalise
from conftest import DATA, ROOT, SOURCE, run

RAW = SOURCE.read_text(encoding="utf-8")
SHIPPED = (DATA / "measures.yaml").read_text(encoding="utf-8")


def reflow(raw: str, width: int) -> str:
    """The same words in lines of `width` characters, breaking only beside Chinese text (as a
    typesetter would never break inside a Latin word), with a page break every 40 lines."""
    words = "".join(line.strip() for line in raw.splitlines())
    lines, current = [], ""
    for char in words:
        current += char
        if len(current) >= width and not char.isascii():
            lines.append(current)
            current = ""
    lines.append(current)
    return "\n".join(f" {line}" if i % 40 == 0 else line for i, line in enumerate(lines))


def with_page_numbers(raw: str) -> str:
    """A `— n —` line before every page (pages start with a stray space) and between paragraphs."""
    out, page = [], 1
    for line in raw.split("\n"):
        if line.startswith(" "):
            out += ["", f"— {page} —", ""]
            page += 1
        out.append(line)
    return "\n".join(out)


def half_width(raw: str) -> str:
    """Every responsibility clause written with half-width ( : ; , )."""

    def narrow(match: re.Match[str]) -> str:
        return f"({match.group(1)}:" + match.group(2).replace("；", ";").replace("，", ",") + ")"

    text, count = re.subn(r"（(\s*责\s*任\s*单\s*位\s*)：(.*?)）", narrow, raw, flags=re.S)
    assert count == 58
    return text


VARIANTS = {
    "as shipped": lambda raw: raw,
    "reflowed to 23": lambda raw: reflow(raw, 23),
    "reflowed to 61": lambda raw: reflow(raw, 61),
    "CRLF": lambda raw: raw.replace("\n", "\r\n"),
    "page numbers": with_page_numbers,
    "half-width clauses": half_width,
    "all at once": lambda raw: half_width(with_page_numbers(reflow(raw, 37))).replace("\n", "\r\n"),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_extract_gives_the_shipped_catalogue(tmp_path: Path, variant: str) -> None:
    source = tmp_path / SOURCE.name
    source.write_bytes(VARIANTS[variant](RAW).encode("utf-8"))
    result = run("extract", str(source))
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == SHIPPED


def test_a_unit_no_agency_has_is_reported_with_line_and_measure(tmp_path: Path) -> None:
    source = tmp_path / SOURCE.name
    # measure 13's clause opens with 重庆 / 市财政局 across a line break; misspell the unit
    lines = RAW.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("市财政局、市发展改革委、市经济信息委"))
    lines[index] = lines[index].replace("市财政局", "市财务局", 1)
    starts_on = index - 1  # the line that ends in （责任单位：重庆, counted from 1
    source.write_text("\n".join(lines), encoding="utf-8")
    result = run("extract", str(source))
    assert result.code == 1
    assert result.stderr.splitlines() == [f"{source}:{starts_on}: measure 13: chongqing unit '重庆市财务局' is not in agencies.yaml"]
    assert "重庆市财务局" in result.stdout  # the YAML still comes, with the form in place of an id


def test_text_that_is_not_a_joint_document_is_a_clean_error(tmp_path: Path) -> None:
    source = tmp_path / "notice.txt"
    source.write_text(
        "重庆市人民政府办公厅\n关于印发某某的通知\n渝府办发〔2023〕1号\n2023 年 1 月 1 日\n《某某》\n一、总则\n正文。\n", encoding="utf-8"
    )
    result = run("extract", str(source))
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"{source}:") and "no section （一） found" in result.stderr


def test_normalise_keeps_latin_spacing_and_drops_it_beside_chinese() -> None:
    stream = normalise(" 发行二\n\n 级资本债 REITs\nfund 2022 年\r\n— 3 —\n12 月")
    assert stream.text == "发行二级资本债REITs fund 2022年12月"
    assert stream.lines[stream.text.index("级")] == 3
    assert stream.lines[stream.text.index("12")] == 6


def test_clause_groups() -> None:
    assert parse_clause("市财政局、人行重庆营管部；省财政厅、人行成都分行，成都市政府、有关市州政府").groups == {
        "chongqing": ["市财政局", "人行重庆营管部"],
        "sichuan": ["省财政厅", "人行成都分行"],
        "local": ["成都市政府", "有关市州政府"],
    }
    assert parse_clause("成渝共建西部金融中心工作领导小组各成员单位").groups == {"any": ["成渝共建西部金融中心工作领导小组各成员单位"]}
    assert parse_clause("重庆外汇管理部;外汇局四川省分局").groups["local"] == []


@pytest.mark.parametrize(("number", "numeral"), [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (33, "三十三"), (99, "九十九")])
def test_chinese_numerals(number: int, numeral: str) -> None:
    assert chinese_numeral(number) == numeral


DOCUMENTS = ROOT / "tests" / "documents"  # constructed for the tests: see its README
NUMBERINGS = {"dun": "{}、", "full-stop": "{}．", "point": "{}.", "brackets": "（{}）"}


@pytest.mark.parametrize("numbering", NUMBERINGS)
def test_measures_numbered_in_each_form_give_the_same_catalogue(tmp_path: Path, numbering: str) -> None:
    import re

    import yaml

    template = (DOCUMENTS / "numbered-with-dun.txt").read_text(encoding="utf-8")
    source = tmp_path / "numbered.txt"
    source.write_text(re.sub(r"^(\d+)、", lambda m: NUMBERINGS[numbering].format(m.group(1)), template, flags=re.M), encoding="utf-8")
    result = run("extract", str(source))
    assert (result.code, result.stderr) == (0, "")
    content = yaml.safe_load(result.stdout)
    assert content["document"]["number"] == "渝府办发〔2099〕1号" and content["document"]["date"] == "2099-01-01"
    measures = [m for c in content["chapters"] for s in c["sections"] for m in s["measures"]]
    assert [m["number"] for m in measures] == [1, 2, 3]
    assert measures[0]["text"] == "支持川渝测试，探索1.5倍的试点。"  # a number inside the text is no measure
    assert measures[1]["text"] == "推进测试2、3项工作。"
    assert measures[0]["responsible"] == {
        "chongqing": ["cq-finance", "cq-pbc"],
        "sichuan": ["sc-finance", "sc-pbc"],
        "local": ["chengdu-government"],
    }
    assert measures[2]["responsible"] == {"chongqing": ["cq-financial-regulation"], "sichuan": ["sc-financial-regulation"]}
