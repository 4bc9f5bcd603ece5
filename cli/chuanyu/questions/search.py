"""Full-text search of measures and titles, for words of any length."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from typing import Any

from ..result import Column, Record, Result
from .common import NO_FILTERS, Filters, _limited, _passing, in_document, several_documents, with_documents

#: Characters either side of a match in a search snippet; matches are marked 【thus】.
SNIPPET_CONTEXT = 24


_SEARCH_FTS = """
SELECT t.document, t.kind, t.chapter, t.section, t.number, t.text
FROM texts_fts JOIN texts t ON t.id = texts_fts.rowid
WHERE texts_fts MATCH :trigrams
ORDER BY texts_fts.rowid
"""


_SEARCH_SCAN = """
SELECT document, kind, chapter, section, number, text FROM texts
WHERE text LIKE :pattern ESCAPE '\\'
ORDER BY id
"""


def _candidates(conn: sqlite3.Connection, text: str, scan: bool) -> sqlite3.Cursor:
    """Texts that may contain `text`, in the document's order (rowid order, see `db_tables.fill`):
    those holding all of its trigrams, from the trigram index, for three characters or more (it
    holds no shorter token), else from a scan of the base table."""
    if len(text) >= 3 and not scan and "\x00" not in text:  # FTS5 takes no NUL in a query
        trigrams = dict.fromkeys(text[i : i + 3] for i in range(len(text) - 2))
        query = " AND ".join('"' + trigram.replace('"', '""') + '"' for trigram in trigrams)
        return conn.execute(_SEARCH_FTS, {"trigrams": query})
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return conn.execute(_SEARCH_SCAN, {"pattern": pattern})


def _snippet(text: str, match: re.Match[str]) -> str:
    start, end = max(match.start() - SNIPPET_CONTEXT, 0), min(match.end() + SNIPPET_CONTEXT, len(text))
    return (
        ("…" if start else "")
        + text[start : match.start()]
        + f"【{match.group(0)}】"
        + text[match.end() : end]
        + ("…" if end < len(text) else "")
    )


def search(conn: sqlite3.Connection, text: str, filters: Filters = NO_FILTERS, scan: bool = False, limit: int | None = None) -> Result:
    """Measures, chapter titles and section titles containing `text` (Latin letters in any case),
    in the document's order, each with a snippet around the first match. With filters, only
    measures that pass them, and the titles of the chapters and sections holding those. With
    `limit`, the first that many."""
    limited = _limited(_matches(conn, text, filters, scan), limit)
    columns = with_documents(
        conn,
        [
            Column("kind", "kind", atomic=True, labels=True),
            Column("number", "number", numeric=True),
            Column("chapter", "chapter", numeric=True),
            Column("section", "section", numeric=True),
            Column("snippet", "snippet", highlight=True),
        ],
    )
    return Result(columns, limited, limited=limited)


def _matches(conn: sqlite3.Connection, text: str, filters: Filters, scan: bool) -> Iterator[Record]:
    """Search's records as the texts holding `text` are read, in the document's order."""
    wanted = re.compile(re.escape(text), re.IGNORECASE | re.ASCII)
    allowed: dict[str, set[tuple[Any, ...]]] | None = None  # without filters, every text
    if filters != NO_FILTERS:
        passing = _passing(conn, filters).fetchall()
        allowed = {
            "measure": {(row["document"], row["number"]) for row in passing},
            "section": {(row["document"], row["chapter"], row["section"]) for row in passing},
            "chapter": {(row["document"], row["chapter"]) for row in passing},
        }
    several = several_documents(conn)
    for row in _candidates(conn, text, scan):
        match = wanted.search(row["text"])
        # a section is known by its chapter too: some documents number sections in each chapter
        key = (row["document"], row["chapter"], row["number"]) if row["kind"] == "section" else (row["document"], row["number"])
        if match and (allowed is None or key in allowed[row["kind"]]):
            record = {
                "kind": row["kind"],
                "number": row["number"],
                "chapter": row["chapter"],
                "section": row["section"],
                "snippet": _snippet(row["text"], match),
            }
            yield in_document(row["document"], record, several)
