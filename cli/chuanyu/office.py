"""The briefing's workbook (briefing.xlsx), and what Office files need to be the same bytes every time."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Mapping

from . import __version__
from .pictures import display_width
from .result import Column, Record, Result

#: When a briefing is not stamped, its Office files give this fixed time as made and modified.
UNSTAMPED = dt.datetime(2000, 1, 1)


def workbook(sheets: list[tuple[str, Result]], when: dt.datetime, lang: str = "en") -> bytes:
    """A sheet per (name, table): header frozen, columns as wide as their text (Chinese counts
    twice), headers in `lang`; made and modified `when`."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for name, result in sheets:
        columns = [c.in_language(lang) for c in result.columns]
        sheet = book.create_sheet(name)
        sheet.append([c.header for c in columns])
        for record in result.records:
            sheet.append([_cell(c, record) for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(columns, start=1):
            texts = [column.header] + [column.cell(record) for record in result.records]
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = min(60, max(6, max(display_width(t) for t in texts) + 2))
    book.properties.created = book.properties.modified = when
    book.properties.creator = f"chuanyu {__version__}"
    raw = io.BytesIO()
    book.save(raw)
    return fixed_zip_times(raw.getvalue(), when)


def _cell(column: Column, record: Record) -> object:
    text = column.cell(record)
    return int(text) if column.numeric and text.isdigit() else text


def fixed_zip_times(data: bytes, when: dt.datetime, edits: Mapping[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """The same Office file (a zip) with every member, and its `modified` property (which
    openpyxl sets to the time of saving), dated `when`: an unstamped one is the same bytes every
    time (zipfile dates each member as it is written). `edits`: a member's content changed, by name."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if edits and info.filename in edits:
                content = edits[info.filename](content)
            if info.filename == "docProps/core.xml":
                stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, content)
    return out.getvalue()
