"""Extraction holds a few times its source (tracemalloc's peak over the file's size), and a
source past the bound is refused before it is read. The sources are constructed here, a few
MB each: a document of many measures built like tests/documents/second-plan.txt, and texts
with no measure at all."""

from __future__ import annotations

import os
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from chuanyu.catalogue import load_agencies
from chuanyu.errors import DataError
from chuanyu.extract import chinese_numeral, extracted
from chuanyu.measures_yaml import to_yaml
from chuanyu.sources import MAX_PDF_BYTES, MAX_TEXT_BYTES
from conftest import DATA, ROOT, run

SECOND = ROOT / "tests" / "documents" / "second-plan.txt"
#: What extraction may hold at its peak, over the size of its source.
RATIO = 5
CLAUSE = (
    "（责任单位：市金融监管局、市财政局、人行重庆营管部、重庆证监局；省地方金融监管局、省财政厅、人行成都分行、四川证监局，成都市政府）"
)


def many_measures(size: int) -> str:
    """A joint document of `size` bytes or so: chapters of five sections of five measures."""
    notice = SECOND.read_text(encoding="utf-8").split("一、", 1)[0]
    parts, measure, chapter, length = [notice], 0, 0, 0
    while length < size:
        chapter += 1
        parts.append(f"{chinese_numeral(chapter)}、推进第{chapter}项建设任务\n")
        for section in range(1, 6):
            parts.append(f"（{chinese_numeral(section)}）加强第{section}项工作。\n")
            for _ in range(5):
                measure += 1
                parts.append(f"{measure}．" + "推动重庆、成都打造西部金融中心核心承载区，完善金融机构落户激励政策。" * 4 + CLAUSE + "\n")
                length += len(parts[-1].encode())
    return "".join(parts)


SOURCES: dict[str, Callable[[], str]] = {
    "many measures": lambda: many_measures(1_500_000),
    "Chinese, no measure": lambda: "建立川渝金融测试联席机制，定期会商测试事项。\n" * 50_000,
    "Latin, no measure": lambda: "lorem ipsum dolor sit amet consectetur\n" * 40_000,
}


@pytest.mark.parametrize("kind", SOURCES)
def test_extraction_holds_a_few_times_its_source(tmp_path: Path, kind: str) -> None:
    source = tmp_path / "large.txt"
    source.write_text(SOURCES[kind](), encoding="utf-8")
    agencies = list(load_agencies(DATA / "agencies.yaml").values())
    tracemalloc.start()
    try:
        found = extracted(source, agencies)
        outcome = f"{found.measures} measures"
    except DataError as exc:
        outcome = str(exc.problems[0])
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert ("measures" if kind == "many measures" else "no measure 1 found") in outcome
    assert peak / source.stat().st_size < RATIO, f"{peak / source.stat().st_size:.1f} times the source"


def test_many_measures_are_all_extracted(tmp_path: Path) -> None:
    source = tmp_path / "large.txt"
    text = many_measures(1_700_000)
    source.write_text(text, encoding="utf-8")
    result = run("extract", str(source))
    assert result.code == 0, result.stderr
    content = yaml.safe_load(result.stdout)
    numbers = [m["number"] for c in content["chapters"] for s in c["sections"] for m in s["measures"]]
    assert numbers == list(range(1, text.count(CLAUSE) + 1))
    assert len(content["chapters"]) > 99  # numbered past 九十九: 一百、 一百零一、…


def test_the_yaml_written_a_measure_at_a_time_is_the_yaml_of_one_dump() -> None:
    """to_yaml dumps each measure on its own: the same bytes as PyYAML dumping the whole, for
    long texts folded at the width too."""
    from chuanyu.measures_yaml import YAML_WIDTH, _Dumper, _Flow

    long_text = "支持 " * 3000  # folds: spaces past the width
    content = {
        "document": {"id": "x", "title": "t", "number": None, "date": None, "issuers": [], "source": "sources/x.txt"},
        "chapters": [
            {
                "number": 1,
                "title": "a",
                "measures": [{"number": 1, "text": long_text, "responsible": {"chongqing": _Flow(["cq-finance"])}}],
            },
            {"number": 2, "title": "b", "sections": []},
            {
                "number": 3,
                "title": "c",
                "sections": [
                    {"number": 1, "title": "s", "measures": []},
                    {
                        "number": 2,
                        "title": "s2 " * 2000,
                        "measures": [{"number": 2, "text": long_text, "responsible": {"joint": _Flow(["x", "y"])}}],
                    },
                ],
            },
        ],
    }
    whole = yaml.dump(content, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=YAML_WIDTH, default_flow_style=False)
    written = to_yaml(content, "x")
    assert written.split("\n", 1)[1] == whole
    assert yaml.safe_load(written)["chapters"][0]["measures"][0]["text"] == long_text


@pytest.mark.parametrize(("head", "bound"), [(b"", MAX_TEXT_BYTES), (b"%PDF-1.7\n", MAX_PDF_BYTES)])
def test_a_source_past_the_bound_is_refused_before_it_is_read(tmp_path: Path, head: bytes, bound: int) -> None:
    source = tmp_path / "huge.txt"
    with source.open("wb") as handle:
        handle.write(head)
        handle.truncate(bound + 1)  # sparse: no disk, and no memory unless read
    tracemalloc.start()
    try:
        result = run("extract", str(source))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"{source}:0: file: ") and "refused before it is read" in result.stderr
    assert str(bound // 2**20) + " MiB" in result.stderr
    assert peak < bound // 10


def test_a_source_at_the_bound_is_read(tmp_path: Path) -> None:
    source = tmp_path / "at-bound.txt"
    text = SECOND.read_text(encoding="utf-8")
    source.write_bytes(text.encode() + b"\n" * (MAX_TEXT_BYTES - len(text.encode())))
    assert os.path.getsize(source) == MAX_TEXT_BYTES
    assert run("extract", str(source)).code == 0
