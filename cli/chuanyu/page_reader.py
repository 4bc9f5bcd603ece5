"""A web page saved from a government site -> its article's blocks, and the page's metadata.

Read with lxml, already installed with python-docx: on the test page it parses and lists the
cells 25 times as fast as BeautifulSoup, near selectolax, with no new dependency, and its tree
can be edited (the furniture dropped, a dropped element's tail kept). docs/task-tables.md gives
the measurement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .blocks import Block, Cell, Paragraph, Table, folded
from .errors import DataError, Problem

#: Elements that never hold the article: scripts, styles, forms (the search box), frames.
_NEVER_TEXT = ("script", "style", "noscript", "template", "form", "iframe", "nav", "header", "footer", "aside", "button", "select")
#: Classes and ids of a site's furniture: navigation, breadcrumbs (当前位置), search, share
#: links, headers and footers, side bars.
_FURNITURE = re.compile(
    r"(^|[-_ ])(nav|navbar|menu|breadcrumbs?|crumbs?|position|location|search|share|bdsharebuttonbox|"
    r"footer|foot|header|head|top|sidebar|side|related|links?|print|tools?|copyright)($|[-_ \d])",
    re.IGNORECASE,
)
#: Labels of the metadata table government sites show above an article.
METADATA_LABELS = {"发文字号": "number", "成文日期": "date", "发布机构": "issuer", "标题": "title", "名称": "title"}
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "table", "div", "pre", "blockquote")


@dataclass(frozen=True)
class PageMetadata:
    """What the page's metadata table says of the notice (None: the page does not say)."""

    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    title: str | None = None


def page_content(content: bytes, display: str) -> tuple[list[Block], PageMetadata]:
    """The article's paragraphs and tables in order, and the page's metadata table."""
    import lxml.etree  # type: ignore[import-untyped]
    import lxml.html  # type: ignore[import-untyped]

    try:
        root = lxml.html.document_fromstring(page_text(content))
    except (lxml.etree.ParserError, ValueError) as exc:
        raise DataError([Problem(display, 1, "file", f"not a web page that can be read: {exc}")]) from exc
    for element in list(root.iter(*_NEVER_TEXT, lxml.etree.Comment)):
        _drop(element)
    metadata = _metadata(root)
    for element in [e for e in root.iter() if isinstance(e.tag, str) and _furniture(e)]:
        _drop(element)
    article = _article(root)
    if article is None:
        raise DataError([Problem(display, 1, "file", "the page holds no article: no paragraph of text found")])
    blocks: list[Block] = []
    _collect(article, blocks)
    return blocks, metadata


#: The encoding a page declares (<meta charset>, or its http-equiv Content-Type).
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
#: Encodings Chinese sites declare that GB18030, their superset, reads alike.
_GB = ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


def page_text(content: bytes) -> str:
    """The page as text: in the encoding it declares, else UTF-8, else GB18030 (a page saved
    without its declaration, which an HTML parser would read as Latin-1)."""
    if content.startswith(b"\xef\xbb\xbf"):
        return _XML_DECLARATION.sub("", content[3:].decode("utf-8", errors="replace"))
    declared = _CHARSET.search(content[:4096])
    candidates = [declared.group(1).decode("ascii").lower()] if declared else []
    candidates = ["gb18030" if name in _GB else name for name in candidates] + ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return _XML_DECLARATION.sub("", content.decode(encoding))
        except (LookupError, UnicodeDecodeError):
            continue
    return _XML_DECLARATION.sub("", content.decode("utf-8", errors="replace"))


def _drop(element) -> None:  # type: ignore[no-untyped-def]
    """Take `element` out of the page, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _furniture(element) -> bool:  # type: ignore[no-untyped-def]
    if element.tag in ("html", "body", "table", "tr", "td", "th", "tbody", "thead"):
        return False
    marks = f"{element.get('class') or ''} {element.get('id') or ''}".strip()
    return bool(marks) and any(_FURNITURE.search(mark) for mark in marks.split())


def _metadata(root) -> PageMetadata:  # type: ignore[no-untyped-def]
    """The cells that follow the labels 发文字号, 成文日期, 发布机构 and 标题, wherever they stand."""
    found: dict[str, str] = {}
    for cell in root.iter("td", "th", "li", "span", "div", "p"):
        label = folded(cell.text_content()).rstrip("：:")
        key = METADATA_LABELS.get(label.replace(" ", ""))
        if key is None or key in found:
            continue
        value = cell.getnext()
        if value is not None and (text := folded(value.text_content())):
            found[key] = text
    date = found.get("date")
    if date is not None and (m := re.fullmatch(r"(\d{4})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*日?", date)):
        date = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return PageMetadata(number=found.get("number"), date=date, issuer=found.get("issuer"), title=found.get("title"))


def _article(root: Any) -> Any:
    """The element whose own paragraphs and tables hold the most text: the article's body."""
    best, best_size = None, 0
    for element in root.iter("div", "article", "section", "td", "body", "main"):
        size = sum(len(folded(child.text_content())) for child in element if child.tag in ("p", "table", "h1", "h2", "h3", "div"))
        size -= sum(len(folded(child.text_content())) for child in element if child.tag == "div" and child.find(".//p") is not None) // 2
        if size > best_size:
            best, best_size = element, size
    return best


def _collect(element, blocks: list[Block]) -> None:  # type: ignore[no-untyped-def]
    """Paragraphs and tables under `element`, in order; a block element holding others is read
    through, its own loose text a paragraph of its own."""
    if element.tag == "table":
        table = _table(element, len(blocks) + 1)
        if table.rows:
            blocks.append(table)
        return
    inner = [child for child in element if isinstance(child.tag, str) and child.tag in _BLOCKS]
    if not inner:
        if text := folded(element.text_content()):
            blocks.append(Paragraph(text, len(blocks) + 1))
        return
    if element.text and (text := folded(element.text)):
        blocks.append(Paragraph(text, len(blocks) + 1))
    for child in element:
        if isinstance(child.tag, str) and child.tag in _BLOCKS:
            _collect(child, blocks)
        elif isinstance(child.tag, str) and (text := folded(child.text_content())):
            blocks.append(Paragraph(text, len(blocks) + 1))
        if child.tail and (text := folded(child.tail)):
            blocks.append(Paragraph(text, len(blocks) + 1))


def _table(element, line: int) -> Table:  # type: ignore[no-untyped-def]
    """A table's rows, a cell spanning rows (rowspan) repeated in each row it spans, its
    paragraphs (p, br) kept apart by line breaks."""
    rows: list[list[Cell]] = []
    below: dict[int, tuple[Cell, int]] = {}  # column -> (a cell spanning rows down, rows it still spans)
    for tr in element.iter("tr"):
        row: list[Cell] = []
        for td in [td for td in tr if td.tag in ("td", "th")]:
            _fill_spanned(row, below)
            cell = Cell(_cell_text(td), _int(td.get("colspan")))
            if (down := _int(td.get("rowspan"))) > 1:
                below[sum(c.span for c in row)] = (cell, down - 1)
            row.append(cell)
        _fill_spanned(row, below)
        if row:
            rows.append(row)
    return Table(tuple(tuple(row) for row in rows), line)


def _fill_spanned(row: list[Cell], below: dict[int, tuple[Cell, int]]) -> None:
    """The cells of rows above that span down into `row` where it has reached their column."""
    while (column := sum(cell.span for cell in row)) in below:
        cell, left = below[column]
        row.append(cell)
        if left <= 1:
            del below[column]
        else:
            below[column] = (cell, left - 1)


def _cell_text(td) -> str:  # type: ignore[no-untyped-def]
    for br in td.iter("br"):
        br.tail = "\n" + (br.tail or "")
    paragraphs = td.findall(".//p")
    texts = [p.text_content() for p in paragraphs] if paragraphs else td.text_content().split("\n")
    return "\n".join(line for text in texts for part in text.split("\n") if (line := folded(part)))


def _int(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1
