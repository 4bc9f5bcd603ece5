"""A measure's responsibility clause: its forms, the units they name, and which of them lead.

The forms joint documents use:
- `（责任单位：A、B；C、D，E）`: the Chongqing list; the Sichuan list, city governments after a
  comma; the first of each province's list leads;
- `（责任单位：A、C、B…）`: one list naming the units of both provinces in any order (or a joint
  body): each unit's province comes from the unit;
- `（牵头单位：A、C；配合单位：B、D）`: explicit roles, with or without province lists inside each:
  the units of 牵头单位 lead, the others are `co`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .model import Agency

#: The list of a clause that names units of either province, each placed by what it is.
ONE_LIST = "any"
#: A province list's short form and what it stands for: in the Chongqing list 市X is 重庆市X,
#: in the Sichuan list 省X is 四川省X; in one list naming both, the short form says which.
SHORT_FORMS = {"chongqing": ("市", "重庆"), "sichuan": ("省", "四川")}
#: Which province's units each group of a responsibility clause may name (None: no province).
GROUP_PROVINCE = {"chongqing": "chongqing", "sichuan": "sichuan", "local": "sichuan", "joint": None}

#: Where a responsibility clause opens: a parenthesis, then 责任单位： or a role, 牵头单位：/配合单位：.
CLAUSE_OPENING = re.compile(r"[（(](?=(?:责任|牵头|配合)单位[：:])")
_PARENTHESIS = re.compile(r"[（()）]")
_LABEL = re.compile(r"(责任|牵头|配合)单位[：:]")
_SPLIT = re.compile(r"[、；;，,。（()）]")
_SEPARATOR = re.compile(r"[、；;，,。]")
_GROUP_SEP = re.compile(r"[；;]")
_LOCAL_SEP = re.compile(r"[，,]")


@dataclass(slots=True)
class Clause:
    """One responsibility clause: surface forms per group in the document's order, where each
    form starts in the stream, and the forms named as leading (None: no roles named)."""

    groups: dict[str, list[str]]
    starts: dict[str, list[int]] = field(default_factory=dict)
    leads: list[str] | None = None

    def add(self, group: str, form: str, start: int) -> None:
        self.groups.setdefault(group, []).append(sys.intern(form))  # a document names its units many times
        self.starts.setdefault(group, []).append(start)


def clause_of(body: str, start: int = 0) -> Clause:
    """The clause inside `（…）`, labels included, `start` where `body` starts in the stream."""
    labels = list(_LABEL.finditer(body))
    if len(labels) == 1 and labels[0].group(1) == "责任" and labels[0].start() == 0:
        return parse_clause(body[labels[0].end() :], start + labels[0].end())
    clause = Clause({ONE_LIST: []}, leads=[])
    for label, following in zip(labels, [*labels[1:], None], strict=True):
        part_start = label.end()
        part = body[part_start : following.start() if following else len(body)]
        for token, offset in tokens(part):
            form = token.strip()
            if form and not _SEPARATOR.fullmatch(form):
                clause.add(ONE_LIST, form, start + part_start + offset + len(token) - len(token.lstrip()))
                if label.group(1) == "牵头":
                    clause.leads.append(form)  # type: ignore[union-attr]
    return clause


def parse_clause(body: str, start: int = 0) -> Clause:
    """`A、B；C、D，E` -> chongqing [A, B], sichuan [C, D], local [E]: city governments follow
    the Sichuan list after a comma. A clause with no `；` is one list (ONE_LIST): its units'
    provinces, or a joint body, come from the units."""
    listed = list(tokens(body))
    group = "chongqing" if any(_GROUP_SEP.fullmatch(unit) for unit, _ in listed) else ONE_LIST
    clause = Clause({ONE_LIST: []} if group == ONE_LIST else {"chongqing": [], "sichuan": [], "local": []})
    for unit, offset in listed:
        if _GROUP_SEP.fullmatch(unit):
            group = "sichuan"
        elif _LOCAL_SEP.fullmatch(unit) and group == "sichuan":
            group = "local"
        elif unit.strip() and unit not in ("、", "。") and not _LOCAL_SEP.fullmatch(unit):
            clause.add(group, unit.strip(), start + offset + len(unit) - len(unit.lstrip()))
    return clause


def tokens(body: str) -> Iterator[tuple[str, int]]:
    """The forms and separators of a list of units, each with where it starts in `body`: a
    separator inside parentheses is part of its form (中新（重庆）…, A（含B、C）)."""
    depth, start = 0, 0
    for mark in _SPLIT.finditer(body):
        if mark.group() in "（(":
            depth += 1
        elif mark.group() in "）)":
            depth = max(0, depth - 1)
        elif depth == 0:
            if mark.start() > start:
                yield body[start : mark.start()], start
            yield mark.group(), mark.start()
            start = mark.end()
    if start < len(body):
        yield body[start:], start


def next_clause(text: str, begin: int, end: int) -> tuple[int, int | None] | None:
    """The next responsibility clause in text[begin:end] as (where its opening parenthesis
    stands, where its closing one ends): parentheses nest inside it (…监管局（省级）、…）); the
    end is None where it does not close before `end`. None where no clause opens."""
    opening = CLAUSE_OPENING.search(text, begin, end)
    if opening is None:
        return None
    depth = 0
    for mark in _PARENTHESIS.finditer(text, opening.start(), end):
        depth += 1 if mark.group() in "（(" else -1
        if depth == 0:
            return opening.start(), mark.end()
    return opening.start(), None


@dataclass
class Unresolved:
    """A unit form that is not exactly one agency of its list: `candidates` the ones it could
    be; where `misplaced` says which (`a chongqing unit`), they are of another list."""

    measure: int
    group: str
    form: str
    line: int
    candidates: list[str]
    misplaced: str | None = None


class Resolver:
    """Surface form of a unit, within one group -> agency id (short-form expansion first)."""

    def __init__(self, agencies: Iterable[Agency]):
        self._by_form: dict[str, list[Agency]] = {}
        self.agencies: dict[str, Agency] = {}
        for agency in agencies:
            self.agencies[agency.id] = agency
            for form in (agency.name, *agency.aliases):
                self._by_form.setdefault(form, []).append(agency)

    def candidates(self, form: str, group: str) -> list[str]:
        """The ids `form` may name in `group` (in ONE_LIST: of any province)."""
        found: list[str] = []
        for f in (expand(form, group), form):
            for agency in self._by_form.get(f, []):
                if (group == ONE_LIST or agency.province == GROUP_PROVINCE[group]) and agency.id not in found:
                    found.append(agency.id)
            if found:
                break
        return found

    def elsewhere(self, form: str, group: str) -> tuple[list[str], str | None]:
        """The ids `form` names exactly in lists other than `group`, and what they are
        (`a sichuan unit`, `a joint unit`): a known unit in the wrong list."""
        found = [a for a in self._by_form.get(form, []) if a.province != GROUP_PROVINCE[group]]
        kinds = sorted({f"a {a.province} unit" if a.province else "a joint unit" for a in found})
        return [a.id for a in found], " or ".join(kinds) or None

    def group_of(self, agency_id: str) -> str:
        """The list a unit of one list belongs in: its province's, a city government's, or joint."""
        agency = self.agencies[agency_id]
        if agency.province is None:
            return "joint"
        return "local" if agency.level == "city-government" else agency.province


def expand(form: str, group: str) -> str:
    """市财政局 in the Chongqing list -> 重庆市财政局; 省财政厅 in the Sichuan list -> 四川省财政厅;
    in one list, 市X and 省X alike."""
    for province, (short, full) in SHORT_FORMS.items():
        if group in (province, ONE_LIST) and form.startswith(short):
            return full + form
    return form


def resolve_clause(
    clause: Clause, lines: dict[str, list[int]], resolver: Resolver, measure: int
) -> tuple[dict[str, list[str]], list[str] | None, list[Unresolved]]:
    """The clause's agency ids by group in the document's order (units of one list placed in
    theirs), the ids named as leading, and every form that is not exactly one agency (kept as
    the form, in its list or, of one list, in the joint one)."""
    groups: dict[str, list[str]] = {}
    leads: list[str] | None = None if clause.leads is None else []
    unresolved: list[Unresolved] = []
    for group, forms in clause.groups.items():
        for form, line in zip(forms, lines.get(group, []), strict=True):
            found = resolver.candidates(form, group)
            if len(found) == 1:
                agency_id = found[0]
                groups.setdefault(resolver.group_of(agency_id) if group == ONE_LIST else group, []).append(agency_id)
            else:
                elsewhere, misplaced = resolver.elsewhere(form, group) if group != ONE_LIST and not found else ([], None)
                unresolved.append(Unresolved(measure, group, form, line, found or elsewhere, misplaced))
                agency_id = form
                groups.setdefault("joint" if group == ONE_LIST else group, []).append(form)
            if leads is not None and form in (clause.leads or []):
                leads.append(agency_id)
    ordered: dict[str, list[str]] = {group: groups[group] for group in ("chongqing", "sichuan", "local", "joint") if group in groups}
    return ordered, leads, unresolved
