"""The briefing as one document, written twice from the same parts: Markdown (briefing.md) and
Word (briefing.docx, which WPS and LibreOffice open too).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

from . import __version__
from .office import fixed_zip_times
from .pictures import display_width
from .render import RENDERERS
from .result import Column, Result

#: The font a Word document declares for its Chinese: 宋体 (SimSun), which Word and WPS have on
#: every Windows machine and LibreOffice stands a CJK font in for (fontconfig).
EAST_ASIAN_FONT = "宋体"
#: The most room a picture takes on an A4 page (mm): the width between the margins, and a page
#: less its margins and a caption.
_PICTURE_BOX = (170, 230)
#: Characters XML 1.0 cannot hold (control characters but tab and line ends), left out of a Word cell.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: The width between the margins, in twentieths of a point, which a table's columns share: on a
#: portrait A4 page (170 mm), and on a landscape one (257 mm) for a table whose words need more.
_TABLE_TWIPS = 9638
_LANDSCAPE_TWIPS = 14570
#: A table's text: 9 pt, in half points (Word's unit for sizes).
TABLE_FONT_HALF_POINTS = 18
#: A Latin character's width at 9 pt, in twips, rounded up (a digit is 0.56 em in most fonts;
#: a Chinese one, the font's size, 180, is two of these), and a cell's margins either side
#: (Word's default, 0.19 cm each) and a little slack.
_HALF_EM_TWIPS = 100
_CELL_MARGINS_TWIPS = 2 * 108 + 40
#: The longest run a cell's text never breaks in: a word, a number, a name. Chinese text longer
#: than this (a section's title) wraps between characters, as Chinese does.
_LONGEST_UNBROKEN = 24
_WORD_BREAKS = re.compile(r"[\s、，,；;]+")


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1: the document's title


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Items:
    lines: list[str]


@dataclass(frozen=True)
class Table:
    caption: str | None
    result: Result


@dataclass(frozen=True)
class Picture:
    """A picture of the set: `name` without its extension (the SVG for Markdown, the PNG for
    Word). `in_word`: the pictures (name, caption) Word shows instead, each a page's worth, where
    the whole would print too small to read."""

    name: str
    caption: str
    in_word: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Mermaid:
    """A Mermaid chart, which code-hosting sites draw from Markdown; Word shows its picture instead."""

    source: str


Block = Heading | Text | Items | Table | Picture | Mermaid


def table_text(fmt: str, result: Result, lang: str) -> str:
    """`result` in a tabular format, as the commands write it, in `lang`."""
    out = io.StringIO()
    RENDERERS[fmt](result, out, lang)
    return out.getvalue()


def as_markdown(blocks: list[Block], lang: str) -> str:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            lines += ["#" * block.level + " " + block.text, ""]
        elif isinstance(block, Text):
            lines += [block.text, ""]
        elif isinstance(block, Items):
            lines += [*(f"- {line}" for line in block.lines), ""]
        elif isinstance(block, Table):
            lines += [f"**{block.caption}**", ""] if block.caption else []
            lines += [table_text("md", block.result, lang).rstrip(), ""]
        elif isinstance(block, Picture):
            lines += [f"![{block.caption}]({block.name}.svg)", ""]
        else:
            lines += ["```mermaid", block.source, "```", ""]
    return "\n".join(lines)


def as_word(blocks: list[Block], pictures: Mapping[str, bytes], lang: str, when: dt.datetime) -> bytes:
    """The briefing as a Word document on A4: headings, paragraphs, each table as a Word table
    (its header row repeated on every page, numbers to the right), each picture as its PNG
    (`pictures`, by name) as large as the page allows; the same bytes for the same `when`."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(20)
    _declare_fonts(document, lang)
    tables: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=0 if block.level == 1 else block.level - 1)
        elif isinstance(block, Text):
            document.add_paragraph(block.text)
        elif isinstance(block, Items):
            for line in block.lines:
                document.add_paragraph(line, style="List Bullet")
        elif isinstance(block, Table):
            columns, rows = _cells(block.result, lang)
            widths = column_widths(columns, rows)
            wide = sum(widths) > _TABLE_TWIPS
            if wide:
                _new_section(document, landscape=True)
            if block.caption:
                caption = document.add_paragraph()
                caption.add_run(block.caption).bold = True
                caption.paragraph_format.keep_with_next = True
            document.add_paragraph(_marker(len(tables)))
            tables.append(_table(columns, rows, widths))
            document.add_paragraph()
            if wide:
                _new_section(document, landscape=False)
        elif isinstance(block, Picture):
            for name, words in block.in_word or ((block.name, block.caption),):
                image = pictures[name]
                width, height = _fitted(image)
                document.add_picture(io.BytesIO(image), width=Mm(width), height=Mm(height))
                document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
                document.add_paragraph(words).alignment = WD_ALIGN_PARAGRAPH.CENTER
    properties = document.core_properties
    properties.author = properties.last_modified_by = f"chuanyu {__version__}"
    properties.title = next((block.text for block in blocks if isinstance(block, Heading)), "")
    properties.comments = ""
    properties.language = "zh-CN" if lang == "zh" else "en"
    properties.created = properties.modified = properties.last_printed = when
    properties.revision = 1
    raw = io.BytesIO()
    document.save(raw)
    return fixed_zip_times(raw.getvalue(), when, {"word/document.xml": _in_place(tables)})


def _cells(result: Result, lang: str) -> tuple[list[Column], list[list[str]]]:
    """The columns a reader of the Word file sees (ids are for scripts: the CSV has them), and
    each record's cells."""
    columns = [column.in_language(lang) for column in result.columns if column.on_terminal]
    return columns, [[column.cell(record) for column in columns] for record in result.records]


def longest_word(text: str) -> int:
    """How wide (`display_width`) the longest run of `text` is that a line must not break."""
    return max((min(display_width(word), _LONGEST_UNBROKEN) for word in _WORD_BREAKS.split(text)), default=0)


def column_widths(columns: list[Column], rows: list[list[str]]) -> list[int]:
    """Each column's width in twips: room for its longest word at least (a number or a name
    never wraps), then the page's width shared out as far as each column's longest text asks;
    wider than a portrait page where the words need it (`as_word` turns that page)."""
    texts = [[column.header, *(row[i] for row in rows)] for i, column in enumerate(columns)]
    floor = [max(map(longest_word, column)) * _HALF_EM_TWIPS + _CELL_MARGINS_TWIPS for column in texts]
    wanted = [min(max(map(display_width, column)), 40) * _HALF_EM_TWIPS + _CELL_MARGINS_TWIPS for column in texts]
    page = _TABLE_TWIPS if sum(floor) <= _TABLE_TWIPS else _LANDSCAPE_TWIPS
    room, asked = max(page - sum(floor), 0), sum(want - least for want, least in zip(wanted, floor, strict=True))
    share = min(room / asked, 1.0) if asked else 0.0
    return [least + int((want - least) * share) for want, least in zip(wanted, floor, strict=True)]


def _new_section(document: object, landscape: bool) -> None:
    """A new page, landscape or portrait, for what follows."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    section = document.add_section(WD_SECTION.NEW_PAGE)  # type: ignore[attr-defined]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))


def _table(columns: list[Column], rows: list[list[str]], widths: list[int]) -> str:
    """A Word table (WordprocessingML, style Table Grid, 9 pt, its columns `widths` wide, fixed):
    its header row repeated at the top of every page, numbers to the right. Written as text,
    and put in place in the saved file (`docx`): python-docx's rows and cells find each other
    by reading the whole table, and lxml moves a parsed table into the document in time that
    grows as its square (a gaps table of 100,000 rows, at 10,000 measures, took minutes)."""

    def row(cells: list[str], header: bool = False) -> str:
        properties = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""  # the header row again on every page
        return (
            f"<w:tr>{properties}"
            + "".join(_cell(text, column.numeric, width, header) for text, column, width in zip(cells, columns, widths, strict=True))
            + "</w:tr>"
        )

    return (
        f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:tblLayout w:type="fixed"/></w:tblPr>'
        "<w:tblGrid>"
        + "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
        + "</w:tblGrid>"
        + row([column.header for column in columns], header=True)
        + "".join(map(row, rows))
        + "</w:tbl>"
    )


def _in_place(tables: list[str]) -> Callable[[bytes], bytes]:
    """What puts each table in place of its marker paragraph (`_marker`) in word/document.xml."""

    def edit(xml: bytes) -> bytes:
        for n, table in enumerate(tables):
            marker = f"<w:p><w:r><w:t>{_marker(n)}</w:t></w:r></w:p>".encode()
            if xml.count(marker) != 1:
                raise ValueError(f"briefing.docx: the place of table {n} is not found once")
            xml = xml.replace(marker, table.encode("utf-8"))
        return xml

    return edit


def _marker(n: int) -> str:
    return f"chuanyu-table-{n}-goes-here"


def _cell(text: str, numeric: bool, width: int, bold: bool) -> str:
    aligned = '<w:pPr><w:jc w:val="right"/></w:pPr>' if numeric else ""
    run = f'<w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="{TABLE_FONT_HALF_POINTS}"/></w:rPr>'
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
        f'<w:p>{aligned}<w:r>{run}<w:t xml:space="preserve">{escape(_NOT_XML.sub("", text))}</w:t></w:r></w:p></w:tc>'
    )


def _declare_fonts(document: object, lang: str) -> None:
    """Every style's East Asian font `EAST_ASIAN_FONT`, named, not the theme's (which Word, WPS
    and LibreOffice each read their own way); in Chinese, the text's language zh-CN."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element  # type: ignore[attr-defined]
    for properties in styles.iter(qn("w:rPr")):
        fonts = properties.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            properties.insert(0, fonts)
        fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
        fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    if lang == "zh":
        for language in styles.iter(qn("w:lang")):
            language.set(qn("w:eastAsia"), "zh-CN")


def _fitted(png: bytes) -> tuple[float, float]:
    """A picture's width and height on the page (mm): as large as `_PICTURE_BOX` allows."""
    width, height = struct.unpack(">II", png[16:24])  # the PNG's header (IHDR): its size in pixels
    scale = min(_PICTURE_BOX[0] / width, _PICTURE_BOX[1] / height)
    return width * scale, height * scale
