"""The tables a build writes, with sqlite-utils, in the document's order: the other half of `db`,
imported only when a database is built (or described: `SCHEMA`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import sqlite_utils

from . import __version__
from .model import Agency, Catalogue, Document, Measure, Part, Section

#: What each table holds and what its columns mean, the columns in the table's order: the one
#: place they are written, shown by `chuanyu serve` (Datasette's descriptions) and in README's
#: table of the database (`make reference`); a test holds them equal to the tables `create` makes.
SCHEMA: dict[str, tuple[str, dict[str, str]]] = {
    "documents": (
        "The catalogue's documents, one row each.",
        {
            "id": "the document's id, as `chuanyu documents` lists it",
            "title": "its title",
            "number": "its number, null without a covering notice",
            "date": "the date it was issued, null without a covering notice",
            "issuers": "who issued it: a JSON array",
            "source": "the file its text was read from",
        },
    ),
    "chapters": (
        "Each document's chapters.",
        {"id": "", "document": "", "number": "its number in the document", "title": ""},
    ),
    "sections": (
        "Each chapter's sections.",
        {
            "id": "",
            "document": "",
            "chapter": "",
            "number": "its number in the document, or in its chapter where the document numbers them so",
            "title": "",
        },
    ),
    "measures": (
        "Each document's measures, in its order.",
        {
            "id": "",
            "document": "",
            "chapter": "",
            "section": "null in a chapter without sections",
            "number": "its number in the document",
            "text": "",
        },
    ),
    "agencies": (
        "Every responsible unit, once, and the bodies that took over a unit's function.",
        {
            "id": "a stable ASCII id",
            "name": "the fullest form the document uses",
            "full_name": "the official name, where known",
            "province": "chongqing, sichuan, or null for the joint body",
            "level": "provincial-department, central-branch, city-government…",
            "counterpart": "the other province's unit of the same function",
            "founding_date": "a successor body's, where known",
            "dissolution_date": "a replaced unit's, where known",
            "no_counterpart": "why the unit has no counterpart by its nature (local-government, development-zone,"
            " one-province-project, leading-group): its gaps are structural; null otherwise",
            "no_counterpart_basis": "what shows it",
            "no_counterpart_source": "the source, where it is a fact beyond the directory",
        },
    ),
    "aliases": (
        "Every other form of a unit's name the documents use, and abbreviations people type.",
        {"agency": "", "alias": "", "position": "from 1, in the catalogue's order"},
    ),
    "successions": (
        "Who took over a unit's function, and since when.",
        {
            "agency": "the unit replaced",
            "successor": "the body that took over",
            "since": "null: no date in the source",
            "source": "where this is stated",
            "note": "",
            "position": "from 1, in order",
        },
    ),
    "responsibilities": (
        "Every listing: a unit named responsible for a measure.",
        {
            "measure": "",
            "agency": "",
            "grp": "the list it is in: chongqing, sichuan, local, joint",
            "position": "from 1 within its list",
            "role": "lead or co: as the document names them, else the first of each province's list leads",
        },
    ),
    "counterpart_pairs": (
        "What `chuanyu pairs` answers, each document's, computed as the database is built: each declared pair, then"
        " each unit with no counterpart.",
        {
            "document": "",
            "position": "from 1: the answer's order (pairs first, most measures shared first)",
            "chongqing": "the Chongqing unit, null for a Sichuan unit with no counterpart",
            "sichuan": "the Sichuan unit, null for a Chongqing unit with no counterpart",
            "shared": "the numbers of the measures listing both: a JSON array",
            "chongqing_only": "listing only the Chongqing unit: a JSON array",
            "sichuan_only": "listing only the Sichuan unit: a JSON array",
        },
    ),
    "observed_pairs": (
        "What `chuanyu pairs --observed` answers, each document's, computed as the database is built: every Chongqing"
        " and Sichuan unit listed together in some measure.",
        {
            "document": "",
            "position": "from 1: the answer's order (most measures first)",
            "chongqing": "",
            "sichuan": "",
            "count": "how many measures list both",
            "measures": "their numbers: a JSON array",
        },
    ),
    "texts": (
        "Every searchable text (chapter and section titles, measures), with the trigram index texts_fts: what `chuanyu search` searches.",
        {
            "id": "",
            "document": "",
            "kind": "chapter, section or measure",
            "chapter": "the chapter's number",
            "section": "the section's number, null for a chapter",
            "number": "the chapter's, section's or measure's number",
            "text": "",
        },
    ),
    "meta": (
        "The build: the schema version (schema), the catalogue's key (catalogue), the chuanyu that built it (chuanyu)"
        " and the catalogue's folder (data).",
        {"key": "", "value": ""},
    ),
}


def create(db: sqlite_utils.Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("documents").create(
        {"id": str, "title": str, "number": str, "date": str, "issuers": str, "source": str},
        pk="id",
        not_null={"title"},
    )
    db.table("chapters").create(
        {"id": int, "document": str, "number": int, "title": str},
        pk="id",
        foreign_keys=[("document", "documents", "id")],
        not_null={"document", "number", "title"},
    )
    db.table("sections").create(
        {"id": int, "document": str, "chapter": int, "number": int, "title": str},
        pk="id",
        foreign_keys=[("document", "documents", "id"), ("chapter", "chapters", "id")],
        not_null={"document", "chapter", "number", "title"},
    )
    db.table("measures").create(
        {"id": int, "document": str, "chapter": int, "section": int, "number": int, "text": str},
        pk="id",
        foreign_keys=[("document", "documents", "id"), ("chapter", "chapters", "id"), ("section", "sections", "id")],
        not_null={"document", "chapter", "number", "text"},  # section: null in a chapter without sections
    )
    db.table("agencies").create(
        {
            "id": str,
            "name": str,
            "full_name": str,
            "province": str,
            "level": str,
            "counterpart": str,
            "founding_date": str,
            "dissolution_date": str,
            "no_counterpart": str,
            "no_counterpart_basis": str,
            "no_counterpart_source": str,
        },
        pk="id",
        foreign_keys=[("counterpart", "agencies", "id")],
        not_null={"name", "level"},
    )
    # who took over a unit's function, since when (null: the source gives no date), and the source
    db.table("successions").create(
        {"agency": str, "successor": str, "since": str, "source": str, "note": str, "position": int},
        pk=("agency", "successor"),
        foreign_keys=[("agency", "agencies", "id"), ("successor", "agencies", "id")],
        not_null={"source", "position"},
    )
    db.table("aliases").create(
        {"agency": str, "alias": str, "position": int},
        pk=("agency", "alias"),
        foreign_keys=[("agency", "agencies", "id")],
    )
    db.table("responsibilities").create(
        {"measure": int, "agency": str, "grp": str, "position": int, "role": str},
        pk=("measure", "agency"),
        foreign_keys=[("measure", "measures", "id"), ("agency", "agencies", "id")],
        not_null={"grp", "position", "role"},
    )
    db.table("counterpart_pairs").create(
        {
            "document": str,
            "position": int,
            "chongqing": str,
            "sichuan": str,
            "shared": str,
            "chongqing_only": str,
            "sichuan_only": str,
        },
        pk=("document", "position"),
        foreign_keys=[("document", "documents", "id"), ("chongqing", "agencies", "id"), ("sichuan", "agencies", "id")],
        not_null={"shared", "chongqing_only", "sichuan_only"},
    )
    db.table("observed_pairs").create(
        {"document": str, "position": int, "chongqing": str, "sichuan": str, "count": int, "measures": str},
        pk=("document", "position"),
        foreign_keys=[("document", "documents", "id"), ("chongqing", "agencies", "id"), ("sichuan", "agencies", "id")],
        not_null={"chongqing", "sichuan", "count", "measures"},
    )
    # every searchable text: chapter and section titles and measure texts, indexed by trigrams
    db.table("texts").create(
        {"id": int, "document": str, "kind": str, "chapter": int, "section": int, "number": int, "text": str},
        pk="id",
        foreign_keys=[("document", "documents", "id")],
        not_null={"document", "kind", "chapter", "number", "text"},
    )


def _insert(db: sqlite_utils.Database, table: str, rows: Iterable[dict[str, Any]]) -> None:
    """Rows, each with every column of the table, into a table sqlite-utils made."""
    from operator import itemgetter

    _insert_values(db, table, map(itemgetter(*_columns(db, table)), rows))


def _insert_values(db: sqlite_utils.Database, table: str, values: Iterable[tuple[Any, ...]]) -> None:
    """Rows as tuples in the table's order of columns, in the build's one transaction:
    executemany on its connection, without insert_all's per-value work (a tenth of the time at
    100k measures)."""
    columns = _columns(db, table)
    sql = f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) VALUES ({', '.join('?' * len(columns))})"
    db.conn.executemany(sql, values)


def _columns(db: sqlite_utils.Database, table: str) -> list[str]:
    return [column.name for column in db.table(table).columns]


def index(db: sqlite_utils.Database) -> None:
    """Indexes, made once the rows are in: cheaper than keeping them up to date row by row."""
    for table, columns in (
        ("chapters", ["document", "number"]),
        ("sections", ["document", "chapter", "number"]),  # numbered in each chapter by some documents
        ("measures", ["document", "number"]),
    ):
        db.table(table).create_index(columns, unique=True)
    db.table("measures").create_index(["section"])
    db.table("aliases").create_index(["alias"])
    # an agency's listings with their measures from the index alone (`agency`: a fifth faster at 100k)
    db.table("responsibilities").create_index(["agency", "role", "measure"])
    db.table("responsibilities").create_index(["measure", "grp", "position"])
    # trigrams without their positions (detail=none): half the time to build, and search asks
    # for all of a text's trigrams, then checks each candidate itself; nor the texts' sizes
    # (columnsize=0), which only ranking would read
    db.execute(
        "CREATE VIRTUAL TABLE [texts_fts] USING FTS5 "
        "([text], content=[texts], content_rowid=[id], tokenize='trigram', detail=none, columnsize=0)"
    )
    db.execute("INSERT INTO [texts_fts] (rowid, [text]) SELECT [id], [text] FROM [texts]")


def fill(db: sqlite_utils.Database, catalogue: Catalogue, key: str, origin: Path | None, schema_version: str) -> None:
    """Every table's rows, in the document's order: queries read listings and texts in rowid
    order as the document's, without sorting them (or all of them, to answer the first few)."""
    meta = [("schema", schema_version), ("catalogue", key), ("chuanyu", __version__)]
    meta += [("data", str(origin.resolve()))] if origin is not None else []
    _insert(db, "meta", [{"key": k, "value": v} for k, v in meta])
    parts = sorted(catalogue.parts, key=lambda part: part.document.id)  # as questions order them
    _insert(db, "documents", (_document_row(part.document) for part in parts))
    _insert(db, "agencies", map(_agency_row, catalogue.agencies.values()))
    successions = (
        {"agency": a.id, "successor": step.id, "since": step.since, "source": step.source, "note": step.note, "position": position}
        for a in catalogue.agencies.values()
        for position, step in enumerate(a.successors, start=1)
    )
    _insert(db, "successions", successions)
    aliases = (
        {"agency": a.id, "alias": alias, "position": position}
        for a in catalogue.agencies.values()
        for position, alias in enumerate(a.aliases, start=1)
    )
    _insert(db, "aliases", aliases)
    # ids run on across the documents (in order of id), each document's rows in its order
    chapter_id = section_id = measure_id = 0
    for part in parts:
        document = part.document.id
        chapter_ids = {c.number: chapter_id + i for i, c in enumerate(part.chapters, start=1)}
        section_ids = {(s.chapter, s.number): section_id + i for i, s in enumerate(part.sections, start=1)}
        measure_ids = [measure_id + i for i in range(1, len(part.measures) + 1)]
        chapter_id, section_id, measure_id = (
            chapter_id + len(part.chapters),
            section_id + len(part.sections),
            measure_id + len(part.measures),
        )
        chapters = ({"id": chapter_ids[c.number], "document": document, "number": c.number, "title": c.title} for c in part.chapters)
        _insert(db, "chapters", chapters)
        sections = (
            {
                "id": section_ids[s.chapter, s.number],
                "document": document,
                "chapter": chapter_ids[s.chapter],
                "number": s.number,
                "title": s.title,
            }
            for s in part.sections
        )
        _insert(db, "sections", sections)
        measures = (
            {
                "id": i,
                "document": document,
                "chapter": chapter_ids[m.chapter],
                "section": None if m.section is None else section_ids[m.chapter, m.section],
                "number": m.number,
                "text": m.text,
            }
            for i, m in zip(measure_ids, part.measures, strict=True)
        )
        _insert(db, "measures", measures)
        # a million at 100k measures: as tuples in the table's order (measure, agency, grp,
        # position, role), a second sooner than as rows by name
        listings = (
            (i, agency, group, position, m.role(group, agency, position))
            for i, m in zip(measure_ids, part.measures, strict=True)
            for group, agency, position in m.listings()
        )
        _insert_values(db, "responsibilities", listings)
        _insert(db, "texts", ({"id": None, "document": document, **text} for text in _texts(part)))


def _agency_row(agency: Agency) -> dict[str, Any]:
    reason = agency.no_counterpart
    return vars(agency) | {
        "no_counterpart": reason and reason.why,
        "no_counterpart_basis": reason and reason.basis,
        "no_counterpart_source": reason and reason.source,
    }


def pairs(db: sqlite_utils.Database) -> None:
    """The pairs' answers (`questions.pairs.store`), once the listings are in and indexed."""
    import sqlite3

    from .questions.pairs import store

    db.conn.row_factory = sqlite3.Row
    try:
        store(db.conn)
    finally:
        db.conn.row_factory = None


def _document_row(document: Document) -> dict[str, Any]:
    row = {key: value for key, value in vars(document).items() if key != "line"}
    return row | {"issuers": json.dumps(list(document.issuers), ensure_ascii=False)}


def _texts(catalogue: Part) -> Iterator[dict[str, Any]]:
    """Every searchable text in the document's order: a chapter's title, then the measures it
    holds without sections, or each of its sections' title followed by that section's measures."""
    sections: dict[int, list[Section]] = {}
    for section in catalogue.sections:
        sections.setdefault(section.chapter, []).append(section)
    measures: dict[tuple[int, int | None], list[Measure]] = {}
    for measure in catalogue.measures:
        measures.setdefault((measure.chapter, measure.section), []).append(measure)
    for chapter in catalogue.chapters:
        yield {"kind": "chapter", "chapter": chapter.number, "section": None, "number": chapter.number, "text": chapter.title}
        for m in measures.get((chapter.number, None), []):
            yield {"kind": "measure", "chapter": m.chapter, "section": None, "number": m.number, "text": m.text}
        for section in sections.get(chapter.number, []):
            yield {"kind": "section", "chapter": chapter.number, "section": section.number, "number": section.number, "text": section.title}
            for m in measures.get((chapter.number, section.number), []):
                yield {"kind": "measure", "chapter": m.chapter, "section": m.section, "number": m.number, "text": m.text}
