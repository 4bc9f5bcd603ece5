"""`make bench-growth`: how build and queries grow with the catalogue (figures, not a test).

Synthetic catalogues of the shipped one's shape (about 200 characters of text and 10 units a
measure, made from the real texts and agencies) at 1k, 10k and 100k measures: build time, peak
memory, database size; each whole answer's time and size, and its time per megabyte written
(the answers grow with the catalogue, so time per megabyte is what should stay); at the largest
size, the time until a reader has the first line against the same command with --limit 1, and
the peak memory of each whole answer in each data format. Each a whole process.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
#: Whole answers, in JSON lines: the time each takes and its size at each size of catalogue.
QUERIES = {
    "agency": ["agency", "人行重庆营管部", "--format", "json"],
    "measures": ["measures", "--format", "jsonl"],
    "pairs": ["pairs", "--format", "jsonl"],
    "pairs --observed": ["pairs", "--observed", "--format", "jsonl"],
    "gaps": ["gaps", "--format", "jsonl"],
    "gaps --all": ["gaps", "--all", "--format", "jsonl"],
    "search 2": ["search", "金融", "--format", "jsonl"],
    "search 4": ["search", "金融科技", "--format", "jsonl"],
}
#: The commands whose first line is timed against the same command with --limit 1, in each format.
FIRST = {
    "gaps": ["gaps"],
    "measures": ["measures"],
    "search 2": ["search", "金融"],
    "pairs --observed": ["pairs", "--observed"],
    "pairs": ["pairs"],
}
#: The pairs, stored as the database is built: their first line against `measure 1`'s.
PAIRS = {"pairs": ["pairs"], "pairs --observed": ["pairs", "--observed"]}
#: Data formats whose peak memory is measured on the whole answer at the largest size.
FORMATS = ("json", "jsonl", "tsv", "csv", "md")
TARGETS = {"first": 2.0, "memory MB": 80, "per MB": 1.5}


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


def run(argv: list[str], env: dict[str, str]) -> tuple[float, int, float]:
    """(seconds, bytes written, peak memory in MB) of one whole process."""
    with tempfile.TemporaryFile() as answer:
        started = time.perf_counter()
        process = subprocess.Popen(argv, env=env, stdout=answer, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        error = process.stderr.read().decode() if process.stderr else ""
        if process.returncode:
            raise SystemExit(f"{' '.join(argv)} failed: {error.strip()[:500]}")
        return elapsed, answer.seek(0, os.SEEK_END), usage.ru_maxrss / 1024


def first_line(argv: list[str], env: dict[str, str]) -> float:
    """Seconds until a reader has the first line of `argv`'s answer; the reader then goes, as
    `| head -1` does."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    process.stdout.readline()
    elapsed = time.perf_counter() - started
    process.stdout.close()
    process.wait()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--make", nargs=2, metavar=("SIZE", "FOLDER"), help="only make a synthetic catalogue")
    arguments = parser.parse_args()
    if arguments.make:
        synthetic(int(arguments.make[0]), Path(arguments.make[1]))
        return
    sizes, runs = [int(s) for s in arguments.sizes.split(",")], arguments.runs
    chuanyu = str(Path(sys.executable).parent / "chuanyu")
    print(f"python {sys.version.split()[0]} · {os.cpu_count()} cores · each query a whole process, median of {runs}")
    print(f"{'measures':>9} {'build s':>8} {'peak MB':>8} {'db MB':>6}", flush=True)
    times: dict[int, dict[str, float]] = {}
    answers: dict[int, dict[str, int]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for size in sizes:
            data, cache = Path(scratch) / f"data-{size}", Path(scratch) / f"cache-{size}"
            # made by a process of its own: a child forked from a process holding 100k measures
            # would count that memory as its own peak
            subprocess.run([sys.executable, __file__, "--make", str(size), str(data)], check=True)
            env = {**os.environ, "CHUANYU_CACHE": str(cache), "CHUANYU_DATA": str(data)}
            build, _, peak = run([chuanyu, "build"], env)
            (database,) = cache.glob("*.db")
            print(f"{size:>9} {build:>8.1f} {peak:>8.0f} {database.stat().st_size / 2**20:>6.1f}", flush=True)
            answers[size] = {q: run([chuanyu, *args], env)[1] for q, args in QUERIES.items()}  # and warms the file cache
            times[size] = {q: statistics.median(run([chuanyu, *args], env)[0] for _ in range(runs)) for q, args in QUERIES.items()}
        first, last = sizes[0], sizes[-1]
        print(
            f"\n{'whole answer (ms)':<20}"
            + "".join(f"{size:>9}" for size in sizes)
            + f"   answer, {first} → {last}   ms per MB, {sizes[-2]} → {last}"
        )
        for q in QUERIES:
            per_mb = [times[size][q] * 1000 / max(answers[size][q] / 2**20, 1e-9) for size in sizes[-2:]]
            print(
                f"{q:<20}"
                + "".join(f"{times[size][q] * 1000:>9.0f}" for size in sizes)
                + f"   {_bytes(answers[first][q])} → {_bytes(answers[last][q])} ({answers[last][q] / answers[first][q]:.0f}×)"
                + f"   {per_mb[0]:.0f} → {per_mb[1]:.0f} ({per_mb[1] / per_mb[0]:.2f}×)"
            )
        env = {**os.environ, "CHUANYU_CACHE": str(Path(scratch) / f"cache-{last}"), "CHUANYU_DATA": str(Path(scratch) / f"data-{last}")}
        print(f"\nfirst line at {last} (ms, median of {runs}): the whole answer's, and with --limit 1")
        for q, args in FIRST.items():
            for fmt in ("jsonl", "tsv"):
                argv = [chuanyu, *args, "--format", fmt]
                whole = statistics.median(first_line(argv, env) for _ in range(runs))
                one = statistics.median(first_line([*argv, "--limit", "1"], env) for _ in range(runs))
                print(f"{q + ' ' + fmt:<24} {whole * 1000:>7.0f} {one * 1000:>7.0f} {whole / one:>6.2f}×")
        print(f"\npairs' first line at {last} (ms, median of {runs}), and against measure 1's")
        for fmt in ("jsonl", "table"):
            floor = statistics.median(first_line([chuanyu, "measure", "1", "--format", fmt], env) for _ in range(runs))
            for q, args in PAIRS.items():
                whole = statistics.median(first_line([chuanyu, *args, "--format", fmt], env) for _ in range(runs))
                print(f"{q + ' ' + fmt:<24} {whole * 1000:>7.0f} {floor * 1000:>7.0f} {whole / floor:>6.2f}×", flush=True)
        print(f"\npeak memory at {last} (MB) of each whole answer, by format")
        print(f"{'':<20}" + "".join(f"{fmt:>7}" for fmt in FORMATS))
        for q, args in QUERIES.items():
            plain = [a for a in args if a not in ("--format", "json", "jsonl")]
            print(f"{q:<20}" + "".join(f"{run([chuanyu, *plain, '--format', fmt], env)[2]:>7.0f}" for fmt in FORMATS), flush=True)
    print(
        f"targets: a first line within {TARGETS['first']:g}× the same command's with --limit 1 (pairs: measure 1's); peak memory within "
        f"{TARGETS['memory MB']} MB; time per MB of answer at {last} within {TARGETS['per MB']}× that at {sizes[-2]}"
    )


def _bytes(count: int) -> str:
    return f"{count / 2**20:.1f}M" if count >= 2**20 else f"{count / 2**10:.0f}K"


if __name__ == "__main__":
    main()
