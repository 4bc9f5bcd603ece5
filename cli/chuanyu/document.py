"""The briefing as one document, written twice from the same parts: Markdown (briefing.md) and
Word (briefing.docx, which WPS and LibreOffice open too).
"""

from __future__ import annotations

import datetime as dt
import io
import struct
from collections.abc import Mapping
from dataclasses import dataclass

from . import __version__
from .office import fixed_zip_times
from .render import RENDERERS
from .result import Result

#: The font a Word document declares for its Chinese: 宋体 (SimSun), which Word and WPS have on
#: every Windows machine and LibreOffice stands a CJK font in for (fontconfig).
EAST_ASIAN_FONT = "宋体"
#: The most room a picture takes on an A4 page (mm): the width between the margins, and a page
#: less its margins and a caption.
_PICTURE_BOX = (170, 230)


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


def markdown(blocks: list[Block], lang: str) -> str:
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


def docx(blocks: list[Block], pictures: Mapping[str, bytes], lang: str, when: dt.datetime) -> bytes:
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
            _table(document, block.result, lang)
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
    return fixed_zip_times(raw.getvalue(), when)


def _table(document: object, result: Result, lang: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    columns = [column.in_language(lang) for column in result.columns]
    table = document.add_table(rows=1, cols=len(columns))  # type: ignore[attr-defined]
    table.style = "Table Grid"

    def put(cell: object, text: str, numeric: bool, bold: bool = False) -> None:
        paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
        run = paragraph.add_run(text)
        run.font.size, run.bold = Pt(9), bold or None
        if numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    header = table.rows[0]
    for cell, column in zip(header.cells, columns, strict=True):
        put(cell, column.header, column.numeric, bold=True)
    repeat = OxmlElement("w:tblHeader")  # the header row again at the top of every page
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for record in result.records:
        for cell, column in zip(table.add_row().cells, columns, strict=True):
            put(cell, column.cell(record), column.numeric)


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
