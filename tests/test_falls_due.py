"""What falls due (issue 21): due and due_by on every measure record and in the database,
`measures --due-by`, `agency` by due date, the briefing's table, Datasette's facet. A catalogue
of the shipped document with the two task-table documents constructed for tests added."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from contextlib import closing
from pathlib import Path

import pytest

from chuanyu import db
from chuanyu.due_dates import due_by
from conftest import DATA, ROOT, run

DOCUMENTS = ROOT / "tests" / "documents"


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("due") / "cat"
    shutil.copytree(DATA, folder)
    for source, document_id in (("task-table-page.html", "data-2024"), ("task-table-plan.docx", "green-2024")):
        added = run("add", str(DOCUMENTS / source), "--id", document_id, "--data", str(folder))
        assert added.code == 0, added.stderr
    return str(folder)


def test_every_measure_record_has_due_and_due_by(catalogue: str) -> None:
    records = run("measures", "--data", catalogue, "--format", "json").json()
    assert all("due" in r and "due_by" in r for r in records)
    shipped = [r for r in records if r["document"] == "wfc-joint-rules-2022"]
    assert len(shipped) == 58 and all(r["due"] is None and r["due_by"] is None for r in shipped)
    dated = [r for r in records if r["due"] is not None]
    assert all(r["due_by"] == due_by(r["due"]) for r in dated)
    assert {(r["document"], r["number"]): r["due_by"] for r in dated if r["due_by"] is None} == {
        ("data-2024", 3): None,  # 持续推进
        ("data-2024", 4): None,  # 每年12月底前
        ("green-2024", 4): None,
    }


def test_due_by_a_day_across_documents(catalogue: str) -> None:
    records = run("measures", "--due-by", "2024-12-31", "--data", catalogue, "--format", "json").json()
    assert [(r["document"], r["number"]) for r in records] == [("data-2024", 1), ("data-2024", 5), ("green-2024", 1), ("green-2024", 2)]
    assert all(r["due_by"] <= "2024-12-31" for r in records)
    earlier = run("measures", "--due-by", "2024-09-30", "--data", catalogue, "--format", "csv")
    assert [(row["document"], row["measure"]) for row in csv.DictReader(io.StringIO(earlier.stdout))] == [
        ("data-2024", "5"),
        ("green-2024", "1"),
    ]


def test_due_by_today_is_the_day_it_is_asked(catalogue: str) -> None:
    today = dt.date.today().isoformat()
    asked = run("measures", "--due-by", "today", "--data", catalogue, "--format", "json").json()
    given = run("measures", "--due-by", today, "--data", catalogue, "--format", "json").json()
    assert asked == given


def test_due_by_something_not_a_day_is_a_usage_error(catalogue: str) -> None:
    result = run("measures", "--due-by", "2024-13-01", "--data", catalogue)
    assert (result.code, result.stdout, result.stderr.count("\n")) == (2, "", 1)
    assert "--due-by" in result.stderr


def test_agency_says_what_it_leads_and_takes_part_in_by_due_date(catalogue: str) -> None:
    profile = run("agency", "市金融监管局", "--data", catalogue, "--format", "json").json()
    due = profile["due"]
    days = [entry["due_by"] for entry in due if entry["due_by"] is not None]
    assert days == sorted(days) and due[-1]["due_by"] is None  # those naming no one day last
    assert {(e["document"], e["number"]): e["role"] for e in due} == {
        ("data-2024", 1): "lead",
        ("data-2024", 4): "lead",
        ("data-2024", 5): "lead",
        ("green-2024", 2): "lead",
        ("green-2024", 3): "co",
    }


def test_the_shipped_document_alone_has_no_due_in_its_agency_profile() -> None:
    assert run("agency", "市金融监管局", "--format", "json").json()["due"] == []


def test_the_database_keeps_due_and_due_by(catalogue: str) -> None:
    with closing(db.open_cached(Path(catalogue))) as conn:
        rows = conn.execute("SELECT due, due_by FROM measures WHERE document = 'green-2024' ORDER BY number").fetchall()
        names = [row[1] for row in conn.execute("PRAGMA index_list(measures)")]
        indexes = {tuple(column[2] for column in conn.execute(f"PRAGMA index_info('{name}')")) for name in names}
    assert [tuple(row) for row in rows] == [
        ("2024年9月底前", "2024-09-30"),
        ("2024年底前", "2024-12-31"),
        ("2025年上半年", "2025-06-30"),
        ("持续推进", None),
    ]
    assert ("due_by",) in indexes


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_briefing_says_what_falls_due_by_quarter_and_unit(catalogue: str, tmp_path: Path, lang: str) -> None:
    result = run("report", "--data", catalogue, "--document", "green-2024", "--out", str(tmp_path), "--lang", lang)
    assert result.code == 0, result.stderr
    rows = list(csv.reader(io.StringIO((tmp_path / "due.csv").read_text(encoding="utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[0] == ("quarter" if lang == "en" else "季度")
    quarters = [row[0] for row in body]
    assert quarters == sorted(quarters) and set(quarters) == {"2024-Q3", "2024-Q4", "2025-Q2"}
    chengdu = [row for row in body if row[1] == "成都市政府"]
    assert [(row[0], row[3], row[4]) for row in chengdu] == [("2024-Q3", "", "1")]  # a local unit takes part
    briefing = (tmp_path / "briefing.md").read_text(encoding="utf-8")
    assert ("## What falls due" if lang == "en" else "## 到期任务") in briefing
    assert b"2024-Q3" in _word_text(tmp_path / "briefing.docx")


def _word_text(path: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as word:
        return word.read("word/document.xml")


def test_the_shipped_briefing_has_no_due_table(tmp_path: Path) -> None:
    assert run("report", "--out", str(tmp_path)).code == 0
    assert not (tmp_path / "due.csv").exists()


def test_datasette_offers_due_by_as_a_facet() -> None:
    from chuanyu.web import FACETS

    assert "due_by" in FACETS["measures"]


def test_the_python_api_asks_due_by_as_the_command_does(catalogue: str) -> None:
    import chuanyu

    with chuanyu.open(catalogue) as opened:
        records = opened.measures(due_by="2024-09-30")
    assert records == run("measures", "--due-by", "2024-09-30", "--data", catalogue, "--format", "json").json()
