"""A task-division table (重点任务分工表) -> the document's chapters and measures.

A row is a measure: 序号 its number, the task column (重点任务, 工作任务, 主要任务…) its text,
its units from 牵头单位/配合单位 columns (the 牵头 units lead), from 重庆市责任单位/四川省责任单位
columns (a note such as 排在第一位的为牵头单位 makes the first of each side lead; city
governments on the Sichuan side are its local units; a cell merged across both names units of
either side or a joint unit), or from one 责任单位 column; 完成时限 says when it falls due.
Group rows (一、…) or a category column (领域) make chapters; with none, the table is one.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field

from .blocks import Block, Cell, Paragraph, Table
from .clauses import ONE_LIST, Clause, parse_clause
from .due_dates import due_by
from .errors import DataError, Problem
from .extract import ParsedDocument, ParsedMeasure

#: What each column of a task table holds, by the words of its header (the first that matches).
_COLUMNS = (
    ("number", re.compile(r"^(序号|编号)$")),
    ("category", re.compile(r"领域|类别|分类|板块")),
    ("lead", re.compile(r"牵头单位|牵头部门")),
    ("co", re.compile(r"配合单位|配合部门|参与单位|协同单位")),
    ("chongqing", re.compile(r"^重庆市?(方面)?$|重庆.*(单位|部门)")),
    ("sichuan", re.compile(r"^四川省?(方面)?$|四川.*(单位|部门)")),
    ("responsible", re.compile(r"责任(单位|部门)")),
    ("due", re.compile(r"完成时限|完成时间|时间节点|时限")),
    ("task", re.compile(r"任务|工作内容|工作措施|具体措施")),
)
#: A note that makes the first unit of each side's list lead.
FIRST_LEADS = re.compile(r"(排在?第一位|排名第一|排在?首位|第一个|列第一位)[^。；]{0,8}牵头")
_GROUP = re.compile(r"^([一二三四五六七八九十]+)[、．.]\s*")
_UNIT_SEP = re.compile(r"[、，,；;\n/]+|\s+")
#: A city government (泸州市政府, 阿坝州人民政府) on the Sichuan side: one of its local units.
_CITY_GOVERNMENT = re.compile(r"(市|州)(人民)?政府$")


@dataclass
class _Layout:
    """Which grid column holds what, from a table's header row."""

    columns: dict[str, int]
    header: tuple[str, ...]  # the header's cells' texts, white space dropped: a row repeating them is skipped

    def units_kind(self) -> str | None:
        if "lead" in self.columns:
            return "roles"
        if "chongqing" in self.columns and "sichuan" in self.columns:
            return "sides"
        return "one" if "responsible" in self.columns else None


@dataclass
class _Reading:
    """The document as the tables are read: its chapters and measures so far."""

    first_leads: bool
    display: str
    chapters: list[tuple[int, str]] = field(default_factory=list)
    measures: list[ParsedMeasure] = field(default_factory=list)


def has_task_table(blocks: list[Block]) -> bool:
    return any(isinstance(block, Table) and _layout_of(block) is not None for block in blocks)


def read_task_tables(blocks: list[Block], display: str, document: ParsedDocument) -> ParsedDocument:
    """`document` (its notice as read) with the chapters and measures of every task table in `blocks`."""
    text = " ".join(block.text if isinstance(block, Paragraph) else _row_text(row) for block in blocks for row in _rows_of(block))
    reading = _Reading(first_leads=FIRST_LEADS.search(text) is not None, display=display)
    caption = document.title
    for block in blocks:
        if isinstance(block, Paragraph):
            caption = block.text
            continue
        found = _layout_of(block)
        if found is not None:
            header_index, layout = found
            _read_table(block, header_index, layout, caption, reading)
    document.chapters, document.measures = reading.chapters, reading.measures
    return document


def _rows_of(block: Block) -> list[tuple[Cell, ...]]:
    return list(block.rows) if isinstance(block, Table) else [()]


def _row_text(row: tuple[Cell, ...]) -> str:
    return " ".join(cell.text for cell in row)


def _grid(row: tuple[Cell, ...]) -> list[tuple[int, Cell]]:
    """Each cell with the grid column it starts at."""
    placed, column = [], 0
    for cell in row:
        placed.append((column, cell))
        column += cell.span
    return placed


def _at(row: tuple[Cell, ...], column: int) -> Cell | None:
    return next((cell for start, cell in _grid(row) if start <= column < start + cell.span), None)


def _kinds(row: tuple[Cell, ...]) -> dict[str, int]:
    """What each header cell of `row` names (the first column of each kind), by grid column."""
    columns: dict[str, int] = {}
    for start, cell in _grid(row):
        label = re.sub(r"\s+", "", cell.text)
        kind = next((kind for kind, pattern in _COLUMNS if pattern.search(label)), None)
        if kind is not None and kind not in columns:
            columns[kind] = start
    return columns


def _layout_of(table: Table) -> tuple[int, _Layout] | None:
    """The header among the first three rows, the index of its last row, and what its columns
    hold; None: not a task table. A header of two rows, 责任单位 over 重庆市 and 四川省 (or
    over 牵头 and 配合), is read as one."""
    for index, row in enumerate(table.rows[:3]):
        columns = _kinds(row)
        last = index
        if "responsible" in columns and index + 1 < len(table.rows):
            below = {kind: at for kind, at in _kinds(table.rows[index + 1]).items() if kind in ("chongqing", "sichuan", "lead", "co")}
            if {"chongqing", "sichuan"} <= set(below) or "lead" in below:
                del columns["responsible"]
                columns |= below
                last = index + 1
        header = tuple(re.sub(r"\s+", "", cell.text) for header_row in table.rows[index : last + 1] for cell in header_row)
        layout = _Layout(columns, header)
        if "task" in columns and layout.units_kind() is not None:
            return last, layout
    return None


def _read_table(table: Table, header_index: int, layout: _Layout, caption: str, reading: _Reading) -> None:
    category: str | None = None
    for index, row in enumerate(table.rows[header_index + 1 :], start=header_index + 1):
        line = table.row_line(index)
        texts = tuple(re.sub(r"\s+", "", cell.text) for cell in row)
        if {text for text in texts if text} <= set(layout.header):  # an empty row, a header repeated on a new page
            continue
        if len({text for text in texts if text}) == 1 and _GROUP.match(next(t for t in texts if t)) is not None:
            title = next(cell.text for cell in row if cell.text.strip())
            reading.chapters.append((len(reading.chapters) + 1, _GROUP.sub("", title.replace("\n", "")).strip()))
            continue
        if "category" in layout.columns:
            cell = _at(row, layout.columns["category"])
            value = _GROUP.sub("", (cell.text if cell else "").replace("\n", "")).strip()
            if value and value != category:
                category = value
                reading.chapters.append((len(reading.chapters) + 1, value))
        task_cell = _at(row, layout.columns["task"])
        task = "".join((task_cell.text if task_cell else "").split("\n")).strip()
        if not task:
            raise DataError([Problem(reading.display, line, f"table row {index + 1}", "names no task in its task column")])
        if not reading.chapters:
            reading.chapters.append((1, caption))
        due_cell = _at(row, layout.columns["due"]) if "due" in layout.columns else None
        due = " ".join(due_cell.text.split()) if due_cell and due_cell.text.strip() else None
        number = len(reading.measures) + 1
        try:
            due_by(due)
        except ValueError as exc:
            raise DataError([Problem(reading.display, line, f"measure {number}", f"完成时限 {due!r}: {exc}")]) from None
        clause = _clause(row, layout, reading.first_leads)
        if not any(clause.groups.values()):
            raise DataError([Problem(reading.display, line, f"measure {number}", "names no responsible unit")])
        reading.measures.append(
            ParsedMeasure(
                number=number,
                chapter=len(reading.chapters),
                section=None,
                text=task,
                clause=clause,
                lines=array("I", [line] * sum(len(forms) for forms in clause.groups.values())),
                due=due,
            )
        )


def _forms(cell: Cell | None) -> list[str]:
    return [form for form in _UNIT_SEP.split(cell.text if cell else "") if form and form not in ("无", "—", "-", "／")]


def _clause(row: tuple[Cell, ...], layout: _Layout, first_leads: bool) -> Clause:
    """The row's units as a clause: forms by group, and which lead (None: the first of each side)."""
    kind = layout.units_kind()
    if kind == "roles":
        clause = Clause({ONE_LIST: []}, leads=[])
        leads = _forms(_at(row, layout.columns["lead"]))
        co = _forms(_at(row, layout.columns["co"])) if "co" in layout.columns else []
        for form in [*leads, *co]:
            clause.add(ONE_LIST, form, 0)
        clause.leads = leads
        return clause
    if kind == "one":
        cell = _at(row, layout.columns["responsible"])
        clause = parse_clause(cell.text.replace("\n", "、") if cell else "")
        clause.leads = None if first_leads else []
        return clause
    chongqing = _at(row, layout.columns["chongqing"])
    sichuan = _at(row, layout.columns["sichuan"])
    if chongqing is not None and chongqing is sichuan:  # one cell merged across both sides
        clause = Clause({ONE_LIST: []}, leads=None if first_leads else [])
        for form in _forms(chongqing):
            clause.add(ONE_LIST, form, 0)
        return clause
    clause = Clause({"chongqing": [], "sichuan": [], "local": []}, leads=None if first_leads else [])
    for form in _forms(chongqing):
        clause.add("chongqing", form, 0)
    for form in _forms(sichuan):
        clause.add("local" if _CITY_GOVERNMENT.search(form) else "sichuan", form, 0)
    return clause
