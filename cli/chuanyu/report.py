"""A briefing set: the tables an analyst pastes (Markdown, CSV, one Excel workbook) and the
pictures they look at (SVG), all from the same questions as the commands, all deterministic.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from xml.sax.saxutils import escape

from . import __version__
from .graph import mermaid_id, mermaid_label
from .paths import refuse_unless_a_file
from .questions.common import NO_FILTERS, Filters, names_by_id, shown
from .questions.gaps import GAP_KINDS, gaps
from .questions.lineage import Lineage, dated
from .questions.overviews import chapters_overview, levels_overview, workload
from .questions.pairs import pairs
from .render import BOM, RENDERERS
from .result import Column, Record, Result

#: Fonts with Chinese glyphs: Linux (the small one first: renderers such as cairosvg read only the
#: first family), then Linux, macOS and Windows desktops. A browser takes the first it has.
CJK_FONTS = (
    "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', sans-serif"
)
#: When a briefing is not stamped, the workbook gives this fixed time as made and modified.
_UNSTAMPED = dt.datetime(2000, 1, 1)


@dataclass(frozen=True)
class Table:
    """One table of the briefing: its file stem, its heading and its rows."""

    name: str
    heading: str
    result: Result


def tables(conn: sqlite3.Connection, filters: Filters, as_of: tuple[dt.date, dt.date] | None = None) -> list[Table]:
    """Every table of the briefing, in the order the briefing shows them (with `as_of`: every
    unit shown as the body that held its function on that date)."""
    pair_rows = pairs(conn, filters=filters)
    pair_rows.columns.insert(2, Column("shared_count", "shared measures", lambda r: len(r["shared"]), numeric=True))
    # each measure's section as the briefing names it (none in a chapter without sections)
    section_of = {
        number: f"{section} {title}" if section is not None else ""
        for number, section, title in conn.execute(
            "SELECT m.number, s.number, s.title FROM measures m LEFT JOIN sections s ON s.id = m.section"
        )
    }
    gap_rows = gaps(conn, filters=filters)
    gap_rows.columns.insert(2, Column("section", "section", lambda r: section_of[r["measure"]]))
    parts = [
        Table("chapters", "Measures per chapter", chapters_overview(conn, filters)),
        Table("levels", "Units per province and level", levels_overview(conn, filters)),
        Table("workload", "Agency workload: leads and listings, by chapter", workload(conn, filters)),
        Table("pairs", "Counterpart pairs: shared and one-sided measures", pair_rows),
        Table("gaps", "Gaps: where the two provinces' assignments do not match", gap_rows),
    ]
    if as_of:
        lineage = Lineage(conn)
        parts = [replace(part, result=dated(part.result, lineage, *as_of)) for part in parts]
    return [replace(part, result=part.result.read()) for part in parts]  # each read by several files


def _text(render: str, result: Result) -> str:
    out = io.StringIO()
    RENDERERS[render](result, out)
    return out.getvalue()


# --- pictures -----------------------------------------------------------------------------


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'font-family="{escape(CJK_FONTS)}" font-size="13">',
            f"<title>{escape(title)}</title>",
            f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
            *body,
            "</svg>",
            "",
        ]
    )


def _label(x: float, y: float, text: str, anchor: str = "start", **style: str) -> str:
    extra = "".join(f' {key.replace("_", "-")}="{escape(value)}"' for key, value in style.items())
    return f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'


def ladder_svg(result: Result, title: str) -> str:
    """Chongqing units on the left, Sichuan units on the right, a rung per counterpart pair as
    thick as the measures they share; a unit with no counterpart has a dashed empty rung, and a
    red figure beside a unit counts the measures that list it without its counterpart."""
    rows = list(result.records)
    most = max((len(r["shared"]) for r in rows), default=1) or 1
    top, step, left, right, width = 64, 26, 230, 470, 700
    body = [
        _label(width / 2, 24, title, "middle", font_size="16", font_weight="bold"),
        _label(left, 48, "重庆 Chongqing", "end", font_weight="bold"),
        _label(right, 48, "四川 Sichuan", "start", font_weight="bold"),
    ]
    for i, row in enumerate(rows):
        y = top + i * step
        chongqing, sichuan = row["chongqing"], row["sichuan"]
        if chongqing and sichuan:
            thickness = 1 + 7 * len(row["shared"]) / most
            body.append(
                f'<line x1="{left + 8}" y1="{y - 4}" x2="{right - 8}" y2="{y - 4}" stroke="#3b6ea5" stroke-width="{thickness:.2f}"/>'
            )
            body.append(_label((left + right) / 2, y - 8, str(len(row["shared"])), "middle", font_size="10", fill="#3b6ea5"))
        else:
            body.append(f'<line x1="{left + 8}" y1="{y - 4}" x2="{right - 8}" y2="{y - 4}" stroke="#999999" stroke-dasharray="4 4"/>')
            body.append(_label((left + right) / 2, y - 8, "无对应单位 no counterpart", "middle", font_size="10", fill="#777777"))
        for unit, x, anchor, one_sided, badge_x in (
            (chongqing, left, "end", row["chongqing_only"], 12),
            (sichuan, right, "start", row["sichuan_only"], width - 12),
        ):
            if unit:
                body.append(_label(x, y, shown(unit), anchor, **{"class": "unit"}))
            if unit and one_sided and chongqing and sichuan:
                body.append(
                    _label(badge_x, y, f"单列 {len(one_sided)}", "start" if badge_x < width / 2 else "end", fill="#c0392b", font_size="11")
                )
    note = "red: measures listing the unit without its counterpart (missing-counterpart gaps)"
    body.append(_label(width / 2, top + len(rows) * step + 8, note, "middle", font_size="10", fill="#c0392b"))
    return _svg(width, top + len(rows) * step + 24, title, body)


def heatmap_svg(result: Result, chapters: list[int], title: str) -> str:
    """Agencies (rows) by chapter (columns): each cell's shade and figure are the agency's
    listings in that chapter."""
    rows = list(result.records)
    most = max((n for r in rows for n in r["by_chapter"]), default=1) or 1
    # 13-pixel text: a Chinese character is about 13 pixels wide, a Latin one about half that
    label_width = max((_display_width(shown(r)) for r in rows), default=10) * 7 + 16
    cell, top = 34, 64
    height = top + len(rows) * 18 + 16
    width = label_width + cell * (len(chapters) + 1) + 16
    body = [_label(width / 2, 24, title, "middle", font_size="16", font_weight="bold")]
    for j, number in enumerate(chapters):
        body.append(_label(label_width + cell * j + cell / 2, 52, f"{number}", "middle", font_weight="bold"))
    body.append(_label(label_width + cell * len(chapters) + cell / 2, 52, "Σ", "middle", font_weight="bold"))
    for i, row in enumerate(rows):
        y = top + i * 18
        body.append(_label(label_width - 8, y + 13, shown(row), "end", **{"class": "unit"}))
        for j, count in enumerate([*row["by_chapter"], row["listings"]]):
            shade = 0 if j == len(chapters) else count / most
            fill = "#f2f2f2" if j == len(chapters) else f"rgb({int(255 - 196 * shade)},{int(255 - 145 * shade)},{int(255 - 90 * shade)})"
            body.append(f'<rect x="{label_width + cell * j}" y="{y}" width="{cell - 2}" height="16" fill="{fill}"/>')
            if count:
                colour = "#ffffff" if shade > 0.55 else "#222222"
                body.append(_label(label_width + cell * j + cell / 2 - 1, y + 12, str(count), "middle", font_size="11", fill=colour))
    return _svg(width, height, title, body)


def ladder_mermaid(result: Result) -> str:
    """The counterpart ladder as a Mermaid flowchart, which code-hosting sites draw."""
    lines = ["flowchart LR"]
    for row in result.records:
        chongqing, sichuan = row["chongqing"], row["sichuan"]
        nodes = [f'{mermaid_id(u["id"])}["{mermaid_label(shown(u))}"]' for u in (chongqing, sichuan) if u]
        if chongqing and sichuan:
            lines.append(f"  {nodes[0]} ---|{len(row['shared'])}| {nodes[1]}")
        else:
            lines.append(f"  {nodes[0]}:::unpaired")
    lines.append("  classDef unpaired stroke-dasharray: 4 4")
    return "\n".join(lines)


# --- the briefing -------------------------------------------------------------------------


def _scope(filters: Filters, names: dict[str, str], as_of: tuple[dt.date, dt.date] | None) -> str:
    parts = []
    if filters.chapter is not None:
        parts.append(f"chapter {filters.chapter}")
    if filters.section is not None:
        parts.append(f"section {filters.section}")
    parts += [f"measures listing {names[a]}" for a in filters.agencies]
    if filters.lead:
        parts.append(f"measures {names[filters.lead]} leads")
    if filters.province:
        parts.append(f"the {filters.province} side")
    scope = "; ".join(parts) if parts else "the whole document"
    return scope + (f", each unit as the body that held its function on {as_of[0].isoformat()}" if as_of else "")


def briefing_md(
    conn: sqlite3.Connection, filters: Filters, parts: list[Table], stamp: str | None, as_of: tuple[dt.date, dt.date] | None = None
) -> str:
    """One Markdown document: every table, the pictures, headings and captions made from the data."""
    document = conn.execute("SELECT title, number, date FROM documents").fetchone()
    names = names_by_id(conn)
    by_name = {t.name: t for t in parts}
    chapters, gap_rows = list(by_name["chapters"].result.records), list(by_name["gaps"].result.records)
    measures = sum(r["measures"] for r in chapters)
    listings = sum(r["listings"] for r in chapters)
    pair_rows = list(by_name["pairs"].result.records)
    declared = sum(1 for r in pair_rows if r["chongqing"] and r["sichuan"])
    named = ", ".join(value for value in (document["number"], document["date"]) if value)  # none without a covering notice
    lines = [
        f"# 《{document['title']}》 briefing",
        "",
        (f"{named}. " if named else "") + f"Scope: {_scope(filters, names, as_of)}: "
        f"{measures} measures in {len(chapters)} chapters, {listings} listings.",
        "",
        f"Made by chuanyu {__version__}" + (f" on {stamp}." if stamp else "."),
        "",
        "## The catalogue at a glance",
        "",
    ]

    def table(name: str, caption: str) -> None:
        lines.extend([f"**{caption}**", "", _text("md", by_name[name].result).rstrip(), ""])

    table("chapters", f"{by_name['chapters'].heading} ({len(chapters)} chapters)")
    table("levels", by_name["levels"].heading)
    lines += ["## Agency workload", ""]
    table("workload", f"{by_name['workload'].heading} ({len(list(by_name['workload'].result.records))} agencies)")
    lines += [
        "![Listings by agency and chapter](heatmap.svg)",
        "",
        "## Counterpart pairs",
        "",
        f"{declared} declared pairs, {len(pair_rows) - declared} units with no counterpart.",
        "",
        "```mermaid",
        ladder_mermaid(by_name["pairs"].result),
        "```",
        "",
        "![Counterpart ladder](ladder.svg)",
        "",
    ]
    table("pairs", by_name["pairs"].heading)
    lines += ["## Gaps", ""]
    for kind in GAP_KINDS:
        found = [r for r in gap_rows if r["kind"] == kind]
        lines.append(f"- {kind}: {len(found)}")
    lines.append("")
    for kind in GAP_KINDS:
        found = [r for r in gap_rows if r["kind"] == kind]
        if found:
            result = by_name["gaps"].result
            lines += [f"### {kind} ({len(found)})", "", _text("md", Result(result.columns, found)).rstrip(), ""]
    return "\n".join(lines)


def _write(
    conn: sqlite3.Connection,
    out: Path,
    filters: Filters,
    stamp: bool,
    as_of: tuple[dt.date, dt.date] | None,
    progress: Callable[[str], None],
) -> list[Path]:
    """Write one document's briefing set into `out`; the files written, in order (as `write_each`)."""
    out.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0) if stamp else None
    progress("asking the questions")
    parts = tables(conn, filters, as_of)
    written: list[Path] = []

    def put(name: str, text: str, bom: bool = False) -> None:
        path = out / name
        progress(f"writing {name}")
        path.write_text((BOM if bom else "") + text, encoding="utf-8", newline="")
        written.append(path)

    put("briefing.md", briefing_md(conn, filters, parts, now.isoformat() if now else None, as_of))
    for part in parts:
        put(f"{part.name}.md", f"**{part.heading}**\n\n" + _text("md", part.result))
        put(f"{part.name}.csv", _text("csv", part.result), bom=True)
    by_name = {t.name: t for t in parts}
    chapters = [row[0] for row in conn.execute("SELECT number FROM chapters ORDER BY number")]
    put("ladder.svg", ladder_svg(by_name["pairs"].result, "Counterpart ladder 对口单位"))
    put("heatmap.svg", heatmap_svg(by_name["workload"].result, chapters, "Listings by agency and chapter 各单位分章列名次数"))
    path = out / "briefing.xlsx"
    progress(f"writing {path.name}")
    path.write_bytes(workbook(parts, now))
    written.append(path)
    return written


def write_each(
    conn: sqlite3.Connection,
    out: Path,
    filters: Filters = NO_FILTERS,
    stamp: bool = False,
    as_of: tuple[dt.date, dt.date] | None = None,
    progress: Callable[[str], None] = lambda stage: None,
) -> list[Path]:
    """Write the briefing set of the one document `conn` sees into `out`; of several, a set each,
    in OUT/ID/ (a briefing is of one document, its measures numbered as it numbers them); whole
    or not at all. The files written, in order. `progress` is told each stage as it starts (a
    terminal shows them: at 10,000 measures a briefing takes some 20 s)."""
    from .questions.documents import each_alone, seen

    out.mkdir(parents=True, exist_ok=True)
    # the set is written aside, in a folder of out's own, and each file moved into place once
    # all are written: a full disk or a fault leaves the previous set (or none), never half a set
    staging = Path(tempfile.mkdtemp(prefix=".chuanyu-briefing-", dir=out))
    written: list[Path] = []
    try:
        if len(seen(conn)) == 1:
            written = _write(conn, staging, filters, stamp, as_of, progress)
        else:
            with closing(each_alone(conn)) as documents:
                for document in documents:
                    written += _write(conn, staging / document, filters, stamp, as_of, progress)
        placed = [out / path.relative_to(staging) for path in written]
        for target in placed:  # before any is moved
            refuse_unless_a_file(target)
        for source, target in zip(written, placed, strict=True):
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return placed


def workbook(parts: list[Table], stamp: dt.datetime | None) -> bytes:
    """One sheet per table: header frozen, columns as wide as their text (Chinese counts twice)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for part in parts:
        sheet = book.create_sheet(part.name)
        sheet.append([c.header for c in part.result.columns])
        for record in part.result.records:
            sheet.append([_cell(c, record) for c in part.result.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(part.result.columns, start=1):
            texts = [column.header] + [column.cell(record) for record in part.result.records]
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = min(60, max(6, max(_display_width(t) for t in texts) + 2))
    when = stamp.replace(tzinfo=None) if stamp else _UNSTAMPED
    book.properties.created = book.properties.modified = when
    book.properties.creator = f"chuanyu {__version__}"
    raw = io.BytesIO()
    book.save(raw)
    return _fixed_zip_times(raw.getvalue(), when)


def _cell(column: Column, record: Record) -> object:
    text = column.cell(record)
    return int(text) if column.numeric and text.isdigit() else text


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _fixed_zip_times(data: bytes, when: dt.datetime) -> bytes:
    """The same workbook with every member, and its `modified` property (which openpyxl sets
    to the time of saving), dated `when`: an unstamped one is the same bytes every time."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, content)
    return out.getvalue()
