"""Page furniture: the page numbers and running headers or footers a PDF repeats on its pages.

Each stands on a line of its own at a page's top or bottom (in whatever order the producer wrote
it), so it is found there only: a page number in any common form whose value runs with the page's
place in the document, and a line the edges of most pages repeat. Lines are compared with white
space removed, as producers space glyphs differently. Removed, the text before and after a page
break joins again, even inside a clause or a unit's name.
"""

from __future__ import annotations

import re
from collections import Counter

#: Lines at each end of a page where furniture may stand.
EDGE = 3
#: `— 7 —`, `- 7 -`, `7`, `第7页`, `第7页共26页`, `7/26` (white space removed).
PAGE_NUMBER = re.compile(r"[—–－-]*(\d{1,4})[—–－-]*|第(\d{1,4})页(?:[，,/]?共\d{1,4}页)?|(\d{1,4})/\d{1,4}")


def without_furniture(pages: list[list[str]]) -> list[list[str]]:
    """`pages` (each a list of lines) without their page numbers and running headers or footers."""
    numbers = _page_numbers(pages)
    repeated = _running_lines(pages)
    kept: list[list[str]] = []
    for index, lines in enumerate(pages):
        edges = _edge_indexes(lines)
        kept.append(
            [line for at, line in enumerate(lines) if at not in edges or (numbers.get(index) != at and _squashed(line) not in repeated)]
        )
    return kept


def _squashed(line: str) -> str:
    return "".join(line.split())


def _edge_indexes(lines: list[str]) -> set[int]:
    filled = [at for at, line in enumerate(lines) if line.strip()]
    return set(filled[:EDGE] + filled[-EDGE:])


def _page_numbers(pages: list[list[str]]) -> dict[int, int]:
    """Page -> the index of its page-number line: a number at the page's edge whose value less
    the page's place is the same as on most pages (a cover or notice may go unnumbered)."""
    candidates: dict[int, list[tuple[int, int]]] = {}
    for index, lines in enumerate(pages):
        for at in sorted(_edge_indexes(lines)):
            if (m := PAGE_NUMBER.fullmatch(_squashed(lines[at]))) is not None:
                value = int(next(g for g in m.groups() if g is not None))
                candidates.setdefault(index, []).append((at, value - index))
    offsets = Counter(offset for found in candidates.values() for _, offset in found)
    if not offsets:
        return {}
    offset, pages_with_it = offsets.most_common(1)[0]
    if pages_with_it < min(2, len(pages)):
        return {}
    return {index: at for index, found in candidates.items() for at, of in found if of == offset}


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines (white space removed) at the edges of at least half the pages, and of three or more."""
    seen = Counter(line for lines in pages for line in {_squashed(lines[at]) for at in _edge_indexes(lines)} if line)
    needed = max(3, (len(pages) + 1) // 2)
    return {line for line, count in seen.items() if count >= needed}
