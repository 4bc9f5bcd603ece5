"""The commands as scripts and people use them: JSON contract, tables, exit codes, pipes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from chuanyu import __version__
from chuanyu.model import Catalogue
from conftest import ROOT, run, run_process
from test_source import CLAUSES
from test_validate import make_catalogue

QUERIES = [["measure", "14"], ["measures"], ["measures", "--chapter", "2"], ["agencies"], ["agencies", "--province", "sichuan"]]


def test_agencies_json_contract(catalogue: Catalogue) -> None:
    agencies = run("agencies", "--format", "json").json()
    assert len(agencies) == 70 + 6  # the units the document names, and their successors
    for agency in agencies:
        assert list(agency) == ["id", "name", "full_name", "aliases", "province", "level", "counterpart", "leads", "involved"]
    by_id = {a["id"]: a for a in agencies}
    # from the source text: the clauses that name 人行重庆营管部, and those it opens
    assert by_id["cq-pbc"]["involved"] == sum("人行重庆营管部" in clause for clause in CLAUSES) == 49
    assert by_id["cq-pbc"]["leads"] == sum(clause.startswith("人行重庆营管部") for clause in CLAUSES) == 18
    assert by_id["cq-pbc"]["counterpart"] == "sc-pbc"
    assert by_id["wfc-leading-group-members"]["province"] is None
    assert sum(a["involved"] for a in agencies) == 602
    assert sum(a["leads"] for a in agencies) == 2 * 57  # every measure but 55 has two province lists
    provinces = [a["province"] for a in agencies]
    assert provinces == sorted(provinces, key=["chongqing", "sichuan", None].index)


def test_agencies_of_one_province() -> None:
    sichuan = run("agencies", "--province", "sichuan", "--format", "json").json()
    assert len(sichuan) == 35 + 2 and {a["province"] for a in sichuan} == {"sichuan"}  # 2: NFRA and PBC successors


def test_measures_json_contract() -> None:
    measures = run("measures", "--format", "json").json()
    assert [m["number"] for m in measures] == list(range(1, 59))
    for measure in measures:
        assert list(measure) == ["number", "chapter", "section", "text", "due", "due_by", "responsible"]
        assert (measure["due"], measure["due_by"]) == (None, None)  # the shipped document sets no time limits
        assert list(measure["responsible"]) == ["chongqing", "sichuan", "local", "joint"]
    assert measures[54]["responsible"]["joint"] == [
        {"id": "wfc-leading-group-members", "name": "成渝共建西部金融中心工作领导小组各成员单位"}
    ]
    assert [u["name"] for u in measures[33]["responsible"]["sichuan"]] == ["外汇局四川省分局"]


def test_measure_json_adds_titles() -> None:
    measure = run("measure", "14", "--format", "json").json()
    assert list(measure) == ["number", "chapter", "section", "chapter_title", "section_title", "text", "due", "due_by", "responsible"]
    assert (measure["chapter"], measure["section"], measure["section_title"]) == (2, 9, "促进成渝地区保险业协同发展")
    assert [u["name"] for u in measure["responsible"]["chongqing"]] == [
        "重庆银保监局",
        "重庆市医保局",
        "重庆市人力社保局",
        "重庆外汇管理部",
    ]


@pytest.mark.parametrize(
    ("args", "numbers"),
    [
        (["--chapter", "8"], [55, 56, 57, 58]),
        (["--section", "18"], [34, 35, 36, 37]),
        (["--agency", "省经济合作局"], [2, 13]),
        (["--agency", "市招商投资局", "--agency", "重庆证监局"], [2, 13]),
        (["--agency", "市招商投资局", "--agency", "市科技局"], [13]),
        (["--agency", "海关"], None),  # ambiguous: 重庆海关 or 成都海关
        (["--agency", "重庆海关"], [56]),
        (["--chapter", "1", "--agency", "人行成都分行"], [1, 2, 3, 4]),
        (["--chapter", "8", "--section", "1"], []),
    ],
)
def test_measures_filters(args: list[str], numbers: list[int] | None) -> None:
    result = run("measures", *args, "--format", "json")
    if numbers is None:
        assert result.code == 4
        return
    assert result.code == 0
    assert [m["number"] for m in result.json()] == numbers


@pytest.mark.parametrize("args", QUERIES)
def test_tables_show_the_data(args: list[str]) -> None:
    result = run(*args, "--format", "table")
    assert (result.code, result.stderr) == (0, "")
    assert "四川" in result.stdout


def test_table_shows_markup_in_data_literally(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    measures = make_catalogue(tmp_path) / "measures.yaml"
    measures.write_text(measures.read_text(encoding="utf-8").replace("第一条措施。", "'[red]第一条[/red]'"), encoding="utf-8")
    result = run("measure", "1", "--data", "cat", "--format", "table")
    assert "[red]第一条[/red]" in result.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["measure", "59"], 3, "chuanyu: no measure 59\n"),
        (["measures", "--agency", "北京市财政局"], 3, "chuanyu: no agency matches '北京市财政局'; did you mean 重庆市财政局 (cq-finance)"),
        (
            ["measures", "--agency", "发改委"],
            4,
            "chuanyu: '发改委' could be any of 2 agencies; name one:\n"
            "  重庆市发展改革委 (cq-development-reform)\n"
            "  四川省发展改革委 (sc-development-reform)\n",
        ),
        (["measure", "one"], 2, "Invalid value for 'number'"),
        (["agencies", "--province", "beijing"], 2, "Invalid value for '--province'"),
        (["nosuch"], 2, "No such command 'nosuch'"),
    ],
)
def test_exit_codes(args: list[str], code: int, message: str) -> None:
    result = run(*args)
    assert (result.code, result.stdout) == (code, "")
    assert message in result.stderr


def test_version_and_help() -> None:
    assert run("--version").stdout == f"chuanyu {__version__}\n"
    for command in ["extract", "validate", "build", "measure", "measures", "agencies"]:
        result = run(command, "--help")
        assert result.code == 0 and "Examples:" in result.stdout, command


def test_python_dash_m_runs_the_same_command() -> None:
    result = run_process("measure", "34", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stdout == run("measure", "34", "--format", "json").stdout


ALL_QUERIES = [
    ["measure", "56"],
    ["measures", "--chapter", "8"],
    ["agencies", "--province", "chongqing"],
    ["agency", "重庆外汇管理部"],
    ["pairs"],
    ["pairs", "--observed"],
    ["gaps"],
    ["search", "金融"],
    ["stats"],
    ["query", "lead-pairs"],
    ["query", "--list"],
]
EVERY_COMMAND = [*ALL_QUERIES, ["extract", "data/sources/wfc-joint-rules-2022.txt"], ["--help"]]


@pytest.mark.parametrize("fmt", [[], ["--format", "table"], ["--format", "json"]], ids=["piped default", "table", "json"])
@pytest.mark.parametrize("args", EVERY_COMMAND, ids=lambda a: " ".join(a))
def test_piped_to_head_prints_no_traceback(args: list[str], fmt: list[str]) -> None:
    if fmt and args[0] in ("extract", "--help"):
        pytest.skip("takes no --format")
    command = " ".join([sys.executable, "-m", "chuanyu", *args, *fmt]) + " | head -1"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, cwd=ROOT, env=os.environ, timeout=60)
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 1
    assert result.returncode == 0


def on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """What `chuanyu ARGS` writes to a real terminal (a pseudo-terminal, 100 columns)."""
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "chuanyu", *args],
        stdout=follower,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "100", **env},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8")


def test_a_terminal_gets_a_table_and_colour_unless_told_not_to() -> None:
    coloured = on_a_terminal(["agencies", "--province", "sichuan"], {"TERM": "xterm-256color", "NO_COLOR": ""})
    assert "\x1b[" in coloured and "人行成都分行" in coloured  # a table, in colour
    for env in ({"NO_COLOR": "1", "TERM": "xterm-256color"}, {"TERM": "dumb"}):
        plain = on_a_terminal(["agencies", "--province", "sichuan"], env)
        assert "\x1b[" not in plain and "人行成都分行" in plain, env


LOCALES = [{"LANG": "C", "LC_ALL": "C", "COLUMNS": "120"}, {"LC_ALL": "C.UTF-8", "COLUMNS": "120"}, {"COLUMNS": "40"}]


@pytest.mark.parametrize("env", LOCALES)
def test_output_stays_utf8_in_any_locale_and_width(env: dict[str, str]) -> None:
    from rich.cells import cell_len

    result = subprocess.run(
        [sys.executable, "-m", "chuanyu", "measures", "--chapter", "8", "--format", "table"],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, **env},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("utf-8")  # raises if a character were cut
    width = int(env.get("COLUMNS", "80"))
    assert all(cell_len(line) <= width for line in text.splitlines())
    if width >= 120:
        assert "有关市州政府" in text and "重庆市规划自然资源局" in text


def test_stdout_carries_data_only() -> None:
    result = run("validate")
    assert result.stdout == "" and result.stderr.startswith("ok:")


@pytest.mark.parametrize("args", ALL_QUERIES, ids=lambda a: " ".join(a))
def test_every_format_carries_the_same_rows(args: list[str]) -> None:
    """Each format is parsed back: the same number of rows in each, CSV and TSV cell for cell."""
    import csv
    import io
    import json

    as_json = run(*args, "--format", "json").json()
    jsonl = [json.loads(line) for line in run(*args, "--format", "jsonl").stdout.splitlines()]
    rows = list(csv.reader(io.StringIO(run(*args, "--format", "csv").stdout)))
    tsv = [line.split("\t") for line in run(*args, "--format", "tsv").stdout.splitlines()]
    md = [line for line in run(*args, "--format", "md").stdout.splitlines() if line.startswith("|")]  # the table, not its footer
    table = run(*args, "--format", "table")
    assert jsonl and table.code == 0 and table.stdout
    if isinstance(as_json, list):
        assert as_json == jsonl
    assert len(rows) == len(tsv) == len(jsonl) + 1
    assert rows == tsv  # no tab or newline in this data: the two must agree cell for cell
    header = next(i for i, line in enumerate(md) if line.startswith("| ---")) - 1
    assert md[header].removeprefix("| ").removesuffix(" |").split(" | ") == rows[0]
    assert len(md) - header - 2 == len(jsonl)


def test_csv_lists_units_as_the_document_does() -> None:
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run("measures", "--section", "18", "--format", "csv").stdout)))
    assert rows[0]["chongqing"] == "重庆外汇管理部" and rows[1]["sichuan"] == "外汇局四川省分局、四川省商务厅"


def test_bom_goes_with_csv_only() -> None:
    assert run("agencies", "--format", "csv", "--bom").stdout.startswith("\ufeffid,name,")
    result = run("agencies", "--format", "json", "--bom")
    assert (result.code, result.stdout, result.stderr) == (2, "", "chuanyu: --bom goes with --format csv\n")


def test_piped_output_defaults_to_tsv() -> None:
    assert run("measures", "--chapter", "1").stdout.splitlines()[0] == "measure\tchapter\tsection\tchongqing\tsichuan\tlocal / joint"


def test_format_names_are_the_renderers() -> None:
    from chuanyu.cli import Format
    from chuanyu.render import RENDERERS

    assert [f.value for f in Format] == list(RENDERERS)


def test_shell_completion_offers_agency_names() -> None:
    env = {"_CHUANYU_COMPLETE": "complete_bash", "COMP_WORDS": "chuanyu measures --agency 人行", "COMP_CWORD": "3"}
    result = run_process(env=env)
    assert result.returncode == 0
    assert set(result.stdout.split()) >= {"人行重庆营管部", "人行成都分行"}
    ids = run_process(env={**env, "COMP_WORDS": "chuanyu agency cq-s", "COMP_CWORD": "2"})
    assert set(ids.stdout.split()) >= {"cq-safe", "cq-statistics", "cq-sasac"}


def test_shell_completion_offers_document_ids() -> None:
    env = {"_CHUANYU_COMPLETE": "complete_bash", "COMP_WORDS": "chuanyu gaps --document w", "COMP_CWORD": "3"}
    result = run_process(env=env)
    assert (result.returncode, result.stdout.split()) == (0, ["wfc-joint-rules-2022"])


def test_a_json_array_of_many_records_is_one_record_a_line_across_batches() -> None:
    """Written a batch at a time (memory), read as one array, one record a line."""
    import io
    import json

    from chuanyu import render
    from chuanyu.result import Column, Result

    records = [{"measure": n, "name": f"单位{n}"} for n in range(2 * render._BATCH + 3)]
    out = io.StringIO()
    render.render(Result([Column("measure", "measure")], records), "json", out)
    text = out.getvalue()
    assert json.loads(text) == records
    assert text == "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]\n"


def test_an_app_narrowed_to_one_command_answers_as_the_whole_app() -> None:
    """`chuanyu COMMAND …` builds only that command (cli.app_for): its help, answers and errors
    are those of the whole app; anything else is the whole app's to answer."""
    from typer.main import get_command
    from typer.testing import CliRunner

    from chuanyu.cli import app, app_for

    names = list(get_command(app).commands)  # type: ignore[attr-defined]
    assert {"measure", "batch", "export", "add", "query"} <= set(names)
    asked = [[name, "--help"] for name in names] + [
        ["export", "graph", "--help"],
        ["measure", "14", "--format", "json"],
        ["measures", "--chapter", "9"],
        ["gaps", "--kind", "junk"],
        ["agency", "北京市财政局"],
        ["query", "agency-chapters", "-p", "agency"],
    ]
    for args in asked:
        narrowed, whole = (CliRunner().invoke(chosen, args) for chosen in (app_for(args), app))
        assert app_for(args) is not app
        assert (narrowed.exit_code, narrowed.stdout, narrowed.stderr) == (whole.exit_code, whole.stdout, whole.stderr), args
    for args in ([], ["--help"], ["--version"], ["mesure", "1"]):
        assert app_for(args) is app
