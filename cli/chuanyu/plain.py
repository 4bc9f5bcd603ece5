"""Plain value classes: what `dataclass(frozen=True, order=True)` gave the few classes a query
meets, without importing dataclasses (which pulls in inspect and ast: ~8 ms of every command)."""

from __future__ import annotations

TYPE_CHECKING = False  # typing only for the type checker: importing it costs every command's start-up
if TYPE_CHECKING:
    from typing import Any


class Plain:
    """Equal, hashed, ordered and shown by its fields, `FIELDS`, in that order."""

    __slots__ = ()
    FIELDS: tuple[str, ...] = ()

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.FIELDS)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._fields() == other._fields()  # type: ignore[attr-defined]

    def __lt__(self, other: Plain) -> bool:
        return self._fields() < other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{name}={value!r}' for name, value in zip(self.FIELDS, self._fields(), strict=True))})"
