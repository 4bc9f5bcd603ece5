"""A PDF of a document's text, as a word processor writes one: `python tests/make_pdf.py TEXT PDF`.

For the tests and README's walkthrough: a line of the text a line of a page, fifty lines a page,
the page's number at its foot (— 3 —), in the first CJK font fontconfig knows.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

A4 = (595, 842)
LINES_A_PAGE = 50


def cjk_font() -> str | None:
    """The family of a CJK font fontconfig knows, or None."""
    if not shutil.which("fc-list"):
        return None
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    return fonts.splitlines()[0].split(",")[0] if fonts.strip() else None


def make_pdf(text: str, path: Path, font: str) -> None:
    import cairocffi as cairo

    surface = cairo.PDFSurface(str(path), *A4)
    context = cairo.Context(surface)
    context.select_font_face(font)
    context.set_font_size(10)
    lines = text.split("\n")
    for page, start in enumerate(range(0, len(lines), LINES_A_PAGE), start=1):
        for row, line in enumerate(lines[start : start + LINES_A_PAGE]):
            context.move_to(40, 50 + row * 14)
            context.show_text(line)
        context.move_to(A4[0] / 2 - 15, A4[1] - 30)
        context.show_text(f"— {page} —")
        context.show_page()
    surface.finish()


if __name__ == "__main__":
    font = cjk_font()
    if font is None:
        sys.exit("make_pdf: no CJK font: install Debian's fonts-wqy-microhei")
    make_pdf(Path(sys.argv[1]).read_text(encoding="utf-8"), Path(sys.argv[2]), font)
