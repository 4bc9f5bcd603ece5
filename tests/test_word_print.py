"""The Word briefing prints as a reader needs, measured from its XML (as Word and LibreOffice lay
it out: fixed column widths, pages of a given size) in both languages: every column holds its
longest word at its font's size, every table its page's width, and the heatmap's names print
at 9 pt or more."""

from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from chuanyu.terms import translated
from conftest import run

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
#: A character's width at 9 pt in twips: a Chinese one is the font's size (180); a Latin letter
#: or digit at most 0.56 em in the fonts Word and LibreOffice use (100, rounded up).
CHINESE, LATIN = 180, 100
#: A cell's margins, left and right: Word's default 0.19 cm each.
MARGINS = 2 * 108
#: Runs a line must not break: a Latin word or number whole, and Chinese up to 12 characters
#: (a name); a longer Chinese run (a section's title) wraps between characters.
WORDS = re.compile(r"[^\s、，,；;]+")
EMU_PER_MM = 36000
POINT_MM = 25.4 / 72


def width_of(word: str) -> int:
    chinese = sum(ord(ch) > 0x2E7F for ch in word)
    return min(chinese, 12) * CHINESE + (len(word) - chinese) * LATIN


@pytest.fixture(scope="module", params=["en", "zh"])
def briefing(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp(f"briefing-{request.param}")
    result = run("report", "--lang", request.param, "--out", str(out))
    assert result.code == 0, result.stderr
    return request.param, out


def body(out: Path) -> ElementTree.Element:
    with zipfile.ZipFile(out / "briefing.docx") as docx:
        return ElementTree.fromstring(docx.read("word/document.xml"))


def text_of(element: ElementTree.Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def tables_with_their_pages(root: ElementTree.Element) -> list[tuple[ElementTree.Element, int]]:
    """Each table, with the width between the margins of the page it is on (the section it
    belongs to is closed by the next section break, or by the body's last)."""
    found, waiting = [], []
    for element in root.find(f"{W}body") or []:
        if element.tag == f"{W}tbl":
            waiting.append(element)
        section = element if element.tag == f"{W}sectPr" else element.find(f"{W}pPr/{W}sectPr")
        if section is not None:
            size, margins = section.find(f"{W}pgSz"), section.find(f"{W}pgMar")
            assert size is not None and margins is not None
            room = int(size.get(f"{W}w", 0)) - int(margins.get(f"{W}left", 0)) - int(margins.get(f"{W}right", 0))
            found += [(table, room) for table in waiting]
            waiting = []
    assert not waiting
    return found


def test_every_column_holds_its_longest_word_and_every_table_its_page(briefing: tuple[str, Path]) -> None:
    _, out = briefing
    tables = tables_with_their_pages(body(out))
    assert len(tables) >= 5
    for table, room in tables:
        widths = [int(column.get(f"{W}w", 0)) for column in table.iter(f"{W}gridCol")]
        assert sum(widths) <= room
        for row in table.iter(f"{W}tr"):
            for cell, width in zip(row.iter(f"{W}tc"), widths, strict=True):
                words = WORDS.findall(text_of(cell))
                assert all(width_of(word) + MARGINS <= width for word in words), (text_of(cell), width)


def test_a_page_turns_landscape_only_for_a_table_wider_than_a_portrait_one(briefing: tuple[str, Path]) -> None:
    lang, out = briefing
    tables = tables_with_their_pages(body(out))
    portrait = min(room for _, room in tables)
    for table, room in tables:
        needed = sum(int(column.get(f"{W}w", 0)) for column in table.iter(f"{W}gridCol"))
        assert (room > portrait) == (needed > portrait)
    assert lang == "en" or any(room > portrait for _, room in tables)  # the workload table's Chinese headers


def test_the_heatmap_prints_its_names_at_9_points_or_more(briefing: tuple[str, Path]) -> None:
    lang, out = briefing
    svg = (out / "heatmap.svg").read_text(encoding="utf-8")
    name_px = float(re.search(r'<svg [^>]*font-size="(\d+)"', svg).group(1))  # type: ignore[union-attr]
    assert 'class="unit"' in svg and not re.search(r'class="unit"[^>]*font-size', svg)
    root = body(out)
    with zipfile.ZipFile(out / "briefing.docx") as docx:
        rels = ElementTree.fromstring(docx.read("word/_rels/document.xml.rels"))
        media = {rel.get("Id"): docx.read("word/" + str(rel.get("Target"))) for rel in rels if "image" in str(rel.get("Type"))}
    caption = translated("Listings by agency and chapter", lang)
    paragraphs = list(root.iter(f"{W}p"))
    heatmaps = 0
    for at, paragraph in enumerate(paragraphs):
        extent, blip = paragraph.find(f".//{WP}extent"), paragraph.find(f".//{A}blip")
        if extent is None or blip is None or not text_of(paragraphs[at + 1]).startswith(caption):
            continue
        heatmaps += 1
        png = media[blip.get(f"{R}embed")]
        svg_width_px = struct.unpack(">I", png[16:20])[0] / 2  # drawn at twice the SVG's size
        printed_mm_per_px = int(extent.get("cx", 0)) / EMU_PER_MM / svg_width_px
        assert name_px * printed_mm_per_px / POINT_MM >= 9
    assert heatmaps == 2


def test_the_heatmap_has_no_title_of_its_own_a_legend_and_a_rule_between_the_provinces(briefing: tuple[str, Path]) -> None:
    lang, out = briefing
    svg = (out / "heatmap.svg").read_text(encoding="utf-8")
    drawn = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
    assert translated("Listings by agency and chapter", lang) not in drawn
    assert translated("chapter", lang) in drawn and translated("listings", lang) in drawn
    assert len(re.findall(r'<line [^>]*stroke-width="1.5"', svg)) == 2  # Chongqing | Sichuan | the joint body


def test_in_chinese_the_document_is_dated_as_chinese_writes_dates(briefing: tuple[str, Path]) -> None:
    lang, out = briefing
    opening = (out / "briefing.md").read_text(encoding="utf-8").splitlines()[2]
    assert ("2022年12月14日" in opening) == (lang == "zh") and ("2022-12-14" in opening) == (lang == "en")
