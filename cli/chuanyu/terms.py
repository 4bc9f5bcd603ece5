"""Every word chuanyu writes around the data, in the reader's language (`--lang`): one table, from
the English the code writes to its Chinese, so that a term is translated once.

Column headers, headings, captions, the lines under a table and the words in pictures are
written in English and said in the reader's language as they are rendered: a header through
`translated`, a line with data in it as a `Phrase` (a template of the table and its fields). The data
themselves (names, numbers, ids) are never translated; a few values that are labels (a gap's
kind, a province, a unit's level) are shown in Chinese in tables for people (`label`), never in
JSON. English text with no entry here is a KeyError: the tests say every one has its Chinese.

A plain dict, not gettext catalogues: a query imports this module and looks up a dozen words;
Babel's machinery would cost every command's start-up more than the lookups themselves.
"""

from __future__ import annotations

import re

#: The languages a reader may choose: the first is the default.
LANGUAGES = ("en", "zh")

#: The Chinese of every English term and template chuanyu writes; `{name}` fields are data.
ZH = {
    # column headers
    "id": "代码",
    "name": "名称",
    "province": "省市",
    "level": "层级",
    "counterpart": "对口单位",
    "leads": "牵头",
    "involved": "参与",
    "chapter": "章",
    "section": "节",
    "title": "标题",
    "listings": "列名次数",
    "co-listed": "配合",
    "with counterpart": "对口单位同列",
    "without counterpart": "对口单位未列",
    "document": "文件",
    "number": "编号",
    "date": "日期",
    "issuers": "发文单位",
    "measures": "措施",
    "measure": "措施",
    "kind": "类型",
    "agency": "单位",
    "chongqing": "重庆",
    "sichuan": "四川",
    "local / joint": "地方及联合",
    "local": "地方",
    "joint": "联合",
    "text": "内容",
    "units": "单位数",
    "shared": "共同列名",
    "chongqing only": "仅列重庆",
    "sichuan only": "仅列四川",
    "count": "次数",
    "counterparts": "对口",
    "snippet": "摘录",
    "figure": "指标",
    "key": "项",
    "label": "说明",
    "value": "数值",
    "parameters": "参数",
    "help": "用途",
    "shared measures": "共同措施数",
    "why no counterpart": "无对口单位的原因",
    # values that are labels (tables only)
    "yes": "是",
    "missing-counterpart": "对口单位缺列",
    "unpaired-agency": "无对口单位",
    "lead-mismatch": "牵头单位不对口",
    "joint-only": "未分列省市",
    "central-branch": "中央驻地机构",
    "city-government": "市政府",
    "court": "法院",
    "development-zone": "开发区",
    "joint-body": "联合机构",
    "party-organ": "党委机构",
    "provincial-department": "省（市）级部门",
    "public-institution": "事业单位",
    "total": "合计",
    "measures per chapter": "各章措施数",
    "listings per province and level": "各省市各层级列名次数",
    "most leads": "牵头最多",
    "most listings": "列名最多",
    "chapters": "章",
    "sections": "节",
    "agencies": "单位",
    # the lines under a table, and a table's title
    "{kind}: {count}": "{kind}：{count}",
    "the first {count} shown (--limit); more follow": "仅显示前 {count} 条（--limit），其后还有",
    "({columns}: left out at {width} columns; --format tsv has every column)": (
        "（终端宽 {width} 列，未显示：{columns}；--format tsv 显示全部列）"
    ),
    "{name} ({id}) · {province} · {level} · leads {leads} · listed in {involved} · {other}": (
        "{name}（{id}）· {province} · {level} · 牵头 {leads} 项 · 列名 {involved} 项 · {other}"
    ),
    "counterpart {name} ({id})": "对口单位 {name}（{id}）",
    "no counterpart": "无对口单位",
    "{name}: no change recorded": "{name}：无变更记录",
    " → {name} since {since}": " → {name}（{since}起）",
    "a date not known": "日期不详",
    "as of {date}: every unit as the document lists it (no change recorded by then)": "截至 {date}：各单位均按文件所列（其时尚无变更记录）",
    "as of {date}; sources for the bodies shown in place of the document's units:": "截至 {date}；代替文件所列单位显示的机构及其依据：",
    "  {name} (since {since}): {source}": "  {name}（{since}起）：{source}",
    "  {name}: {source}": "  {name}：{source}",
    # the briefing
    "《{title}》 briefing": "《{title}》简报",
    "{named}. ": "{named}。",
    "Scope: {scope}: {measures} measures in {chapters} chapters, {listings} listings.": (
        "范围：{scope}：共 {chapters} 章 {measures} 项措施，列名 {listings} 次。"
    ),
    "the whole document": "全文",
    "chapter {number}": "第 {number} 章",
    "section {number}": "第 {number} 节",
    "measures listing {name}": "列有{name}的措施",
    "measures {name} leads": "{name}牵头的措施",
    "the {province} side": "{province}方面",
    ", each unit as the body that held its function on {date}": "，各单位显示为 {date} 履行其职能的机构",
    "Made by chuanyu {version}.": "由 chuanyu {version} 生成。",
    "Made by chuanyu {version} on {stamp}.": "由 chuanyu {version} 于 {stamp} 生成。",
    "The catalogue at a glance": "总体情况",
    "Measures per chapter": "各章措施",
    "{heading} ({count} chapters)": "{heading}（共 {count} 章）",
    "Units per province and level": "各省市各层级单位",
    "Agency workload": "各单位任务量",
    "Agency workload: leads and listings, by chapter": "各单位任务量：牵头与列名，分章统计",
    "{heading} ({count} agencies)": "{heading}（共 {count} 个单位）",
    "Listings by agency and chapter": "各单位分章列名次数",
    "Listings by agency and chapter: {side}": "各单位分章列名次数：{side}",
    "Counterpart pairs": "对口单位",
    "Counterpart pairs: shared and one-sided measures": "对口单位：共同列名与单方列名的措施",
    "{declared} declared pairs, {unpaired} units with no counterpart.": "明确对口的单位 {declared} 对，无对口单位的 {unpaired} 个。",
    "Counterpart ladder": "对口单位对照图",
    "Gaps": "缺口",
    "Gaps: where the two provinces' assignments do not match": "缺口：两地责任分工不对应之处",
    "{kind} ({count})": "{kind}（{count}）",
    "Structural: units without counterpart by their nature ({count})": "结构性缺口：本无对口单位的单位（{count}）",
    # gaps: the structural units under the actionable findings
    "structural, no counterpart by nature (gaps --all lists each finding):": "结构性缺口，本无对口单位（gaps --all 逐条列出）：",
    "{name} ({why}): {count}": "{name}（{why}）：{count}",
    "a local government": "地方政府",
    "a development zone": "开发区",
    "a body of one province's own project": "一地独有项目的管理机构",
    "a joint leading group": "联合领导小组",
    # the pictures
    "Chongqing": "重庆",
    "Sichuan": "四川",
    "one-sided {count}": "单列 {count}",
    "{number}, {date}": "{number}，{date}",  # a document's number and date
    "red: measures listing the unit without its counterpart (missing-counterpart gaps)": (
        "红色：列有该单位而未列其对口单位的措施数（对口单位缺列）"
    ),
}

#: A Latin letter outside a template's {fields}: text with none has nothing to translate.
_LATIN = re.compile(r"[A-Za-z](?![A-Za-z_]*\})")
#: How a list is joined in Chinese, for each way English joins one.
_SEPARATORS = {", ": "、", "; ": "；"}


def translated(text: str, lang: str) -> str:
    """`text`, an English term, in `lang`; text with no entry and no Latin letter (a number, Σ)
    as it is, and one with Latin letters but no entry a KeyError."""
    if lang == "en":
        return text
    if (found := ZH.get(text)) is not None:
        return found
    if _LATIN.search(text):
        raise KeyError(f"no Chinese for {text!r} in chuanyu.terms.ZH")
    return text


def label(value: str, lang: str) -> str:
    """A value that is a label (a gap's kind, a level) in `lang`; any other value as it is."""
    return value if lang == "en" else ZH.get(value, value)


def date_in(iso: str, lang: str) -> str:
    """A date (YYYY-MM-DD) as `lang` writes it: in Chinese 2022年12月14日."""
    if lang == "en":
        return iso
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{year}年{month}月{day}日"


def listed(items: list[str], lang: str, separator: str = ", ") -> str:
    """`items` one after another, each joined to the next as `lang` joins a list."""
    return (separator if lang == "en" else _SEPARATORS[separator]).join(items)


class Phrase(str):
    """Words around data, said in the reader's language when rendered: `template` (English, a
    key of ZH) with its `fields`, each data (as it is), a Phrase, or a list of these (one after
    another). It is the English text itself, a str: code that reads a title or the lines under
    a table as text reads them as it always has."""

    template: str
    fields: dict[str, object]

    def __new__(cls, template: str, **fields: object) -> Phrase:
        phrase = super().__new__(cls, template.format(**{name: rendered_in(value, "en") for name, value in fields.items()}))
        phrase.template, phrase.fields = template, fields
        return phrase

    def rendered_in(self, lang: str) -> str:
        if lang == "en":
            return str(self)
        return translated(self.template, lang).format(**{name: rendered_in(value, lang) for name, value in self.fields.items()})


class Label(Phrase):
    """A value that is a label, as `label` shows it: in Chinese where the table has it."""

    def rendered_in(self, lang: str) -> str:
        return label(self.template, lang)


def rendered_in(text: object, lang: str) -> str:
    """A line, a title or a field in `lang`: a Phrase said, a list of them one after another,
    anything else (data) as it is."""
    if isinstance(text, Phrase):
        return text.rendered_in(lang)
    if isinstance(text, list):
        return "".join(rendered_in(item, lang) for item in text)
    return str(text)
