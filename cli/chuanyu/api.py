"""The Python API: the questions of the commands, for notebooks and scripts that ask many.

    import chuanyu
    catalogue = chuanyu.open()
    catalogue.measures(lead="人行成都分行")      # what `chuanyu measures --lead 人行成都分行 --format json` prints

Each method returns the records of the JSON contract (lists of dicts, or one dict for `measure`
and `agency`), so `pandas.DataFrame(catalogue.gaps())` just works. The methods are those the
commands call (`answers.Answers`); names resolve as on the command line; failures raise the
exceptions of `chuanyu.errors` (NotFound, Ambiguous, NoSuchMeasure, BadQuestion, DataError…).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from . import db, paths
from .answers import Answers, MeasureFilters
from .questions.documents import restrict
from .result import Record, Result


def open_catalogue(data: str | Path | None = None, *, document: Sequence[str] | None = None) -> Catalogue:
    """The catalogue in `data` (default: the shipped one, or $CHUANYU_DATA), its database built
    into the cache if need be; with `document`, as if it held only those documents."""
    folder = paths.data_dir(Path(data) if data is not None else None)
    conn = db.open_cached(folder)
    restrict(conn, list(document) if document else None)
    return Catalogue(Answers(conn, folder))


def contract(result: Result) -> Any:
    """What `--format json` prints of `result`, as Python objects."""
    if result.document is not None:
        return result.document
    if result.single:
        return result.first()
    return list(result.records)


def _filters(
    chapter: int | None, section: int | None, agency: str | Sequence[str] | None, lead: str | None, province: str | None
) -> MeasureFilters:
    agencies = (agency,) if isinstance(agency, str) else tuple(agency or ())
    return MeasureFilters(chapter=chapter, section=section, agencies=agencies, lead=lead, province=province)


class Catalogue:
    """A catalogue's database, open for questions: each method answers as the command of its name
    does with `--format json`. Close it when done (or use it in a `with` block)."""

    def __init__(self, answers: Answers):
        self._answers = answers

    @property
    def connection(self) -> sqlite3.Connection:
        """The database itself, read-only, for SQL of your own (`chuanyu query` shows its tables)."""
        return self._answers.conn

    def close(self) -> None:
        self._answers.conn.close()

    def __enter__(self) -> Catalogue:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()

    def measure(self, number: int, *, as_of: str | None = None) -> Record:
        return contract(self._answers.measure(number, as_of=as_of))  # type: ignore[no-any-return]

    def measures(
        self,
        *,
        chapter: int | None = None,
        section: int | None = None,
        agency: str | Sequence[str] | None = None,
        lead: str | None = None,
        province: str | None = None,
        limit: int | None = None,
        as_of: str | None = None,
    ) -> list[Record]:
        """`agency`: one name, or several that must all be listed."""
        filters = _filters(chapter, section, agency, lead, province)
        return contract(self._answers.measures(filters, limit=limit, as_of=as_of))  # type: ignore[no-any-return]

    def search(
        self,
        text: str,
        *,
        chapter: int | None = None,
        section: int | None = None,
        agency: str | Sequence[str] | None = None,
        lead: str | None = None,
        province: str | None = None,
        limit: int | None = None,
    ) -> list[Record]:
        filters = _filters(chapter, section, agency, lead, province)
        return contract(self._answers.search(text, filters, limit=limit))  # type: ignore[no-any-return]

    def stats(self, *, top: int = 10) -> list[Record]:
        return contract(self._answers.stats(top=top))  # type: ignore[no-any-return]

    def agencies(self, *, province: str | None = None) -> list[Record]:
        return contract(self._answers.agencies(province=province))  # type: ignore[no-any-return]

    def agency(self, name: str, *, as_of: str | None = None) -> Record:
        return contract(self._answers.agency(name, as_of=as_of))  # type: ignore[no-any-return]

    def documents(self) -> list[Record]:
        return contract(self._answers.documents())  # type: ignore[no-any-return]

    def pairs(self, name: str | None = None, *, observed: bool = False, limit: int | None = None, as_of: str | None = None) -> list[Record]:
        return contract(self._answers.pairs(name, observed=observed, limit=limit, as_of=as_of))  # type: ignore[no-any-return]

    def gaps(self, *, kind: str | None = None, every: bool = False, limit: int | None = None, as_of: str | None = None) -> list[Record]:
        """The actionable findings (`gaps`); with `every`, the structural ones too (`gaps --all`)."""
        return contract(self._answers.gaps(kind=kind, every=every, limit=limit, as_of=as_of))  # type: ignore[no-any-return]

    def query(
        self, name: str | None = None, *, sql: str | None = None, parameters: dict[str, str] | None = None, time_limit: float = 5.0
    ) -> list[Record]:
        """A named query of queries/ (`name`), or `sql` of your own (one reading statement)."""
        return contract(self._answers.query(name, sql=sql, parameters=parameters, time_limit=time_limit))  # type: ignore[no-any-return]
