"""When a measure falls due: the last day its time limit (完成时限) names, as an ISO date.

`2024年底前` -> 2024-12-31, `2025年6月底前` -> 2025-06-30, `2025年上半年` -> 2025-06-30,
`2024年第三季度` -> 2024-09-30, `2024年6月启动，2025年底前完成` -> 2025-12-31 (the last day named).
None for a limit with no day (`持续推进`, `长期坚持`) and for a recurring one (`每年12月底前`):
the limit as written says which.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

#: A limit that recurs names no one day to fall due by.
_RECURRING = re.compile(r"每年|每季度?|每半年|每月|每周|逐年|定期")
_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_YEAR = r"(?P<year>\d{4})\s*年"
#: The forms of a day a limit names, each read to its last day.
_DAY = re.compile(
    _YEAR
    + r"(?:\s*(?P<month>\d{1,2})\s*月(?:\s*(?P<day>\d{1,2})\s*日)?"
    + r"|\s*(?P<half>上半年|下半年)"
    + r"|\s*第?(?P<quarter>[一二三四1-4])\s*季度"
    + r")?"
)
#: `2024—2025年`, `2024至2025年`: a span of years written with the year once, at its end.
_YEAR_SPAN = re.compile(r"(\d{4})\s*(?:年)?\s*[—–－~～\-至到]\s*(?=\d{4}\s*年)")


def due_by(due: str | None) -> str | None:
    """The ISO date of the last day `due` names; None where it names none or recurs.
    ValueError for a day no calendar has (`2024年13月`), naming it."""
    if due is None or _RECURRING.search(due):
        return None
    text = _YEAR_SPAN.sub("", due)
    days = [_last_day(match) for match in _DAY.finditer(text)]
    return max(days).isoformat() if days else None


def _last_day(match: re.Match[str]) -> dt.date:
    try:
        return _day_of(match)
    except ValueError:
        raise ValueError(f"no such day: {match.group(0)}") from None


def _day_of(match: re.Match[str]) -> dt.date:
    year = int(match.group("year"))
    if match.group("day"):
        return dt.date(year, int(match.group("month")), int(match.group("day")))
    if match.group("month"):
        month = int(match.group("month"))
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    if match.group("half") == "上半年":
        return dt.date(year, 6, 30)
    if match.group("quarter"):
        month = 3 * _NUMERALS[match.group("quarter")]
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(year, 12, 31)


def quarter(due_by_date: str) -> str:
    """`2024-11-30` -> `2024-Q4`: the quarter a due date falls in, as the briefing groups them."""
    year, month = int(due_by_date[:4]), int(due_by_date[5:7])
    return f"{year}-Q{(month - 1) // 3 + 1}"
