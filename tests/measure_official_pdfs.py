"""How today's chuanyu and three PDF text extractors fare on tests/official_pdfs: writes BASELINE.md.

    /work/pdfvenv/bin/python tests/measure_official_pdfs.py    (after `make install`; needs poppler-utils)

For each PDF: `chuanyu extract X.pdf --id wfc-joint-rules-2022` against data/measures.yaml (all but
the two lines that name the source), and for pdftotext -layout, pdftotext, pypdfium2 and pypdf: how
many of the 58 measure texts read whole and in order once whitespace, page furniture, NUL and the
encodings of the manifest are undone, and whether the furniture stands on lines of its own.
"""

from __future__ import annotations

import difflib
import json
import re
import subprocess
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

from make_official_pdfs import FOUNDER, RADICAL_SUPPLEMENT

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "tests" / "official_pdfs"
EXPECTED = (ROOT / "data" / "measures.yaml").read_text(encoding="utf-8")
_NAMES_SOURCE = re.compile(r"^(# Made by .*|  source: .*)$")
MEASURES = re.findall(r"^      text: (.*)$", EXPECTED, re.M)
_UNDONE = {**{v: k for k, v in FOUNDER.items()}, **{v: k for k, v in RADICAL_SUPPLEMENT.items()}}


def normalised(text: str) -> str:
    """The text as it reads: NFKC (Kangxi radicals, compatibility ideographs, full-width forms),
    Founder and radical-supplement forms mapped back, whitespace, NUL and control characters dropped."""
    text = "".join(_UNDONE.get(character, character) for character in text if character.isprintable())
    return "".join(unicodedata.normalize("NFKC", text).split())


def without_source(yaml_text: str) -> list[str]:
    return [line for line in yaml_text.splitlines() if not _NAMES_SOURCE.match(line)]


def extract(pdf: Path) -> dict[str, str]:
    """chuanyu extract's verdict on a PDF: ok, or the first lines of the diff or of stderr."""
    run = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "chuanyu"), "extract", str(pdf), "--id", "wfc-joint-rules-2022"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    got, want = without_source(run.stdout), without_source(EXPECTED)
    head = {key: (re.search(rf"^  {key}: (.*)$", run.stdout, re.M) or [None, "—"])[1] for key in ("number", "date")}
    issuers = re.search(r"^  issuers:\n((?:  - .*\n)*)", run.stdout, re.M)
    head["issuers"] = ", ".join(line[4:] for line in issuers[1].splitlines()) if issuers else "—"
    if run.returncode == 0 and got == want:
        return {"verdict": "**same catalogue**", **head, "exit": "0"}
    diff = [line for line in difflib.unified_diff(want, got, lineterm="", n=0) if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    stderr = run.stderr.strip().splitlines()
    first = stderr[0] if stderr else ""
    return {"verdict": f"{len(diff)} lines differ", "first": (diff[:2], first[:160], len(stderr)), **head, "exit": str(run.returncode)}


def readers() -> dict[str, Callable[[Path], list[str]]]:
    """Each extractor's text of a PDF, a page after another."""

    def poppler(*options: str) -> Callable[[Path], list[str]]:
        def read(pdf: Path) -> list[str]:
            return subprocess.run(
                ["pdftotext", *options, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout.split("\f")

        return read

    def pdfium(pdf: Path) -> list[str]:
        import pypdfium2

        document = pypdfium2.PdfDocument(pdf)
        return [page.get_textpage().get_text_range() for page in document]

    def pypdf(pdf: Path) -> list[str]:
        from pypdf import PdfReader

        return [page.extract_text() or "" for page in PdfReader(pdf).pages]

    return {"pdftotext -layout": poppler("-layout"), "pdftotext": poppler(), "pypdfium2": pdfium, "pypdf": pypdf}


def furniture_lines(pages: list[str], header: str | None, form: str) -> tuple[int, int, int]:
    """(pages, pages whose number is a line of its own, pages after the first whose header is)."""
    numbered = headed = 0
    for number, page in enumerate(pages, start=1):
        lines = {normalised(line) for line in page.splitlines()}
        numbered += normalised(form.format(n=number, total=len(pages))) in lines
        headed += bool(header) and number > 1 and normalised(header or "") in lines
    return len(pages), numbered, headed


def in_order(pages: list[str], header: str | None, form: str) -> int:
    """How many measure texts read whole, in order, in the text with furniture and encodings undone."""
    kept = []
    for number, page in enumerate(pages, start=1):
        furniture = {normalised(header or ""), normalised(form.format(n=number, total=len(pages)))}
        kept.extend(line for line in map(normalised, page.splitlines()) if line not in furniture)
    text = "".join(kept)
    found, position = 0, 0
    for measure in MEASURES:
        at = text.find(normalised(measure), position)
        if at >= 0:
            found, position = found + 1, at
    return found


def first_lines(pages: list[str]) -> str:
    return " ⏎ ".join(" ".join(line.split()) for line in pages[0].splitlines() if line.strip())[:70] if pages else ""


def main() -> None:
    manifest = json.loads((FOLDER / "manifest.json").read_text(encoding="utf-8"))
    extractors = readers()
    rows, details, reading = [], [], []
    seconds = dict.fromkeys(extractors, 0.0)
    for entry in manifest:
        pdf = FOLDER / entry["file"]
        verdict = extract(pdf)
        rows.append(
            f"| {entry['file']} | {entry['producer']} | {verdict['verdict']} | exit {verdict['exit']} | "
            f"{verdict['number']} | {verdict['date']} | {verdict['issuers']} |"
        )
        if "first" in verdict:
            diff, stderr, count = verdict["first"]
            details.append(
                f"- **{entry['file']}**: "
                + (f"stderr ({count} lines): `{stderr}`" if stderr else "no stderr")
                + "".join(f"\n  `{line[:150]}`" for line in diff)
            )
        header, form = entry["running_header"], entry["page_number_form"]
        cells = []
        for name, read in extractors.items():
            try:
                started = time.perf_counter()
                pages = [page for page in read(pdf) if page.strip()]
                seconds[name] += time.perf_counter() - started
            except Exception as exc:  # an extractor that fails on a PDF is a finding, not a stop
                cells.append(f"fails: {type(exc).__name__}")
                continue
            total, numbered, headed = furniture_lines(pages, header, form)
            cells.append(f"{in_order(pages, header, form)}/58; no. {numbered}/{total}" + (f"; hdr {headed}/{total - 1}" if header else ""))
            if name == "pdftotext":
                first = first_lines(pages)
        reading.append(f"| {entry['file']} | " + " | ".join(cells) + f" | {first} |")
    baseline = FOLDER / "BASELINE.md"
    text = baseline.read_text(encoding="utf-8").split("<!-- measured -->")[0] if baseline.exists() else ""
    baseline.write_text(
        text + "<!-- measured -->\n\n## `chuanyu extract` today (pypdf)\n\n"
        "| PDF | producer | against data/measures.yaml | exit | number | date | issuers |\n|---|---|---|---|---|---|---|\n"
        + "\n".join(rows)
        + "\n\n### What goes wrong (first changed lines of the diff, first line of stderr)\n\n"
        + "\n".join(details)
        + "\n\n## Text extractors\n\nEach cell: measure texts that read whole and in order (of 58) once whitespace is dropped, "
        "NFKC applied, Founder forms mapped back and furniture lines removed; pages whose page number is a line of its own; "
        "pages after the first whose running header is a line of its own.\n\n"
        "| PDF | pdftotext -layout | pdftotext | pypdfium2 | pypdf | pdftotext, page 1 starts |\n|---|---|---|---|---|---|\n"
        + "\n".join(reading)
        + "\n\nTime to read all the PDFs (one run, a shared 2-core machine; pdftotext includes starting its process): "
        + ", ".join(f"{name} {spent:.1f} s" for name, spent in seconds.items())
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
