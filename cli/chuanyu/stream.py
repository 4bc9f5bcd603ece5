"""A document's text as one stream of characters, each knowing its source line.

The text comes from a PDF: lines break anywhere, pages start with a stray space, page-number
lines may stand between pages. The parser therefore reads one normalised stream and never the
line layout. The stream holds the text once and one number per source line (where that line's
characters start), not one per character: a source of a few megabytes stays a few megabytes.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass

#: Characters that take no space beside them in Chinese typesetting: CJK ideographs and
#: punctuation, full-width forms, curly quotes, dashes and the ellipsis.
WIDE = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef\u2014\u2018\u2019\u201c\u201d\u2026\u00b7"
_WIDE = re.compile(f"[{WIDE}]")
#: A run of white space, page-number lines (`— 3 —`) within it: both are dropped or folded.
_GAP = re.compile(r"(?:^[^\S\n]*[—–－-]+[^\S\n]*\d+[^\S\n]*[—–－-]+[^\S\n]*$|\s)+", re.MULTILINE)
#: How many pieces of the stream are gathered before they are joined (a bound on their overhead).
_PIECES = 4096


@dataclass(frozen=True)
class Stream:
    """The document as one string; `starts[k]`: where the characters of source line k+1 start."""

    text: str
    starts: array  # type: ignore[type-arg]

    def line_at(self, pos: int) -> int:
        """The source line of the character at `pos` (the last character's, past the end)."""
        if not self.text:
            return 1
        return max(1, bisect_right(self.starts, min(pos, len(self.text) - 1)))

    def line_end(self, pos: int) -> int:
        """Where the characters of the line after `pos`'s line start (the text's end if none)."""
        line = self.line_at(pos)
        return self.starts[line] if line < len(self.starts) else len(self.text)

    @property
    def lines(self) -> _Lines:
        """The source line of each character, by its position: `stream.lines[pos]`."""
        return _Lines(self)


@dataclass(frozen=True)
class _Lines:
    stream: Stream

    def __getitem__(self, pos: int) -> int:
        return self.stream.line_at(pos)

    def __len__(self) -> int:
        return len(self.stream.text)


def normalise(raw: str) -> Stream:
    """Join the PDF's lines into one stream: drop page-number lines, CR and BOM; drop white
    space beside Chinese characters, fold any other run of white space to one space (which
    stands on the line where the run starts)."""
    raw = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    starts = array("I", [0])
    pieces: list[str] = []
    chunks: list[str] = []
    length = 0  # of the stream so far
    kept_from = 0  # where the characters not yet taken into `pieces` start in `raw`
    for gap in _GAP.finditer(raw):
        begin, end = gap.span()
        pieces.append(raw[kept_from:begin])
        length += begin - kept_from
        before = raw[begin - 1] if begin > 0 else ""
        after = raw[end] if end < len(raw) else ""
        if before and after and not _WIDE.match(before) and not _WIDE.match(after):
            pieces.append(" ")
            length += 1
        starts.extend([length] * raw.count("\n", begin, end))  # lines starting in the gap start after it
        kept_from = end
        if len(pieces) >= _PIECES:
            chunks.append("".join(pieces))
            pieces.clear()
    pieces.append(raw[kept_from:])
    chunks.append("".join(pieces))
    pieces.clear()
    return Stream("".join(chunks), starts)
