"""A PDF's characters as the document reads them, not as its fonts encode them.

Fonts map glyphs to Unicode their own way: common CJK fonts give Kangxi radicals (⼀ for 一) and
compatibility ideographs, some the radical-supplement forms (⻓ for 长); Founder (方正) fonts give
their punctuation at GB2312's codes read as Unicode (ꎬ for ，) and （）《》 as ( ) « ». Only these
are mapped back: NFKC on the whole text would also change characters a document legitimately
holds (full-width digits, ～, ㈠), so the shipped text would no longer read as it is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: The C-simplified radical-supplement forms that stand for a whole character; NFKC leaves them.
RADICAL_SUPPLEMENT = str.maketrans(
    "⻅⻆⻉⻋⻓⻔⻙⻚⻛⻜⻢⻥⻦⻧⻨⻩⻪⻬⻮⻰",
    "见角贝车长门韦页风飞马鱼鸟卤麦黄黾齐齿龙",
)
#: Founder punctuation: GB2312 codes of the full-width row read as Unicode.
FOUNDER = {"\ua3ac": "，", "\ua3ae": "。", "\ua3bb": "；", "\ua3ba": "：", "\ua3a1": "！", "\ua3bf": "？"}
#: What Founder fonts give for the full-width brackets a Chinese document uses: mapped only in a
#: text that holds Founder punctuation, whose convention they then are.
FOUNDER_BRACKETS = {"(": "（", ")": "）", "«": "《", "»": "》"}

_NFKC_RANGES = re.compile("[\u2e9f\u2ef3\u2f00-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")  # ⻟ ⻳: the radicals NFKC maps
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
#: Digits or Latin letters placed one by one (`2 0 2 2`): three or more single characters.
_SPACED = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z](?: [0-9A-Za-z]){2,}(?![0-9A-Za-z])")


@dataclass(frozen=True)
class Mapped:
    """A text as it reads, and how many of its characters were mapped or dropped to get it."""

    text: str
    mapped: int
    dropped: int


def as_read(text: str) -> Mapped:
    """`text` (from a PDF) with the fonts' encodings mapped back, control characters dropped and
    digits or letters spaced one by one joined."""
    kept, dropped = _CONTROL.subn("", text)
    founder = any(c in kept for c in FOUNDER)
    table = FOUNDER | FOUNDER_BRACKETS if founder else {}
    mapped = 0
    out: list[str] = []
    for char in kept:
        read = table.get(char) or (unicodedata.normalize("NFKC", char) if _NFKC_RANGES.match(char) else char.translate(RADICAL_SUPPLEMENT))
        mapped += read != char
        out.append(read)
    lines = "".join(out).split("\n")
    joined = "\n".join(_SPACED.sub(lambda m: m.group().replace(" ", ""), unspaced(line)) for line in lines)
    return Mapped(joined, mapped, dropped)


def unspaced(line: str) -> str:
    """A line whose every character stands a space apart (letter-spaced or justified glyph by
    glyph: `2 0 2 2 年 1 2 月`) with those spaces removed; a wider gap stays one space."""
    glyphs = line.strip().split(" ")
    if len(glyphs) < 3 or any(len(glyph) > 1 for glyph in glyphs):
        return line
    return " ".join(word.replace(" ", "") for word in " ".join(g or " " for g in glyphs).split("   "))
