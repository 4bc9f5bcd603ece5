"""What every question returns and every renderer takes: columns and records."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import KW_ONLY, dataclass, field
from typing import Any

from .terms import Phrase, label, translated

Record = dict[str, Any]


@dataclass(eq=False, repr=False)
class Column:
    """One column of a table: its header, and the value it shows of a record (`record[key]`
    unless `value` says otherwise). A list value is several items in one cell.

    `atomic`: a code, level or number: never folded, numbers (`numeric`) to the right.
    `on_terminal`: shown in the table for people too (ids are for scripts: CSV, TSV, Markdown).
    `highlight`: the cell marks matches 【thus】: a table shows them in reverse as well.
    `spare`: a table for people leaves it out, saying so, where the terminal is too narrow for
    every column to keep its names whole.
    `labels`: its values are labels (a gap's kind, a level), which a table in Chinese shows in
    Chinese (`terms.label`); `verbatim`: its header is data (a query's column), never translated.
    `lang`: the language it is shown in (`in_language`).
    """

    key: str
    header: str
    value: Callable[[Record], Any] | None = None
    _: KW_ONLY
    atomic: bool = False
    numeric: bool = False
    on_terminal: bool = True
    highlight: bool = False
    spare: bool = False
    labels: bool = False
    verbatim: bool = False
    lang: str = "en"

    def __repr__(self) -> str:
        return f"Column({self.key!r}, {self.header!r})"

    def cell(self, record: Record, separator: str = "、") -> str:
        value = self.value(record) if self.value is not None else record.get(self.key)
        if value is None:
            return ""
        if self.labels and self.lang != "en":
            value = [label(str(item), self.lang) for item in value] if isinstance(value, list) else label(str(value), self.lang)
        if isinstance(value, list):
            return separator.join(str(item) for item in value)
        return str(value)

    def in_language(self, lang: str) -> Column:
        """This column with its header, and its labels, in `lang` (itself in English)."""
        if lang == "en":
            return self
        return dataclasses.replace(self, header=self.header if self.verbatim else translated(self.header, lang), lang=lang)


class Limited:
    """The first `limit` of `records` (all of them for None), passed on as they come; once they
    are read, `count` of them, and `more`: whether another followed (read, not passed on)."""

    def __init__(self, records: Iterable[Record], limit: int | None):
        self._records, self.limit, self.count, self.more = records, limit, 0, False

    def __iter__(self) -> Iterator[Record]:
        for record in self._records:
            if self.count == self.limit:
                self.more = True
                return
            self.count += 1
            yield record


@dataclass
class Result:
    """Records (what JSON and JSON lines show, nested as the contract says) and the columns
    every tabular format shows.

    `records`: a list, or records as a question reads them, to be read once: every format but a
    table writes each as it comes, and a table may gather them.
    `single`: the answer is one object (`measure N`), shown in JSON as an object, not an array.
    `document`: what JSON shows instead, where its contract is not the rows (`agency NAME`).
    `title` heads a table for people (table, md); `footer` lines follow a table (a summary), and
    after them what `after` says once the records are read (a summary counted along the way);
    each a `terms.Phrase` where it has words to say in the reader's language (in English, the
    text it is), else data, as it is.
    `limited`: the records stop at a limit the question was given (`--limit`).
    """

    columns: list[Column]
    records: Iterable[Record] = ()
    _: KW_ONLY
    single: bool = False
    document: Any = None
    title: str | None = None
    footer: list[str] = field(default_factory=list)
    after: Callable[[], list[str]] | None = None
    limited: Limited | None = None

    def closing(self) -> list[str]:
        """The lines under a table, once its records are read: the footer, what `after` says,
        and whether more records followed a limit."""
        lines = [*self.footer, *(self.after() if self.after is not None else [])]
        if self.limited is not None and self.limited.more:
            lines.append(Phrase("the first {count} shown (--limit); more follow", count=self.limited.count))
        return lines

    def read(self) -> Result:
        """This answer with its records read, as a list, and the lines under it known."""
        records = list(self.records)
        return dataclasses.replace(self, records=records, footer=self.closing(), after=None, limited=None)

    def first(self) -> Record:
        """The one record of a `single` answer."""
        return next(iter(self.records))
