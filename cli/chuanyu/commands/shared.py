"""The Typer side of what the commands share: the one app, and the options that several
commands take, each defined once as an `Annotated` alias. The helpers they run are in
`base.py`.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer._click.exceptions import UsageError  # Typer 0.28 carries click within itself
from typer.core import TyperCommand, TyperGroup

from .. import __version__
from ..answers import MeasureFilters
from .base import Format, Lang, Province, check_arguments, connect


class OneLineUsageError(UsageError):
    """A usage error said in one line, as every other error: `chuanyu COMMAND: what (see --help)`."""

    def show(self, file: Any = None) -> None:
        command = self.ctx.command_path if self.ctx is not None else "chuanyu"
        with contextlib.suppress(OSError, ValueError):  # stderr closed or full: the exit code says it
            sys.stderr.write(f"{command}: {self.format_message()} (see {command} --help)\n")


@contextmanager
def usage_errors_in_one_line() -> Iterator[None]:
    try:
        yield
    except OneLineUsageError:
        raise
    except UsageError as error:
        raise OneLineUsageError(error.format_message(), error.ctx) from None


class CheckedCommand(TyperCommand):
    """A command whose arguments are checked before it runs (`check_arguments`): each named as
    its option is written (`--id` is id), an argument by its name; its usage errors in one line."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        with usage_errors_in_one_line():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        names = {param.name: _written_name(param) for param in self.params}
        # a file read as the document (add, extract's SOURCE) may have any name its file system allows
        read_files = {param.name for param in self.params if param.param_type_name == "argument" and param.type.name == "file"}
        check_arguments((names.get(key, key), value) for key, value in ctx.params.items() if key not in read_files)
        with usage_errors_in_one_line():
            return super().invoke(ctx)


class CheckedGroup(TyperGroup):
    """The app and its groups: usage errors (an unknown command, a bad option) in one line."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        with usage_errors_in_one_line():
            return super().make_context(info_name, args, parent, **extra)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        with usage_errors_in_one_line():
            return super().resolve_command(ctx, args)


def _written_name(param: Any) -> str:
    long = [opt for opt in param.opts if opt.startswith("--")]
    return long[0][2:] if param.param_type_name == "option" and long else str(param.name)


class App(typer.Typer):
    """A Typer app whose every command is a CheckedCommand."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:  # type: ignore[override]
        return super().command(*args, cls=CheckedCommand, **kwargs)


app = App(
    cls=CheckedGroup,
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


DueByOption = Annotated[
    Optional[str],
    typer.Option(
        "--due-by",
        metavar="DATE",
        help="Only measures falling due on or before DATE (YYYY-MM-DD, or today): their 完成时限 names a day by then.",
        show_default=False,
    ),
]


def measure_filters(
    chapter: int | None,
    section: int | None,
    agency: list[str] | None,
    lead: str | None,
    province: Province | None,
    due_by: str | None = None,
) -> MeasureFilters:
    """The filter options of `measures`, `search`, `report` and `export graph` as one value."""
    return MeasureFilters(
        chapter=chapter,
        section=section,
        agencies=tuple(agency or ()),
        lead=lead,
        province=province.value if province else None,
        due_by=due_by,
    )
