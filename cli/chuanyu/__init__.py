"""chuanyu: who is responsible for what in joint Chongqing–Sichuan policy documents.

As a library: `catalogue = chuanyu.open()`, then ask `catalogue.measures(lead=...)`,
`catalogue.gaps()`, `catalogue.pairs(observed=True)`… (see `chuanyu.api`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .api import Catalogue

__version__ = "0.1.0"
__all__ = ["__version__", "open"]


def open(data: str | Path | None = None, *, document: Sequence[str] | None = None) -> Catalogue:
    """The catalogue in `data` (default: the shipped one, or $CHUANYU_DATA), open for questions;
    with `document`, as if it held only those documents (see `chuanyu.api.Catalogue`)."""
    from .api import open_catalogue

    return open_catalogue(data, document=document)
