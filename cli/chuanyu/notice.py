"""The covering notice of a joint document: its number, date, title and issuers, read from the
layouts official documents use, or refused where one of them cannot be told for certain.

A red head names the issuers on lines of their own (`重庆市人民政府办公厅 ⏎ 四川省人民政府办公厅
文件`), the number follows on its own line (`渝府办发〔2022〕126号`); where the red head is a picture
only the signature block names the issuers, before the date. The text is read as the stream
(lines joined), as a PDF's lines break anywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

#: An issuer: a province or city's government or Party committee, or its general office.
ISSUER = re.compile(r"(?:中共[\u4e00-\u9fff]{2,8}?[省市]委|[\u4e00-\u9fff]{2,8}?[省市]人民政府)(?:办公厅)?")
_ISSUERS = f"(?:{ISSUER.pattern})+"
#: A document number's tail, `〔YYYY〕N号`; the issuer's code (渝府办发) stands before it.
NUMBER_TAIL = re.compile(r"〔(\d{4})〕(\d{1,5})号")
#: A document number as a whole: what `validate` holds a stored number to.
DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}〔\d{4}〕\d{1,5}号")
#: An issuer's code as documents are numbered (渝府办发, 川办函, 国发): read no longer, so that
#: words run into it (见渝府办发) are refused rather than taken for it.
_CODE = re.compile(r"[\u4e00-\u9fff]{2,6}")
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_HEAD = re.compile(f"\\s*({_ISSUERS})(?:文件)?")
_SIGNATURE = re.compile(f"({_ISSUERS})({DATE.pattern})")
_CJK = re.compile("[\u4e00-\u9fff]")
_NOTICE_TITLE = re.compile(r"关于印发(.+?)的通知")
_TITLE = re.compile(r"《([^》]+)》")


@dataclass(frozen=True)
class Notice:
    number: str
    date: str
    title: str
    issuers: list[str]


class UnreadNotice(Exception):
    """A part of the notice that cannot be read for certain: where (in the stream) and why."""

    def __init__(self, pos: int, message: str):
        super().__init__(message)
        self.pos, self.message = pos, message


def read_notice(text: str, line_at: Callable[[int], int], end: int) -> Notice:
    """The notice in text[:end] (the stream: white space beside Chinese dropped, lines joined),
    the character at each position standing on the source line `line_at(position)`."""
    tail = NUMBER_TAIL.search(text, 0, end)
    if tail is None:
        raise UnreadNotice(0, "the covering notice names no document number (〔YYYY〕N号)")
    head = _HEAD.match(text, 0, tail.start())
    before = text[head.end() if head else 0 : tail.start()]
    code = before.rpartition("通知")[2].rpartition("文件")[2].lstrip("（(")
    number = code + tail.group()
    if not _CODE.fullmatch(code) or "人民政府" in code or "关于" in code:
        raise UnreadNotice(
            tail.start(), f"the document number cannot be told from {before[-12:] + tail.group()!r}: it should stand on a line of its own"
        )
    heading = [m.group() for m in ISSUER.finditer(head.group(1))] if head else []
    signed, date = _signature(text, line_at, tail.end(), end)
    if heading and signed and heading != signed:
        raise UnreadNotice(tail.start(), f"the red head names {'、'.join(heading)} but the signature {'、'.join(signed)}")
    issuers = heading or signed
    if not issuers:
        raise UnreadNotice(tail.start(), "the covering notice names no issuer (a head or a signature: 重庆市人民政府办公厅 …)")
    if date is None:
        raise UnreadNotice(tail.start(), "the covering notice's date cannot be told: no signature's date, and not one date alone")
    return Notice(number=number, date=_iso(date, tail.start()), title=_title(text, end), issuers=issuers)


def _signature(text: str, line_at: Callable[[int], int], begin: int, end: int) -> tuple[list[str], re.Match[str] | None]:
    """The issuers of the last signature block after `begin` and its date; where there is no
    signature, the notice's one date, if it names only one. A signature starts a source line
    or follows what is not a Chinese character (。), so no word before it is read as its name."""
    found = None
    for pos in range(begin, end):
        if (pos == 0 or not _CJK.match(text[pos - 1]) or line_at(pos) != line_at(pos - 1)) and (m := _SIGNATURE.match(text, pos, end)):
            found = m
    if found is not None:
        return [m.group() for m in ISSUER.finditer(found.group(1))], DATE.fullmatch(found.group(2))
    dates = list(DATE.finditer(text, begin, end))
    return [], dates[0] if len(dates) == 1 else None


def _iso(date: re.Match[str], pos: int) -> str:
    year, month, day = (int(g) for g in date.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError as exc:
        raise UnreadNotice(pos, f"the covering notice's date {date.group()} is no date") from exc


def _title(text: str, end: int) -> str:
    """The title the notice gives: `关于印发《X》的通知`'s X, or else the first 《X》 it names."""
    if (issued := _NOTICE_TITLE.search(text, 0, end)) is not None:
        return issued.group(1).removeprefix("《").removesuffix("》")
    if (named := _TITLE.search(text, 0, end)) is not None:
        return named.group(1)
    raise UnreadNotice(0, "the covering notice names no title (关于印发…的通知 or 《…》)")
