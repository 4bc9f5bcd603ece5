"""Proposals round-trip whatever a name holds; a name with an invisible character is refused
(in a document and in agencies.yaml); a known unit in the other province's list is an error,
not a proposal. Documents: variants of tests/documents/ (constructed: see its README), made here."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from chuanyu.adding import Draft, proposals_yaml
from conftest import DATA, ROOT, run

DOCUMENTS = ROOT / "tests" / "documents"
THIRD, SECOND = DOCUMENTS / "third-plan.txt", DOCUMENTS / "second-plan.txt"


@pytest.fixture
def catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(DATA, tmp_path / "cat")
    return tmp_path / "cat"


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def names_read_back(drafts: list[Draft]) -> list[tuple[str, list[str]]]:
    entries = yaml.safe_load(proposals_yaml(drafts, "plan.txt"))["agencies"]
    return [(entry["name"], entry.get("aliases", [])) for entry in entries]


YAML_LOOKING = [
    '"测试局',
    "[测试]局",
    "{测试}局",
    "*测试局",
    "&测试局",
    "!测试局",
    "@测试局",
    "|测试局",
    ">测试局",
    "~",
    "%测试局",
    "`测试局",
    "- 测试局",
    "? 测试局",
    ": 测试局",
    "# 测试局",
    "测试局 # 注",
    "测试: 局",
    "123",
    "1e3",
    "0x1F",
    "2099-01-01",
    "yes",
    "No",
    "null",
    "'测试局'",
    "测试局\u2028中心",
    "测试局\x85",
]


@pytest.mark.parametrize("name", YAML_LOOKING)
def test_a_name_that_looks_like_yaml_reads_back_as_written(name: str) -> None:
    drafts = [Draft(name, "chongqing", "provincial-department", "cq-new-1", written=[name, f"市{name}"], places=[(1, "chongqing", 3)])]
    assert names_read_back(drafts) == [(name, [f"市{name}"])]


names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=24)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(names, st.lists(names, max_size=3)), min_size=1, max_size=4))
def test_any_names_read_back_as_written(entries: list[tuple[str, list[str]]]) -> None:
    drafts = [
        Draft(name, None, "public-institution", f"joint-new-{n}", written=[name, *aliases], places=[(n, "any", n)])
        for n, (name, aliases) in enumerate(entries, start=1)
    ]
    assert names_read_back(drafts) == [(name, [a for a in aliases if a != name]) for name, aliases in entries]


def test_reviewed_proposals_of_yaml_looking_names_enter_the_catalogue(catalogue: Path, tmp_path: Path) -> None:
    """The review step of README (the entries appended to agencies.yaml as proposed), for names
    that unquoted would be YAML of another kind: the document is then added."""
    source = tmp_path / "plan.txt"
    text = THIRD.read_text(encoding="utf-8")
    source.write_text(text.replace("市测试管理局", "[测试]管理局").replace("省测试管理厅", "~测试管理厅"), encoding="utf-8")
    first = run("add", str(source), "--data", "cat")
    assert first.code == 1
    proposals = (catalogue / "proposals" / "plan.yaml").read_text(encoding="utf-8")
    drafts = yaml.safe_load(proposals)["agencies"]
    assert [d["name"] for d in drafts] == ["[测试]管理局", "~测试管理厅"]
    with (catalogue / "agencies.yaml").open("a", encoding="utf-8") as agencies:
        agencies.write(proposals.split("\nagencies:\n", 1)[1])
    again = run("add", str(source), "--data", "cat")
    assert again.code == 0, again.stderr
    added = yaml.safe_load((catalogue / "documents" / "plan.yaml").read_text(encoding="utf-8"))
    first_measure = added["chapters"][0]["sections"][0]["measures"][0]
    assert first_measure["responsible"] == {"chongqing": [drafts[0]["id"], "cq-finance"], "sichuan": [drafts[1]["id"], "sc-finance"]}


def test_a_source_whose_file_name_is_not_utf8_gets_its_proposals(catalogue: Path, tmp_path: Path) -> None:
    source = Path(os.fsdecode(bytes(tmp_path) + b"/third\xff.txt"))
    shutil.copyfile(THIRD, source)
    result = run("add", str(source), "--id", "third-2099", "--data", "cat")
    assert result.code == 1 and "Traceback" not in result.stderr
    proposals = (catalogue / "proposals" / "third-2099.yaml").read_text(encoding="utf-8")
    assert [d["id"] for d in yaml.safe_load(proposals)["agencies"]] == ["cq-new-1", "sc-new-1"]
    assert "third\\udcff.txt" in proposals.splitlines()[0]


INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069"]


@pytest.mark.parametrize("character", INVISIBLE)
def test_a_unit_name_with_an_invisible_character_is_refused(catalogue: Path, tmp_path: Path, character: str) -> None:
    source = tmp_path / "p.txt"
    source.write_text(SECOND.read_text(encoding="utf-8").replace("省财政厅）", f"省财{character}政厅）", 1), encoding="utf-8")
    before = files(catalogue)
    result = run("add", str(source), "--id", "p", "--data", "cat")
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == (
        f"p.txt:11: measure 1: unit '省财{character.encode('unicode_escape').decode()}政厅' holds an invisible character"
        f" (U+{ord(character):04X} {__import__('unicodedata').name(character)}), so it prints like a name it is not:"
        " remove it from the source\n"
    )
    assert files(catalogue) == before


@pytest.mark.parametrize("field", ["name", "alias"])
def test_validate_refuses_an_agency_name_with_an_invisible_character(catalogue: Path, field: str) -> None:
    agencies = catalogue / "agencies.yaml"
    lines = agencies.read_text(encoding="utf-8").splitlines(keepends=True)
    wanted = "    name: 重庆市财政局\n" if field == "name" else "    aliases: [市财政局"
    number = next(n for n, line in enumerate(lines, start=1) if line.startswith(wanted))
    lines[number - 1] = lines[number - 1].replace("财政局", "财\u2060政局", 1)
    agencies.write_text("".join(lines), encoding="utf-8")
    result = run("validate", "--data", "cat")
    assert result.code == 1
    assert [line for line in result.stderr.splitlines() if "invisible" in line] == [
        f"cat/agencies.yaml:{number}: agency cq-finance: field '{'name' if field == 'name' else 'aliases'}' "
        + ("" if field == "name" else "must hold only names: one ")
        + "holds an invisible character (U+2060 WORD JOINER), so it prints like a name it is not"
    ]


def test_a_known_unit_in_the_other_provinces_list_is_an_error_not_a_proposal(catalogue: Path, tmp_path: Path) -> None:
    source = tmp_path / "p.txt"
    source.write_text(SECOND.read_text(encoding="utf-8").replace("省财政厅）", "重庆市财政局）", 1), encoding="utf-8")
    before = files(catalogue)
    result = run("add", str(source), "--id", "p", "--data", "cat")
    assert (result.code, result.stdout) == (1, "")
    assert (
        result.stderr == "p.txt:11: measure 1: sichuan unit '重庆市财政局' is cq-finance, a chongqing unit: it stands in the wrong list\n"
    )
    assert files(catalogue) == before
