"""The catalogue's documents: listed, and chosen (--document) for every other question to answer on."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Generator, Sequence
from contextlib import closing

from ..errors import NoSuchDocument
from ..result import Column, Result
from .common import in_document, several_documents, with_documents

_DOCUMENTS = """
SELECT d.id, d.title, d.number, d.date, d.issuers,
       (SELECT count(*) FROM measures m WHERE m.document = d.id) AS measures,
       (SELECT count(*) FROM responsibilities r JOIN measures m ON m.id = r.measure WHERE m.document = d.id) AS listings
FROM documents d
ORDER BY d.id
"""


def documents(conn: sqlite3.Connection) -> Result:
    """Every document of the catalogue, by id: its title, number, date, issuers and figures."""
    records = [
        {
            "id": row["id"],
            "title": row["title"],
            "number": row["number"],
            "date": row["date"],
            "issuers": json.loads(row["issuers"]),
            "measures": row["measures"],
            "listings": row["listings"],
        }
        for row in conn.execute(_DOCUMENTS)
    ]
    columns = [
        Column("id", "id", atomic=True),
        Column("title", "title"),
        Column("number", "number"),
        Column("date", "date", atomic=True),
        Column("issuers", "issuers", on_terminal=False),
        Column("measures", "measures", numeric=True),
        Column("listings", "listings", numeric=True),
    ]
    return Result(columns, records)


#: What each table holds of the chosen documents (:chosen, a JSON list of ids); the units, their
#: names and successions stay whole: one directory serves every document.
_CHOSEN = {
    "documents": "SELECT * FROM main.documents WHERE id IN (SELECT value FROM json_each({chosen}))",
    "chapters": "SELECT * FROM main.chapters WHERE document IN (SELECT value FROM json_each({chosen}))",
    "sections": "SELECT * FROM main.sections WHERE document IN (SELECT value FROM json_each({chosen}))",
    "measures": "SELECT * FROM main.measures WHERE document IN (SELECT value FROM json_each({chosen}))",
    "texts": "SELECT * FROM main.texts WHERE document IN (SELECT value FROM json_each({chosen}))",
    # rowid kept by name: questions read the listings in rowid order, the document's
    "responsibilities": "SELECT rowid AS rowid, * FROM main.responsibilities "
    "WHERE measure IN (SELECT id FROM main.measures WHERE document IN (SELECT value FROM json_each({chosen})))",
}


def restrict(conn: sqlite3.Connection, chosen: Sequence[str] | None) -> None:
    """Let `conn` see only the `chosen` documents' rows: TEMP views of their rows stand for the
    tables (SQLite looks in TEMP first), so every question answers on them as it would on a
    catalogue of those documents alone; none chosen, every document again. An id no document
    has is NoSuchDocument."""
    if not chosen:
        for table in _CHOSEN:
            conn.execute(f"DROP VIEW IF EXISTS temp.{table}")
        return
    known = [row[0] for row in conn.execute("SELECT id FROM main.documents ORDER BY id")]
    for document in chosen:
        if document not in known:
            raise NoSuchDocument(document, known)
    literal = "'" + json.dumps(sorted(set(chosen))).replace("'", "''") + "'"
    for table, sql in _CHOSEN.items():
        conn.execute(f"DROP VIEW IF EXISTS temp.{table}")
        conn.execute(f"CREATE TEMP VIEW {table} AS " + sql.format(chosen=literal))


def seen(conn: sqlite3.Connection) -> list[str]:
    """The ids of the documents `conn` sees (every one, or those --document chose), by id."""
    return [row[0] for row in conn.execute("SELECT id FROM documents ORDER BY id")]


def each_alone(conn: sqlite3.Connection) -> Generator[str, None, None]:
    """Each document `conn` sees, by id, `conn` seeing it alone while the caller works on it; then
    all of them again (close it, as `with closing(...)`, so that this holds if the caller fails)."""
    chosen = seen(conn)
    try:
        for document in chosen:
            restrict(conn, [document])
            yield document
    finally:
        restrict(conn, chosen)


def per_document(conn: sqlite3.Connection, question: Callable[[sqlite3.Connection], Result]) -> Result:
    """`question` asked of each document `conn` sees, in turn and alone, its records one after
    another, each led by its document's id: for the questions whose records gather measures by
    number (pairs), which mean nothing across documents. Asked of one document in a catalogue of
    one, the answer as it is."""
    if not several_documents(conn):
        return question(conn)
    records = []
    with closing(each_alone(conn)) as documents:
        for document in documents:
            answer = question(conn)
            records += [in_document(document, record, True) for record in answer.records]
    return Result(with_documents(conn, answer.columns), records, title=answer.title, footer=answer.closing())
