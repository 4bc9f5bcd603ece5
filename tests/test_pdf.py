"""`chuanyu extract` reads a document's PDF: a PDF made here from the shipped text, page-numbered
as the real one is, gives the same catalogue as the text; a scan, a broken PDF or one locked by a
password is one line and exit 1 (tests/test_official_pdfs.py: the official layouts)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import DATA, SOURCE, run
from make_pdf import A4, LINES_A_PAGE, cjk_font
from make_pdf import make_pdf as write_pdf


def make_pdf(text: str, path: Path) -> None:
    font = cjk_font()
    if font is None:
        pytest.skip("no CJK font to write the PDF with: install Debian's fonts-wqy-microhei (make test does, as root)")
    write_pdf(text, path, font)


def catalogue_of(yaml_text: str) -> dict[str, object]:
    content = yaml.safe_load(yaml_text)
    assert isinstance(content, dict)
    return content


def test_the_pdf_gives_the_catalogue_the_text_gives(tmp_path: Path) -> None:
    pdf = tmp_path / "wfc-joint-rules-2022.pdf"
    make_pdf(SOURCE.read_text(encoding="utf-8"), pdf)
    from_pdf = run("extract", str(pdf), "--id", "wfc-joint-rules-2022")
    assert (from_pdf.code, from_pdf.stderr) == (0, "")
    shipped = catalogue_of((DATA / "measures.yaml").read_text(encoding="utf-8"))
    extracted = catalogue_of(from_pdf.stdout)
    assert extracted["document"] == {**shipped["document"], "source": "sources/wfc-joint-rules-2022.pdf"}  # type: ignore[dict-item]
    assert extracted["chapters"] == shipped["chapters"]
    body = from_pdf.stdout.split("\n", 1)[1].replace("sources/wfc-joint-rules-2022.pdf", "sources/wfc-joint-rules-2022.txt")
    assert body == (DATA / "measures.yaml").read_text(encoding="utf-8").split("\n", 1)[1]  # byte for byte but the source's name


def test_a_pdf_without_text_is_one_line_and_exit_1(tmp_path: Path) -> None:
    import cairocffi as cairo

    pdf = tmp_path / "scan.pdf"
    surface = cairo.PDFSurface(str(pdf), *A4)
    context = cairo.Context(surface)
    context.rectangle(50, 50, 200, 100)
    context.fill()
    surface.finish()
    result = run("extract", str(pdf))
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr.endswith(": file: the PDF holds no text (a scan? only PDFs with text can be read)\n")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("content", [b"%PDF-1.7\n", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF\n", b"%PDF-" + bytes(range(256)) * 40])
def test_a_broken_pdf_is_one_line_and_exit_1(tmp_path: Path, content: bytes) -> None:
    pdf = tmp_path / "broken.pdf"
    pdf.write_bytes(content)
    result = run("extract", str(pdf))
    assert (result.code, result.stdout) == (1, "")
    assert len(result.stderr.splitlines()) == 1 and "broken.pdf:1: file: " in result.stderr, result.stderr


@pytest.mark.parametrize(("user_password", "code"), [("secret", 1), ("", 0)])
def test_a_pdf_locked_by_a_password_is_one_line_and_one_only_restricted_reads(tmp_path: Path, user_password: str, code: int) -> None:
    """A PDF that asks for a password to open is refused in one line; one that only restricts
    printing or copying (an owner's password) opens and reads as any viewer shows it."""
    from pypdf import PdfWriter

    plain = tmp_path / "plain.pdf"
    make_pdf(SOURCE.read_text(encoding="utf-8"), plain)
    writer = PdfWriter(clone_from=plain)
    writer.encrypt(user_password, owner_password="owner", algorithm="RC4-128")
    locked = tmp_path / "wfc-joint-rules-2022.pdf"
    writer.write(locked)
    result = run("extract", str(locked))
    assert result.code == code
    if code:
        assert (result.stdout, result.stderr) == ("", f"{locked}:1: file: an encrypted PDF: save it without a password first\n")
    else:
        assert catalogue_of(result.stdout)["chapters"] == catalogue_of((DATA / "measures.yaml").read_text(encoding="utf-8"))["chapters"]


def test_a_scan_with_page_numbers_as_text_is_a_scan(tmp_path: Path) -> None:
    """Pages whose only text is their number hold no text of the document."""
    pdf = tmp_path / "scan.pdf"
    make_pdf("\n" * (LINES_A_PAGE * 3 - 1), pdf)  # three pages, blank but for their numbers
    result = run("extract", str(pdf))
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr.endswith(": file: the PDF holds no text (a scan? only PDFs with text can be read)\n")
