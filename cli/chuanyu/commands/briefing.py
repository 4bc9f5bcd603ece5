"""Briefings: chuanyu report and chuanyu export graph."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..answers import as_of_dates
from .base import Exit, Lang, answers_of, fail, reporting, to_stdout
from .shared import (
    AgencyOption,
    App,
    AsOfOption,
    ChapterOption,
    CheckedGroup,
    DataOption,
    DocumentOption,
    LangOption,
    LeadOption,
    ProvinceFilter,
    SectionOption,
    app,
    measure_filters,
)


def _folder(value: str) -> Path:
    """--out: a folder's name, not empty ('' would be the working folder, as `--data ''` is
    refused), nor a file's."""
    if value == "":
        raise typer.BadParameter("an empty name is no folder (. is this one)")
    if Path(value).exists() and not Path(value).is_dir():
        raise typer.BadParameter(f"Directory {value!r} is a file.")
    return Path(value)


@app.command()
def report(
    out: Annotated[
        Path, typer.Option("--out", parser=_folder, metavar="<directory>", help="The folder to write the briefing set into.")
    ] = Path("build/briefing"),
    chapter: ChapterOption = None,
    section: SectionOption = None,
    agency: AgencyOption = None,
    lead: LeadOption = None,
    province: ProvinceFilter = None,
    stamp: Annotated[
        bool, typer.Option("--stamp", help="Say when the briefing was made (it is otherwise the same bytes each time).")
    ] = False,
    as_of: AsOfOption = None,
    document: DocumentOption = None,
    data: DataOption = None,
    lang: LangOption = Lang.en,
) -> None:
    """Write a briefing set: briefing.md (tables, pictures and a Mermaid ladder) and the same as
    briefing.docx (Word, A4), each table as .md and .csv (with the BOM Excel needs),
    briefing.xlsx (a sheet per table), ladder and heatmap as .svg and .png. Takes the filters of
    `measures`: a briefing on one chapter or one agency is one command. A briefing is of one
    document: of several, a set each in OUT/ID/. --lang zh writes every heading, caption and
    header in Chinese.

    \b
    Examples:
      chuanyu report --out build/briefing
      chuanyu report --lang zh --out build/briefing-zh
      chuanyu report --chapter 5 --out build/chapter-5
      chuanyu report --as-of today --out build/today
      chuanyu report --agency 人行成都分行 --province sichuan --out build/pbc-sichuan
    """
    from ..render import status_line
    from ..report import write_each

    try:
        import cairosvg  # noqa: F401  (the pictures as PNG, drawn by Debian's libcairo2)
    except (OSError, ImportError):  # cairosvg comes with chuanyu; the C library it draws with may not be there (OSError)
        fail(Exit.USAGE, ["chuanyu: report draws its PNG pictures with the cairo library, which is missing: apt-get install libcairo2"])
    with reporting():
        answers = answers_of(data, document)
        filters = answers.resolved(measure_filters(chapter, section, agency, lead, province))
        with status_line("writing the briefing") as progress:
            written = write_each(answers.conn, out, filters, stamp, as_of_dates(as_of), progress, lang.value)
    for path in written:
        typer.echo(f"wrote {path}", err=True)


export_app = App(cls=CheckedGroup, help="Export the catalogue for other tools.", no_args_is_help=True)
app.add_typer(export_app, name="export")


class GraphFormat(enum.StrEnum):
    json = "json"
    mermaid = "mermaid"
    dot = "dot"
    graphml = "graphml"


@export_app.command("graph")
def export_graph(
    fmt: Annotated[GraphFormat, typer.Option("--format", "-f", help="Graph format.")] = GraphFormat.json,
    chapter: ChapterOption = None,
    section: SectionOption = None,
    agency: AgencyOption = None,
    lead: LeadOption = None,
    province: ProvinceFilter = None,
    document: DocumentOption = None,
    data: DataOption = None,
) -> None:
    """The counterpart and co-listing network: a node per unit, a `counterpart` edge per
    declared pair (weight: the measures they share), a `co-listed` edge per Chongqing ×
    Sichuan pair listed together (weight: how often). Takes the filters of `measures`.

    \b
    Examples:
      chuanyu export graph --format dot > network.dot
      chuanyu export graph --format graphml --chapter 3 > chapter-3.graphml
    """
    from ..graph import network, serialise

    with reporting():
        answers = answers_of(data, document)
        filters = answers.resolved(measure_filters(chapter, section, agency, lead, province))
        text = serialise(network(answers.conn, filters), fmt.value)
    with to_stdout():
        sys.stdout.write(text)
