"""The shipped catalogue against the document's own text.

The clauses here are read from the source with a deliberately simple method of their own (all
white space removed, one regular expression), not with the extractor, so that a fault in the
extractor cannot hide itself. The hand-written facts come from reading the document.
"""

from __future__ import annotations

import re

import pytest

from chuanyu.model import Catalogue, Measure
from conftest import SOURCE

FLAT = re.sub(r"\s+", "", SOURCE.read_text(encoding="utf-8"))
CLAUSES = re.findall(r"（责任单位：(.*?)）", FLAT)


def groups_in_source(clause: str) -> dict[str, list[str]]:
    """`A、B；C、D，E` -> the forms the document writes, per group."""
    if "；" not in clause:
        return {"joint": clause.split("、")}
    chongqing, rest = clause.split("；")
    sichuan, _, local = rest.partition("，")
    found = {"chongqing": chongqing.split("、"), "sichuan": sichuan.split("、")}
    if local:
        found["local"] = local.split("、")
    return found


def by_number(catalogue: Catalogue, number: int) -> Measure:
    return next(m for m in catalogue.measures if m.number == number)


def test_the_document_has_58_clauses_and_the_catalogue_58_measures(catalogue: Catalogue) -> None:
    assert len(CLAUSES) == 58
    assert [m.number for m in catalogue.measures] == list(range(1, 59))
    assert len(catalogue.chapters) == 8
    assert [s.number for s in catalogue.sections] == list(range(1, 34))


@pytest.mark.parametrize("number", range(1, 59))
def test_every_listing_is_the_unit_the_source_names_in_its_place(catalogue: Catalogue, number: int) -> None:
    measure = by_number(catalogue, number)
    written = groups_in_source(CLAUSES[number - 1])
    assert set(measure.responsible) == set(written)
    for group, forms in written.items():
        ids = measure.responsible[group]
        assert len(ids) == len(forms), f"measure {number} {group}"
        for form, agency_id in zip(forms, ids, strict=True):
            agency = catalogue.agencies[agency_id]
            assert form in (agency.name, *agency.aliases), f"measure {number}: {form} is not {agency_id}"


@pytest.mark.parametrize("number", range(1, 59))
def test_every_measure_text_stands_in_the_source_before_its_clause(catalogue: Catalogue, number: int) -> None:
    measure = by_number(catalogue, number)
    text = re.sub(r"\s+", "", measure.text)
    assert f"{number}．{text}（责任单位：{CLAUSES[number - 1]}）" in FLAT


def test_listings_add_up_to_the_document(catalogue: Catalogue) -> None:
    in_source = sum(len(forms) for clause in CLAUSES for forms in groups_in_source(clause).values())
    in_catalogue = sum(1 for m in catalogue.measures for _ in m.listings())
    assert in_source == in_catalogue == 602


def test_measures_per_chapter_as_read_in_the_document(catalogue: Catalogue) -> None:
    per_chapter = [sum(1 for m in catalogue.measures if m.chapter == c) for c in range(1, 9)]
    assert per_chapter == [4, 10, 10, 8, 8, 7, 7, 4]
    assert by_number(catalogue, 14).section == 9
    assert by_number(catalogue, 15).chapter == 3


def test_titles_as_the_document_writes_them(catalogue: Catalogue) -> None:
    chapters = {c.number: c.title for c in catalogue.chapters}
    sections = {s.number: s.title for s in catalogue.sections}
    assert chapters[1] == "加快形成具有竞争力的金融机构组织体系，增强金融创新活力和综合服务能力"
    assert chapters[8] == "加强规划实施保障"
    assert sections[16] == "打造中国（西部）金融科技发展高地"
    assert sections[33] == "加强宣传引导"
    document = catalogue.document
    assert (document.title, document.number, document.date) == (
        "成渝共建西部金融中心规划联合实施细则",
        "渝府办发〔2022〕126号",
        "2022-12-14",
    )
    assert document.issuers == ("重庆市人民政府办公厅", "四川省人民政府办公厅")


def test_no_pdf_artefacts_reach_the_text(catalogue: Catalogue) -> None:
    for measure in catalogue.measures:
        assert "\n" not in measure.text and "  " not in measure.text
        assert not re.search(r"\s[\u4e00-\u9fff]|[\u4e00-\u9fff]\s", measure.text)
    assert by_number(catalogue, 1).text.startswith("支持符合条件的主体")
    assert "发行二级资本债" in by_number(catalogue, 1).text  # a page break fell inside 二级
    assert "私募股权二级市场基金（S基金）" in by_number(catalogue, 12).text


def test_hand_read_measures(catalogue: Catalogue) -> None:
    one = by_number(catalogue, 1)
    assert one.responsible == {
        "chongqing": ("cq-financial-regulation", "cq-cbirc", "cq-csrc", "cq-finance", "cq-pbc"),
        "sichuan": ("sc-financial-regulation", "sc-cbirc", "sc-csrc", "sc-finance", "sc-pbc"),
        "local": ("chengdu-government",),
    }
    assert by_number(catalogue, 34).responsible == {"chongqing": ("cq-safe",), "sichuan": ("sc-safe",)}
    assert by_number(catalogue, 55).responsible == {"joint": ("wfc-leading-group-members",)}
    fifty_six = by_number(catalogue, 56).responsible
    assert (len(fifty_six["chongqing"]), len(fifty_six["sichuan"]), fifty_six["local"]) == (12, 12, ("sc-related-city-governments",))
    assert fifty_six["chongqing"][10] == "cq-customs" and fifty_six["sichuan"][10] == "chengdu-customs"
    # leads are the first-listed units; in these the two leads are not counterparts
    assert (by_number(catalogue, 7).responsible["chongqing"][0], by_number(catalogue, 7).responsible["sichuan"][0]) == (
        "cq-financial-regulation",
        "sc-safe",
    )
    assert by_number(catalogue, 25).responsible["sichuan"][0] == "sc-science-technology"
    assert by_number(catalogue, 25).responsible["chongqing"][-1] == "cq-science-city-high-tech-zone"


@pytest.mark.parametrize(
    ("chongqing", "sichuan"),
    [
        ("市财政局", "省财政厅"),
        ("市招商投资局", "省经济合作局"),
        ("人行重庆营管部", "人行成都分行"),
        ("重庆外汇管理部", "外汇局四川省分局"),
        ("重庆市高法院", "四川省法院"),
        ("市规划自然资源局", "省自然资源厅"),
        ("重庆市大数据发展局", "四川省大数据中心"),
        ("重庆海关", "成都海关"),
        ("市教委", "省教育厅"),
    ],
)
def test_counterparts_by_function(catalogue: Catalogue, chongqing: str, sichuan: str) -> None:
    def named(form: str) -> str:
        return next(a.id for a in catalogue.agencies.values() if form in (a.name, *a.aliases))

    assert catalogue.agencies[named(chongqing)].counterpart == named(sichuan)
    assert catalogue.agencies[named(sichuan)].counterpart == named(chongqing)


def test_every_declared_pair_works_together_somewhere(catalogue: Catalogue) -> None:
    """The document's own evidence: each counterpart pair is listed together in some measure.
    (Successor bodies, which no measure lists, are paired by function, as the lineage says.)"""
    listed = {agency for m in catalogue.measures for _, agency, _ in m.listings()}
    for agency in catalogue.agencies.values():
        if agency.counterpart and agency.id in listed:
            together = [m.number for m in catalogue.measures if {agency.id, agency.counterpart} <= {a for _, a, _ in m.listings()}]
            assert together, f"{agency.id} and {agency.counterpart} are never listed together"


def test_every_unit_named_once(catalogue: Catalogue) -> None:
    listed = {agency for m in catalogue.measures for _, agency, _ in m.listings()}
    successors = {step.id for agency in catalogue.agencies.values() for step in agency.successors}
    assert listed == set(catalogue.agencies) - successors
    provinces = [catalogue.agencies[a].province for a in listed]
    assert (provinces.count("chongqing"), provinces.count("sichuan"), provinces.count(None)) == (34, 35, 1)
    unpaired = sorted(a for a in listed if catalogue.agencies[a].counterpart is None and catalogue.agencies[a].province)
    assert unpaired == [
        "chengdu-government",
        "cq-science-city-high-tech-zone",
        "cq-sino-singapore-project",
        "sc-related-city-governments",
        "sc-rural-revitalization",
    ]


#: Counterparts by function, as read in the document: (Chongqing unit, Sichuan unit), full forms.
PAIRS = [
    ("重庆市金融监管局", "四川省地方金融监管局"),
    ("重庆银保监局", "四川银保监局"),
    ("重庆证监局", "四川证监局"),
    ("重庆市财政局", "四川省财政厅"),
    ("人行重庆营管部", "人行成都分行"),
    ("重庆市招商投资局", "四川省经济合作局"),
    ("重庆市发展改革委", "四川省发展改革委"),
    ("重庆市司法局", "四川省司法厅"),
    ("重庆市国资委", "四川省国资委"),
    ("重庆市大数据发展局", "四川省大数据中心"),
    ("重庆市知识产权局", "四川省知识产权中心"),
    ("重庆外汇管理部", "外汇局四川省分局"),
    ("重庆市政府口岸物流办", "四川省政府口岸物流办"),
    ("重庆市住房城乡建委", "四川省住房城乡建设厅"),
    ("重庆市商务委", "四川省商务厅"),
    ("重庆市经济信息委", "四川省经济和信息化厅"),
    ("重庆市科技局", "四川省科技厅"),
    ("重庆市医保局", "四川省医保局"),
    ("重庆市人力社保局", "四川省人力资源社会保障厅"),
    ("重庆市农业农村委", "四川省农业农村厅"),
    ("重庆市生态环境局", "四川省生态环境厅"),
    ("重庆市水利局", "四川省水利厅"),
    ("重庆市高法院", "四川省法院"),
    ("重庆市文化旅游委", "四川省文化和旅游厅"),
    ("重庆市市场监管局", "四川省市场监管局"),
    ("重庆市公安局", "四川省公安厅"),
    ("重庆市教委", "四川省教育厅"),
    ("重庆市统计局", "四川省统计局"),
    ("重庆市税务局", "四川省税务局"),
    ("重庆市规划自然资源局", "四川省自然资源厅"),
    ("重庆海关", "成都海关"),
    ("重庆市委组织部", "四川省委组织部"),
]
COUNTERPART = {a: b for a, b in PAIRS} | {b: a for a, b in PAIRS}


def full_form(form: str, group: str) -> str:
    """The test's own reading of the short forms: 市X in the Chongqing list, 省X in the Sichuan."""
    if group == "chongqing" and form.startswith("市"):
        return "重庆" + form
    if group == "sichuan" and form.startswith("省"):
        return "四川" + form
    return form


def units_in_source(number: int) -> dict[str, list[str]]:
    """Measure `number`'s units per group, as full forms, read from the raw text."""
    return {group: [full_form(f, group) for f in forms] for group, forms in groups_in_source(CLAUSES[number - 1]).items()}


def test_the_catalogue_pairs_exactly_the_counterparts_read_in_the_document(catalogue: Catalogue) -> None:
    listed = {agency for m in catalogue.measures for _, agency, _ in m.listings()}
    declared = {
        (agency.name, catalogue.agencies[agency.counterpart].name)
        for agency in catalogue.agencies.values()
        if agency.counterpart and agency.province == "chongqing" and agency.id in listed
    }
    assert declared == set(PAIRS)
