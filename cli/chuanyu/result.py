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

    def cell(self, record: Record, separator: str = "、") -> str:
        value = self.value(record) if self.value is not None else record.get(self.key)
        if value is None:
            return ""
        if isinstance(value, list):
            return separator.join(str(item) for item in value)
        return str(value)


@dataclass
class Result:
    """Records (what JSON shows, nested as the contract says) and the columns tables show.

    `single`: the answer is one object (`measure N`), shown as an object, not an array.
    """

    columns: list[Column]
    records: list[Record] = field(default_factory=list)
    single: bool = False
