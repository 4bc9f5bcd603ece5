"""The parser accounts for every responsibility clause and every measure number: each is placed
in a measure or the document is refused on the line that holds it; never fewer measures with
exit 0. Variants of tests/documents/second-plan.txt (constructed: see its README), made here."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chuanyu.clauses import clause_of, parse_clause
from conftest import DATA, ROOT, run

SECOND = ROOT / "tests" / "documents" / "second-plan.txt"
LINES = SECOND.read_text(encoding="utf-8").splitlines(keepends=True)
#: The lines of second-plan.txt that hold its measures 1-4, and its heading （三）.
MEASURE_LINES = {1: 11, 2: 12, 3: 14, 4: 17}
SECTION_THREE = 16


def variant(tmp_path: Path, edits: dict[int, tuple[str, str]], dropped: tuple[int, ...] = ()) -> Path:
    """second-plan.txt with, on line N, `old` replaced by `new` once (and lines `dropped` left out)."""
    lines = list(LINES)
    for number, (old, new) in edits.items():
        assert old in lines[number - 1]
        lines[number - 1] = lines[number - 1].replace(old, new, 1)
    source = tmp_path / "p.txt"
    source.write_text("".join(line for n, line in enumerate(lines, start=1) if n not in dropped), encoding="utf-8")
    return source


def measures(content: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        m
        for chapter in content["chapters"]
        for m in [*chapter.get("measures", []), *(m for s in chapter.get("sections", []) for m in s["measures"])]
    ]


@pytest.fixture
def catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(DATA, tmp_path / "cat")
    return tmp_path / "cat"


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_full_width_number_after_a_heading_is_the_measure_it_numbers(catalogue: Path, tmp_path: Path) -> None:
    source = variant(tmp_path, {MEASURE_LINES[3]: ("3．", "３．")})
    extracted = run("extract", str(source), "--data", "cat")
    assert (extracted.code, extracted.stderr) == (0, "")
    assert [m["number"] for m in measures(yaml.safe_load(extracted.stdout))] == [1, 2, 3, 4]
    added = run("add", str(source), "--id", "p", "--data", "cat")
    assert (added.code, added.stderr) == (0, "added p: 4 measures, 14 listings, in cat/documents/p.yaml\n")


WRONG_NUMBERS = {"repeated": "1．", "skipped": "4．", "long": "12345678901234567890123．", "bracketed": "（7）"}


@pytest.mark.parametrize("measure", [2, 3])  # 2 follows a measure, 3 a section's heading
@pytest.mark.parametrize("wrong", WRONG_NUMBERS)
def test_a_number_out_of_order_is_refused_on_its_line(catalogue: Path, tmp_path: Path, measure: int, wrong: str) -> None:
    source = variant(tmp_path, {MEASURE_LINES[measure]: (f"{measure}．", WRONG_NUMBERS[wrong])})
    before = files(catalogue)
    for args in (("extract", str(source), "--data", "cat"), ("add", str(source), "--id", "p", "--data", "cat")):
        result = run(*args)
        assert (result.code, result.stdout) == (1, ""), result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert result.stderr.startswith(f"p.txt:{MEASURE_LINES[measure]}: document: "), result.stderr
    assert files(catalogue) == before


def test_a_number_out_of_order_right_after_a_chapter_heading_is_refused(tmp_path: Path) -> None:
    source = variant(tmp_path, {MEASURE_LINES[4]: ("4．", "5．")}, dropped=(SECTION_THREE,))
    result = run("extract", str(source))
    assert result.code == 1 and result.stderr.startswith(f"{source}:{MEASURE_LINES[4] - 1}: document: "), result.stderr
    fine = run("extract", str(variant(tmp_path, {}, dropped=(SECTION_THREE,))))  # the same, numbered in order
    assert fine.code == 0 and measures(yaml.safe_load(fine.stdout))[-1]["number"] == 4


def test_a_measure_without_its_clause_does_not_take_the_next_ones(tmp_path: Path) -> None:
    source = variant(tmp_path, {MEASURE_LINES[1]: ("（责任单位：市金融监管局、市财政局；省地方金融监管局、省财政厅）", "")})
    result = run("extract", str(source))
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"{source}:{MEASURE_LINES[2]}: document: 2．"), result.stderr


def test_a_clause_that_never_closes_is_refused(tmp_path: Path) -> None:
    source = variant(tmp_path, {MEASURE_LINES[4]: ("省地方金融监管局）", "省地方金融监管局")})
    result = run("extract", str(source))
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"{source}:{MEASURE_LINES[4]}: document: measure 4"), result.stderr


def test_a_clause_holding_parentheses_ends_at_its_own(tmp_path: Path) -> None:
    source = variant(tmp_path, {MEASURE_LINES[1]: ("省地方金融监管局、省财政厅", "省地方金融监管局（省级）、省财政厅")})
    result = run("extract", str(source))
    assert result.code == 1 and result.stderr.splitlines() == [
        f"{source}:{MEASURE_LINES[1]}: measure 1: sichuan unit '省地方金融监管局（省级）' is not in agencies.yaml"
    ]
    first = measures(yaml.safe_load(result.stdout))[0]
    assert first["text"] == "建立川渝金融测试联席机制，定期会商测试事项。"
    assert first["responsible"]["sichuan"] == ["省地方金融监管局（省级）", "sc-finance"]


def test_a_name_holding_parentheses_is_one_unit() -> None:
    assert parse_clause("中新（重庆）战略性互联互通示范项目管理局、市财政局；省财政厅").groups == {
        "chongqing": ["中新（重庆）战略性互联互通示范项目管理局", "市财政局"],
        "sichuan": ["省财政厅"],
        "local": [],
    }
    assert clause_of("牵头单位：有关市（州）政府、市财政局").groups == {"any": ["有关市（州）政府", "市财政局"]}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    numbers=st.lists(st.integers(min_value=0, max_value=12), min_size=4, max_size=4),
    full_width=st.lists(st.booleans(), min_size=4, max_size=4),
)
def test_renumbered_measures_are_all_kept_or_the_document_is_refused(tmp_path: Path, numbers: list[int], full_width: list[bool]) -> None:
    """Any numbering of the four measures: exit 0 only with all four, numbered 1-4, and all 14 listings."""
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    edits = {
        line: (f"{measure}．", f"{str(number).translate(wide) if wide_digits else number}．")
        for (measure, line), number, wide_digits in zip(MEASURE_LINES.items(), numbers, full_width, strict=True)
    }
    result = run("extract", str(variant(tmp_path, edits)))
    if result.code == 0:
        found = measures(yaml.safe_load(result.stdout))
        assert [m["number"] for m in found] == [1, 2, 3, 4]
        assert sum(len(ids) for m in found for ids in m["responsible"].values()) == 14
        assert numbers == [1, 2, 3, 4]
    else:
        assert result.code == 1 and len(result.stderr.splitlines()) == 1 and result.stdout == ""
