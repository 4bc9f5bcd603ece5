"""The questions, asked of one open database: what every command and the Python API call.

`Answers` holds the connection and what several questions of one process share (the directory of
names, the lineage), so that a batch of questions loads them once. Each method takes typed
arguments and returns the `Result` its command shows; the Python API (`api.py`) turns that into
the records of the JSON contract.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import paths
from .errors import BadQuestion, NoSuchQuery
from .questions.common import Filters, directory
from .questions.lineage import Lineage, with_successors
from .result import Result

if TYPE_CHECKING:
    from .names import Directory


@dataclass(frozen=True)
class MeasureFilters:
    """The filters `measures`, `search`, `report` and `export graph` share, as a person gives them:
    agency names (any id, name, alias or close spelling), resolved when a question is asked."""

    chapter: int | None = None
    section: int | None = None
    agencies: tuple[str, ...] = ()
    lead: str | None = None
    province: str | None = None


def as_of_dates(value: str | None) -> tuple[dt.date, dt.date] | None:
    """(the date asked for, today) for `--as-of` (YYYY-MM-DD or `today`), or None without it."""
    if value is None:
        return None
    today = dt.date.today()
    if value == "today":
        return today, today
    try:
        return dt.date.fromisoformat(value), today
    except ValueError:
        raise BadQuestion(f"--as-of takes a date YYYY-MM-DD or today, not {value!r}") from None


class Answers:
    """The questions of the commands, asked of `conn` (a database of the catalogue in `folder`)."""

    def __init__(self, conn: sqlite3.Connection, folder: Path):
        self.conn, self.folder = conn, folder

    @functools.cached_property
    def _names(self) -> Directory:
        return directory(self.conn)

    @functools.cached_property
    def _lineage(self) -> Lineage:
        return Lineage(self.conn)

    def agency_id(self, name: str) -> str:
        """The agency `name` means, or for a successor's name, the unit the document lists."""
        return self._lineage.as_listed(self._names.resolve(name))

    def resolved(self, filters: MeasureFilters) -> Filters:
        """`filters` with every agency name resolved to its id."""
        return Filters(
            chapter=filters.chapter,
            section=filters.section,
            agencies=tuple(self.agency_id(name) for name in filters.agencies),
            lead=self.agency_id(filters.lead) if filters.lead else None,
            province=filters.province,
        )

    def _dated(self, result: Result, as_of: str | None) -> Result:
        when = as_of_dates(as_of)
        return with_successors(result, self._lineage, *when) if when else result

    def measure(self, number: int, *, as_of: str | None = None) -> Result:
        from .questions.measures import measure

        return self._dated(measure(self.conn, number), as_of)

    def measures(self, filters: MeasureFilters = MeasureFilters(), *, limit: int | None = None, as_of: str | None = None) -> Result:
        from .questions.measures import measures

        return self._dated(measures(self.conn, self.resolved(filters), limit), as_of)

    def search(self, text: str, filters: MeasureFilters = MeasureFilters(), *, limit: int | None = None) -> Result:
        from .questions.search import search

        if not text.strip():
            raise BadQuestion("search needs some text to find")
        return search(self.conn, text.strip(), self.resolved(filters), limit=limit)

    def stats(self, *, top: int = 10) -> Result:
        from .questions.stats import stats

        return stats(self.conn, top)

    def agencies(self, *, province: str | None = None) -> Result:
        from .questions.agencies import agencies

        return agencies(self.conn, province)

    def documents(self) -> Result:
        from .questions.documents import documents

        return documents(self.conn)

    def agency(self, name: str, *, as_of: str | None = None) -> Result:
        from .questions.agencies import agency

        return self._dated(agency(self.conn, self.agency_id(name)), as_of)

    def pairs(self, name: str | None = None, *, observed: bool = False, limit: int | None = None, as_of: str | None = None) -> Result:
        from .questions.pairs import observed_pairs
        from .questions.pairs import pairs as declared_pairs

        agency_id = self.agency_id(name) if name else None
        question = observed_pairs if observed else declared_pairs
        return self._dated(question(self.conn, agency_id, limit=limit), as_of)

    def gaps(self, *, kind: str | None = None, every: bool = False, limit: int | None = None, as_of: str | None = None) -> Result:
        """The actionable gaps, the structural ones summed up per unit; with `every`, every finding."""
        from .questions.gaps import gaps

        return self._dated(gaps(self.conn, kind, limit=limit, every=every), as_of)

    def query(
        self, name: str | None = None, *, sql: str | None = None, parameters: dict[str, str] | None = None, time_limit: float = 5.0
    ) -> Result:
        """A named query of queries/ (`name`), or `sql`: one reading statement, with `parameters`
        for its `:KEY`s, stopped after `time_limit` seconds."""
        from .sql import QueryError, named_queries, run_sql
        from .sql import parameters as wanted_by

        if (name is None) == (sql is None) or (sql is not None and not sql.strip()):
            raise BadQuestion("name one query, or give --sql (see chuanyu query --list)")
        if name is not None:
            known = named_queries(paths.queries_dir())
            if name not in known:
                close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
                raise NoSuchQuery(name, close)
            sql = known[name].sql
        assert sql is not None
        values = parameters or {}
        wanted = wanted_by(sql)
        if missing := [key for key in wanted if key not in values]:
            raise BadQuestion(f"the query needs {', '.join(f'-p {key}=…' for key in missing)}")
        if unknown := [key for key in values if key not in wanted]:
            raise BadQuestion(f"the query has no parameter {unknown[0]!r} (it takes: {', '.join(wanted) or 'none'})")
        try:
            return run_sql(self.conn, sql, values, time_limit)
        except QueryError as exc:
            raise BadQuestion(f"query {exc}") from None

    @staticmethod
    def queries() -> Result:
        """The named queries of queries/, with their parameters."""
        from .sql import query_list

        return query_list(paths.queries_dir())
