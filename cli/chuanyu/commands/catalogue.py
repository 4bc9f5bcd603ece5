"""Commands on the catalogue itself: extract, add, validate, build."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from .. import db, paths
from .base import Exit, building, fail, reporting, to_stdout
from .shared import DataOption, app


@app.command()
def extract(
    source: Annotated[
        Path,
        typer.Argument(
            help="The document: its PDF, its text as extracted from it, its web page (.html) or its Word file (.docx).", dir_okay=False
        ),
    ],
    data: DataOption = None,
    document_id: Annotated[
        Optional[str], typer.Option("--id", help="The document's id [default: the file's stem].", show_default=False)
    ] = None,
) -> None:
    """Parse a joint document (its PDF, its text, its web page or its Word file) into measures YAML on stdout.

    Each unit is resolved to agencies.yaml (short forms 市X / 省X expanded first); every form
    that names no single agency is reported on stderr, and the exit status is then 1.

    \b
    Examples:
      chuanyu extract data/sources/wfc-joint-rules-2022.txt > data/measures.yaml
      chuanyu extract reflowed.txt | diff - data/measures.yaml
      chuanyu extract document.pdf --id my-document > my-document.yaml
    """
    from ..catalogue import load_agencies
    from ..extract import extracted
    from ..paths import catalogue_files

    with reporting():
        found = extracted(source, load_agencies(catalogue_files(paths.data_dir(data))[1]).values(), document_id)
        unresolved = found.problems()
    if reading := found.reading():
        typer.echo(reading, err=True)
    with to_stdout():
        sys.stdout.write(found.text)
    if unresolved:
        fail(Exit.DATA_ERROR, [str(p) for p in unresolved])


@app.command()
def add(
    source: Annotated[
        Path,
        typer.Argument(
            help="The new document: its PDF, its text as extracted from it, its web page (.html) or its Word file (.docx).", dir_okay=False
        ),
    ],
    document_id: Annotated[
        Optional[str], typer.Option("--id", help="The document's id [default: the file's stem].", show_default=False)
    ] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace the document of that id already in the catalogue.")] = False,
    data: DataOption = None,
) -> None:
    """Take a new joint document into the catalogue, as documents/ID.yaml beside measures.yaml.

    Every unit it names must be in agencies.yaml. Those that are not are proposed, never added:
    draft entries (name as written; province, level, id and a counterpart by function, each
    marked as a proposal) go to proposals/ID.yaml for a person to review and move into
    agencies.yaml; they are listed on stderr, the exit status is 1 and nothing is added. Run
    again after the review. The catalogue is checked whole with the document before it is kept.

    \b
    Examples:
      chuanyu add plan.pdf --id cq-sc-plan-2024 --data my-catalogue/
      chuanyu add plan.txt --id cq-sc-plan-2024 --replace --data my-catalogue/
      chuanyu add notice.html --id cq-sc-tasks-2024 --data my-catalogue/
    """
    from ..adding import NeedsReview
    from ..adding import add as run
    from ..catalogue import display_path

    with reporting():
        try:
            added = run(source, paths.data_dir(data), document_id, replace)
        except NeedsReview as exc:
            fail(
                Exit.DATA_ERROR,
                [f"chuanyu: {len(exc.drafts)} units are not in agencies.yaml; drafts to review are in {display_path(exc.path)}:"]
                + [
                    f"  {d.name} ({', '.join(d.written)}): proposed {d.id}, {d.province or 'no province'}, {d.level}"
                    + (f", counterpart {d.counterpart}" if d.counterpart else "")
                    for d in exc.drafts
                ],
            )
    if added.reading:
        typer.echo(added.reading, err=True)
    typer.echo(f"added {added.document}: {added.measures} measures, {added.listings} listings, in {display_path(added.path)}", err=True)


@app.command()
def validate(data: DataOption = None) -> None:
    """Check the catalogue and report every problem, each as file:line: entry: message.

    Exit status 1 if there is any problem. Every command that reads a catalogue checks it the
    same way.

    \b
    Examples:
      chuanyu validate
      chuanyu validate --data my-catalogue/
    """
    from ..catalogue import load, summary

    with reporting():
        catalogue = load(paths.data_dir(data))
    typer.echo(f"ok: {summary(catalogue)}", err=True)


@app.command()
def build(
    data: DataOption = None,
    db_path: Annotated[
        Optional[Path],
        typer.Option("--db", dir_okay=False, help="Where to write the database [default: the cache].", show_default=False),
    ] = None,
) -> None:
    """Build the SQLite database from the catalogue (atomically: the old file stays whole
    until the new one is complete).

    Query commands build into the cache on first use; run this to write the database to a
    file of your own.

    \b
    Examples:
      chuanyu build
      chuanyu build --db build/chuanyu.db && sqlite3 build/chuanyu.db '.tables'
    """
    folder = paths.data_dir(data)
    if db_path is not None and any(os.path.realpath(db_path) == os.path.realpath(file) for file in paths.catalogue_files(folder)):
        fail(Exit.USAGE, [f"chuanyu: --db {db_path} is a file of the catalogue, which a database would replace"])
    with reporting(), building() as progress:
        path = db.build(folder, db_path, progress)
    typer.echo(f"built {path}", err=True)
