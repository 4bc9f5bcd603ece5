"""`make bench`: `chuanyu add` of the shipped document's PDF, time and peak memory, by PDFium
(the reader) against the former pypdf path (the same add, its PDF read by pypdf's
extract_text, as before issue 20).

Each figure is a process of its own (the median of a few runs; peak memory is its maximum
resident set) adding the PDF over the shipped document in a copy of the catalogue. The PDF is
tests/official_pdfs/control-reportlab.pdf, the one layout both read the same. Figures, not a test.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PDF = ROOT / "tests" / "official_pdfs" / "control-reportlab.pdf"

#: A child that runs `chuanyu ARGS`, the PDF read as the reader reads it or (argv[1] == "pypdf")
#: as pypdf's extract_text did; it prints its peak resident set in KiB last.
CHILD = """
import resource, sys
path = sys.argv[1]
if path == "pypdf":
    import io
    from chuanyu import sources
    from chuanyu.pdf import PageLine, PdfText
    def pypdf_text(content, display, longest):
        from pypdf import PdfReader
        pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]
        lines = [PageLine(n, line) for n, page in enumerate(pages, start=1) for line in page.split("\\n")]
        return PdfText(lines, len(pages), 0, 0)
    sources.pdf_text = pypdf_text
from chuanyu.entry import main
sys.argv = ["chuanyu", *sys.argv[2:]]
try:
    main()
except SystemExit as exc:
    if exc.code:
        raise
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def added(path: str, data: Path) -> tuple[float, int]:
    """Seconds and peak KiB of one `add` of the PDF over the shipped document in `data`."""
    argv = [sys.executable, "-c", CHILD, path, "add", str(PDF), "--id", "wfc-joint-rules-2022", "--replace", "--data", str(data)]
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"bench_pdf: add by {path} failed: {done.stderr.strip()}")
    return time.perf_counter() - started, int(done.stderr.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as work:
        print(f"chuanyu add {PDF.relative_to(ROOT)} ({PDF.stat().st_size // 1024} KiB) · median of {runs} runs")
        for label, path in (("PDFium (pypdfium2)", "pdfium"), ("pypdf (before)", "pypdf")):
            figures = []
            for run in range(runs):
                data = Path(work) / f"{path}-{run}"
                shutil.copytree(ROOT / "data", data)
                figures.append(added(path, data))
            seconds = statistics.median(s for s, _ in figures)
            peak = max(kib for _, kib in figures)
            print(f"{label:22} {seconds * 1000:7.0f} ms  peak {peak / 1024:6.1f} MiB")


if __name__ == "__main__":
    main()
