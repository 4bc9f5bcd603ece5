"""--lang: the words around the data in Chinese or English throughout, the data and JSON never.

Every term the code can write has its Chinese (read off the source, so a term on a path no
command here takes is held too); every command in every tabular format, and the briefing set,
written in Chinese holds no Latin word outside the data, and in English no Chinese.
"""

from __future__ import annotations

import ast
import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest

from chuanyu.terms import ZH, Phrase, rendered_in, translated
from conftest import ROOT, run
from test_cli import ALL_QUERIES

SOURCE = ROOT / "cli" / "chuanyu"
LATIN = re.compile(r"[A-Za-z]+")
CJK = re.compile(r"[\u3400-\u9fff]+")
#: Latin words Chinese text keeps: the program's name, its commands and options.
KEPT = {"chuanyu", "limit", "format", "tsv", "gaps", "all"}
QUESTIONS = [*ALL_QUERIES, ["agency", "重庆银保监局", "--as-of", "2024-01-01"], ["gaps", "--limit", "3"], ["documents"]]


def terms_in_source() -> set[str]:
    """Every literal the code hands to be said in the reader's language: Phrase and translated's
    first argument, a Column's header (but a verbatim one), the briefing's headings."""
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        if path.name == "terms.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            literals = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            verbatim = any(k.arg == "verbatim" for k in node.keywords)
            if name in ("Phrase", "translated") and node.args and isinstance(node.args[0], ast.Constant):
                found.add(node.args[0].value)
            elif name == "Column" and len(literals) >= 2 and not verbatim:
                found.add(literals[1])
            elif name == "Table" and len(literals) == 3:  # the briefing's: stem, sheet, heading
                found.update(literals[1:])
    return found


def test_the_source_holds_terms() -> None:
    terms = terms_in_source()
    assert {"measure", "counterpart", "{kind}: {count}", "Gaps", "Counterpart ladder"} <= terms


@pytest.mark.parametrize("term", sorted(terms_in_source()))
def test_every_term_the_code_writes_has_its_chinese(term: str) -> None:
    assert term in ZH or not LATIN.search(re.sub(r"\{\w+\}", "", term)), f"add {term!r} to chuanyu.terms.ZH"
    translated(term, "zh")


@pytest.mark.parametrize("english", sorted(ZH))
def test_every_chinese_term_is_chinese_with_the_same_fields(english: str) -> None:
    chinese = ZH[english]
    fields = re.compile(r"\{(\w+)\}")
    assert sorted(fields.findall(chinese)) == sorted(fields.findall(english))
    assert set(LATIN.findall(fields.sub("", chinese))) <= KEPT, chinese
    assert chinese != english


def test_a_missing_term_is_an_error_not_english() -> None:
    with pytest.raises(KeyError, match="no Chinese for 'a term nobody wrote'"):
        Phrase("a term nobody wrote").rendered_in("zh")
    assert rendered_in(Phrase("{kind}: {count}", kind="x", count=2), "en") == "x: 2"


def data_words(args: list[str], pattern: re.Pattern[str]) -> set[str]:
    """The words (`pattern`'s runs) in the values of the answer's JSON: the data (of gaps, every
    finding's: the lines under its table name the units of the structural ones)."""
    if args[0] == "gaps":  # every finding, not the first few
        args = ["gaps", "--all"]
    answer = run(*args, "--format", "json")
    assert answer.code == 0, answer.stderr

    def values(value: Any) -> list[str]:
        if isinstance(value, dict):
            return [text for item in value.values() for text in values(item)]
        if isinstance(value, list):
            return [text for item in value for text in values(item)]
        return [str(value)]

    return {word for text in values(answer.json()) for word in pattern.findall(text)}


def headers_and_lines(args: list[str], fmt: str, lang: str) -> tuple[list[str], list[str]]:
    """(the header cells, the lines around the table: title and the lines under it) of `args`
    in `fmt` and `lang`; a table at 100 columns (a block a record for one record: its names)."""
    result = run(*args, "--format", fmt, "--lang", lang)
    assert result.code == 0, result.stderr
    text = result.stdout
    if fmt in ("csv", "tsv"):
        return next(csv.reader(io.StringIO(text), delimiter="," if fmt == "csv" else "\t")), []
    if fmt == "md":
        lines = text.splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith("| "))
        header = [cell.strip() for cell in lines[at].strip("|").split(" | ")]
        rows_end = max(i for i, line in enumerate(lines) if line.startswith("| "))
        return header, [*lines[:at], *lines[rows_end + 1 :]]
    lines = text.splitlines()
    if "─" not in text:  # a block a record: each line's name, before the gap
        return [line.split("   ")[0] for line in lines if line and not line.startswith(" ")], []
    rule = next(i for i, line in enumerate(lines) if line.startswith("─"))
    after = lines.index("") if "" in lines else len(lines)
    title = lines[: rule - 1] if "agency" in args else []  # the title, then a line of headers
    return " ".join(lines[len(title) : rule]).split(), [*title, *lines[after:]]


@pytest.mark.parametrize("fmt", ["table", "tsv", "csv", "md"])
@pytest.mark.parametrize("args", QUESTIONS, ids=lambda a: " ".join(a))
def test_in_chinese_no_latin_word_outside_the_data(args: list[str], fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    headers, lines = headers_and_lines(args, fmt, "zh")
    if args[:1] != ["query"] or "--list" in args:  # a query's columns are named by its SQL
        assert [h for h in headers if LATIN.search(h)] == []
    allowed = data_words(args, LATIN) | KEPT
    assert {w for line in lines for w in LATIN.findall(line)} <= allowed, lines


@pytest.mark.parametrize("fmt", ["table", "tsv", "csv", "md"])
@pytest.mark.parametrize("args", QUESTIONS, ids=lambda a: " ".join(a))
def test_in_english_no_chinese_outside_the_data(args: list[str], fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    headers, lines = headers_and_lines(args, fmt, "en")
    assert [h for h in headers if CJK.search(h)] == []
    data = " ".join(data_words(args, re.compile(r".+")))
    assert [w for line in lines for w in CJK.findall(line) if w not in data] == [], lines


@pytest.mark.parametrize("args", QUESTIONS, ids=lambda a: " ".join(a))
def test_json_and_the_data_are_the_same_in_every_language(args: list[str]) -> None:
    english, chinese = run(*args, "--format", "json", "--lang", "en"), run(*args, "--format", "json", "--lang", "zh")
    assert chinese.stdout == english.stdout and english.code == 0


def test_chinese_tables_say_labels_in_chinese_and_the_data_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = list(csv.DictReader(io.StringIO(run("gaps", "--format", "csv", "--lang", "zh").stdout)))
    assert {row["类型"] for row in rows} == {"对口单位缺列", "无对口单位", "牵头单位不对口", "未分列省市"}
    agencies = list(csv.DictReader(io.StringIO(run("agencies", "--format", "csv", "--lang", "zh").stdout)))
    pbc = next(row for row in agencies if row["代码"] == "cq-pbc")
    assert pbc["名称"] == "人行重庆营管部" and pbc["省市"] == "重庆" and pbc["层级"] == "中央驻地机构"
    monkeypatch.setenv("CHUANYU_LANG", "zh")
    assert run("gaps", "--format", "tsv").stdout.startswith("类型\t措施\t单位\t对口单位\n")


def test_a_table_too_narrow_says_what_it_left_out_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    lines = run("agencies", "--format", "table", "--lang", "zh").stdout.splitlines()
    assert "（终端宽 80 列，未显示：层级；--format tsv 显示全部列）" in lines


def test_an_unknown_language_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("gaps", "--lang", "fr").code == 2
    monkeypatch.setenv("CHUANYU_LANG", "fr")
    assert run("gaps").code == 2


# --- the briefing set ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("sets")
    for lang in ("zh", "en"):
        assert run("report", "--lang", lang, "--out", str(out / lang)).code == 0
    return {lang: out / lang for lang in ("zh", "en")}


def words_around_the_data(folder: Path) -> list[str]:
    """The set's headings, captions, paragraphs, headers, sheet names and the words in its
    pictures: everything but table cells, the Mermaid source and the units' names in pictures."""
    import xml.etree.ElementTree as ET

    from docx import Document
    from openpyxl import load_workbook

    texts: list[str] = []
    for path in folder.glob("*.md"):
        text = re.sub(r"```mermaid\n.*?```\n", "", path.read_text(encoding="utf-8"), flags=re.S)  # its nodes: data
        lines = text.splitlines()
        for n, line in enumerate(lines):
            header = n + 1 < len(lines) and lines[n + 1].startswith("| ---")
            if not line.startswith("| ") or header:  # of a table, its header only
                texts.append(re.sub(r"\]\(\w+\.svg\)", "]", line))  # a picture's file name is no word
    for path in folder.glob("*.csv"):
        texts += next(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    book = load_workbook(folder / "briefing.xlsx")
    texts += book.sheetnames + [str(c.value) for sheet in book.worksheets for c in sheet[1]]
    word_file = Document(str(folder / "briefing.docx"))
    texts += [p.text for p in word_file.paragraphs] + [c.text for t in word_file.tables for c in t.rows[0].cells]
    for svg in folder.glob("*.svg"):
        root = ET.parse(svg).getroot()
        texts += [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") != "unit"]
        texts += [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}title")]
    return texts


def catalogue_words(pattern: re.Pattern[str]) -> set[str]:
    """The words of the catalogue's data: its document, chapters, sections and units."""
    import sqlite3

    from chuanyu import db, paths

    conn = db.open_cached(paths.data_dir(), lambda stage: None)
    rows = conn.execute(
        "SELECT title || ' ' || coalesce(number, '') || ' ' || coalesce(date, '') FROM documents UNION ALL SELECT title FROM chapters "
        "UNION ALL SELECT title FROM sections UNION ALL SELECT name || ' ' || id FROM agencies"
    ).fetchall()
    assert isinstance(conn, sqlite3.Connection)
    return {word for (text,) in rows for word in pattern.findall(text)}


def test_a_chinese_briefing_has_no_english_word_outside_the_data(sets: dict[str, Path]) -> None:
    texts = words_around_the_data(sets["zh"])
    assert any("简报" in t for t in texts) and "各章措施" in texts
    allowed = catalogue_words(LATIN) | KEPT
    assert sorted({w for t in texts for w in LATIN.findall(t)} - allowed) == []


def test_an_english_briefing_has_no_chinese_outside_the_data(sets: dict[str, Path]) -> None:
    texts = words_around_the_data(sets["en"])
    assert "**Measures per chapter**" in texts
    data = " ".join(catalogue_words(re.compile(r".+")))
    assert sorted({w for t in texts for w in CJK.findall(t) if w not in data}) == []


def test_the_chinese_set_is_the_golden_files(sets: dict[str, Path]) -> None:
    golden = ROOT / "tests" / "golden" / "briefing-zh"
    names = sorted(p.name for p in golden.iterdir())
    assert names == sorted(p.name for p in sets["zh"].iterdir() if p.suffix in (".md", ".csv", ".svg"))
    for name in names:
        assert (sets["zh"] / name).read_bytes() == (golden / name).read_bytes(), f"{name}: run `make golden` if the change is meant"


def test_the_data_is_the_same_in_both_languages(sets: dict[str, Path]) -> None:
    for name in ("chapters", "pairs"):  # (workload's provinces are labels: Chinese in a Chinese table)
        english, chinese = ((sets[lang] / f"{name}.csv").read_text(encoding="utf-8-sig").splitlines()[1:] for lang in ("en", "zh"))
        assert english == chinese, name
