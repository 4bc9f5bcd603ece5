"""The catalogue in figures."""

from __future__ import annotations

import sqlite3

from ..result import Column, Result

_STATS = {
    "total": """
        SELECT 'chapters' AS key, '' AS label, count(*) AS value FROM chapters
        UNION ALL SELECT 'sections', '', count(*) FROM sections
        UNION ALL SELECT 'measures', '', count(*) FROM measures
        UNION ALL SELECT 'listings', '', count(*) FROM responsibilities
        UNION ALL SELECT 'agencies', '', count(*) FROM agencies""",
    "measures per chapter": """
        SELECT c.number AS key, c.title AS label, count(m.id) AS value
        FROM chapters c LEFT JOIN measures m ON m.chapter = c.id GROUP BY c.id ORDER BY c.document, c.number""",
    "listings per province and level": """
        SELECT coalesce(a.province, 'joint') AS key, a.level AS label, count(*) AS value
        FROM responsibilities r JOIN agencies a ON a.id = r.agency
        GROUP BY a.province, a.level ORDER BY value DESC, key, label""",
    "most leads": """
        SELECT a.id AS key, a.name AS label, count(*) AS value
        FROM responsibilities r JOIN agencies a ON a.id = r.agency WHERE r.role = 'lead'
        GROUP BY a.id ORDER BY value DESC, key LIMIT :top""",
    "most listings": """
        SELECT a.id AS key, a.name AS label, count(*) AS value
        FROM responsibilities r JOIN agencies a ON a.id = r.agency
        GROUP BY a.id ORDER BY value DESC, key LIMIT :top""",
}


def stats(conn: sqlite3.Connection, top: int = 10) -> Result:
    """The catalogue in figures, one row per figure: totals, measures per chapter, listings per
    province and level, and the `top` agencies by leads and by listings."""
    records = [
        {"figure": figure, "key": row["key"], "label": row["label"], "value": row["value"]}
        for figure, sql in _STATS.items()
        for row in conn.execute(sql, {"top": top})
    ]
    columns = [
        Column("figure", "figure", labels=True),
        Column("key", "key", atomic=True, labels=True),
        Column("label", "label", labels=True),
        Column("value", "value", numeric=True),
    ]
    return Result(columns, records)
