"""chuanyu batch and the Python API give what each command gives as a process of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import chuanyu
from chuanyu import errors
from conftest import DATA, run, run_process

#: Every question command, with filters, limits, --as-of, and answers that fail.
QUESTIONS = [
    ["measure", "14"],
    ["measure", "99"],
    ["measure", "14", "--as-of", "2024-01-01"],
    ["measures"],
    ["measures", "--chapter", "2", "--section", "9"],
    ["measures", "--lead", "人行成都分行", "--province", "sichuan", "--limit", "3"],
    ["measures", "--agency", "市财政局", "--agency", "省财政厅"],
    ["search", "数字人民币"],
    ["search", "金融", "--limit", "4", "--chapter", "2"],
    ["stats", "--top", "5"],
    ["agencies", "--province", "sichuan"],
    ["agency", "人行重庆营管部", "--as-of", "today"],
    ["agency", "经信委"],
    ["agency", "北京市财政局"],
    ["documents"],
    ["pairs"],
    ["pairs", "市科技局"],
    ["pairs", "--observed", "--limit", "10"],
    ["gaps"],
    ["gaps", "--kind", "lead-mismatch"],
    ["gaps", "--kind", "junk"],
    ["query", "agency-chapters", "-p", "agency=cq-pbc"],
    ["query", "agency-chapters", "-p", "agency"],
    ["query", "--sql", "SELECT level, count(*) AS n FROM agencies GROUP BY level ORDER BY level"],
    ["query", "--list"],
]


def batch(lines: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chuanyu", "batch"],
        input="".join(line + "\n" for line in lines),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **(env or {})},
        timeout=300,
    )


@pytest.fixture(scope="module")
def answered() -> list[dict[str, Any]]:
    result = batch([json.dumps(args, ensure_ascii=False) for args in QUESTIONS])
    assert (result.returncode, result.stderr) == (0, "")
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.parametrize("number", range(len(QUESTIONS)), ids=[" ".join(q) for q in QUESTIONS])
def test_every_question_answers_in_a_batch_as_its_own_process(answered: list[dict[str, Any]], number: int) -> None:
    args = QUESTIONS[number]
    alone = run_process(*args, "--format", "json")
    line = answered[number]
    assert (line["args"], line["exit"]) == (args, alone.returncode)
    if alone.returncode == 0:
        assert (line["answer"], line["error"]) == (json.loads(alone.stdout), None)
    else:
        assert (line["answer"], line["error"]) == (None, alone.stderr.strip())


def test_a_line_that_is_not_json_says_so_with_its_number_and_the_batch_goes_on() -> None:
    result = batch(['["measure", "1"]', "{oops", "", '"measure 1"', '["measure", "2"]'])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0
    assert [line["exit"] for line in lines] == [0, 2, 2, 0]  # the empty line is passed over
    assert lines[1]["error"].startswith("chuanyu: batch line 2: not JSON")
    assert lines[2]["error"] == "chuanyu: batch line 4: not an array of arguments as strings"
    assert lines[3]["answer"]["number"] == 2


@pytest.mark.parametrize(
    ("args", "refused"),
    [
        (["measures", "--format", "csv"], "--format"),
        (["measures", "-fcsv"], "-fcsv"),
        (["gaps", "--help"], "--help"),
        (["add", "plan.pdf"], None),
        (["batch"], None),
        ([], None),
    ],
)
def test_what_is_no_question_in_json_is_refused_as_a_usage_error(args: list[str], refused: str | None) -> None:
    (line,) = [json.loads(line) for line in batch([json.dumps(args)]).stdout.splitlines()]
    assert (line["exit"], line["answer"]) == (2, None)
    assert refused is None or f": {refused}: a batch answers in JSON" in line["error"]


def test_a_document_chosen_on_one_line_is_not_chosen_on_the_next(tmp_path: Path) -> None:
    import shutil

    from test_documents import SECOND

    catalogue = tmp_path / "catalogue"
    shutil.copytree(DATA, catalogue)
    extracted = run("extract", str(SECOND), "--id", "second-plan", "--data", str(catalogue))
    (catalogue / "documents").mkdir(exist_ok=True)
    (catalogue / "documents" / "second-plan.yaml").write_text(extracted.stdout, encoding="utf-8")
    lines = [["documents"], ["documents", "--data", str(catalogue)], ["stats", "--document", "second-plan"], ["documents"]]
    answered = [
        json.loads(line) for line in batch([json.dumps(args) for args in lines], {"CHUANYU_DATA": str(catalogue)}).stdout.splitlines()
    ]
    assert [len(line["answer"]) for line in answered] == [2, 2, len(answered[2]["answer"]), 2]
    alone = run_process("stats", "--document", "second-plan", "--format", "json", "--data", str(catalogue))
    assert answered[2]["answer"] == json.loads(alone.stdout)


def test_the_api_returns_what_format_json_prints() -> None:
    catalogue = chuanyu.open()
    asked = {
        ("measure", "14"): catalogue.measure(14),
        ("measures", "--lead", "人行成都分行"): catalogue.measures(lead="人行成都分行"),
        ("measures", "--agency", "市财政局", "--agency", "省财政厅", "--chapter", "2"): catalogue.measures(
            agency=["市财政局", "省财政厅"], chapter=2
        ),
        ("search", "绿色", "--limit", "3"): catalogue.search("绿色", limit=3),
        ("stats",): catalogue.stats(),
        ("agencies", "--province", "chongqing"): catalogue.agencies(province="chongqing"),
        ("agency", "市科技局", "--as-of", "today"): catalogue.agency("市科技局", as_of="today"),
        ("documents",): catalogue.documents(),
        ("pairs",): catalogue.pairs(),
        ("pairs", "--observed"): catalogue.pairs(observed=True),
        ("gaps",): catalogue.gaps(),
        ("gaps", "--all"): catalogue.gaps(every=True),
        ("gaps", "--kind", "joint-only"): catalogue.gaps(kind="joint-only"),
        ("query", "lead-ranking"): catalogue.query("lead-ranking"),
    }
    for args, answer in asked.items():
        assert answer == run(*args, "--format", "json").json(), args
    catalogue.close()


def test_the_api_raises_what_the_commands_report() -> None:
    with chuanyu.open() as catalogue:
        with pytest.raises(errors.NotFound):
            catalogue.agency("北京市财政局")
        with pytest.raises(errors.NoSuchMeasure):
            catalogue.measure(99)
        with pytest.raises(errors.BadQuestion):
            catalogue.measures(as_of="yesterday")
        with pytest.raises(errors.NoSuchDocument):
            chuanyu.open(document=["nowhere"])


def test_the_api_opens_a_catalogue_of_ones_own_and_chosen_documents() -> None:
    with chuanyu.open(DATA, document=["wfc-joint-rules-2022"]) as catalogue:
        assert [d["id"] for d in catalogue.documents()] == ["wfc-joint-rules-2022"]
        assert len(catalogue.measures()) == 58
