"""What every question returns and every renderer takes: columns and records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]


@dataclass(frozen=True)
class Column:
    """One column of a table: the record key it shows, its header, and how to write a cell."""

    key: str
    header: str
    cell: Callable[[Record], str] | None = None

    def text(self, record: Record) -> str:
        if self.cell is not None:
            return self.cell(record)
        value = record.get(self.key)
        return "" if value is None else str(value)


@dataclass
class Result:
    """Records (what JSON shows, nested as the contract says) and the columns tables show.

    `single`: the answer is one object (`measure N`), shown as an object, not an array.
    """

    columns: list[Column]
    records: list[Record] = field(default_factory=list)
    single: bool = False
