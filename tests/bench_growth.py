"""`make bench-growth`: how build and queries grow with the catalogue (figures, not a test).

Synthetic catalogues of the shipped one's shape (about 200 characters of text and 10 units a
measure, made from the real texts and agencies) at 1k, 10k and 100k measures: build time, peak
memory, database size, and the time of agency, pairs, gaps and a 2- and a 4-character search,
each a whole process (median of 5), with the size of its answer: the answers themselves grow
with the catalogue, so each query's growth is shown beside its answer's.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
QUERIES = {
    "agency": ["agency", "人行重庆营管部", "--format", "json"],
    "pairs": ["pairs", "--format", "json"],
    "gaps": ["gaps", "--format", "json"],
    "search 2": ["search", "金融", "--format", "json"],
    "search 4": ["search", "金融科技", "--format", "json"],
    # the first rows only: what a person at a terminal or a paging script asks of a large catalogue
    "gaps --limit 50": ["gaps", "--limit", "50", "--format", "json"],
    "search 2 --limit 50": ["search", "金融", "--limit", "50", "--format", "json"],
}


def synthetic(size: int, folder: Path) -> None:
    """A catalogue of `size` measures in `folder`, shaped like the shipped one."""
    shipped = yaml.load((ROOT / "data" / "measures.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    agencies = yaml.load((ROOT / "data" / "agencies.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["agencies"]
    successors = {s["id"] for a in agencies for s in a.get("successors", [])}
    listed = [a for a in agencies if a["id"] not in successors]
    by_side = {
        "chongqing": [a["id"] for a in listed if a["province"] == "chongqing"],
        "sichuan": [a["id"] for a in listed if a["province"] == "sichuan" and a["level"] != "city-government"],
        "local": [a["id"] for a in listed if a["level"] == "city-government"],
        "joint": [a["id"] for a in listed if a["province"] is None],
    }
    texts = "".join(m["text"] for c in shipped["chapters"] for s in c["sections"] for m in s["measures"])
    chances = random.Random(size)
    sections_per_chapter = max(1, size // 2 // 8)
    chapters, number, section = [], 0, 0
    for c in range(1, 9):
        sections = []
        for _ in range(sections_per_chapter):
            section += 1
            measures = []
            for _ in range(2 if c < 8 else max(2, size - number - 2 * (sections_per_chapter - len(sections) - 1))):
                if number >= size:
                    break
                number += 1
                start = chances.randrange(len(texts) - 200)
                if number <= len(by_side["joint"]) or number % 58 == 55:
                    responsible = {"joint": by_side["joint"][:1]}
                else:
                    # every unit appears early on, so that none is unreferenced
                    first = [by_side["chongqing"][number % len(by_side["chongqing"])], by_side["sichuan"][number % len(by_side["sichuan"])]]
                    responsible = {
                        "chongqing": list(dict.fromkeys([first[0], *chances.sample(by_side["chongqing"], 4)])),
                        "sichuan": list(dict.fromkeys([first[1], *chances.sample(by_side["sichuan"], 4)])),
                    }
                    if chances.random() < 0.5 or number <= 2:
                        responsible["local"] = [by_side["local"][number % 2]]
                measures.append({"number": number, "text": texts[start : start + 200], "responsible": responsible})
            if measures:
                sections.append({"number": section, "title": f"第{section}节", "measures": measures})
        chapters.append({"number": c, "title": f"第{c}章", "sections": sections})
    document = {**shipped["document"], "id": f"synthetic-{size}"}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "measures.yaml").write_text(
        yaml.dump({"document": document, "chapters": chapters}, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    (folder / "agencies.yaml").write_bytes((ROOT / "data" / "agencies.yaml").read_bytes())


def timed(argv: list[str], env: dict[str, str], out: int = subprocess.DEVNULL) -> float:
    started = time.perf_counter()
    result = subprocess.run(argv, env=env, stdout=out, stderr=subprocess.PIPE, text=True)
    if result.returncode:
        raise SystemExit(f"{' '.join(argv)} failed: {result.stderr.strip()[:500]}")
    return time.perf_counter() - started


def answer_size(argv: list[str], env: dict[str, str]) -> int:
    """The bytes a query writes (a run of its own, not timed)."""
    with tempfile.TemporaryFile() as answer:
        timed(argv, env, answer.fileno())
        return answer.seek(0, os.SEEK_END)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    sizes, runs = [int(s) for s in arguments.sizes.split(",")], arguments.runs
    chuanyu = str(Path(sys.executable).parent / "chuanyu")
    print(f"python {sys.version.split()[0]} · {os.cpu_count()} cores · each query a whole process, median of {runs}")
    print(f"{'measures':>9} {'build s':>8} {'peak MB':>8} {'db MB':>6}", flush=True)
    times: dict[int, dict[str, float]] = {}
    answers: dict[int, dict[str, int]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for size in sizes:
            data, cache = Path(scratch) / f"data-{size}", Path(scratch) / f"cache-{size}"
            synthetic(size, data)
            env = {**os.environ, "CHUANYU_CACHE": str(cache), "CHUANYU_DATA": str(data)}
            build = timed([chuanyu, "build"], env)
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child so far: sizes rise
            (database,) = cache.glob("*.db")
            print(f"{size:>9} {build:>8.1f} {peak:>8.0f} {database.stat().st_size / 2**20:>6.1f}", flush=True)
            answers[size] = {q: answer_size([chuanyu, *args], env) for q, args in QUERIES.items()}  # and warms the file cache
            times[size] = {q: statistics.median(timed([chuanyu, *args], env) for _ in range(runs)) for q, args in QUERIES.items()}
    first, last = sizes[0], sizes[-1]
    print(f"\n{'query (ms)':<20}" + "".join(f"{size:>9}" for size in sizes) + f"{'growth':>8}   answer, {first} → {last}")
    for q in QUERIES:
        print(
            f"{q:<20}"
            + "".join(f"{times[size][q] * 1000:>9.0f}" for size in sizes)
            + f"{times[last][q] / times[first][q]:>7.1f}×"
            + f"   {_bytes(answers[first][q])} → {_bytes(answers[last][q])} ({answers[last][q] / answers[first][q]:.0f}×)"
        )
    print("targets: build at 100k within 30 s and 1.5 GB; each query at 100k within 3× its time at 1k")


def _bytes(count: int) -> str:
    return f"{count / 2**20:.1f}M" if count >= 2**20 else f"{count / 2**10:.0f}K"


if __name__ == "__main__":
    main()
