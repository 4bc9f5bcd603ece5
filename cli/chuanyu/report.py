"""A briefing set: the tables an analyst pastes (Markdown, CSV, one Excel workbook), the pictures
they look at (SVG, and PNG for what takes no SVG) and one document to send (Markdown and Word),
all from the same questions as the commands, in the reader's language, all deterministic.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import shutil
import signal
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path

from . import __version__
from .document import Block, Heading, Items, Mermaid, Picture, Text, as_markdown, as_word, table_text
from .document import Table as TableBlock
from .graph import mermaid_id, mermaid_label
from .office import UNSTAMPED, workbook
from .paths import naming, refuse_unless_a_file
from .pictures import heatmap_svg, ladder_svg, png
from .questions.common import NO_FILTERS, Filters, _numbers, display_name, names_by_id
from .questions.gaps import GAP_KINDS, WHY_SAID, gaps, structural_units
from .questions.lineage import Lineage, with_successors
from .questions.overviews import chapters_overview, levels_overview, workload
from .questions.pairs import pairs
from .render import BOM
from .result import Column, Record, Result
from .terms import Label, Phrase, date_in, listed, rendered_in, translated


@dataclass(frozen=True)
class Table:
    """One table of the briefing: its file stem, its sheet's name (in English the stem), its
    heading and its rows."""

    name: str
    sheet: str
    heading: str
    result: Result

    def sheet_name(self, lang: str) -> str:
        return self.name if lang == "en" else translated(self.sheet, lang)


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
    gap_rows.columns.append(Column("why", "why no counterpart", lambda r: r["why"] and WHY_SAID[r["why"]], labels=True))
    parts = [
        Table("chapters", "Measures per chapter", "Measures per chapter", chapters_overview(conn, filters)),
        Table("levels", "Units per province and level", "Units per province and level", levels_overview(conn, filters)),
        Table("workload", "Agency workload", "Agency workload: leads and listings, by chapter", workload(conn, filters)),
        Table("pairs", "Counterpart pairs", "Counterpart pairs: shared and one-sided measures", pair_rows),
        Table("gaps", "Gaps", "Gaps: where the two provinces' assignments do not match", gap_rows),
    ]
    if as_of:
        lineage = Lineage(conn)
        parts = [replace(part, result=with_successors(part.result, lineage, *as_of)) for part in parts]
    return [replace(part, result=part.result.read()) for part in parts]  # each read by several files


#: The heatmap in Word, a page each: Chongqing's units, then Sichuan's with the joint body (the
#: whole, 70 rows, would print its names at 5 pt).
HEATMAP_SIDES = ("chongqing", "sichuan")


def heatmap_sides(workload: Result) -> list[tuple[str, Result]]:
    """The workload's rows for each of `HEATMAP_SIDES`, the joint body's with the last."""
    rows = list(workload.records)
    return [
        (
            side,
            replace(workload, records=[r for r in rows if r["province"] == side or (side == HEATMAP_SIDES[-1] and r["province"] is None)]),
        )
        for side in HEATMAP_SIDES
    ]


def ladder_mermaid(result: Result) -> str:
    """The counterpart ladder as a Mermaid flowchart, which code-hosting sites draw."""
    lines = ["flowchart LR"]
    for row in result.records:
        chongqing, sichuan = row["chongqing"], row["sichuan"]
        nodes = [f'{mermaid_id(u["id"])}["{mermaid_label(display_name(u))}"]' for u in (chongqing, sichuan) if u]
        if chongqing and sichuan:
            lines.append(f"  {nodes[0]} ---|{len(row['shared'])}| {nodes[1]}")
        else:
            lines.append(f"  {nodes[0]}:::unpaired")
    lines.append("  classDef unpaired stroke-dasharray: 4 4")
    return "\n".join(lines)


# --- the briefing -------------------------------------------------------------------------


def _scope(filters: Filters, names: dict[str, str], as_of: tuple[dt.date, dt.date] | None, lang: str) -> str:
    parts = []
    if filters.chapter is not None:
        parts.append(Phrase("chapter {number}", number=filters.chapter))
    if filters.section is not None:
        parts.append(Phrase("section {number}", number=filters.section))
    parts += [Phrase("measures listing {name}", name=names[a]) for a in filters.agencies]
    if filters.lead:
        parts.append(Phrase("measures {name} leads", name=names[filters.lead]))
    if filters.province:
        parts.append(Phrase("the {province} side", province=Label(filters.province)))
    scope = listed([rendered_in(part, lang) for part in parts], lang, "; ") if parts else translated("the whole document", lang)
    if as_of:
        scope += rendered_in(Phrase(", each unit as the body that held its function on {date}", date=as_of[0].isoformat()), lang)
    return scope


def briefing(
    conn: sqlite3.Connection,
    filters: Filters,
    parts: list[Table],
    stamp: str | None,
    as_of: tuple[dt.date, dt.date] | None = None,
    lang: str = "en",
) -> list[Block]:
    """The briefing document: every table, the pictures, headings and captions made from the
    data, in `lang`; briefing.md and briefing.docx each show it."""
    document = conn.execute("SELECT title, number, date FROM documents").fetchone()
    names = names_by_id(conn)
    by_name = {t.name: t for t in parts}
    chapters, gap_rows = list(by_name["chapters"].result.records), list(by_name["gaps"].result.records)
    agencies = list(by_name["workload"].result.records)
    measures = sum(r["measures"] for r in chapters)
    listings = sum(r["listings"] for r in chapters)
    pair_rows = list(by_name["pairs"].result.records)
    declared = sum(1 for r in pair_rows if r["chongqing"] and r["sichuan"])
    given = [
        value for value in (document["number"], document["date"] and date_in(document["date"], lang)) if value
    ]  # none without a covering notice
    named = rendered_in(Phrase("{number}, {date}", number=given[0], date=given[1]), lang) if len(given) == 2 else "".join(given)
    scope = Phrase(
        "Scope: {scope}: {measures} measures in {chapters} chapters, {listings} listings.",
        scope=_scope(filters, names, as_of, lang),
        measures=measures,
        chapters=len(chapters),
        listings=listings,
    )
    made = Phrase("Made by chuanyu {version} on {stamp}.", version=__version__, stamp=stamp) if stamp else None

    def table(name: str, caption: str | None = None) -> TableBlock:
        return TableBlock(rendered_in(caption or translated(by_name[name].heading, lang), lang), by_name[name].result)

    blocks: list[Block] = [
        Heading(rendered_in(Phrase("《{title}》 briefing", title=document["title"]), lang), 1),
        Text((rendered_in(Phrase("{named}. ", named=named), lang) if named else "") + rendered_in(scope, lang)),
        Text(rendered_in(made or Phrase("Made by chuanyu {version}.", version=__version__), lang)),
        Heading(translated("The catalogue at a glance", lang), 2),
        table("chapters", Phrase("{heading} ({count} chapters)", heading=Phrase(by_name["chapters"].heading), count=len(chapters))),
        table("levels"),
        Heading(translated("Agency workload", lang), 2),
        table(
            "workload",
            Phrase("{heading} ({count} agencies)", heading=Phrase(by_name["workload"].heading), count=len(agencies)),
        ),
        Picture(
            "heatmap",
            translated("Listings by agency and chapter", lang),
            tuple(
                (f"heatmap-{side}", rendered_in(Phrase("Listings by agency and chapter: {side}", side=Label(side)), lang))
                for side in HEATMAP_SIDES
            ),
        ),
        Heading(translated("Counterpart pairs", lang), 2),
        Text(
            rendered_in(
                Phrase(
                    "{declared} declared pairs, {unpaired} units with no counterpart.",
                    declared=declared,
                    unpaired=len(pair_rows) - declared,
                ),
                lang,
            )
        ),
        Mermaid(ladder_mermaid(by_name["pairs"].result)),
        Picture("ladder", translated("Counterpart ladder", lang)),
        table("pairs"),
        Heading(translated("Gaps", lang), 2),
    ]
    return blocks + _gaps_section(gap_rows, by_name["gaps"].result.columns, lang)


def _gaps_section(gap_rows: list[Record], columns: list[Column], lang: str) -> list[Block]:
    """The actionable findings, counted and listed by kind; then the structural ones, a row per
    unit with why it has no counterpart and its measures (gaps.csv lists each)."""
    found = {kind: [r for r in gap_rows if r["kind"] == kind and not r["structural"]] for kind in GAP_KINDS}
    blocks: list[Block] = [
        Items([rendered_in(Phrase("{kind}: {count}", kind=Label(kind), count=len(found[kind])), lang) for kind in GAP_KINDS])
    ]
    listed_columns = [column for column in columns if column.key != "why"]
    for kind in GAP_KINDS:
        if found[kind]:
            blocks += [Heading(rendered_in(Phrase("{kind} ({count})", kind=Label(kind), count=len(found[kind])), lang), 3)]
            blocks += [TableBlock(None, Result(listed_columns, found[kind]))]
    units = structural_units(gap_rows)
    if units:
        count = sum(len(unit.measures) for unit in units)
        heading = Phrase("Structural: units without counterpart by their nature ({count})", count=count)
        summary = [
            Column("agency", "agency", lambda r: display_name(r["agency"])),
            Column("why", "why no counterpart", lambda r: WHY_SAID[r["why"]], labels=True),
            Column("count", "count", numeric=True),
            Column("measures", "measures", lambda r: _numbers(r["measures"])),
        ]
        rows = [{"agency": u.unit, "why": u.why, "count": len(u.measures), "measures": u.measures} for u in units]
        blocks += [Heading(rendered_in(heading, lang), 3), TableBlock(None, Result(summary, rows))]
    return blocks


def _write(
    conn: sqlite3.Connection,
    out: Path,
    filters: Filters,
    stamp: bool,
    as_of: tuple[dt.date, dt.date] | None,
    progress: Callable[[str], None],
    lang: str,
) -> list[Path]:
    """Write one document's briefing set into `out`; the files written, in order (as `write_each`)."""
    out.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0) if stamp else None
    when = now.replace(tzinfo=None) if now else UNSTAMPED
    progress("asking the questions")
    parts = tables(conn, filters, as_of)
    written: list[Path] = []

    def put(name: str, content: str | bytes, bom: bool = False) -> None:
        path = out / name
        progress(f"writing {name}")
        with naming(path):
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text((BOM if bom else "") + content, encoding="utf-8", newline="")
        written.append(path)

    blocks = briefing(conn, filters, parts, now.isoformat() if now else None, as_of, lang)
    put("briefing.md", as_markdown(blocks, lang))
    for part in parts:
        put(f"{part.name}.md", f"**{translated(part.heading, lang)}**\n\n" + table_text("md", part.result, lang))
        put(f"{part.name}.csv", table_text("csv", part.result, lang), bom=True)
    by_name = {t.name: t for t in parts}
    chapters = [row[0] for row in conn.execute("SELECT number FROM chapters ORDER BY number")]
    svgs = {"ladder": ladder_svg(by_name["pairs"].result, lang), "heatmap": heatmap_svg(by_name["workload"].result, chapters, lang)}
    for name, svg in svgs.items():
        put(f"{name}.svg", svg)
    sides = {f"heatmap-{side}": heatmap_svg(rows, chapters, lang) for side, rows in heatmap_sides(by_name["workload"].result)}
    with interrupt_deferred():  # cairo draws through callbacks a Ctrl-C must not break into
        pictures = {name: png(svg) for name, svg in {**svgs, **sides}.items()}
    for name in svgs:
        put(f"{name}.png", pictures[name])
    put("briefing.docx", as_word(blocks, pictures, lang, when))
    put("briefing.xlsx", workbook([(part.sheet_name(lang), part.result) for part in parts], when, lang))  # last: see test_hardening
    return written


def write_each(
    conn: sqlite3.Connection,
    out: Path,
    filters: Filters = NO_FILTERS,
    stamp: bool = False,
    as_of: tuple[dt.date, dt.date] | None = None,
    progress: Callable[[str], None] = lambda stage: None,
    lang: str = "en",
) -> list[Path]:
    """Write the briefing set of the one document `conn` sees into `out`; of several, a set each,
    in OUT/ID/ (a briefing is of one document, its measures numbered as it numbers them); whole
    or not at all. The files written, in order. `progress` is told each stage as it starts (a
    terminal shows them: at 10,000 measures a briefing takes some 20 s). Its words in `lang`."""
    from .questions.documents import each_alone, seen

    out.mkdir(parents=True, exist_ok=True)
    recover(out)
    # the sets are written aside, in a folder of out's own, and moved into place once all are
    # written: a full disk or a fault leaves the previous sets (or none), never half of them
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out))
    written: list[Path] = []
    try:
        if len(seen(conn)) == 1:
            written = _write(conn, staging, filters, stamp, as_of, progress, lang)
        else:
            with closing(each_alone(conn)) as documents:
                for document in documents:
                    written += _write(conn, staging / document, filters, stamp, as_of, progress, lang)
        names = [str(path.relative_to(staging)) for path in written]
        for name in names:  # before any is moved
            refuse_unless_a_folder((out / name).parent)
            refuse_unless_a_file(out / name)
        with interrupt_deferred():  # a Ctrl-C meanwhile is taken once all are in place
            _move_all(staging, out, names)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out / name for name in names]


#: The staging folders of `write_each` in OUT: `.chuanyu-briefing-PID-…`.
STAGING_PREFIX = ".chuanyu-briefing-"
_PLAN = "plan.json"


def _move_all(staging: Path, out: Path, names: list[str]) -> None:
    """The staged files `names` into `out`, all or none: the plan of the moves is written first
    (a run killed after it is finished by the next, see `recover`); a move that fails puts back
    the files already replaced, from links to them kept aside."""
    temporary = staging / f".{_PLAN}"
    with naming(temporary):
        temporary.write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, staging / _PLAN)
    kept = staging / ".previous"
    done: list[tuple[Path, Path | None]] = []
    try:
        for name in names:
            target = out / name
            previous = None
            if target.exists():
                previous = kept / name
                previous.parent.mkdir(parents=True, exist_ok=True)
                os.link(target, previous)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, target)
            done.append((target, previous))
    except BaseException:
        for target, previous in reversed(done):
            with contextlib.suppress(OSError):
                if previous is None:
                    target.unlink()
                else:
                    os.replace(previous, target)
        (staging / _PLAN).unlink(missing_ok=True)
        raise


def recover(out: Path) -> None:
    """Remove the staging folders killed reports left in `out`, first finishing the moves of one
    killed while it moved its sets into place (so that they are whole)."""
    from .db import running

    for folder in sorted(out.glob(f"{STAGING_PREFIX}*"), key=lambda path: path.stat().st_mtime):
        pid = folder.name.removeprefix(STAGING_PREFIX).split("-")[0]
        if pid.isdigit() and running(int(pid)) and int(pid) != os.getpid():
            continue  # another report at work
        try:
            names = json.loads((folder / _PLAN).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            names = []
        for name in names if isinstance(names, list) else []:
            staged = folder / str(name)
            if ".." not in Path(str(name)).parts and staged.is_file():
                (out / str(name)).parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, out / str(name))
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def interrupt_deferred() -> Iterator[None]:
    """Ctrl-C (SIGINT) held until the block ends, then raised: for steps an interruption would
    leave half done, or that cannot take it (cairo draws through callbacks that swallow it)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    taken: list[int] = []
    before = signal.signal(signal.SIGINT, lambda signum, frame: taken.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)
    if taken:
        raise KeyboardInterrupt


def refuse_unless_a_folder(path: Path) -> None:
    """An OSError if something other than a folder stands at `path`, or above it in `out`."""
    if path.exists() and not path.is_dir():
        raise OSError(errno.ENOTDIR, "not a folder, so no briefing set can go there", str(path))
