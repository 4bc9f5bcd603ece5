"""search, stats and query, checked against the source text."""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from chuanyu import db
from chuanyu.paths import data_dir, queries_dir
from chuanyu.questions.common import Filters
from chuanyu.questions.search import search as search_question
from chuanyu.sql import named_queries, parameters
from conftest import interruptible, run, run_process
from test_source import CLAUSES, FLAT

# The measure texts as the source writes them: between "N．" and the clause, white space removed.
TEXTS = {n: re.search(rf"(?<![0-9]){n}．(.*?)（责任单位：", FLAT).group(1) for n in range(1, len(CLAUSES) + 1)}


@pytest.fixture(scope="module")
def conn() -> Iterator[sqlite3.Connection]:
    connection = db.open_cached(data_dir())
    yield connection
    connection.close()


@pytest.mark.parametrize("text", ["数字人民币", "绿色", "债", "REITs", "reits", "一带一路", "川渝", "保险", "S基金", "金融科技"])
def test_search_finds_every_measure_whose_text_contains_it(text: str) -> None:
    found = [r["number"] for r in run("search", text, "--format", "json").json() if r["kind"] == "measure"]
    assert found == [n for n, body in TEXTS.items() if text.lower() in body.lower()]


def test_search_finds_titles_too() -> None:
    results = run("search", "绿色", "--format", "json").json()
    assert {"kind": "section", "number": 11, "chapter": 3, "section": 11, "snippet": "推进【绿色】金融改革创新"} in results
    assert [r["kind"] for r in results][:2] == ["section", "measure"]  # a section's title before its measures


@pytest.mark.parametrize(
    "text",
    ["金融", "成渝地区", "支持", "人民币", "（REITs）", "“一带一路”", "试点。", "%", "_", "金融_", "a", "跨境", "00\x00", "金融\x00"],
)
def test_the_index_and_the_scan_give_the_same_answer(conn: sqlite3.Connection, text: str) -> None:
    for filters in (Filters(), Filters(chapter=5), Filters(agencies=("cq-safe",))):
        assert list(search_question(conn, text, filters).records) == list(search_question(conn, text, filters, scan=True).records)


def test_search_takes_the_measures_filters() -> None:
    results = run("search", "债", "--lead", "人行重庆营管部", "--format", "json").json()
    led = [n for n, clause in enumerate(CLAUSES, 1) if clause.startswith("人行重庆营管部")]
    assert [r["number"] for r in results] == [n for n in led if "债" in TEXTS[n]]
    assert all(r["kind"] == "measure" for r in results)  # titles with 债 hold no measure it leads
    assert run("search", "绿色", "--chapter", "1", "--format", "json").json() == []


def test_search_snippet_marks_the_match() -> None:
    (result,) = run("search", "数字人民币试点", "--format", "json").json()
    assert result["number"] == 31 and "【数字人民币试点】" in result["snippet"]
    assert run("search", "  ").code == 2


def test_stats_count_the_document() -> None:
    rows = run("stats", "--format", "json").json()
    figures = {(r["figure"], str(r["key"]), r["label"]): r["value"] for r in rows}
    assert figures[("total", "measures", "")] == 58 and figures[("total", "listings", "")] == 602
    per_chapter = [r["value"] for r in rows if r["figure"] == "measures per chapter"]
    assert per_chapter == [4, 10, 10, 8, 8, 7, 7, 4]
    central = figures[("listings per province and level", "chongqing", "central-branch")]
    central_forms = ("人行重庆营管部", "重庆银保监局", "重庆证监局", "重庆外汇管理部", "重庆海关", "重庆市税务局")
    assert central == sum(clause.split("；")[0].split("、").count(form) for clause in CLAUSES if "；" in clause for form in central_forms)
    leads = [r for r in rows if r["figure"] == "most leads"]
    assert len(leads) == 10 and leads[0]["label"] == "重庆市金融监管局"
    assert leads[0]["value"] == sum(clause.startswith(("重庆市金融监管局", "市金融监管局")) for clause in CLAUSES) == 19


def test_every_named_query_runs_and_the_list_names_them() -> None:
    listed = run("query", "--list", "--format", "json").json()
    assert [q["name"] for q in listed] == sorted(named_queries(queries_dir()))
    assert len(listed) >= 6
    given = {"text": "金融"}  # search's text; every other parameter is an agency's id
    for named in listed:
        values = [f"-p{p}={given.get(p, 'cq-pbc')}" for p in named["parameters"]]
        result = run("query", named["name"], *values, "--format", "json")
        assert result.code == 0, result.stderr
        assert result.json(), named["name"]


def test_measure_sizes_match_the_source() -> None:
    sizes = {r["measure"]: r for r in run("query", "measure-sizes", "--format", "json").json()}
    for number, clause in enumerate(CLAUSES, 1):
        if "；" in clause:
            chongqing, sichuan = clause.split("；")[0].split("、"), clause.split("；")[1].split("，")[0].split("、")
            assert (sizes[number]["chongqing"], sizes[number]["sichuan"]) == (len(chongqing), len(sichuan))


def test_parameters_are_read_from_the_sql() -> None:
    assert parameters("SELECT :a, ':b', x::text -- :c\n FROM t WHERE y = :a AND z = :d") == ["a", "d"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["query", "agency-chapters"], 2, "chuanyu: the query needs -p agency=…\n"),
        (
            ["query", "agency-chapters", "-p", "agency=cq-pbc", "-p", "agnecy=x"],
            2,
            "chuanyu: the query has no parameter 'agnecy' (it takes: agency)\n",
        ),
        (
            ["query", "agency-chapters", "-p", "agency"],
            2,
            "chuanyu query: Invalid value for '--parameter' / '-p': takes KEY=VALUE, not 'agency' (see chuanyu query --help)\n",
        ),
        (["query", "lead-pair"], 3, "chuanyu: no query 'lead-pair'; did you mean lead-pairs, lead-ranking?\n"),
        (["query"], 2, "chuanyu: name one query, or give --sql (see chuanyu query --list)\n"),
        (["query", "lead-pairs", "--sql", "SELECT 1"], 2, "chuanyu: name one query, or give --sql (see chuanyu query --list)\n"),
    ],
)
def test_query_usage_errors(args: list[str], code: int, message: str) -> None:
    result = run(*args)
    assert (result.code, result.stdout, result.stderr) == (code, "", message)


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("INSERT INTO measures (number) VALUES (99)", "refused: only reading is allowed, not insert measures"),
        ("UPDATE agencies SET name = 'x'", "refused: only reading is allowed, not update agencies"),
        ("DELETE FROM responsibilities", "refused: only reading is allowed, not delete responsibilities"),
        ("DROP TABLE measures", "refused: only reading is allowed, not a change to the schema"),
        ("CREATE TABLE x (y)", "refused: only reading is allowed, not a change to the schema"),
        ("ATTACH DATABASE ':memory:' AS other", "refused: only reading is allowed, not attach :memory:"),
        ("PRAGMA journal_mode = WAL", "refused: only reading is allowed, not pragma journal_mode"),
        ("PRAGMA writable_schema = 1", "refused: only reading is allowed, not pragma writable_schema"),
        ("SELECT load_extension('/tmp/x')", "refused: only reading is allowed, not function load_extension"),
        ("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n", "stopped after 1 s (--time-limit)"),
        ("SELECT 1; DELETE FROM measures", "failed: You can only execute one statement at a time."),
    ],
)
def test_query_sql_reads_only_and_stops(sql: str, message: str) -> None:
    before = run("measures", "--format", "json").stdout
    started = time.monotonic()
    process = run_process("query", "--sql", sql, "--time-limit", "1")  # a whole process, as a script waits for it
    assert time.monotonic() - started < 2
    assert (process.returncode, process.stdout, process.stderr) == (2, "", f"chuanyu: query {message}\n")
    assert run("measures", "--format", "json").stdout == before


FOREVER = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"


@pytest.mark.parametrize("output", [["--format", "json"], ["-fjson"]], ids=["direct path", "through Typer"])
def test_ctrl_c_stops_a_long_query_quietly(output: list[str]) -> None:
    assert run("build").code == 0  # so that the query starts at once
    query = subprocess.Popen(
        [sys.executable, "-m", "chuanyu", "query", "--sql", FOREVER, "--time-limit", "60", *output],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=interruptible,
        text=True,
    )
    time.sleep(3)  # well into the query, however slow the start (it runs for up to 60 s)
    query.send_signal(signal.SIGINT)
    out, err = query.communicate(timeout=30)
    assert (query.returncode, out, err) == (130, "", "")


def test_query_sql_reads() -> None:
    rows = run(
        "query", "--sql", "SELECT level, count(*) AS n FROM agencies GROUP BY level ORDER BY n DESC, level", "--format", "json"
    ).json()
    # Chongqing: 34 units less 6 central branches, a Party organ, a court, a development zone;
    # Sichuan: 33 less 6 central branches, a Party organ, a court, 2 public institutions
    # and one successor, 重庆市地方金融管理局
    assert rows[0] == {"level": "provincial-department", "n": (34 - 9) + (33 - 10) + 1}
    info = run("query", "--sql", "PRAGMA table_info(responsibilities)", "--format", "json").json()
    assert [c["name"] for c in info] == ["measure", "agency", "grp", "position", "role"]
