"""The Typer side of what the commands share: the one app, and the options that several
commands take, each defined once as an `Annotated` alias. The helpers they run are in
`base.py`, which the direct path uses too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .. import __version__
from .base import Format, Lang, Province, connect

app = typer.Typer(
    name="chuanyu",
    help="Who is responsible for what in joint Chongqing–Sichuan policy documents.",
    epilog="Run 'chuanyu COMMAND --help' for a command's options and examples.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DataOption = Annotated[
    Optional[Path],
    typer.Option(
        "--data",
        envvar="CHUANYU_DATA",
        show_envvar=True,
        file_okay=False,
        exists=True,  # a folder that is not there is a usage error (exit 2), as a file given for it is
        help="Catalogue folder holding measures.yaml and agencies.yaml [default: the shipped catalogue].",
        show_default=False,
    ),
]


def complete_agency(incomplete: str) -> list[tuple[str, str]]:
    """Shell completion: agency ids and names that contain what has been typed."""
    from ..questions.common import names_by_id

    try:
        conn = connect(None)
    except Exception:  # completion must never print a traceback into the shell
        return []
    return [
        (value, other)
        for agency_id, name in names_by_id(conn).items()
        for value, other in ((agency_id, name), (name, agency_id))
        if incomplete in value
    ]


AsOfOption = Annotated[
    Optional[str],
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Show every unit as the body that held its function on DATE (YYYY-MM-DD, or today), the document's name beside it.",
        show_default=False,
    ),
]


AgencyArgument = Annotated[str, typer.Argument(help="An agency: id, name, alias or a close spelling.", autocompletion=complete_agency)]
FormatOption = Annotated[
    Optional[Format],
    typer.Option("--format", "-f", help="Output format [default: table on a terminal, else tsv].", show_default=False),
]
BomOption = Annotated[bool, typer.Option("--bom", help="Start CSV with the UTF-8 byte-order mark Excel needs to show Chinese.")]
LangOption = Annotated[
    Lang,
    typer.Option(
        "--lang",
        envvar="CHUANYU_LANG",
        show_envvar=True,
        help="The language of headers, titles and the lines under a table: zh (Chinese) or en. JSON and the data never change.",
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"chuanyu {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Who is responsible for what in joint Chongqing–Sichuan policy documents."""


def complete_document(incomplete: str) -> list[tuple[str, str]]:
    """Shell completion: the ids of the catalogue's documents that start with what has been typed."""
    try:
        conn = connect(None)
        return [(d, title) for d, title in conn.execute("SELECT id, title FROM documents ORDER BY id") if d.startswith(incomplete)]
    except Exception:  # completion must never print a traceback into the shell
        return []


DocumentOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "--document",
        metavar="ID",
        help="Only this document (an id from `chuanyu documents`); repeat for several [default: every document].",
        show_default=False,
        autocompletion=complete_document,
    ),
]
ChapterOption = Annotated[Optional[int], typer.Option(help="Only this chapter (1…8).", show_default=False)]
SectionOption = Annotated[Optional[int], typer.Option(help="Only this section (1…33).", show_default=False)]
AgencyOption = Annotated[
    Optional[list[str]],
    typer.Option(
        help="Only measures listing this agency (id, name, alias or a close spelling); repeat for all of several.",
        show_default=False,
        autocompletion=complete_agency,
    ),
]
LeadOption = Annotated[
    Optional[str], typer.Option(help="Only measures this agency leads.", show_default=False, autocompletion=complete_agency)
]
LimitOption = Annotated[
    Optional[int],
    typer.Option(min=1, help="Only the first this many rows, in the answer's order; a table says if more follow.", show_default=False),
]
ProvinceFilter = Annotated[
    Optional[Province],
    typer.Option("--province", help="Only measures listing a unit of this province, showing only its units.", show_default=False),
]
