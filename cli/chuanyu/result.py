"""What every question returns and every renderer takes: columns and records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]


@dataclass(frozen=True)
class Column:
    """One column of a table: its header, and the value it shows of a record (`record[key]`
    unless `value` says otherwise). A list value is several items in one cell."""

    key: str
    header: str
    value: Callable[[Record], Any] | None = None
    #: a code, level or number: never folded, numbers to the right
    atomic: bool = False
    numeric: bool = False
    #: shown in the table for people too (ids are for scripts: CSV, TSV, Markdown)
    on_terminal: bool = True
    #: the cell marks matches 【thus】: a table shows them in bold as well
    highlight: bool = False
    #: a table for people leaves it out, saying so, where the terminal is too narrow for every
    #: column to keep its names whole
    spare: bool = False

    def cell(self, record: Record, separator: str = "、") -> str:
        value = self.value(record) if self.value is not None else record.get(self.key)
        if value is None:
            return ""
        if isinstance(value, list):
            return separator.join(str(item) for item in value)
        return str(value)


@dataclass
class Result:
    """Records (what JSON and JSON lines show, nested as the contract says) and the columns
    every tabular format shows.

    `single`: the answer is one object (`measure N`), shown in JSON as an object, not an array.
    `document`: what JSON shows instead, where its contract is not the rows (`agency NAME`).
    `title` heads a table for people (table, md); `footer` lines follow a table (a summary).
    `more`: the records stop at a limit the question was given, and more would follow.
    """

    columns: list[Column]
    records: list[Record] = field(default_factory=list)
    single: bool = False
    document: Any = None
    title: str | None = None
    footer: list[str] = field(default_factory=list)
    more: bool = False
