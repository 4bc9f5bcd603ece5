"""The producers behind `make_official_pdfs.py`: each typesets a Document in a Layout as a PDF.

reportlab and fpdf2 draw lines this module breaks (the same geometry for both: A4, 156 mm of text
at 16 pt, 22 lines a page, as GB/T 9704 lays official documents out); weasyprint and LibreOffice
break lines and pages themselves, from HTML and from a Word file.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from make_official_pdfs import Document, Layout

FONTS = {
    "wqy": ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0, "WenQuanYi Micro Hei"),
    "noto": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2, "Noto Serif CJK SC"),
}
PAGE_WIDTH, PAGE_HEIGHT = 595.28, 841.89
LEFT, TEXT_WIDTH, TOP, PITCH, LINES_A_PAGE = 79.4, 442.0, 104.9, 28.9, 22
SIZE, HEAD_SIZE, TITLE_SIZE = 16.0, 26.0, 21.0
RED = (0.85, 0.0, 0.0)
BLACK = (0.0, 0.0, 0.0)
_UNBREAKABLE = re.compile(r"[0-9A-Za-z.%]+|.", re.S)
_NO_LINE_START = set("，。、；：？！）》」』”’%")


@dataclass(frozen=True)
class Line:
    """Text drawn at (x, baseline from the top of the page)."""

    x: float
    y: float
    text: str
    size: float = SIZE
    color: tuple[float, float, float] = BLACK
    justify_to: float = 0.0  # a width to spread the line's glyphs over, or 0


@dataclass(frozen=True)
class Picture:
    path: Path
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Rule:
    y: float


@cache
def advances(font: str) -> dict[int, float]:
    """The font's advance width of each code point, in ems."""
    from fontTools.ttLib import TTFont

    path, number, _ = FONTS[font]
    face = TTFont(path, fontNumber=number, lazy=True)
    per_em = face["head"].unitsPerEm
    metrics = face["hmtx"].metrics
    return {code: metrics[glyph][0] / per_em for code, glyph in face.getBestCmap().items()}


def width_of(text: str, size: float, font: str) -> float:
    widths = advances(font)
    return sum(widths.get(ord(c), 1.0) for c in text) * size


def wrapped(text: str, width: float, indent: float, measure: Callable[[str], float]) -> list[tuple[float, str]]:
    """Lines of a paragraph reflowed to the width: breaking between any two CJK characters (so
    inside words and names), never inside a number, never before closing punctuation."""
    lines: list[tuple[float, str]] = []
    line, offset = "", indent
    for token in _UNBREAKABLE.findall(text):
        if line and measure(line + token) > width - offset and token[0] not in _NO_LINE_START:
            lines.append((offset, line))
            line, offset = "", 0.0
        line += token
    lines.append((offset, line))
    return lines


def red_head_png(path: Path, issuers: tuple[str, str], font: str) -> tuple[float, float]:
    """A picture of the red head (both offices stacked, 文件 beside them); its size in points."""
    from PIL import Image, ImageDraw, ImageFont

    scale = 4
    face = FONTS[font]
    small = ImageFont.truetype(face[0], int(HEAD_SIZE * scale), index=face[1])
    large = ImageFont.truetype(face[0], int(HEAD_SIZE * 1.6 * scale), index=face[1])
    width, height = int(TEXT_WIDTH * scale), int(HEAD_SIZE * 2.6 * scale)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    red = tuple(int(c * 255) for c in RED)
    for row, issuer in enumerate(issuers):
        draw.text((0, row * HEAD_SIZE * 1.4 * scale), issuer, font=small, fill=red)
    draw.text((HEAD_SIZE * 10.6 * scale, HEAD_SIZE * 0.35 * scale), "文件", font=large, fill=red)
    image.save(path, optimize=True)
    return width / scale, height / scale


def pages_of(document: Document, layout: Layout, scratch: Path) -> list[list[Line | Picture | Rule]]:
    """The document laid out on pages, without page furniture."""
    font = layout.font
    spread = 0.25 * SIZE if layout.glyphs == "justified" else 0.0

    def measure(text: str) -> float:
        return width_of(text, SIZE, font) + spread * len(text)

    pages: list[list[Line | Picture | Rule]] = [[]]
    y = TOP
    bottom = TOP + PITCH * (LINES_A_PAGE - 1)

    def place(item: Line | Picture | Rule, advance: float) -> None:
        nonlocal y
        pages[-1].append(item)
        y += advance

    def paragraph(text: str, indent: float = 2 * SIZE, centred: bool = False, size: float = SIZE) -> None:
        nonlocal y
        lines = wrapped(text, TEXT_WIDTH, indent if not centred else 0.0, measure if size == SIZE else (lambda t: width_of(t, size, font)))
        for number, (offset, line) in enumerate(lines):
            if y > bottom:
                pages.append([])
                y = TOP
            x = LEFT + (TEXT_WIDTH - width_of(line, size, font)) / 2 if centred else LEFT + offset
            last = number == len(lines) - 1
            justify = TEXT_WIDTH - offset if spread and not last and not centred else 0.0
            place(Line(x, y, line, size=size, justify_to=justify), PITCH if size == SIZE else size * 1.5)

    notice = document.notice
    if layout.head == "plain":
        for issuer in notice.issuers:
            paragraph(issuer, centred=True, size=TITLE_SIZE)
        paragraph(notice.title, centred=True, size=TITLE_SIZE)
        paragraph(notice.number, centred=True)
    else:
        if layout.head == "red":
            for row, issuer in enumerate(notice.issuers):
                pages[-1].append(Line(LEFT, TOP + row * HEAD_SIZE * 1.4, issuer, size=HEAD_SIZE, color=RED))
            pages[-1].append(Line(LEFT + HEAD_SIZE * 10.6, TOP + HEAD_SIZE * 1.0, "文件", size=HEAD_SIZE * 1.6, color=RED))
            y = TOP + HEAD_SIZE * 3
        else:
            picture = scratch / "red-head.png"
            width, height = red_head_png(picture, notice.issuers, "wqy")
            pages[-1].append(Picture(picture, LEFT, TOP - HEAD_SIZE, width, height))
            y = TOP - HEAD_SIZE + height + PITCH
        paragraph(notice.number, centred=True)
        place(Rule(y - PITCH + 8), PITCH)
        paragraph(notice.title, centred=True, size=TITLE_SIZE)
    y += PITCH / 2
    paragraph(notice.addressees, indent=0.0)
    paragraph(notice.body)
    y += PITCH
    paragraph(notice.signature, centred=True)
    paragraph(notice.date, indent=TEXT_WIDTH - measure(notice.date) - 2 * SIZE)
    paragraph(notice.publication)
    pages.append([])
    y = TOP
    paragraph(document.title, centred=True, size=TITLE_SIZE)
    y += PITCH / 2
    for text in document.paragraphs:
        paragraph(text)
    return pages


def furniture(layout: Layout, header: str, page: int, total: int) -> Iterator[Line]:
    """The running header (after the first page) and the page number of a page."""
    font = layout.font
    if layout.running_header and page > 1:
        yield Line(LEFT + (TEXT_WIDTH - width_of(header, 10.5, font)) / 2, TOP - 40, header, size=10.5)
    number = layout.number(page, total)
    width = width_of(number, 14, font)
    centred = LEFT + (TEXT_WIDTH - width) / 2
    outer = LEFT + TEXT_WIDTH - width - 14 if page % 2 else LEFT + 14
    x = outer if layout.alternate else centred
    yield Line(x, PAGE_HEIGHT - 62, number, size=14)


def drawn(document: Document, layout: Layout, scratch: Path) -> list[list[Line | Picture | Rule]]:
    """Every page with its furniture, in the order a producer draws it."""
    pages = pages_of(document, layout, scratch)
    return [[*items, *furniture(layout, document.short_title, number, len(pages))] for number, items in enumerate(pages, start=1)]


def character_spacing(line: Line, font: str) -> float:
    """The spacing (Tc) that spreads a justified line's glyphs over its width, else 0."""
    if not line.justify_to:
        return 0.0
    return (line.justify_to - width_of(line.text, line.size, font)) / max(len(line.text) - 1, 1)


def reportlab_pdf(document: Document, layout: Layout, target: Path, scratch: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    path, number, _ = FONTS[layout.font]
    pdfmetrics.registerFont(TTFont("body", path, subfontIndex=number))
    pdf = canvas.Canvas(str(target), pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1)
    pdf.setTitle(document.title)
    for items in drawn(document, layout, scratch):
        for item in items:
            if isinstance(item, Picture):
                pdf.drawImage(str(item.path), item.x, PAGE_HEIGHT - item.y - item.height, item.width, item.height)
            elif isinstance(item, Rule):
                pdf.setStrokeColorRGB(*RED)
                pdf.setLineWidth(1.5)
                pdf.line(LEFT, PAGE_HEIGHT - item.y, LEFT + TEXT_WIDTH, PAGE_HEIGHT - item.y)
            else:
                pdf.setFont("body", item.size)
                pdf.setFillColorRGB(*item.color)
                if layout.glyphs == "single":
                    x = item.x
                    for character in item.text:
                        pdf.drawString(x, PAGE_HEIGHT - item.y, character)
                        x += width_of(character, item.size, layout.font)
                else:
                    pdf.drawString(item.x, PAGE_HEIGHT - item.y, item.text, charSpace=character_spacing(item, layout.font))
        pdf.showPage()
    pdf.save()


def fpdf_pdf(document: Document, layout: Layout, target: Path, scratch: Path) -> None:
    from fpdf import FPDF

    path, number, _ = FONTS[layout.font]
    pdf = FPDF(unit="pt", format=(PAGE_WIDTH, PAGE_HEIGHT))
    pdf.set_auto_page_break(False)
    pdf.add_font("body", fname=path, collection_font_number=number)
    pdf.set_title(document.title)
    pdf.set_creation_date(datetime(2022, 12, 14, tzinfo=UTC))
    for items in drawn(document, layout, scratch):
        pdf.add_page()
        for item in items:
            if isinstance(item, Picture):
                pdf.image(str(item.path), item.x, item.y, item.width, item.height)
            elif isinstance(item, Rule):
                pdf.set_draw_color(*(int(c * 255) for c in RED))
                pdf.set_line_width(1.5)
                pdf.line(LEFT, item.y, LEFT + TEXT_WIDTH, item.y)
            else:
                pdf.set_font("body", size=item.size)
                pdf.set_text_color(*(int(c * 255) for c in item.color))
                pdf.set_char_spacing(character_spacing(item, layout.font))
                pdf.text(item.x, item.y, item.text)
                pdf.set_char_spacing(0)
    pdf.output(str(target))


def css_content(form: str) -> str:
    """A page-number form as CSS generated content."""
    parts = re.split(r"(\{n\}|\{total\})", form)
    return " ".join({"{n}": "counter(page)", "{total}": "counter(pages)"}.get(p, f'"{p}"') for p in parts if p)


def html(document: Document, layout: Layout, scratch: Path) -> str:
    from html import escape

    notice = document.notice
    family = FONTS[layout.font][2]
    number = f"@bottom-center {{ content: {css_content(layout.page_number)}; }}"
    if layout.alternate:
        number = (
            f"}} @page :right {{ @bottom-right {{ content: {css_content(layout.page_number)}; }} }}"
            f" @page :left {{ @bottom-left {{ content: {css_content(layout.page_number)}; }}"
        )
    header = f"@top-center {{ content: '{document.short_title}'; font-size: 10.5pt; }}" if layout.running_header else ""
    spacing = "text-align: justify; letter-spacing: 0.25em;" if layout.glyphs == "justified" else ""
    css = f"""
      @page {{ size: A4; margin: 37mm 26mm 35mm 28mm; font-family: '{family}'; font-size: 14pt; {header} {number} }}
      @page :first {{ @top-center {{ content: none; }} }}
      body {{ font-family: '{family}'; font-size: 16pt; line-height: 28.9pt; }}
      p {{ margin: 0; text-indent: 2em; {spacing} }}
      .centred {{ text-align: center; text-indent: 0; }} .title {{ font-size: 21pt; line-height: 32pt; margin: 12pt 0; }}
      .flush {{ text-indent: 0; }} .date {{ text-align: right; padding-right: 2em; }}
      table.head {{ color: rgb(217, 0, 0); font-size: 26pt; border-collapse: collapse; }}
      table.head td {{ padding: 0 4pt; line-height: 36pt; }} td.wenjian {{ font-size: 42pt; vertical-align: middle; }}
      hr {{ border: 0; border-top: 1.5pt solid rgb(217, 0, 0); margin: 4pt 0 12pt; }}
      .rules {{ page-break-before: always; }}"""
    parts = [
        f"<!doctype html><html lang=zh-CN><head><meta charset=utf-8><title>{escape(document.title)}</title>"
        f"<style>{css}</style></head><body>"
    ]
    if layout.head == "plain":
        parts += [f"<p class='centred title'>{escape(issuer)}</p>" for issuer in notice.issuers]
        parts += [f"<p class='centred title'>{escape(notice.title)}</p>", f"<p class=centred>{escape(notice.number)}</p>"]
    else:
        if layout.head == "red":
            first, second = (escape(issuer) for issuer in notice.issuers)
            parts.append(
                f"<table class=head><tr><td>{first}</td><td rowspan=2 class=wenjian>文件</td></tr><tr><td>{second}</td></tr></table>"
            )
        else:
            picture = scratch / "red-head.png"
            width, height = red_head_png(picture, notice.issuers, "wqy")
            parts.append(f"<img src='{picture.as_uri()}' style='width: {width}pt; height: {height}pt'>")
        parts += [f"<p class=centred>{escape(notice.number)}</p><hr>", f"<p class='centred title'>{escape(notice.title)}</p>"]
    parts += [
        f"<p class=flush>{escape(notice.addressees)}</p>",
        f"<p>{escape(notice.body)}</p><p>&nbsp;</p>",
        f"<p class=centred>{escape(notice.signature)}</p>",
        f"<p class=date>{escape(notice.date)}</p>",
        f"<p>{escape(notice.publication)}</p>",
        f"<div class=rules><p class='centred title'>{escape(document.title)}</p>",
    ]
    parts += [f"<p>{escape(text)}</p>" for text in document.paragraphs]
    return "\n".join([*parts, "</div></body></html>"])


def weasyprint_pdf(document: Document, layout: Layout, target: Path, scratch: Path) -> None:
    from weasyprint import HTML

    HTML(string=html(document, layout, scratch), base_url=str(scratch)).write_pdf(target)


def _docx_font(run_properties: Any, family: str, latin: str | None = None) -> None:
    """The East Asian font, and the Western one (Latin letters, digits, curly quotes) if given:
    Word files from Chinese offices set Times New Roman beside a CJK font."""
    from docx.oxml.ns import qn

    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = run_properties.makeelement(qn("w:rFonts"), {})
        run_properties.append(fonts)
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), latin if latin and key != "w:eastAsia" else family)


def _page_number(paragraph: Any, form: str) -> None:
    """A page-number form as text and PAGE / NUMPAGES fields."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    for part in re.split(r"(\{n\}|\{total\})", form):
        if part in ("{n}", "{total}"):
            field = "PAGE" if part == "{n}" else "NUMPAGES"
            paragraph._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" {field} "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
        elif part:
            paragraph.add_run(part)


def word_file(document: Document, layout: Layout, target: Path, scratch: Path) -> None:
    """The document as a Word file laid out as a clerk would: styles, header and footer fields."""
    from docx import Document as WordDocument
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Mm, Pt, RGBColor

    family = FONTS[layout.font][2]
    word = WordDocument()
    normal = word.styles["Normal"]
    normal.font.size = Pt(SIZE)
    _docx_font(normal.element.get_or_add_rPr(), family, layout.latin_font)
    normal.paragraph_format.first_line_indent = Pt(2 * SIZE)
    normal.paragraph_format.line_spacing = Pt(PITCH)
    normal.paragraph_format.space_after = Pt(0)
    if layout.glyphs == "justified":
        normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin, section.top_margin, section.bottom_margin = Mm(28), Mm(26), Mm(37), Mm(35)
    section.different_first_page_header_footer = True
    word.settings.odd_and_even_pages_header_footer = layout.alternate

    def add(text: str, align: Any = None, size: float | None = None, indent: bool = True, color: Any = None) -> Any:
        paragraph = word.add_paragraph()
        run = paragraph.add_run(text)
        if size:
            run.font.size = Pt(size)
            paragraph.paragraph_format.line_spacing = Pt(size * 1.5)
        if color:
            run.font.color.rgb = color
        if align is not None:
            paragraph.alignment = align
        if not indent or align == WD_ALIGN_PARAGRAPH.CENTER:
            paragraph.paragraph_format.first_line_indent = Pt(0)
        return paragraph

    notice = document.notice
    centre = WD_ALIGN_PARAGRAPH.CENTER
    if layout.head == "plain":
        for issuer in notice.issuers:
            add(issuer, centre, TITLE_SIZE)
        add(notice.title, centre, TITLE_SIZE)
        add(notice.number, centre)
    else:
        red = RGBColor(0xD9, 0, 0)
        if layout.head == "red":
            table = word.add_table(rows=2, cols=2)
            table.autofit = False
            table.columns[0].width, table.columns[1].width = Pt(HEAD_SIZE * 10.8), Pt(TEXT_WIDTH - HEAD_SIZE * 10.8)
            for row in table.rows:
                row.cells[0].width, row.cells[1].width = Pt(HEAD_SIZE * 10.8), Pt(TEXT_WIDTH - HEAD_SIZE * 10.8)
            table.cell(0, 1).merge(table.cell(1, 1))
            for row, issuer in enumerate(notice.issuers):
                cell = table.cell(row, 0).paragraphs[0]
                cell.paragraph_format.first_line_indent = Pt(0)
                cell.paragraph_format.line_spacing = Pt(HEAD_SIZE * 1.4)
                run = cell.add_run(issuer)
                run.font.size, run.font.color.rgb = Pt(HEAD_SIZE), red
            cell = table.cell(0, 1).paragraphs[0]
            cell.paragraph_format.first_line_indent = Pt(0)
            cell.paragraph_format.line_spacing = Pt(HEAD_SIZE * 2.8)
            run = cell.add_run("文件")
            run.font.size, run.font.color.rgb = Pt(HEAD_SIZE * 1.6), red
        else:
            picture = scratch / "red-head.png"
            width, _ = red_head_png(picture, notice.issuers, "wqy")
            word.add_picture(str(picture), width=Pt(width))
            word.paragraphs[-1].paragraph_format.line_spacing = 1.0
        number = add(notice.number, centre)
        number._p.get_or_add_pPr().append(
            parse_xml(f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="12" w:space="4" w:color="D90000"/></w:pBdr>')
        )
        add(notice.title, centre, TITLE_SIZE)
    add(notice.addressees, indent=False)
    add(notice.body)
    add("")
    add(notice.signature, centre)
    add(notice.date, WD_ALIGN_PARAGRAPH.RIGHT)
    add(notice.publication)
    add(document.title, centre, TITLE_SIZE).paragraph_format.page_break_before = True
    for text in document.paragraphs:
        add(text)

    footers = [
        (section.first_page_footer, WD_ALIGN_PARAGRAPH.RIGHT if layout.alternate else centre),
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT if layout.alternate else centre),
    ]
    if layout.alternate:
        footers.append((section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT))
    for footer, align in footers:
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        paragraph.paragraph_format.first_line_indent = Pt(0)
        _page_number(paragraph, layout.page_number)
    if layout.running_header:
        headers = [section.header, *([section.even_page_header] if layout.alternate else [])]
        for header in headers:
            paragraph = header.paragraphs[0]
            paragraph.alignment = centre
            paragraph.paragraph_format.first_line_indent = Pt(0)
            paragraph.add_run(document.short_title).font.size = Pt(10.5)
    word.save(str(target))


def office_pdf(source: Path, target: Path, scratch: Path) -> None:
    """LibreOffice's PDF of a Word file, as a Word or WPS user exports it."""
    profile = (scratch / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(scratch), str(source)],
        check=True,
        capture_output=True,
    )
    (scratch / f"{source.stem}.pdf").replace(target)


def docx_pdf(document: Document, layout: Layout, target: Path, scratch: Path) -> None:
    word = scratch / f"{target.stem}.docx"
    word_file(document, layout, word, scratch)
    office_pdf(word, target, scratch)


def pandoc_pdf(document: Document, layout: Layout, target: Path, scratch: Path) -> None:
    """Markdown -> Word by pandoc (its reference file given the official styles) -> PDF by LibreOffice."""
    from docx import Document as WordDocument
    from docx.shared import Pt

    reference = scratch / "reference.docx"
    reference.write_bytes(subprocess.run(["pandoc", "--print-default-data-file", "reference.docx"], check=True, capture_output=True).stdout)
    word = WordDocument(str(reference))
    family = FONTS[layout.font][2]
    for name in ("Normal", "Body Text", "First Paragraph", "Title"):
        style = word.styles[name]
        _docx_font(style.element.get_or_add_rPr(), family)
        style.font.size = Pt(TITLE_SIZE if name == "Title" else SIZE)
        style.paragraph_format.first_line_indent = Pt(0 if name == "Title" else 2 * SIZE)
        style.paragraph_format.line_spacing = Pt(PITCH)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.space_before = Pt(0)
    footer = word.sections[0].footer.paragraphs[0]
    footer.alignment = 1
    _page_number(footer, layout.page_number)
    word.save(str(reference))
    notice = document.notice
    page_break = '```{=openxml}\n<w:p><w:r><w:br w:type="page"/></w:r></w:p>\n```'
    blocks = [
        *notice.issuers,
        notice.title,
        notice.number,
        notice.addressees,
        notice.body,
        notice.signature,
        notice.date,
        notice.publication,
        page_break,
        document.title,
        *document.paragraphs,
    ]
    markdown = scratch / f"{target.stem}.md"
    markdown.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    docx = scratch / f"{target.stem}.docx"
    subprocess.run(
        ["pandoc", "-f", "markdown-auto_identifiers", str(markdown), "--reference-doc", str(reference), "-o", str(docx)], check=True
    )
    office_pdf(docx, target, scratch)
