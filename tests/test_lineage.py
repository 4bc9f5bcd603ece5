"""Successors, checked against the facts of data/sources/agency-lineage.md (a copy of
../shared/agency-lineage.md), and the --as-of view."""

from __future__ import annotations

import pytest

from chuanyu.catalogue import Agency, Catalogue
from conftest import DATA

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
