"""`make bench`: how long one query takes as a whole process, against a bare Python floor.

A query is a process a person or a script starts, so start-up is its cost. The floor is a Python
process that opens the same database with sqlite3 and prints the same row as JSON; each figure
is the median of several runs, all in this one run, and the ratio is what compares across
machines. This prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR = """
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
row = conn.execute("SELECT number, text FROM measures WHERE number = 1").fetchone()
print(json.dumps({"number": row[0], "text": row[1]}, ensure_ascii=False))
"""

COMMANDS = {
    "measure 1 --format json": (["measure", "1", "--format", "json"], 4.0),
    "agency 人行重庆营管部 --format json": (["agency", "人行重庆营管部", "--format", "json"], 4.0),
    "gaps --format json": (["gaps", "--format", "json"], 4.0),
    "search 金融科技 --format json": (["search", "金融科技", "--format", "json"], 4.0),
    "measures --chapter 8 --format table": (["measures", "--chapter", "8", "--format", "table"], 4.0),
    "measures --format table": (["measures", "--format", "table"], 4.0),
    "--help": (["--help"], 5.0),
    "measures --help": (["measures", "--help"], 5.0),
}


#: The questions of the batch figure, asked in turn (issue 22: 1,000 within 1.5 s, 20× faster than processes).
MIXED = [
    ["measures", "--lead", "人行成都分行"],
    ["agency", "市科技局"],
    ["gaps"],
    ["search", "金融科技"],
    ["pairs"],
]
BATCH_TARGET_SECONDS, BATCH_TARGET_RATIO = 1.5, 20.0


def timed(argv: list[str], env: dict[str, str], stdin: str | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, input=stdin, text=True, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def batch_figures(chuanyu: str, env: dict[str, str], questions: int = 1000, processes: int = 100) -> None:
    """`questions` mixed questions through one `chuanyu batch`, against `processes` of them each a
    process of its own (scaled to `questions`: a thousand processes take minutes)."""
    lines = "".join(json.dumps(MIXED[n % len(MIXED)], ensure_ascii=False) + "\n" for n in range(questions))
    in_one = min(timed([chuanyu, "batch"], env, lines) for _ in range(3))
    each = [timed([chuanyu, *MIXED[n % len(MIXED)], "--format", "json"], env) for n in range(processes)]
    as_processes = sum(each) * questions / processes
    ratio = as_processes / in_one
    verdict = "ok" if in_one <= BATCH_TARGET_SECONDS and ratio >= BATCH_TARGET_RATIO else "over a target"
    print(
        f"{'chuanyu batch, ' + str(questions) + ' mixed questions':44} {in_one * 1000:7.1f} ms  "
        f"as processes {as_processes:5.1f} s {ratio:6.1f}× faster  {verdict} (targets {BATCH_TARGET_SECONDS:g} s, {BATCH_TARGET_RATIO:g}×)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    python = sys.executable
    chuanyu = str(Path(python).parent / "chuanyu")
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "CHUANYU_CACHE": cache, "COLUMNS": "100"}
        env.pop("CHUANYU_DATA", None)
        database = subprocess.run([chuanyu, "build"], env=env, capture_output=True, text=True, check=True).stderr.split()[-1]
        floor_argv = [python, "-c", FLOOR, database]
        print(f"python {sys.version.split()[0]} · {os.cpu_count()} cores · median of {runs} runs, each beside a floor run")
        for label, (args, target) in COMMANDS.items():
            timed([chuanyu, *args], env)  # warm the file cache
            floors, times = [], []
            for _ in range(runs):  # interleaved, so that the machine's drift hits both alike
                floors.append(timed(floor_argv, env))
                times.append(timed([chuanyu, *args], env))
            floor, median = statistics.median(floors), statistics.median(times)
            ratio = median / floor
            verdict = "ok" if ratio <= target else f"over the {target:g}× target"
            print(f"{'chuanyu ' + label:44} {median * 1000:7.1f} ms  floor {floor * 1000:5.1f} ms {ratio:6.2f}×  {verdict}")
        batch_figures(chuanyu, env)


if __name__ == "__main__":
    main()
