"""The failure classes of the second adversarial run (issue 13): each a test that failed before."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, ROOT, interruptible, run


def process(*args: str | bytes, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    """`python -m chuanyu ARGS` with arguments as bytes where given so (not UTF-8 text)."""
    return subprocess.run(
        [sys.executable, "-m", "chuanyu", *args], capture_output=True, cwd=cwd, env={**os.environ, **(env or {})}, timeout=120
    )


@pytest.mark.parametrize(
    ("args", "named"),
    [
        ([b"search", b"\xe4\xb8"], "text"),
        ([b"query", b"--sql", b"SELECT '\xe4'"], "sql"),
        ([b"query", b"agency-measures", b"-p", b"agency=\xe4"], "parameter"),
        ([b"measures", b"--agency", b"\xe4\xb8\xad\xff"], "agency"),
        ([b"gaps", b"--document", b"\xff"], "document"),
    ],
)
def test_arguments_that_are_not_utf8_are_a_usage_error(args: list[bytes], named: str) -> None:
    result = process(*args)
    assert (result.returncode, result.stdout) == (2, b"")
    (line,) = result.stderr.decode("utf-8").splitlines()
    assert line.startswith(f"chuanyu: {named}: not UTF-8 text: b")


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e999", "NaN"])
def test_a_time_limit_that_is_not_finite_is_a_usage_error(value: str) -> None:
    result = run(
        "query", "--time-limit", value, "--sql", "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n"
    )
    assert result.code == 2 and result.stdout == ""
    assert "Traceback" not in result.stderr and "time-limit" in result.stderr.splitlines()[-1]  # -inf: click's own range error


def test_problems_past_fifty_are_counted_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "tests" / "fixtures" / "tiny", tmp_path / "cat")
    path = tmp_path / "cat" / "measures.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("chongqing: [") + len("chongqing: [")
    path.write_text(text[:start] + ", ".join(f"cq-unknown-{i}" for i in range(10_000)) + ", " + text[start:], encoding="utf-8")
    result = run("validate", "--data", "cat")
    lines = result.stderr.splitlines()
    assert result.code == 1 and len(lines) == 51
    assert lines[-1] == f"… and {10_000 - 50} more problems"


def test_output_is_utf8_whatever_the_encoding_asked_for() -> None:
    result = process("measure", "34", "--format", "table", env={"PYTHONIOENCODING": "ascii", "COLUMNS": "100"})
    assert result.returncode == 0 and result.stderr == b""
    assert "稳妥创新跨境资本流动管理" in result.stdout.decode("utf-8")


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["--show-completion", "bash"], ["measures", "--help"], ["query", "--list"]])
def test_help_and_version_into_a_closed_pipe_end_quietly(args: list[str]) -> None:
    command = " ".join([sys.executable, "-m", "chuanyu", *args]) + " | true"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert (result.returncode, result.stderr) == (0, "")


def test_a_cache_that_is_a_file_is_named_so(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("not a folder")
    result = process("agencies", env={"CHUANYU_CACHE": str(tmp_path / "cache")})
    assert (result.returncode, result.stdout) == (5, b"")
    assert result.stderr.decode() == f"chuanyu: {tmp_path / 'cache'}: not a folder, so no cache can be kept there\n"


def test_a_relative_xdg_cache_home_is_ignored_and_no_home_is_made(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "XDG_CACHE_HOME": "relative-cache"}
    env_without = {k: v for k, v in os.environ.items() if k != "CHUANYU_CACHE"}
    result = subprocess.run(
        [sys.executable, "-m", "chuanyu", "measure", "1", "--format", "json"],
        capture_output=True,
        cwd=tmp_path,
        env={**env_without, **env},
        timeout=120,
    )
    assert result.returncode == 0
    assert not (tmp_path / "relative-cache").exists() and (home / ".cache" / "chuanyu").is_dir()
    missing = {**env_without, "HOME": str(tmp_path / "no-such-home"), "XDG_CACHE_HOME": ""}
    result = subprocess.run([sys.executable, "-m", "chuanyu", "agencies"], capture_output=True, cwd=tmp_path, env=missing, timeout=120)
    assert result.returncode == 5 and not (tmp_path / "no-such-home").exists()
    assert "the home folder does not exist: set CHUANYU_CACHE" in result.stderr.decode()


def test_touching_a_catalogue_file_leaves_one_key_for_its_content(tmp_path: Path, _private_cache: Path) -> None:
    shutil.copytree(DATA, tmp_path / "cat")
    for _ in range(3):
        assert run("measure", "1", "--data", str(tmp_path / "cat"), "--format", "json").code == 0
        os.utime(tmp_path / "cat" / "measures.yaml")
    assert run("measure", "1", "--data", str(tmp_path / "cat"), "--format", "json").code == 0
    assert len(list(_private_cache.glob("*.key"))) == 1


def _catalogue(tmp_path: Path) -> Path:
    catalogue = tmp_path / "cat"
    shutil.copytree(ROOT / "tests" / "fixtures" / "tiny", catalogue)
    return catalogue


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
@pytest.mark.parametrize("command", [["validate"], ["measures", "--format", "json"]], ids=lambda c: c[0])
def test_a_catalogue_file_that_is_not_a_regular_file_is_refused_unread(tmp_path: Path, kind: str, command: list[str]) -> None:
    catalogue = _catalogue(tmp_path)
    target = catalogue / "measures.yaml"
    target.unlink()
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":
        target.symlink_to("/dev/zero")
    else:
        target.mkdir()
    result = process(*command, "--data", "cat", cwd=tmp_path)  # a FIFO read would wait for ever: timeout 120
    assert (result.returncode, result.stdout) == (1, b"")
    assert result.stderr.decode() == "cat/measures.yaml:1: file: cannot read: not a regular file\n"


def test_a_large_sparse_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    catalogue = _catalogue(tmp_path)
    with (catalogue / "agencies.yaml").open("r+b") as handle:
        handle.truncate(2**40)  # a terabyte, all holes
    result = process("validate", "--data", "cat", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.decode() == f"cat/agencies.yaml:1: file: {2**40} bytes, more than the {256 * 2**20} a catalogue file may have\n"


@pytest.mark.parametrize(
    ("sql", "rows"),
    [
        ("SELECT count(*) AS n FROM texts_fts", [{"n": 99}]),
        ("SELECT name FROM pragma_table_info('documents') LIMIT 2", [{"name": "id"}, {"name": "title"}]),
        ("PRAGMA user_version", [{"user_version": 0}]),
        ("PRAGMA integrity_check", [{"integrity_check": "ok"}]),
    ],
)
def test_what_only_reads_is_allowed(sql: str, rows: list[dict[str, object]]) -> None:
    assert run("query", "--sql", sql, "--format", "json").json() == rows


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        ("VACUUM", "vacuum"),
        ("SAVEPOINT here", "savepoint here"),
        ("PRAGMA user_version = 3", "pragma user_version"),
        ("BEGIN", "transaction BEGIN"),
    ],
)
def test_what_is_refused_is_named_for_what_it_is(sql: str, named: str) -> None:
    result = run("query", "--sql", sql)
    assert (result.code, result.stderr) == (2, f"chuanyu: query refused: only reading is allowed, not {named}\n")


def test_blobs_and_numbers_json_cannot_hold_have_a_documented_form() -> None:
    result = run("query", "--sql", "SELECT x'00FF' AS b, 1e999 AS big, -1e999 AS small, 0.5 AS half", "--format", "json")
    assert result.json() == [{"b": "AP8=", "big": None, "small": None, "half": 0.5}]  # base64, null


def test_sql_bounds_stop_a_query_and_say_which() -> None:
    import time

    every_number = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
    cases = [
        (every_number + "SELECT max(i) FROM n", ["--time-limit", "2"], "stopped after 2 s (--time-limit)", 20),
        (every_number + "SELECT i FROM n", [], "stopped: more than 200,000 rows (ask for fewer, or add LIMIT)", 30),
        ("SELECT length(zeroblob(200000000))", [], "stopped: a value longer than 100,000,000 bytes", 30),
    ]
    assert run("build").code == 0
    for sql, options, said, within in cases:
        started = time.monotonic()
        result = process("query", "--sql", sql, *options)
        # stopped, not run on (each would run for ever, or until memory ends): no closer bound, which
        # a loaded machine would break; how close the limit holds is a figure, not a test
        assert time.monotonic() - started < within, sql
        assert (result.returncode, result.stdout, result.stderr.decode()) == (2, b"", f"chuanyu: query {said}\n")


@pytest.mark.parametrize(
    "command", [["gaps", "--format", "json"], ["measure", "34", "--format", "table"], ["export", "graph"]], ids=" ".join
)
def test_an_answer_that_cannot_be_written_is_one_line_and_exit_5(command: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run([sys.executable, "-m", "chuanyu", *command], stdout=full, stderr=subprocess.PIPE, cwd=ROOT, timeout=120)
    assert result.returncode == 5
    assert result.stderr.decode() == "chuanyu: cannot write the answer to standard output: No space left on device\n"


def test_a_briefing_that_cannot_be_finished_leaves_the_previous_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from chuanyu import report

    out = tmp_path / "briefing"
    assert run("report", "--out", str(out)).code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def full(*args: object) -> bytes:
        raise OSError(errno.ENOSPC, "No space left on device", str(out / "briefing.xlsx"))

    monkeypatch.setattr(report, "workbook", full)  # the last file of the set
    result = run("report", "--out", str(out), "--chapter", "5")
    assert (result.code, result.stderr) == (5, f"chuanyu: {out / 'briefing.xlsx'}: No space left on device\n")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing half-written, no folder left aside


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic catalogue of 20,000 measures (tests/bench_growth.py's): long enough to interrupt."""
    from bench_growth import synthetic

    folder = tmp_path_factory.mktemp("large")
    synthetic(20_000, folder)
    return folder


@pytest.mark.parametrize("command", ["build", "report"])
def test_ctrl_c_in_a_long_command_ends_quietly_with_130_and_leaves_nothing_half_made(
    large: Path, tmp_path: Path, _private_cache: Path, command: str
) -> None:
    """SIGINT when the work is surely under way (its first file being written): exit 130,
    nothing on stderr, no temporary file or half a briefing set left."""
    import signal
    import time

    out = tmp_path / "briefing"
    if command == "build":
        args, under_way = ["build", "--data", str(large)], lambda: list(_private_cache.glob(".*.db.*.tmp"))  # the database's
    else:
        assert run("build", "--data", str(large)).code == 0
        args, under_way = ["report", "--out", str(out), "--data", str(large)], lambda: list(out.glob(".chuanyu-briefing-*/*"))
    started = subprocess.Popen(
        [sys.executable, "-m", "chuanyu", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=interruptible
    )
    deadline = time.monotonic() + 120
    while not under_way() and started.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    assert started.poll() is None, "it ended before it could be interrupted"
    started.send_signal(signal.SIGINT)
    _, err = started.communicate(timeout=60)
    assert (started.returncode, err) == (130, b"")
    assert list(_private_cache.glob(".*.tmp")) == []
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.parametrize("columns", ["30", "12", "0", "1"])
def test_a_narrow_terminal_folds_or_shows_a_block_a_record_never_drops_data(columns: str) -> None:
    from rich.cells import cell_len

    result = process("measures", "--chapter", "8", "--format", "table", env={"COLUMNS": columns})
    assert result.returncode == 0 and result.stderr == b""
    shown = "".join(result.stdout.decode("utf-8").split())  # folded lines joined
    answer = run("measures", "--chapter", "8", "--format", "json").json()
    for measure in answer:
        assert f"measure{measure['number']}" in shown or str(measure["number"]) in shown
        for units in measure["responsible"].values():
            for unit in units:
                assert unit["name"] in shown, (columns, unit["name"])
    if columns != "0":
        assert all(cell_len(line) <= max(int(columns), 24) for line in result.stdout.decode("utf-8").splitlines())


@pytest.mark.parametrize(
    ("given", "env"), [(["--data", "no-such-folder"], {}), ([], {"CHUANYU_DATA": "no-such-folder"}), (["--data", "README.md"], {})]
)
def test_data_that_names_no_folder_is_a_usage_error_however_given(given: list[str], env: dict[str, str]) -> None:
    result = process("measures", *given, env=env)
    assert (result.returncode, result.stdout) == (2, b"")
    assert "Invalid value for '--data'" in result.stderr.decode()


def test_a_parameter_given_twice_is_a_usage_error() -> None:
    result = run("query", "agency-measures", "-p", "agency=cq-finance", "-p", "agency=sc-finance")
    assert (result.code, result.stderr) == (
        2,
        "chuanyu query: Invalid value for '--parameter' / '-p': agency=… is given more than once (see chuanyu query --help)\n",
    )


def test_a_measures_file_cut_short_is_said_so_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(DATA, tmp_path / "cat")
    path = tmp_path / "cat" / "measures.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = next(i for i in range(120, len(lines)) if lines[i].startswith("    - number:"))  # before a measure: valid YAML
    path.write_text("".join(lines[:cut]), encoding="utf-8")
    result = run("validate", "--data", "cat")
    assert result.code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("cat/agencies.yaml:") and line.endswith("…): is a measures file cut short?")


def test_an_empty_chuanyu_data_is_no_setting() -> None:
    result = process("documents", "--format", "json", env={"CHUANYU_DATA": ""})
    assert result.returncode == 0 and [d["id"] for d in json.loads(result.stdout)] == ["wfc-joint-rules-2022"]


# --- found by the adversarial run of this round --------------------------------------------


@pytest.mark.parametrize("command", [["validate"], ["measures", "--format", "json"]], ids=lambda c: c[0])
def test_a_catalogue_file_that_is_a_symlink_loop_is_one_line(tmp_path: Path, command: list[str]) -> None:
    catalogue = _catalogue(tmp_path)
    (catalogue / "measures.yaml").unlink()
    (catalogue / "measures.yaml").symlink_to("measures.yaml")
    result = process(*command, "--data", "cat", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, b"")
    assert result.stderr.decode() == "cat/measures.yaml:1: file: cannot read: Too many levels of symbolic links\n"


def test_a_closed_stdout_is_an_answer_that_cannot_be_written() -> None:
    result = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m chuanyu measure 1 --format json >&-"], capture_output=True, cwd=ROOT, timeout=60
    )
    assert (result.returncode, result.stderr.decode()) == (5, "chuanyu: cannot write the answer to standard output: it is closed\n")


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["gaps", "--help"]])
def test_help_that_cannot_be_written_is_one_line_and_exit_5(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run([sys.executable, "-m", "chuanyu", *args], stdout=full, stderr=subprocess.PIPE, cwd=ROOT, timeout=60)
    assert (result.returncode, result.stderr.decode()) == (5, "chuanyu: cannot write to standard output: No space left on device\n")


def test_a_fifo_where_the_cached_database_goes_is_exit_5_not_a_hang(_private_cache: Path) -> None:
    from chuanyu import db

    path = db.cache_path(DATA)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    result = process("measure", "1", "--format", "json")  # would wait for ever in SQLite's open (timeout 120)
    assert (result.returncode, result.stderr.decode()) == (5, f"chuanyu: {path}: there is something other than a file here\n")


def test_a_name_with_quotes_ends_no_mermaid_node() -> None:
    from chuanyu.graph import mermaid_label

    assert mermaid_label('甲"];x[label="乙') == "甲#quot;];x[label=#quot;乙"


@pytest.mark.parametrize(
    "command", [["extract", "data/sources/wfc-joint-rules-2022.txt"], ["add", "data/sources/wfc-joint-rules-2022.txt"]]
)
def test_an_id_that_is_not_utf8_is_a_usage_error(command: list[str]) -> None:
    result = process(*command, "--id", b"\xff")
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode() == "chuanyu: id: not UTF-8 text: b'\\xff'\n"


def test_a_briefing_whose_file_is_blocked_moves_none_of_its_set(tmp_path: Path) -> None:
    out = tmp_path / "briefing"
    assert run("report", "--chapter", "1", "--out", str(out)).code == 0
    (out / "heatmap.svg").unlink()
    (out / "heatmap.svg" / "x").mkdir(parents=True)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    result = run("report", "--out", str(out))
    assert (result.code, result.stderr) == (5, f"chuanyu: {out / 'heatmap.svg'}: there is something other than a file here\n")
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_an_answer_too_large_to_hold_is_stopped_and_said_so() -> None:
    sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 3) SELECT randomblob(60000000) FROM c"
    result = process("query", "--sql", sql, "--format", "json")
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode() == "chuanyu: query stopped: an answer of more than 100,000,000 bytes (ask for less)\n"


# --- found by the second adversarial run ---------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_add_never_opens_what_is_no_regular_file_where_it_writes(tmp_path: Path, kind: str) -> None:
    shutil.copytree(DATA, tmp_path / "cat")
    (tmp_path / "cat" / "sources").mkdir(exist_ok=True)
    there = tmp_path / "cat" / "sources" / "second-2099.txt"
    os.mkfifo(there) if kind == "fifo" else there.symlink_to("/dev/zero")
    result = process("add", str(ROOT / "tests" / "documents" / "second-plan.txt"), "--id", "second-2099", "--data", "cat", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.decode().endswith(
        ": document: cat/sources/second-2099.txt is no file of the document it replaces (name another id with --id)\n"
    )
    assert not (tmp_path / "cat" / "documents").exists()


def test_a_lone_surrogate_escaped_in_yaml_is_a_problem_not_a_crash_later(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(DATA, tmp_path / "cat")
    path = tmp_path / "cat" / "agencies.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("    name: 重庆市金融监管局\n", '    name: "重庆市金融\\ud800监管局"\n', 1),
        encoding="utf-8",
    )
    for command in (["validate"], ["measure", "1", "--format", "json"]):
        result = run(*command, "--data", "cat")
        assert (result.code, result.stdout) == (1, "")
        assert result.stderr.endswith("field 'name' holds a lone surrogate (U+D800), which is no character\n")


@pytest.mark.parametrize("command", [["measures", "--format", "json"], ["build"], ["validate"]], ids=lambda c: c[0])
def test_a_catalogue_folder_whose_name_is_not_utf8_is_a_usage_error(tmp_path: Path, command: list[str]) -> None:
    folder = os.fsencode(tmp_path) + b"/cat\xff"
    shutil.copytree(DATA, os.fsdecode(folder))
    result = process(*command, "--data", folder)
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.startswith(b"chuanyu: data: not UTF-8 text: ")


def test_build_never_writes_over_a_file_of_the_catalogue(tmp_path: Path) -> None:
    shutil.copytree(DATA, tmp_path / "cat")
    before = (tmp_path / "cat" / "measures.yaml").read_bytes()
    result = run("build", "--data", str(tmp_path / "cat"), "--db", str(tmp_path / "cat" / "measures.yaml"))
    assert result.code == 2 and "is a file of the catalogue" in result.stderr
    assert (tmp_path / "cat" / "measures.yaml").read_bytes() == before


def test_documents_that_is_a_file_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(DATA, tmp_path / "cat")
    (tmp_path / "cat" / "documents").write_text("")
    result = run("validate", "--data", "cat")
    assert (result.code, result.stderr) == (1, "cat/documents:1: file: not a folder: documents/ holds the further documents' files\n")


def test_pragmas_that_only_tell_a_setting_are_read_and_refused_with_a_value() -> None:
    assert run("query", "--sql", "PRAGMA journal_mode", "--format", "json").json() == [{"journal_mode": "delete"}]
    assert run("query", "--sql", "PRAGMA foreign_keys = 1").code == 2
