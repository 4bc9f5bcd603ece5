"""agency, pairs and gaps, checked against what the source text and the hand-read pairs say."""

from __future__ import annotations

import json

import pytest

from conftest import run
from test_source import CLAUSES, COUNTERPART, PAIRS, units_in_source

MEASURES = range(1, len(CLAUSES) + 1)


def listed(number: int) -> set[str]:
    return {unit for units in units_in_source(number).values() for unit in units}


def test_agency_profile_json_contract() -> None:
    profile = run("agency", "重庆外汇管理部", "--format", "json").json()
    assert list(profile) == ["agency", "counterpart", "leads", "involved", "lineage"]  # lineage: added after the contract, at the end
    assert profile["agency"]["id"] == "cq-safe" and profile["counterpart"]["name"] == "外汇局四川省分局"
    assert list(profile["agency"]) == ["id", "name", "full_name", "aliases", "province", "level", "counterpart", "leads", "involved"]
    assert profile["involved"] == [n for n in MEASURES if "重庆外汇管理部" in listed(n)]
    assert profile["leads"] == [n for n in MEASURES if units_in_source(n).get("chongqing", [""])[0] == "重庆外汇管理部"]


def test_agency_profile_by_chapter() -> None:
    profile = run("agency", "人行成都分行", "--format", "json").json()
    by_chapter = {c["chapter"]: c for c in map(json.loads, run("agency", "人行成都分行", "--format", "jsonl").stdout.splitlines())}
    assert profile["counterpart"]["id"] == "cq-pbc"
    assert sorted(by_chapter) == list(range(1, 9))  # listed in every chapter
    assert sum(c["listings"] for c in by_chapter.values()) == len(profile["involved"]) == 49
    for chapter in by_chapter.values():
        for number in chapter["with_counterpart"]:
            assert "人行重庆营管部" in listed(number)
        for number in chapter["without_counterpart"]:
            assert "人行重庆营管部" not in listed(number)


def test_joint_body_has_no_counterpart() -> None:
    profile = run("agency", "领导小组成员单位", "--format", "json").json()
    assert (profile["counterpart"], profile["involved"], profile["leads"]) == (None, [55], [])


def test_pairs_follow_the_source() -> None:
    pairs = run("pairs", "--format", "json").json()
    declared = [p for p in pairs if p["chongqing"] and p["sichuan"]]
    assert len(declared) == len(PAIRS)
    for pair in declared:
        cq, sc = pair["chongqing"]["name"], pair["sichuan"]["name"]
        assert COUNTERPART[cq] == sc
        assert pair["shared"] == [n for n in MEASURES if {cq, sc} <= listed(n)]
        assert pair["chongqing_only"] == [n for n in MEASURES if cq in listed(n) and sc not in listed(n)]
        assert pair["sichuan_only"] == [n for n in MEASURES if sc in listed(n) and cq not in listed(n)]
    unpaired = {(p["chongqing"] or p["sichuan"])["name"] for p in pairs if not (p["chongqing"] and p["sichuan"])}
    assert unpaired == {"重庆市中新项目管理局", "西部科学城重庆高新区管委会", "四川省乡村振兴局", "成都市政府", "有关市州政府"}
    assert list(pairs[0]) == ["chongqing", "sichuan", "shared", "chongqing_only", "sichuan_only"]


def test_pairs_of_one_agency() -> None:
    (pair,) = run("pairs", "省经济合作局", "--format", "json").json()
    assert (pair["chongqing"]["name"], pair["shared"], pair["chongqing_only"], pair["sichuan_only"]) == (
        "重庆市招商投资局",
        [2, 13],
        [],
        [],
    )


def test_observed_pairs_count_co_listings() -> None:
    observed = run("pairs", "--observed", "--format", "json").json()
    by_names = {(p["chongqing"]["name"], p["sichuan"]["name"]): p for p in observed}
    expected = {
        (cq, sc): [
            n
            for n in MEASURES
            if cq in units_in_source(n).get("chongqing", []) and sc in listed(n) - set(units_in_source(n).get("chongqing", []))
        ]
        for n in MEASURES
        for cq in units_in_source(n).get("chongqing", [])
        for sc in units_in_source(n).get("sichuan", []) + units_in_source(n).get("local", [])
    }
    assert set(by_names) == set(expected)
    for key, numbers in expected.items():
        assert by_names[key]["measures"] == numbers and by_names[key]["count"] == len(numbers)
        assert by_names[key]["counterparts"] == (COUNTERPART.get(key[0]) == key[1])
    counts = [p["count"] for p in observed]
    assert counts == sorted(counts, reverse=True)


def expected_gaps() -> list[tuple[str, int, str | None, str | None]]:
    found = []
    for n in MEASURES:
        units = units_in_source(n)
        present = listed(n)
        for group in ("chongqing", "sichuan", "local"):
            for unit in units.get(group, []):
                other = COUNTERPART.get(unit)
                if other is None:
                    found.append(("unpaired-agency", n, unit, None))
                elif other not in present:
                    found.append(("missing-counterpart", n, unit, other))
        if "chongqing" in units and COUNTERPART.get(units["chongqing"][0]) != units["sichuan"][0]:
            found.append(("lead-mismatch", n, units["chongqing"][0], units["sichuan"][0]))
        if "joint" in units:
            found.append(("joint-only", n, None, None))
    return found


def as_tuples(records: list[dict]) -> list[tuple[str, int, str | None, str | None]]:
    return [(r["kind"], r["measure"], (r["agency"] or {}).get("name"), (r["counterpart"] or {}).get("name")) for r in records]


def test_gaps_are_what_the_source_and_the_pairs_say() -> None:
    records = run("gaps", "--all", "--format", "json").json()
    assert sorted(as_tuples(records)) == sorted(expected_gaps())
    assert list(records[0]) == ["kind", "measure", "agency", "counterpart", "structural", "why"]
    measures = [r["measure"] for r in records]
    assert measures == sorted(measures)


def test_the_lead_mismatches_read_in_the_document() -> None:
    records = run("gaps", "--kind", "lead-mismatch", "--format", "json").json()
    assert as_tuples(records) == [
        ("lead-mismatch", 7, "重庆市金融监管局", "外汇局四川省分局"),
        ("lead-mismatch", 12, "重庆市金融监管局", "四川省发展改革委"),
        ("lead-mismatch", 25, "人行重庆营管部", "四川省科技厅"),
    ]
    assert records[0]["agency"]["province"] == "chongqing" and records[0]["counterpart"]["province"] == "sichuan"


@pytest.mark.parametrize("kind", ["missing-counterpart", "unpaired-agency", "lead-mismatch", "joint-only"])
def test_gaps_table_ends_with_the_count_of_each_kind(kind: str) -> None:
    expected = sum(g[0] == kind for g in expected_gaps())
    everything = run("gaps", "--all", "--format", "table").stdout.splitlines()
    assert f"{kind}: {expected}" in everything
    one = run("gaps", "--all", "--kind", kind, "--format", "table").stdout.splitlines()
    assert one[-1] == f"{kind}: {expected}"


def test_measures_lead_and_province_filters() -> None:
    led = run("measures", "--lead", "人行成都分行", "--format", "json").json()
    assert [m["number"] for m in led] == [n for n in MEASURES if units_in_source(n).get("sichuan", [""])[0] == "人行成都分行"]
    sichuan = run("measures", "--province", "sichuan", "--chapter", "8", "--format", "json").json()
    assert [m["number"] for m in sichuan] == [56, 57, 58]  # 55 lists no province's unit
    for measure in sichuan:
        assert measure["responsible"]["chongqing"] == [] and measure["responsible"]["sichuan"]
    assert sichuan[0]["responsible"]["local"] == [{"id": "sc-related-city-governments", "name": "有关市州政府"}]
