"""The briefing's pictures: the counterpart ladder and the heatmap as SVG, their words in the
reader's language, and each as a PNG for the places that take no SVG (Word, WPS, chat tools).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from .questions.common import display_name
from .result import Result
from .terms import Phrase, rendered_in, translated

#: Fonts with Chinese glyphs: Linux (the small one first: renderers such as cairosvg read only the
#: first family), then Linux, macOS and Windows desktops. A browser takes the first it has.
CJK_FONTS = (
    "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', sans-serif"
)
#: A PNG's pixels per SVG pixel: twice, some 190 dpi at the size the SVG gives (96 dpi), fit for print.
PNG_SCALE = 2


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


def ladder_svg(result: Result, lang: str = "en") -> str:
    """Chongqing units on the left, Sichuan units on the right, a rung per counterpart pair as
    thick as the measures they share; a unit with no counterpart has a dashed empty rung, and a
    red figure beside a unit counts the measures that list it without its counterpart."""
    title = translated("Counterpart ladder", lang)
    rows = list(result.records)
    most = max((len(r["shared"]) for r in rows), default=1) or 1
    top, step, left, right, width = 64, 26, 230, 470, 700
    body = [  # no title drawn: the caption under the picture says what it is
        _label(left, 48, translated("Chongqing", lang), "end", font_weight="bold"),
        _label(right, 48, translated("Sichuan", lang), "start", font_weight="bold"),
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
            body.append(_label((left + right) / 2, y - 8, translated("no counterpart", lang), "middle", font_size="10", fill="#777777"))
        for unit, x, anchor, one_sided, badge_x in (
            (chongqing, left, "end", row["chongqing_only"], 12),
            (sichuan, right, "start", row["sichuan_only"], width - 12),
        ):
            if unit:
                body.append(_label(x, y, display_name(unit), anchor, **{"class": "unit"}))
            if unit and one_sided and chongqing and sichuan:
                body.append(
                    _label(
                        badge_x,
                        y,
                        rendered_in(Phrase("one-sided {count}", count=len(one_sided)), lang),
                        "start" if badge_x < width / 2 else "end",
                        fill="#c0392b",
                        font_size="11",
                    )
                )
    note = translated("red: measures listing the unit without its counterpart (missing-counterpart gaps)", lang)
    body.append(_label(width / 2, top + len(rows) * step + 8, note, "middle", font_size="10", fill="#c0392b"))
    return _svg(width, top + len(rows) * step + 24, title, body)


def heatmap_svg(result: Result, chapters: list[int], lang: str = "en") -> str:
    """Agencies (rows) by chapter (columns): each cell's shade and figure are the agency's
    listings in that chapter; a rule between the provinces' rows, and a legend of the shades.
    No title: the caption under the picture says what it is."""
    rows = list(result.records)
    most = max((n for r in rows for n in r["by_chapter"]), default=1) or 1
    # 13-pixel text: a Chinese character is about 13 pixels wide, a Latin one about half that
    label_width = max((display_width(display_name(r)) for r in rows), default=10) * 7 + 16
    cell, top, step = 34, 44, 18
    legend = top + len(rows) * step + 14
    height = legend + 24
    width = max(label_width + cell * (len(chapters) + 1) + 16, 420)
    body = [_label(label_width + cell * len(chapters) / 2, 16, translated("chapter", lang), "middle", font_weight="bold")]
    for j, number in enumerate(chapters):
        body.append(_label(label_width + cell * j + cell / 2, 36, f"{number}", "middle", font_weight="bold"))
    body.append(_label(label_width + cell * len(chapters) + cell / 2, 36, "Σ", "middle", font_weight="bold"))
    for i, row in enumerate(rows):
        y = top + i * step
        if i and row["province"] != rows[i - 1]["province"]:  # where one province's rows end
            body.append(f'<line x1="8" y1="{y - 1}" x2="{width - 8}" y2="{y - 1}" stroke="#333333" stroke-width="1.5"/>')
        body.append(_label(label_width - 8, y + 13, display_name(row), "end", **{"class": "unit"}))
        for j, count in enumerate([*row["by_chapter"], row["listings"]]):
            fill = "#f2f2f2" if j == len(chapters) else _shade(count / most)
            body.append(f'<rect x="{label_width + cell * j}" y="{y}" width="{cell - 2}" height="16" fill="{fill}"/>')
            if count:
                colour = "#ffffff" if j < len(chapters) and count / most > 0.55 else "#222222"
                body.append(_label(label_width + cell * j + cell / 2 - 1, y + 12, str(count), "middle", font_size="11", fill=colour))
    body.append(_label(8, legend + 12, translated("listings", lang), "start"))
    for k, count in enumerate(sorted({0, (most + 1) // 2, most})):
        x = 120 + k * 90
        body.append(f'<rect x="{x}" y="{legend}" width="{cell - 2}" height="16" fill="{_shade(count / most)}" stroke="#cccccc"/>')
        body.append(_label(x + cell + 4, legend + 12, str(count), "start"))
    return _svg(width, height, translated("Listings by agency and chapter", lang), body)


def _shade(share: float) -> str:
    """A cell's fill for `share` of the most listings: white to dark blue."""
    return f"rgb({int(255 - 196 * share)},{int(255 - 145 * share)},{int(255 - 90 * share)})"


def display_width(text: str) -> int:
    """About how wide `text` is in Latin characters: a Chinese character as two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def png(svg: str) -> bytes:
    """The picture `svg` as a PNG at PNG_SCALE, drawn by cairosvg (Debian's libcairo2; a CJK
    font for the Chinese: fonts-wqy-microhei)."""
    import cairosvg

    return bytes(cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=PNG_SCALE))
