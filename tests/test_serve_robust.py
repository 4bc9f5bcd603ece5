"""`chuanyu serve` bounded and quiet (issue 23): with --sql, the limits of `query`; the functions
that change a connection refused there as in `query --sql`; a visitor's error an error page and
one log line; a stderr nobody reads blocks nothing; no path of this machine shown."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chuanyu import db, serving, web
from chuanyu.paths import data_dir, queries_dir
from chuanyu.sql import named_queries
from conftest import run_process

TOKENIZER = "SELECT fts3_tokenizer('simple')"
TOKENIZER_SET = "SELECT fts3_tokenizer('simple', x'0000000000000000')"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    conn = db.connect(db.build(data_dir(), tmp_path_factory.mktemp("serve") / "built.db"))
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def site(built: sqlite3.Connection) -> Iterator[Any]:
    with serving.served_copy(built) as path:
        yield serving.site(path, web.metadata(built, named_queries(queries_dir()), allow_sql=True), allow_sql=True)


def get(site: Any, path: str, **query: str) -> Any:
    return asyncio.run(site.client.get(path + ("?" + urllib.parse.urlencode(query) if query else "")))


@pytest.mark.parametrize("sql", [TOKENIZER, TOKENIZER_SET, "SELECT FTS3_TOKENIZER('simple')"])
def test_query_sql_refuses_the_tokenizer_function(sql: str) -> None:
    process = run_process("query", "--sql", sql, "--format", "json")
    assert (process.returncode, process.stdout) == (2, "")
    assert process.stderr == "chuanyu: query refused: only reading is allowed, not function fts3_tokenizer\n"


@pytest.mark.parametrize("sql", [TOKENIZER, TOKENIZER_SET, "SELECT load_extension('/tmp/x')"])
def test_serve_sql_refuses_the_functions_that_change_the_connection(site: Any, sql: str) -> None:
    response = get(site, f"/{web.DATABASE}.json", sql=sql)
    assert response.status_code == 400
    assert response.json()["error"].startswith("not authorized to use function")


def test_serve_sql_stops_a_value_past_the_limit(site: Any) -> None:
    response = get(site, f"/{web.DATABASE}.json", sql="SELECT hex(randomblob(300000000))")
    assert (response.status_code, response.json()["error"]) == (400, "string or blob too big")
    biggest = 1000 * serving.SERVED_VALUE_LIMIT  # a full page of the largest values: no larger than query's largest answer
    assert biggest <= 100_000_000 and get(site, f"/{web.DATABASE}.json", sql="SELECT length(text) FROM texts").status_code == 200


def test_no_path_of_this_machine_is_shown(site: Any, built: sqlite3.Connection) -> None:
    served = get(site, "/-/databases.json").json()
    assert [database["name"] for database in served] == [web.DATABASE] and all("path" not in database for database in served)
    meta = {row["key"]: row["value"] for row in get(site, f"/{web.DATABASE}/meta.json", _shape="array").json()}
    assert "data" in meta and meta["data"] is None
    folders = {str(data_dir().resolve()), str(Path(built.execute("PRAGMA database_list").fetchone()[2]).parent)}
    for page in ("/-/databases.json", f"/{web.DATABASE}/meta.json", "/-/metadata.json", "/-/settings.json", f"/{web.DATABASE}", "/"):
        text = get(site, page).text
        assert not any(folder in text for folder in folders), page


@pytest.mark.parametrize(("method", "path"), [("GET", "/chuanyu/measures?_sort=junk"), ("POST", "/chuanyu/search")])
def test_a_visitors_error_is_an_error_page_and_one_log_line(site: Any, capfd: pytest.CaptureFixture[str], method: str, path: str) -> None:
    with serving.logged():
        response = asyncio.run(site.client.get(path) if method == "GET" else site.client.post(path, data={"text": "x"}))
    assert response.status_code >= 400 and "<title>Error" in response.text and "Traceback" not in response.text
    out, err = capfd.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"chuanyu: serve: {response.status_code} {method} {path.split('?')[0]}: ")


def test_a_stderr_nobody_reads_blocks_nothing() -> None:
    """A real server whose output is a pipe never read: a thousand bad requests (each a log line,
    more than the pipe holds), and it still answers at once."""
    import browser

    process, address = browser.start("--sql")
    try:
        for _ in range(1000):
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(f"{address}/{web.DATABASE}/measures?_sort=junk", timeout=10)
        with urllib.request.urlopen(f"{address}/{web.DATABASE}/measures.json?_shape=array&_size=1", timeout=10) as response:
            assert [row["number"] for row in json.load(response)] == [1]
    finally:
        output = browser.stop(process)
    assert "Traceback" not in output and len(output.splitlines()) <= 1 + serving.LOG_BACKLOG + 1000
