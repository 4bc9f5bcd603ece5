"""Official-layout PDFs of the shipped document, for the tests of issue 20's PDF reader.

    python3 -m venv /work/pdfvenv
    /work/pdfvenv/bin/pip install reportlab fpdf2 weasyprint python-docx pypdf pillow fonttools
    apt-get install libreoffice-writer-nogui pandoc poppler-utils fonts-noto-cjk fonts-wqy-microhei
    /work/pdfvenv/bin/python tests/make_official_pdfs.py      # writes tests/official_pdfs/

None of these producers is a dependency of chuanyu: CI never runs this script, the PDFs it made are
committed. Each PDF typesets `data/sources/wfc-joint-rules-2022.txt` (the notice, the title, 8
chapters, 58 measures) as official documents are laid out: paragraphs reflowed to the page width
with 2-character first-line indents, so lines and pages break inside words, clauses and unit names.
`PDFS` at the foot says which producer lays out which features; `manifest.json` records them.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from make_official_layouts import docx_pdf, fpdf_pdf, pandoc_pdf, reportlab_pdf, weasyprint_pdf

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data" / "sources" / "wfc-joint-rules-2022.txt"
OUT = ROOT / "tests" / "official_pdfs"
_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+．)")

#: Founder (方正) fonts' ToUnicode: full-width punctuation read back as Yi syllables and Latin forms.
FOUNDER = {"，": "\ua3ac", "。": "\ua3ae", "；": "\ua3bb", "：": "\ua3ba", "（": "(", "）": ")", "《": "«", "》": "»"}
#: Simplified radicals a common font's ToUnicode gives that NFKC does not map back.
RADICAL_SUPPLEMENT = {"长": "\u2ed3", "见": "\u2ec5", "车": "\u2ecb", "门": "\u2ed4", "页": "\u2eda", "贝": "\u2ec9"}


@dataclass(frozen=True)
class Notice:
    """The covering notice: who issues it, its title, number, addressees, body, signature, date."""

    issuers: tuple[str, str]
    title: str
    number: str
    addressees: str
    body: str
    signature: str
    date: str
    publication: str


@dataclass(frozen=True)
class Document:
    """The shipped document as paragraphs, not as the lines of the PDF it was extracted from."""

    notice: Notice
    title: str
    paragraphs: tuple[str, ...]
    short_title: str


@dataclass(frozen=True)
class Layout:
    """What a PDF lays out: its head, page furniture, glyph placement and text encoding."""

    head: str = "plain"  # plain (issuers as lines) | red (red head with 文件) | picture (a PNG of it)
    running_header: bool = False
    page_number: str = "— {n} —"  # a form with {n} and {total}
    alternate: bool = False  # page numbers right on odd pages, left on even
    glyphs: str = "runs"  # runs | single (each glyph placed alone) | justified (Tc >= 0.25 em)
    font: str = "wqy"  # wqy (TrueType) | noto (CFF, OpenType)
    latin_font: str | None = None  # a Word file's font for Latin letters, digits and curly quotes
    to_unicode: dict[str, str] = field(default_factory=dict)  # the PDF's text for a drawn character
    substituted: dict[str, str] = field(default_factory=dict)  # characters typeset as other code points

    def number(self, page: int, total: int) -> str:
        return self.page_number.format(n=page, total=total)


def read_document(path: Path) -> Document:
    """The notice and the rules' paragraphs of the shipped text, whose lines are the PDF's lines."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    end = lines.index("（此件公开发布）")
    head, rules = lines[: end + 1], lines[end + 1 :]
    assert re.fullmatch(r"\S+〔\d{4}〕\d+号", head[4]) and head[9].split() == head[:2], head
    notice = Notice(
        issuers=(head[0], head[1]),
        title=head[2] + head[3],
        number=head[4],
        addressees=head[5] + head[6],
        body=head[7] + head[8],
        signature=head[9],
        date=head[10],
        publication=head[11],
    )
    paragraphs: list[str] = []
    for line in rules[1:]:
        if _MARKER.match(line) or not paragraphs:
            paragraphs.append(line)
        else:
            paragraphs[-1] += line
    return Document(notice=notice, title=rules[0], paragraphs=tuple(paragraphs), short_title=rules[0])


def kangxi_forms(text: str) -> dict[str, str]:
    """Each character of the text that a Kangxi radical or compatibility ideograph NFKC-maps to,
    and the first such form (as a font's ToUnicode gives it for a glyph both share)."""
    forms: dict[str, str] = {}
    for code in [*range(0x2F00, 0x2FE0), *range(0xF900, 0xFB00), *range(0x2F800, 0x2FA20)]:
        form = chr(code)
        plain = unicodedata.normalize("NFKC", form)
        if len(plain) == 1 and plain != form and plain in text:
            forms.setdefault(plain, form)
    return forms


def substituted(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(character, character) for character in text)


def with_text(document: Document, table: dict[str, str]) -> Document:
    """The document with its characters substituted, for a producer to typeset as they are."""
    if not table:
        return document

    def swapped(value: str | tuple[str, ...]) -> Any:
        return tuple(substituted(part, table) for part in value) if isinstance(value, tuple) else substituted(value, table)

    notice = Notice(**{name: swapped(value) for name, value in vars(document.notice).items()})
    return Document(
        notice=notice,
        title=substituted(document.title, table),
        paragraphs=tuple(substituted(p, table) for p in document.paragraphs),
        short_title=substituted(document.short_title, table),
    )


def remap_to_unicode(path: Path, table: dict[str, str]) -> int:
    """Rewrite every font's ToUnicode CMap so that a glyph drawn for a key reads as its value:
    how Founder fonts and fonts sharing radical glyphs encode text. The number of glyphs remapped."""
    from pypdf import PdfReader, PdfWriter

    codes = {k.encode("utf-16-be").hex().upper(): v.encode("utf-16-be").hex().upper() for k, v in table.items()}
    writer = PdfWriter(clone_from=PdfReader(path))
    remapped = 0
    seen: set[int] = set()
    for page in writer.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            if "/ToUnicode" not in font or id(font["/ToUnicode"].get_object()) in seen:
                continue
            stream = font["/ToUnicode"].get_object()
            seen.add(id(stream))
            mapping = read_cmap(stream.get_data().decode("latin-1"))
            for glyph, text in mapping.items():
                if text in codes:
                    mapping[glyph] = codes[text]
                    remapped += 1
            stream.set_data(written_cmap(mapping).encode("latin-1"))
    writer.write(path)
    return remapped


def read_cmap(cmap: str) -> dict[str, str]:
    """A ToUnicode CMap's bfchar and bfrange entries as glyph code -> UTF-16BE hex."""
    mapping: dict[str, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for glyph, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[glyph.upper()] = text.upper()
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for first, last, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])", block):
            width = len(first)
            targets = re.findall(r"<([0-9A-Fa-f]+)>", target)
            for offset, code in enumerate(range(int(first, 16), int(last, 16) + 1)):
                text = targets[offset] if target.startswith("[") else f"{int(targets[0], 16) + offset:0{len(targets[0])}X}"
                mapping[f"{code:0{width}X}"] = text.upper()
    return mapping


def written_cmap(mapping: dict[str, str]) -> str:
    width = max(len(glyph) for glyph in mapping)
    entries = sorted(mapping.items())
    blocks = [
        f"{len(chunk)} beginbfchar\n" + "\n".join(f"<{g}> <{t}>" for g, t in chunk) + "\nendbfchar"
        for chunk in (entries[i : i + 100] for i in range(0, len(entries), 100))
    ]
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        f"1 begincodespacerange\n<{'0' * width}> <{'F' * width}>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )


@dataclass(frozen=True)
class Official:
    """One PDF to make: its file, producer and layout, and what the layout tries."""

    file: str
    producer: str
    layout: Layout
    features: tuple[str, ...]


def pdfs(text: str) -> list[Official]:
    kangxi = kangxi_forms(text)
    radicals = {**kangxi, **RADICAL_SUPPLEMENT}
    bare, pages_of, dash, slash = "{n}", "第 {n} 页 共 {total} 页", "- {n} -", "{n}/{total}"
    return [
        Official("control-reportlab.pdf", "reportlab", Layout(), ("control: plain head, — N —",)),
        Official(
            "redhead-reportlab.pdf",
            "reportlab",
            Layout(head="red", running_header=True, alternate=True),
            ("red head", "running header", "— N — alternating left/right"),
        ),
        Official(
            "picture-head-reportlab.pdf",
            "reportlab",
            Layout(head="picture", page_number=bare),
            ("red head as a picture", "bare page numbers"),
        ),
        Official(
            "glyphs-reportlab.pdf",
            "reportlab",
            Layout(head="red", glyphs="single", page_number=pages_of),
            ("red head", "each glyph placed alone", "第 N 页 共 M 页"),
        ),
        Official(
            "founder-reportlab.pdf",
            "reportlab",
            Layout(head="red", running_header=True, to_unicode=FOUNDER),
            ("red head", "running header", "Founder punctuation in ToUnicode", "— N —"),
        ),
        Official(
            "kangxi-reportlab.pdf",
            "reportlab",
            Layout(head="red", page_number=dash, to_unicode=radicals),
            ("red head", "Kangxi radicals and radical-supplement forms in ToUnicode", "- N -"),
        ),
        Official(
            "header-fpdf2.pdf", "fpdf2", Layout(head="red", running_header=True, page_number=dash), ("red head", "running header", "- N -")
        ),
        Official(
            "justified-fpdf2.pdf",
            "fpdf2",
            Layout(head="red", glyphs="justified", page_number=slash),
            ("red head", "justified with character spacing >= 0.25 em", "N/M"),
        ),
        Official(
            "picture-head-fpdf2.pdf",
            "fpdf2",
            Layout(head="picture", running_header=True, page_number=pages_of, to_unicode=FOUNDER),
            ("red head as a picture", "running header", "Founder punctuation in ToUnicode", "第 N 页 共 M 页"),
        ),
        Official(
            "cff-fpdf2.pdf",
            "fpdf2",
            Layout(head="red", font="noto", alternate=True, page_number=bare),
            ("red head", "CFF font (Noto Serif CJK)", "bare numbers alternating left/right"),
        ),
        Official(
            "redhead-weasyprint.pdf",
            "weasyprint",
            Layout(head="red", running_header=True, font="noto"),
            ("red head", "running header", "CFF font (Noto Serif CJK)", "— N —"),
        ),
        Official(
            "kangxi-weasyprint.pdf",
            "weasyprint",
            Layout(head="red", font="noto", page_number=pages_of, substituted=kangxi),
            ("red head", "Kangxi radicals typeset as such (NFKC maps them back)", "CFF font", "第 N 页 共 M 页"),
        ),
        Official(
            "justified-weasyprint.pdf",
            "weasyprint",
            Layout(head="picture", running_header=True, glyphs="justified", alternate=True, page_number=slash),
            ("red head as a picture", "running header", "justified, letter-spacing 0.25 em", "N/M alternating left/right"),
        ),
        Official(
            "redhead-libreoffice.pdf",
            "python-docx -> LibreOffice",
            Layout(head="red", running_header=True, font="noto"),
            ("red head", "running header", "CFF font (Noto Serif CJK)", "— N —"),
        ),
        Official(
            "picture-head-libreoffice.pdf",
            "python-docx -> LibreOffice",
            Layout(head="picture", alternate=True, page_number=bare),
            ("red head as a picture", "bare numbers alternating left/right"),
        ),
        Official(
            "pages-of-libreoffice.pdf",
            "python-docx -> LibreOffice",
            Layout(head="red", running_header=True, page_number=pages_of, font="noto", substituted=kangxi),
            ("red head", "running header", "Kangxi radicals typeset as such", "CFF font", "第 N 页 共 M 页"),
        ),
        Official(
            "word-fonts-libreoffice.pdf",
            "python-docx -> LibreOffice",
            Layout(head="red", running_header=True, latin_font="Times New Roman", glyphs="justified"),
            ("red head", "running header", "justified", "Times New Roman for Latin, digits and quotes beside the CJK font", "— N —"),
        ),
        Official(
            "redhead-only-reportlab.pdf",
            "reportlab",
            Layout(head="red"),
            ("red head", "no other fault: — N — centred, no running header"),
        ),
        Official("control-libreoffice.pdf", "python-docx -> LibreOffice", Layout(), ("control: plain head, — N —",)),
        Official("plain-pandoc.pdf", "pandoc -> LibreOffice", Layout(page_number=dash), ("plain head", "- N -")),
    ]


PRODUCERS = {
    "reportlab": reportlab_pdf,
    "fpdf2": fpdf_pdf,
    "weasyprint": weasyprint_pdf,
    "python-docx -> LibreOffice": docx_pdf,
    "pandoc -> LibreOffice": pandoc_pdf,
}


def main(only: list[str]) -> None:
    text = SOURCE.read_text(encoding="utf-8")
    document = read_document(SOURCE)
    OUT.mkdir(exist_ok=True)
    manifest_path = OUT / "manifest.json"
    manifest = {entry["file"]: entry for entry in json.loads(manifest_path.read_text())} if manifest_path.exists() else {}
    with tempfile.TemporaryDirectory() as scratch:
        for official in pdfs(text):
            if only and official.file not in only:
                continue
            target = OUT / official.file
            PRODUCERS[official.producer](with_text(document, official.layout.substituted), official.layout, target, Path(scratch))
            remapped = remap_to_unicode(target, official.layout.to_unicode) if official.layout.to_unicode else 0
            manifest[official.file] = {
                "file": official.file,
                "producer": official.producer,
                "features": list(official.features),
                "page_number_form": official.layout.page_number,
                "running_header": document.short_title if official.layout.running_header else None,
                "font": {"wqy": "WenQuanYi Micro Hei (TrueType)", "noto": "Noto Serif CJK SC (CFF)"}[official.layout.font],
                "to_unicode_remapped": {k: v for k, v in official.layout.to_unicode.items()} or None,
                "glyphs_remapped": remapped,
                "typeset_as": {k: v for k, v in official.layout.substituted.items()} or None,
                "bytes": target.stat().st_size,
                "expected": {
                    "measures": "data/measures.yaml byte for byte, but its `# Made by` and `source:` lines",
                    "id": "wfc-joint-rules-2022",
                    "number": document.notice.number,
                    "date": "2022-12-14",
                    "issuers": list(document.notice.issuers),
                },
            }
            print(f"{official.file}: {target.stat().st_size // 1024} KB", file=sys.stderr)
    manifest_path.write_text(json.dumps(list(manifest.values()), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if not shutil.which("soffice"):
        print("make_official_pdfs: no soffice: LibreOffice PDFs will fail (apt-get install libreoffice-writer-nogui)", file=sys.stderr)
    main(sys.argv[1:])
