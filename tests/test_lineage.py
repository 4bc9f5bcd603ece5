"""Successors, checked against the facts of data/sources/agency-lineage.md (a copy of
../shared/agency-lineage.md), and the --as-of view."""

from __future__ import annotations

import datetime as dt
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from chuanyu.model import Agency, Catalogue
from conftest import DATA, run

LINEAGE = (DATA / "sources" / "agency-lineage.md").read_text(encoding="utf-8")
ROWS = [
    [cell.strip() for cell in line.strip().strip("|").split("|")]
    for line in LINEAGE.splitlines()
    if line.startswith("| ") and not line.startswith("| unit") and not line.startswith("|---")
]
# "- 重庆证监局, 四川证监局: no change found." -> both names; "重庆市科学技术局 (市科技局)" -> the first
UNCHANGED = [
    name.split(" (")[0].strip()
    for line in LINEAGE.split("Checked and left unchanged")[1].splitlines()
    if line.startswith("- ")
    for name in line[2:].split(":")[0].split(", ")
]


def named(catalogue: Catalogue, name: str) -> Agency:
    (agency,) = [a for a in catalogue.agencies.values() if name in (a.name, a.full_name)]
    return agency


def test_the_copy_is_the_shared_file() -> None:
    shared = DATA.parent.parent / "shared" / "agency-lineage.md"
    if shared.exists():  # beside the checkout on a developer's machine and in CI
        assert shared.read_bytes() == (DATA / "sources" / "agency-lineage.md").read_bytes()
    assert len(ROWS) == 6


@pytest.mark.parametrize("row", ROWS, ids=[r[0] for r in ROWS])
def test_each_successor_is_as_the_source_states(catalogue: Catalogue, row: list[str]) -> None:
    unit, successor, since, source, note = row
    agency = named(catalogue, unit)
    (step,) = agency.successors
    assert catalogue.agencies[step.id].name == successor
    assert step.since == (None if since == "unknown" else since)
    assert step.source == source
    assert step.note == note
    assert agency.dissolution_date == step.since  # None where the date is unknown
    assert catalogue.agencies[step.id].founding_date == step.since
    assert catalogue.agencies[step.id].province == agency.province and catalogue.agencies[step.id].level == agency.level


def test_nothing_changes_without_a_source(catalogue: Catalogue) -> None:
    with_successors = {a.name for a in catalogue.agencies.values() if a.successors}
    assert with_successors == {row[0] for row in ROWS}
    assert sorted(UNCHANGED) == sorted(["外汇局四川省分局", "重庆证监局", "四川证监局", "四川省大数据中心", "重庆市科学技术局"])
    for name in UNCHANGED:
        assert named(catalogue, name).successors == ()


def test_successors_pair_by_function(catalogue: Catalogue) -> None:
    for old, new in (("重庆银保监局", "国家金融监督管理总局重庆监管局"), ("人行重庆营管部", "中国人民银行重庆市分行")):
        body = named(catalogue, new)
        assert catalogue.agencies[body.counterpart or ""].name == new.replace("重庆", "四川").replace("四川市", "四川省")
        assert named(catalogue, old).successors[0].id == body.id


# --- the as-of view --------------------------------------------------------------------------

SOURCE_OF = {row[1]: row[3] for row in ROWS}  # successor's name -> the source that states it
TODAY = dt.date.today().isoformat()


def lead(as_of: str, number: int = 14, side: str = "chongqing") -> dict:
    return run("measure", str(number), "--as-of", as_of, "--format", "json").json()["responsible"][side][0]


def test_before_a_change_the_old_body_holds_it() -> None:
    unit = lead("2023-07-19")
    assert (unit["id"], unit["name"], unit["current"]) == ("cq-cbirc", "重庆银保监局", None)


def test_from_the_day_of_a_change_the_successor_holds_it_with_its_source() -> None:
    unit = lead("2023-07-20")
    assert unit["current"] == {
        "id": "cq-nfra",
        "name": "国家金融监督管理总局重庆监管局",
        "since": "2023-07-20",
        "source": SOURCE_OF["国家金融监督管理总局重庆监管局"],
    }
    # the central bank's branches changed four weeks later
    pbc = run("measure", "48", "--as-of", "2023-08-17", "--format", "json").json()["responsible"]
    assert pbc["chongqing"][0]["current"] is None
    pbc = run("measure", "48", "--as-of", "2023-08-18", "--format", "json").json()["responsible"]
    assert (pbc["chongqing"][0]["current"]["name"], pbc["sichuan"][0]["current"]["name"]) == (
        "中国人民银行重庆市分行",
        "中国人民银行四川省分行",
    )


def test_a_change_with_no_known_date_holds_from_today_only() -> None:
    assert lead("2025-01-01", 1)["current"] is None
    current = lead("today", 1)["current"]
    assert (current["name"], current["since"]) == ("重庆市地方金融管理局", None)
    assert lead(TODAY, 1)["current"] == current


def test_as_of_adds_keys_and_changes_none() -> None:
    plain = run("measure", "14", "--format", "json").json()
    dated = run("measure", "14", "--as-of", "today", "--format", "json").json()
    assert "as_of" not in plain and "current" not in plain["responsible"]["chongqing"][0]
    assert dated["as_of"] == TODAY
    assert list(dated)[: len(plain)] == list(plain)
    assert [{k: u[k] for k in ("id", "name")} for u in dated["responsible"]["chongqing"]] == plain["responsible"]["chongqing"]


def test_pairs_follow_the_successors() -> None:
    pairs = run("pairs", "--as-of", "today", "--format", "json").json()
    nfra = next(p for p in pairs if p["chongqing"] and p["chongqing"]["id"] == "cq-cbirc")
    assert (nfra["chongqing"]["current"]["name"], nfra["sichuan"]["current"]["name"]) == (
        "国家金融监督管理总局重庆监管局",
        "国家金融监督管理总局四川监管局",
    )
    safe = next(p for p in pairs if p["chongqing"] and p["chongqing"]["id"] == "cq-safe")
    assert (safe["chongqing"]["current"]["name"], safe["sichuan"]["current"]) == ("国家外汇管理局重庆市分局", None)  # no change recorded
    table = run("pairs", "重庆银保监局", "--as-of", "today", "--format", "tsv").stdout.splitlines()
    assert table[1].split("\t")[:2] == [
        "国家金融监督管理总局重庆监管局（原：重庆银保监局）",
        "国家金融监督管理总局四川监管局（原：四川银保监局）",
    ]


def test_gaps_name_the_bodies_of_the_day() -> None:
    mismatch = run("gaps", "--kind", "lead-mismatch", "--as-of", "today", "--format", "json").json()
    (twenty_five,) = [g for g in mismatch if g["measure"] == 25]
    assert twenty_five["agency"]["current"]["name"] == "中国人民银行重庆市分行" and twenty_five["counterpart"]["current"] is None


def test_a_successors_name_finds_the_measures_of_the_unit_it_followed() -> None:
    by_old = run("measures", "--agency", "重庆银保监局", "--format", "json").json()
    by_new = run("measures", "--agency", "国家金融监督管理总局重庆监管局", "--format", "json").json()
    assert by_new == by_old and len(by_new) == 40
    profile = run("agency", "中国人民银行四川省分行", "--format", "json").json()
    assert profile["agency"]["id"] == "sc-pbc" and len(profile["involved"]) == 49
    assert profile["lineage"] == [
        {
            "id": "sc-pbc-branch",
            "name": "中国人民银行四川省分行",
            "since": "2023-08-18",
            "source": SOURCE_OF["中国人民银行四川省分行"],
            "note": ROWS[3][4],
        }
    ]


def test_the_profile_shows_the_lineage_or_says_there_is_none() -> None:
    lines = run("agency", "人行重庆营管部", "--format", "table").stdout.splitlines()
    assert "人行重庆营管部 → 中国人民银行重庆市分行 since 2023-08-18" in lines
    assert any(SOURCE_OF["中国人民银行重庆市分行"] in line for line in lines)
    assert run("agency", "重庆证监局", "--format", "table").stdout.splitlines()[-1] == "重庆证监局: no change recorded"
    assert run("agency", "重庆证监局", "--format", "json").json()["lineage"] == []


def test_a_chain_of_two_changes_resolves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue = tmp_path / "cat"
    shutil.copytree(DATA.parent / "tests" / "fixtures" / "tiny", catalogue)
    agencies = catalogue / "agencies.yaml"
    text = agencies.read_text(encoding="utf-8").replace(
        "    counterpart: sc-finance\n",
        "    counterpart: sc-finance\n    dissolution_date: '2023-03-01'\n    successors:\n"
        "      - id: cq-treasury\n        since: '2023-03-01'\n        source: https://example.org/one\n",
        1,
    )
    text += (
        "  - id: cq-treasury\n    name: 重庆市财政金融局\n    province: chongqing\n    level: provincial-department\n"
        "    counterpart: null\n    founding_date: '2023-03-01'\n    dissolution_date: '2024-05-01'\n    successors:\n"
        "      - id: cq-exchequer\n        since: '2024-05-01'\n        source: https://example.org/two\n        note: the second step\n"
        "  - id: cq-exchequer\n    name: 重庆市国库局\n    province: chongqing\n    level: provincial-department\n"
        "    counterpart: null\n    founding_date: '2024-05-01'\n"
    )
    agencies.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("validate", "--data", "cat").code == 0

    def holder(as_of: str) -> dict | None:
        return run("measure", "1", "--data", "cat", "--as-of", as_of, "--format", "json").json()["responsible"]["chongqing"][0]["current"]

    assert holder("2023-02-28") is None
    assert holder("2023-03-01") == {
        "id": "cq-treasury",
        "name": "重庆市财政金融局",
        "since": "2023-03-01",
        "source": "https://example.org/one",
    }
    assert holder("2024-05-01") == {
        "id": "cq-exchequer",
        "name": "重庆市国库局",
        "since": "2024-05-01",
        "source": "https://example.org/two",
    }
    profile = run("agency", "重庆市国库局", "--data", "cat", "--format", "json").json()
    assert profile["agency"]["id"] == "cq-finance" and [s["id"] for s in profile["lineage"]] == ["cq-treasury", "cq-exchequer"]


def test_as_of_takes_a_date_or_today() -> None:
    result = run("measure", "1", "--as-of", "yesterday")
    assert (result.code, result.stderr) == (2, "chuanyu: --as-of takes a date YYYY-MM-DD or today, not 'yesterday'\n")


def test_a_briefing_as_of_today(tmp_path: Path) -> None:
    assert run("report", "--as-of", "today", "--out", str(tmp_path)).code == 0
    assert f"each unit as the body that held its function on {TODAY}" in (tmp_path / "briefing.md").read_text(encoding="utf-8")
    pairs = (tmp_path / "pairs.csv").read_text(encoding="utf-8-sig")
    assert "国家金融监督管理总局重庆监管局（原：重庆银保监局）" in pairs
    labels = [t.text for t in ET.parse(tmp_path / "ladder.svg").getroot().iter("{http://www.w3.org/2000/svg}text")]
    assert "中国人民银行四川省分行（原：人行成都分行）" in labels


def test_a_date_before_any_change_says_so_under_the_table() -> None:
    lines = run("measure", "1", "--as-of", "2020-01-01", "--format", "md").stdout.splitlines()
    assert lines[-1].strip() == "as of 2020-01-01: every unit as the document lists it (no change recorded by then)"
    assert not any("sources for the bodies" in line for line in lines)


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_every_successor_shown_in_a_table_comes_with_its_source(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # names whole on one line
    lines = run("measures", "--chapter", "2", "--as-of", "today", "--format", fmt).stdout.splitlines()
    shown = {name for name in SOURCE_OF if any(f"{name}（原：" in line for line in lines)}
    assert shown == {
        "国家金融监督管理总局重庆监管局",
        "国家金融监督管理总局四川监管局",
        "中国人民银行重庆市分行",
        "中国人民银行四川省分行",
        "国家外汇管理局重庆市分局",
        "重庆市地方金融管理局",
    }
    for name in shown:
        assert any(line.strip().startswith(f"{name} (since") and SOURCE_OF[name] in line for line in lines), name
