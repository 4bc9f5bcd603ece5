"""What Datasette shows of the database (`chuanyu serve`), generated from what chuanyu already
knows: the documents' titles, the tables' descriptions (`db_tables.SCHEMA`) and the named queries
of queries/. Plain data: the Datasette side is `serving.py`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from .db_tables import SCHEMA
from .sql import NamedQuery

#: The database's name in Datasette's addresses (/chuanyu/measures).
DATABASE = "chuanyu"
#: The column shown beside an id that points at a row of each table (labels through the foreign keys).
LABELS = {"documents": "title", "chapters": "title", "sections": "title", "measures": "number", "agencies": "name"}
#: The columns each table's page offers as facets.
FACETS = {"agencies": ["province", "level"], "measures": ["due_by"], "responsibilities": ["grp", "role"], "texts": ["kind"]}


def metadata(conn: sqlite3.Connection, queries: Mapping[str, NamedQuery], allow_sql: bool) -> dict[str, Any]:
    """Datasette's metadata (0.65's metadata.json) for the database on `conn`: its documents as
    the title and description, each table and column described, labels, facets, the trigram
    index of `texts`, and every named query a canned query. `allow_sql`: whether visitors may
    run SQL of their own."""
    title, description = heading(conn)
    tables: dict[str, dict[str, Any]] = {}
    for table, (holds, columns) in SCHEMA.items():
        tables[table] = {"description": holds, "columns": {name: meaning for name, meaning in columns.items() if meaning}}
        if table in LABELS:
            tables[table]["label_column"] = LABELS[table]
        if table in FACETS:
            tables[table]["facets"] = FACETS[table]
    tables["texts"] |= {"fts_table": "texts_fts", "fts_pk": "id"}
    tables["texts"]["description"] += " Search here finds words of three characters or more; the search query, words of any length."
    canned = {
        query.name: {"sql": query.body, "title": query.title, "description": query.help, "params": query.parameters, "hide_sql": True}
        for query in queries.values()
    }
    database = {"title": title, "description": description, "allow_sql": allow_sql, "tables": tables, "queries": canned}
    return {"title": title, "description": description, "databases": {DATABASE: database}}


def heading(conn: sqlite3.Connection) -> tuple[str, str]:
    """A title and a description for the database: of one document, its title, and its number
    and date; of several, how many, and each one's title, number and date."""
    documents = [
        (f"《{title}》", ", ".join(part for part in (number, date) if part))
        for title, number, date in conn.execute("SELECT title, number, date FROM documents ORDER BY id")
    ]
    if len(documents) == 1:
        return documents[0][0], documents[0][1] or "a joint Chongqing–Sichuan policy document"
    return f"{len(documents)} joint Chongqing–Sichuan policy documents", "; ".join(
        f"{title}, {issued}" if issued else title for title, issued in documents
    )


def trigram_match(text: str) -> str:
    """An FTS5 query for the trigram index (`texts_fts`) that finds the texts holding each of the
    words in `text`: each word as all of its trigrams (the index holds no phrases). Datasette's
    table search uses it in place of its own escaping, which asks for a phrase."""
    trigrams = [word[i : i + 3] for word in text.split() for i in range(max(len(word) - 2, 1))]
    return " AND ".join('"' + trigram.replace('"', '""') + '"' for trigram in dict.fromkeys(trigrams))
