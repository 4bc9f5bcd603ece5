"""Gaps that matter first: structural findings (a unit with no counterpart by its nature, as
agencies.yaml's `no_counterpart` says) summed up per unit, the actionable ones listed; --all
lists every finding, each saying which it is."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from chuanyu.model import Catalogue
from chuanyu.questions.gaps import WHY_SAID
from chuanyu.terms import Phrase, rendered_in
from conftest import DATA, run


def every_finding(*args: str) -> list[dict]:
    return run("gaps", "--all", *args, "--format", "json").json()  # type: ignore[no-any-return]


def test_a_finding_is_structural_exactly_where_the_directory_says_why(catalogue: Catalogue) -> None:
    findings = every_finding()
    for finding in findings:
        unit = catalogue.agencies[finding["agency"]["id"]] if finding["agency"] else None
        reason = unit.no_counterpart if unit and finding["kind"] == "unpaired-agency" else None
        assert finding["structural"] == (reason is not None), finding
        assert finding["why"] == (reason.why if reason else None), finding
    assert any(f["structural"] for f in findings) and not all(f["structural"] for f in findings)


def test_every_listed_city_government_is_a_local_government_without_counterpart(catalogue: Catalogue) -> None:
    structural = {f["agency"]["id"]: f["why"] for f in every_finding() if f["structural"]}
    cities = {a.id for a in catalogue.agencies.values() if a.level == "city-government" and a.id in structural}
    assert cities and all(structural[city] == "local-government" for city in cities)
    assert {a.id for a in catalogue.agencies.values() if a.level == "city-government"} <= set(structural)


def test_a_reason_that_is_no_level_of_this_file_has_a_source(catalogue: Catalogue) -> None:
    for agency in catalogue.agencies.values():
        reason = agency.no_counterpart
        if reason is None:
            continue
        assert agency.counterpart is None
        if reason.source is None:
            assert agency.level in reason.basis, f"{agency.id}: a basis that is not its level needs a source"


def test_gaps_lists_the_actionable_findings_in_order_and_sums_up_the_structural_ones() -> None:
    everything = every_finding()
    shown = run("gaps", "--format", "json").json()
    assert shown == [f for f in everything if not f["structural"]]
    lines = run("gaps", "--format", "table").stdout.splitlines()
    per_unit = Counter((f["agency"]["name"], f["why"]) for f in everything if f["structural"])
    summary = lines[lines.index(next(line for line in lines if line.startswith("structural"))) + 1 :]
    assert summary == [f"{name} ({WHY_SAID[why]}): {count}" for (name, why), count in per_unit.items()]


def test_the_shipped_document_has_findings_to_act_on_of_every_kind() -> None:
    kinds = Counter(f["kind"] for f in run("gaps", "--format", "json").json())
    assert kinds["missing-counterpart"] and kinds["lead-mismatch"] and kinds["joint-only"]
    assert len(every_finding()) > 2 * sum(kinds.values())  # the structural ones are most


def test_a_limit_cuts_the_findings_not_the_structural_counts() -> None:
    whole = run("gaps", "--format", "table").stdout.splitlines()
    cut = run("gaps", "--limit", "1", "--format", "table").stdout.splitlines()
    at = next(i for i, line in enumerate(whole) if line.startswith("structural"))
    assert cut[cut.index(whole[at]) :][: len(whole) - at] == whole[at:]


def test_all_in_tabular_formats_shows_the_columns_of_every_finding() -> None:
    everything = every_finding()
    rows = run("gaps", "--all", "--format", "csv").stdout.splitlines()
    assert rows[0] == "kind,measure,agency,counterpart" and len(rows) == 1 + len(everything)


def test_the_lines_are_said_in_chinese() -> None:
    lines = run("gaps", "--format", "table", "--lang", "zh").stdout.splitlines()
    phrase = Phrase("{name} ({why}): {count}", name="成都市政府", why=Phrase(WHY_SAID["local-government"]), count=24)
    assert rendered_in(phrase, "zh") == "成都市政府（地方政府）：24"
    assert any(line.startswith("成都市政府（地方政府）：") for line in lines)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


@pytest.mark.parametrize(
    ("wrong", "said"),
    [
        ("      why: far-away\n", "field 'why' must be one of local-government"),
        ("      reason: local\n", "unknown field 'reason'"),
    ],
)
def test_a_wrong_reason_is_a_data_error_naming_file_line_and_entry(data: Path, wrong: str, said: str) -> None:
    path = data / "agencies.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("      why: local-government\n", wrong, 1), encoding="utf-8")
    result = run("validate", "--data", str(data))
    assert result.code == 1 and "Traceback" not in result.stderr
    assert "agencies.yaml:" in result.stderr and "agency chengdu-government" in result.stderr and said in result.stderr


def test_a_reason_beside_a_counterpart_is_a_data_error(data: Path) -> None:
    path = data / "agencies.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("    counterpart: sc-csrc\n", "    counterpart: sc-csrc\n    no_counterpart: {why: local-government, basis: x}\n"),
        encoding="utf-8",
    )
    result = run("validate", "--data", str(data))
    assert result.code == 1 and "agency cq-csrc" in result.stderr and "no_counterpart, yet its counterpart is sc-csrc" in result.stderr
