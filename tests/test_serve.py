"""`chuanyu serve`: the metadata made from what chuanyu knows, Datasette answering through its own
test client as `chuanyu query` does, and a real server in headless Chromium."""

from __future__ import annotations

import asyncio
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chuanyu import db, serving, web
from chuanyu.db_tables import SCHEMA
from chuanyu.paths import data_dir, queries_dir
from chuanyu.sql import named_queries
from conftest import ROOT, run

QUERIES = named_queries(queries_dir())
#: A value for each parameter the named queries take.
VALUES = {"agency": "cq-pbc", "text": "数字人民币"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    conn = db.connect(db.build(data_dir(), tmp_path_factory.mktemp("serve") / "built.db"))
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def site(built: sqlite3.Connection) -> Iterator[Any]:
    with serving.served_copy(built) as path:
        yield serving.site(path, web.metadata(built, QUERIES, allow_sql=False), allow_sql=False)


def get(site: Any, path: str, **query: str) -> Any:
    """The response to GET `path` from Datasette's own test client."""
    return asyncio.run(site.client.get(path + ("?" + urllib.parse.urlencode(query) if query else "")))


def rows(site: Any, path: str, **query: str) -> list[dict[str, Any]]:
    response = get(site, path + ".json", _shape="array", **query)
    assert response.status_code == 200, response.text
    return list(response.json())


def test_the_schema_described_is_the_schema_built(built: sqlite3.Connection) -> None:
    tables = [name for (name,) in built.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'texts_fts%'")]
    assert sorted(SCHEMA) == sorted(tables)
    for table, (holds, columns) in SCHEMA.items():
        assert holds and list(columns) == [row[1] for row in built.execute(f"PRAGMA table_info([{table}])")], table


def test_the_metadata_names_the_document_and_describes_every_table(built: sqlite3.Connection) -> None:
    metadata = web.metadata(built, QUERIES, allow_sql=False)
    database = metadata["databases"][web.DATABASE]
    assert metadata["title"] == database["title"] == "《成渝共建西部金融中心规划联合实施细则》"
    assert database["description"] == "渝府办发〔2022〕126号, 2022-12-14"
    assert set(database["tables"]) == set(SCHEMA)
    assert database["tables"]["responsibilities"]["columns"]["grp"].startswith("the list it is in")
    assert database["allow_sql"] is False
    assert web.metadata(built, QUERIES, allow_sql=True)["databases"][web.DATABASE]["allow_sql"] is True


def test_several_documents_are_each_named_in_the_description(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    text = (data / "measures.yaml").read_text(encoding="utf-8").replace("id: wfc-joint-rules-2022", "id: second", 1)
    (data / "documents").mkdir(exist_ok=True)
    (data / "documents" / "second.yaml").write_text(text.replace("title: 成渝共建", "title: 再建", 1), encoding="utf-8")
    conn = db.connect(db.build(data, tmp_path / "two.db"))
    title, description = web.heading(conn)
    assert title == "2 joint Chongqing–Sichuan policy documents"
    assert description.split("; ") == [
        "《再建西部金融中心规划联合实施细则》, 渝府办发〔2022〕126号, 2022-12-14",
        "《成渝共建西部金融中心规划联合实施细则》, 渝府办发〔2022〕126号, 2022-12-14",
    ]


def test_every_named_query_is_a_canned_query_with_its_title_help_and_parameters(site: Any) -> None:
    assert "search" in QUERIES
    listed = get(site, f"/{web.DATABASE}.json").json()["queries"]
    assert [q["name"] for q in listed] == list(QUERIES)
    for query in listed:
        named = QUERIES[query["name"]]
        assert (query["title"], query["description"], query["params"]) == (named.title, named.help, named.parameters)
    assert QUERIES["search"].parameters == ["text"]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_each_canned_query_answers_as_chuanyu_query_does(site: Any, name: str) -> None:
    values = {parameter: VALUES[parameter] for parameter in QUERIES[name].parameters}
    given = [option for key, value in values.items() for option in ("-p", f"{key}={value}")]
    expected = run("query", name, *given, "--format", "json").json()
    assert expected  # a query that answers nothing would prove nothing
    assert rows(site, f"/{web.DATABASE}/{name}", **values) == expected


@pytest.mark.parametrize("word", ["数字人民币", "绿色", "币"])
def test_the_search_query_finds_words_of_any_length_as_chuanyu_search(site: Any, word: str) -> None:
    found = [(row["kind"], row["number"]) for row in rows(site, f"/{web.DATABASE}/search", text=word)]
    assert found == [(row["kind"], row["number"]) for row in run("search", word, "--format", "json").json()]
    assert all(word in row["text"] for row in rows(site, f"/{web.DATABASE}/search", text=word))
    if word == "数字人民币":
        assert found == [("measure", 31)]


def test_the_table_search_of_texts_uses_the_trigram_index(site: Any) -> None:
    found = rows(site, f"/{web.DATABASE}/texts", _search="数字人民币")
    assert [(row["kind"], row["number"]) for row in found] == [("measure", 31)]


def test_agency_names_appear_beside_ids(site: Any, built: sqlite3.Connection) -> None:
    names = dict(built.execute("SELECT id, name FROM agencies").fetchall())
    response = get(site, f"/{web.DATABASE}/responsibilities.json", _labels="on", _size="max")
    labelled = response.json()["rows"]
    assert len(labelled) == 602
    assert all(row["agency"]["label"] == names[row["agency"]["value"]] for row in labelled)
    page = get(site, f"/{web.DATABASE}/responsibilities", measure="34").text
    assert "重庆外汇管理部" in page and "cq-safe" in page


def test_facets_on_province_level_group_and_role(site: Any) -> None:
    agencies = get(site, f"/{web.DATABASE}/agencies.json").json()["facet_results"]
    assert {"province", "level"} <= set(agencies)
    listings = get(site, f"/{web.DATABASE}/responsibilities.json").json()["facet_results"]
    counts = {value["value"]: value["count"] for value in listings["grp"]["results"]}
    assert {"grp", "role"} <= set(listings) and counts["chongqing"] + counts["sichuan"] + counts["local"] + counts.get("joint", 0) == 602


def test_read_only_and_no_sql_of_ones_own_unless_asked(site: Any, built: sqlite3.Connection) -> None:
    assert site.databases[web.DATABASE].is_mutable is False
    assert get(site, f"/{web.DATABASE}.json", sql="SELECT 1").status_code == 403
    assert site.setting("sql_time_limit_ms") == serving.SQL_TIME_LIMIT_MS
    with serving.served_copy(built) as path:
        allowed = serving.site(path, web.metadata(built, QUERIES, allow_sql=True), allow_sql=True)
        assert rows(allowed, f"/{web.DATABASE}", sql="SELECT count(*) AS n FROM measures") == [{"n": 58}]
        response = get(
            allowed, f"/{web.DATABASE}.json", sql="WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n"
        )
        assert response.status_code == 400 and "interrupted" in response.text.lower()


def test_no_plugins_but_datasettes_own_and_chuanyus(site: Any) -> None:
    from datasette.plugins import DEFAULT_PLUGINS, pm

    assert {pm.get_name(plugin) for plugin in pm.get_plugins()} <= {*DEFAULT_PLUGINS, "chuanyu.trigram_search"}


def test_the_served_file_outlives_a_build_that_removes_the_cached_one(tmp_path: Path) -> None:
    cached = db.build(data_dir(), tmp_path / "cached.db")
    conn = db.connect(cached)
    with serving.served_copy(conn) as path:
        assert path.name == "chuanyu.db" and path.parent.parent == tmp_path
        cached.unlink()
        assert sqlite3.connect(path).execute("SELECT count(*) FROM measures").fetchone() == (58,)
    assert not path.parent.exists()


def test_without_datasette_one_line_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "datasette", None)  # as if it were not installed
    result = run("serve")
    assert (result.code, result.stderr) == (2, "chuanyu: chuanyu serve needs Datasette: pip install 'chuanyu[serve]'\n")


@pytest.mark.parametrize(("host", "warned"), [("127.0.0.1", False), ("localhost", False), ("::1", False), ("0.0.0.0", True)])
def test_a_host_beyond_this_machine_is_warned_of(monkeypatch: pytest.MonkeyPatch, host: str, warned: bool) -> None:
    served = []
    monkeypatch.setattr(serving, "serve", lambda conn, host, port, allow_sql, listening: served.append((host, port, allow_sql)))
    result = run("serve", "--host", host, "--port", "8123")
    assert result.code == 0 and served == [(host, 8123, False)]
    assert ("visible to anyone on the network" in result.stderr) is warned


def test_a_port_taken_is_one_line() -> None:
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port))
    assert result.code == 2 and result.stderr.startswith(f"chuanyu: cannot listen on 127.0.0.1 port {port}: ")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_real_server_answers_and_stops_leaving_nothing_behind(_private_cache: Path, signum: int, code: int) -> None:
    import urllib.request

    import browser

    process, address = browser.start()
    with urllib.request.urlopen(f"{address}/{web.DATABASE}/measures.json?_shape=array&_size=1") as response:
        assert [row["number"] for row in json.load(response)] == [1]
    assert list(_private_cache.glob(".serve.*/chuanyu.db"))  # served from a file of its own
    output = browser.stop(process, signum)
    assert process.returncode == code and output == f"chuanyu: serving at {address}/{web.DATABASE} (Ctrl-C to stop)\n"
    assert not list(_private_cache.glob(".serve.*"))


def test_other_commands_do_not_import_datasette() -> None:
    code = "import sys, chuanyu.cli, chuanyu.entry; print(sorted(m for m in sys.modules if m.split('.')[0] in ('datasette', 'uvicorn')))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"


def test_home_a_table_and_a_canned_query_load_in_chromium_and_the_chinese_is_glyphs() -> None:
    """A real server on loopback, in Debian's headless Chromium: pages load with no console
    error, and two different characters in the page's own heading look different (they look
    alike only as boxes, when no font has them). Skipped without Chromium or a CJK font
    (`make test` installs both as root), naming the package; in CI it fails."""
    from PIL import Image

    import browser

    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout if shutil.which("fc-list") else ""
    missing = [package for package, there in (("chromium", browser.chromium()), ("fonts-wqy-microhei", fonts.strip())) if not there]
    if missing:
        reason = f"no headless browser or CJK font to test the web face with: install Debian's {' and '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with browser.server() as address, browser.browser() as page:
        for path in ("/", f"/{web.DATABASE}/measures", f"/{web.DATABASE}/search?text=%E7%BB%BF%E8%89%B2"):
            page.load(address + path)
            assert page.errors == [], path
        page.load(address + "/")
        assert page.evaluate("document.querySelector('h1').textContent.trim()") == "《成渝共建西部金融中心规划联合实施细则》"
        heading = Image.open(io.BytesIO(page.screenshot("h1"))).convert("L")
        assert sum(heading.histogram()[:128]) > 0.02 * heading.size[0] * heading.size[1]  # ink: the title is drawn
        shots = []
        for character in ("中", "国"):
            page.evaluate(f"document.querySelector('h1').textContent = '{character}'")
            shots.append(Image.open(io.BytesIO(page.screenshot("h1"))).convert("L").tobytes())
        assert shots[0] != shots[1], "Chinese drawn as boxes: no CJK font"
        assert page.errors == []
