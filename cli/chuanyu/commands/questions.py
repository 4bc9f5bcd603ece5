"""The analysts' questions: measures, agencies, pairs, gaps, search, stats."""

from __future__ import annotations

import enum
from typing import Annotated, Optional

import typer

from .base import Lang, Output, Province, answer
from .shared import (
    AgencyArgument,
    AgencyOption,
    AsOfOption,
    BomOption,
    ChapterOption,
    DataOption,
    DocumentOption,
    FormatOption,
    LangOption,
    LeadOption,
    LimitOption,
    ProvinceFilter,
    SectionOption,
    app,
    complete_agency,
    measure_filters,
)


@app.command()
def measure(
    number: Annotated[int, typer.Argument(help="The measure's number (1…58 in the shipped document).")],
    as_of: AsOfOption = None,
    document: DocumentOption = None,
    data: DataOption = None,
    fmt: FormatOption = None,
    bom: BomOption = False,
    lang: LangOption = Lang.en,
) -> None:
    """One measure: its chapter, section, text and responsible units.

    \b
    Examples:
      chuanyu measure 14
      chuanyu measure 14 --as-of today
      chuanyu measure 14 --format json | jq '.responsible.sichuan[].name'
    """
    answer(
        lambda answers: answers.measure(number, as_of=as_of),
        data=data,
        document=document,
        output=Output(fmt=fmt, bom=bom, lang=lang),
    )


@app.command()
def measures(
    chapter: ChapterOption = None,
    section: SectionOption = None,
    agency: AgencyOption = None,
    lead: LeadOption = None,
    province: ProvinceFilter = None,
    limit: LimitOption = None,
    as_of: AsOfOption = None,
    document: DocumentOption = None,
    data: DataOption = None,
    fmt: FormatOption = None,
    bom: BomOption = False,
    lang: LangOption = Lang.en,
) -> None:
    """Measures in the document's order, with the units responsible on each side.

    \b
    Examples:
      chuanyu measures --chapter 2
      chuanyu measures --agency 市财政局 --agency 省财政厅
      chuanyu measures --lead 人行成都分行 --province sichuan --limit 3
      chuanyu measures --agency 外汇局四川 --format json | jq '.[].number'
    """
    answer(
        lambda answers: answers.measures(measure_filters(chapter, section, agency, lead, province), limit=limit, as_of=as_of),
        data=data,
        document=document,
        output=Output(fmt=fmt, bom=bom, lang=lang),
    )


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="What to find: any length, Latin letters in any case.")],
    chapter: ChapterOption = None,
    section: SectionOption = None,
    agency: AgencyOption = None,
    lead: LeadOption = None,
    province: ProvinceFilter = None,
    limit: LimitOption = None,
    document: DocumentOption = None,
    data: DataOption = None,
    fmt: FormatOption = None,
    bom: BomOption = False,
    lang: LangOption = Lang.en,
) -> None:
    """Measures, and chapter and section titles, that contain TEXT, each with a snippet around
    the first match marked 【thus】. Takes the filters of `measures`.

    \b
    Examples:
      chuanyu search 数字人民币
      chuanyu search 绿色 --chapter 3
      chuanyu search 金融 --limit 5
      chuanyu search 债券 --lead 人行重庆营管部 --format json | jq '.[].number'
    """
    answer(
        lambda answers: answers.search(text, measure_filters(chapter, section, agency, lead, province), limit=limit),
        data=data,
        document=document,
        output=Output(fmt=fmt, bom=bom, lang=lang),
    )


@app.command()
def stats(
    top: Annotated[int, typer.Option(min=1, help="How many agencies to rank by leads and by listings.")] = 10,
    document: DocumentOption = None,
    data: DataOption = None,
    fmt: FormatOption = None,
    bom: BomOption = False,
    lang: LangOption = Lang.en,
) -> None:
    """The catalogue in figures: totals, measures per chapter, listings per province and
    level, and the agencies that lead and appear most. One row per figure, so it pipes.

    \b
    Examples:
      chuanyu stats
      chuanyu stats --top 5 --format md > stats.md
    """
    answer(
        lambda answers: answers.stats(top=top),
        data=data,
        document=document,
        output=Output(fmt=fmt, bom=bom, lang=lang),
    )


@app.command()
def agencies(
    province: Annotated[Optional[Province], typer.Option(help="Only this province's units.", show_default=False)] = None,
    document: DocumentOption = None,
    data: DataOption = None,
    fmt: FormatOption = None,
    bom: BomOption = False,
    lang: LangOption = Lang.en,
) -> None:
    """Every responsible unit, with its counterpart and how many measures it leads and is
    listed in.

    \b
    Examples:
      chuanyu agencies --province sichuan
      chuanyu agencies --format json | jq -r '.[] | select(.leads > 5) | .name'
    """
    answer(
        lambda answers: answers.agencies(province=province.value if province else None),
        data=data,
        document=document,
        output=Output(fmt=fmt, bom=bom, lang=lang),
    )


@app.command()
def documents(data: DataOption = None, fmt: FormatOption = None, bom: BomOption = False, lang: LangOption = Lang.en) -> None:
    """The catalogue's documents, by id: title, number, date, issuers, measures and listings.
    Every question takes --document ID to answer on one of them (or several).

    \b
    Examples:
      chuanyu documents
      chuanyu documents --format json | jq -r '.[].id'
    """
    answer(
        lambda answers: answers.documents(),
        data=data,
        document=None,
        output=Output(fmt=fmt, bom=bom, lang=lang),
    )


@app.command()
def agency(
    name: AgencyArgument,
    as_of: AsOfOption = None,
    document: DocumentOption = None,
    data: DataOption = None,
    fmt: FormatOption = None,
    bom: BomOption = False,
    lang: LangOption = Lang.en,
) -> None:
    """One agency: its counterpart, the measures it leads and those it is listed in otherwise,
    chapter by chapter, and whether its counterpart is listed in the same measures; then its
    lineage: the bodies that took over its function since the document, with their sources. A
    successor's name finds the unit the document lists.

    \b
    Examples:
      chuanyu agency 人行重庆营管部
      chuanyu agency 国家金融监督管理总局重庆监管局 --as-of today
      chuanyu agency 经信委 --format json | jq '.leads'
    """
    answer(
        lambda answers: answers.agency(name, as_of=as_of),
        data=data,
        document=document,
        output=Output(fmt=fmt, bom=bom, lang=lang),
    )


@app.command()
def pairs(
    name: Annotated[
        Optional[str],
        typer.Argument(help="Only the pair of this agency.", show_default=False, autocompletion=complete_agency),
    ] = None,
    observed: Annotated[
        bool, typer.Option("--observed", help="Every Chongqing × Sichuan pair listed together, declared counterparts or not.")
    ] = False,
    limit: LimitOption = None,
    as_of: AsOfOption = None,
    document: DocumentOption = None,
    data: DataOption = None,
    fmt: FormatOption = None,
    bom: BomOption = False,
    lang: LangOption = Lang.en,
) -> None:
    """Counterpart pairs: the measures listing both units, only the Chongqing one, only the
    Sichuan one; units with no counterpart follow, the other side empty.

    With --observed: every Chongqing × Sichuan pair of units listed together in some measure,
    with how often and where: who actually works with whom, not only who is declared to.

    \b
    Examples:
      chuanyu pairs
      chuanyu pairs 市科技局
      chuanyu pairs --as-of today
      chuanyu pairs --observed --limit 10
      chuanyu pairs --observed --format csv --bom > observed.csv
    """
    answer(
        lambda answers: answers.pairs(name, observed=observed, limit=limit, as_of=as_of),
        data=data,
        document=document,
        output=Output(fmt=fmt, bom=bom, lang=lang),
    )


class GapKind(enum.StrEnum):
    missing_counterpart = "missing-counterpart"
    unpaired_agency = "unpaired-agency"
    lead_mismatch = "lead-mismatch"
    joint_only = "joint-only"


@app.command()
def gaps(
    kind: Annotated[Optional[GapKind], typer.Option(help="Only findings of this kind.", show_default=False)] = None,
    every: Annotated[
        bool, typer.Option("--all", help="Every finding, the structural ones too, one a line (each says which it is).")
    ] = False,
    limit: LimitOption = None,
    as_of: AsOfOption = None,
    document: DocumentOption = None,
    data: DataOption = None,
    fmt: FormatOption = None,
    bom: BomOption = False,
    lang: LangOption = Lang.en,
) -> None:
    """Where the two provinces' assignments do not match: the findings to act on, one per line.

    \b
    missing-counterpart  a unit is listed, its counterpart is not
    unpaired-agency      a listed unit has no counterpart at all
    lead-mismatch        the two first-listed units are not counterparts
                         (agency: the Chongqing lead, counterpart: the Sichuan lead)
    joint-only           the measure names no province list

    A finding is structural where a unit has no counterpart by its nature (a local
    government, a development zone, a leading group: agencies.yaml's no_counterpart says
    why); those are summed up under the table, a line per unit, and --all lists them too.
    In JSON each finding says "structural" (true or false) and "why" (null if not).
    The table ends with a count of each kind (of the findings shown).

    \b
    Examples:
      chuanyu gaps --kind lead-mismatch
      chuanyu gaps --all --limit 10
      chuanyu gaps --all --format json | jq 'map(select(.structural)) | group_by(.agency.id) | map({(.[0].agency.name): length}) | add'
    """
    answer(
        lambda answers: answers.gaps(kind=kind.value if kind else None, every=every, limit=limit, as_of=as_of),
        data=data,
        document=document,
        output=Output(fmt=fmt, bom=bom, lang=lang),
    )
