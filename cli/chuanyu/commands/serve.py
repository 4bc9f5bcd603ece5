"""chuanyu serve: the database in a browser, through Datasette."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .base import Exit, connect, fail, reporting
from .shared import DataOption, app


@app.command()
def serve(
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The port to listen on.")] = 8001,
    host: Annotated[
        str, typer.Option("--host", help="The address to listen on: this machine only unless told (0.0.0.0: every network).")
    ] = "127.0.0.1",
    sql: Annotated[bool, typer.Option("--sql", help="Let visitors run SQL of their own (read-only, stopped after 1 s).")] = False,
    data: DataOption = None,
) -> None:
    """Browse the catalogue's database in a web browser (Datasette), read-only: titles and
    agency names beside ids, descriptions of every table and column, facets, search (the
    `search` query finds words of any length) and every named query of queries/.

    Needs the serve extra: pip install 'chuanyu[serve]'. Serves until Ctrl-C.

    \b
    Examples:
      chuanyu serve
      chuanyu serve --port 8080 --sql
      chuanyu serve --host 0.0.0.0    # visible to the network
    """
    from .. import serving

    try:
        serving.datasette_installed()
    except serving.NoDatasette as exc:
        fail(Exit.USAGE, [f"chuanyu: {exc}"])
    if not serving.loopback(host):
        print(
            f"chuanyu: warning: serving on {host}: the data is visible to anyone on the network who can reach this machine", file=sys.stderr
        )

    def listening(address: str) -> None:
        print(f"chuanyu: serving at {address} (Ctrl-C to stop)", file=sys.stderr)

    with reporting():
        try:
            serving.serve(connect(data), host, port, sql, listening)
        except serving.CannotListen as exc:
            fail(Exit.USAGE, [f"chuanyu: {exc}"])
