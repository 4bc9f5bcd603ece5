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
from .result import Result

#: The font a Word document declares for its Chinese: 宋体 (SimSun), which Word and WPS have on
#: every Windows machine and LibreOffice stands a CJK font in for (fontconfig).
EAST_ASIAN_FONT = "宋体"
#: The most room a picture takes on an A4 page (mm): the width between the margins, and a page
#: less its margins and a caption.
_PICTURE_BOX = (170, 230)
#: Characters XML 1.0 cannot hold (control characters but tab and line ends), left out of a Word cell.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: The width between the margins, in twentieths of a point (170 mm), which a table's columns share.
_TABLE_TWIPS = 9638


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
    """A picture of the set: `name` without its extension (the SVG for Markdown, the PNG for Word)."""

    name: str
    caption: str


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
            if block.caption:
                caption = document.add_paragraph()
                caption.add_run(block.caption).bold = True
                caption.paragraph_format.keep_with_next = True
            document.add_paragraph(_marker(len(tables)))
            tables.append(_table(block.result, lang))
            document.add_paragraph()
        elif isinstance(block, Picture):
            image = pictures[block.name]
            width, height = _fitted(image)
            document.add_picture(io.BytesIO(image), width=Mm(width), height=Mm(height))
            document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            document.add_paragraph(block.caption).alignment = WD_ALIGN_PARAGRAPH.CENTER
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


def _table(result: Result, lang: str) -> str:
    """`result` as a Word table (WordprocessingML, style Table Grid, 9 pt): its header row
    repeated at the top of every page, numbers to the right, each column as wide as its text
    asks of the page's width. Written as text, and put in place in the saved file (`docx`):
    python-docx's rows and cells find each other by reading the whole table, and lxml moves a
    parsed table into the document in time that grows as its square (a gaps table of 100,000
    rows, at 10,000 measures, took minutes)."""
    columns = [column.in_language(lang) for column in result.columns]
    rows = [[column.cell(record) for column in columns] for record in result.records]
    wanted = [
        min(max(display_width(text) for text in [column.header, *(row[i] for row in rows)]), 40) + 2 for i, column in enumerate(columns)
    ]
    widths = [_TABLE_TWIPS * want // sum(wanted) for want in wanted]

    def row(cells: list[str], header: bool = False) -> str:
        properties = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""  # the header row again on every page
        return (
            f"<w:tr>{properties}"
            + "".join(_cell(text, column.numeric, width, header) for text, column, width in zip(cells, columns, widths, strict=True))
            + "</w:tr>"
        )

    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
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
    run = f'<w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="18"/></w:rPr>'  # 9 pt: sizes are in half points
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
