"""A new joint document into the catalogue: every unit it names resolved to agencies.yaml, or
proposed for a person to review (never added by itself); then its measures file written beside
the others and the whole catalogue checked with it, or nothing written at all."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import checks
from .catalogue import display_path, load, load_agencies
from .clauses import GROUP_PROVINCE, Unresolved, expand
from .errors import DataError, Problem
from .extract import extracted
from .model import Agency
from .paths import AGENCIES_FILE, DOCUMENTS_DIR, catalogue_files, write_whole
from .safe_yaml import read_yaml
from .transaction import commit, locked, staged

#: The folder, beside the catalogue, of the proposals `add` writes for review: a file a document.
PROPOSALS_DIR = "proposals"


@dataclass
class Draft:
    """A unit the document names that agencies.yaml lacks, as an entry for it would read: its
    name as the document writes it (short forms expanded) and the forms written; province,
    level, id and counterpart are proposals, read from the name."""

    name: str
    province: str | None
    level: str
    id: str = ""
    counterpart: str | None = None
    written: list[str] = field(default_factory=list)
    places: list[tuple[int, str, int]] = field(default_factory=list)  # (measure, group, line)


@dataclass
class Added:
    document: str
    path: Path
    measures: int
    listings: int
    reading: str | None = None  # what reading the source mapped or dropped (a PDF's fonts), if anything


class NeedsReview(Exception):
    """The document names units agencies.yaml lacks: drafts for them were written to `path`."""

    def __init__(self, path: Path, drafts: list[Draft]):
        super().__init__(str(path))
        self.path, self.drafts = path, drafts


def add(source: Path, data: Path, document_id: str | None = None, replace: bool = False) -> Added:
    """Take the document at `source` (text or PDF) into the catalogue in `data` as
    documents/ID.yaml (or over the file of the document of that id, with `replace`): as one
    transaction, under the catalogue's lock (see `transaction`)."""
    document_id = document_id or source.stem
    if problem := checks.identifier(document_id):
        raise DataError([Problem(display_path(source), 1, "document", f"id {problem} (name one with --id)")])
    with locked(data):
        return _added(source, data, document_id, replace)


def _added(source: Path, data: Path, document_id: str, replace: bool) -> Added:
    agencies = load_agencies(data / AGENCIES_FILE)
    kept_as = f"{document_id}{source.suffix.lower() or '.txt'}"  # by the document's id: two plan.pdf never meet
    found = extracted(source, agencies.values(), document_id, kept_as)
    unknown = [u for u in found.unresolved if not u.candidates]
    proposals = data / PROPOSALS_DIR / f"{document_id}.yaml"
    if unknown:
        drafts = propose(unknown, agencies)
        _refuse_links(source, data, [proposals])
        write_whole(proposals, proposals_yaml(drafts, display_path(source)))
        raise NeedsReview(proposals, drafts)
    if found.unresolved:  # forms that could be any of several units: the person must say which
        raise DataError(found.problems())
    plan = _owned(source, data, document_id, replace, kept_as)
    _refuse_links(source, data, [plan.target, data / plan.copy, proposals])
    with staged(data, str(plan.target.relative_to(data))) as change:
        change.write(change.changed, found.text.encode("utf-8"))
        if plan.copy_from is not None:
            change.copy(plan.copy, plan.copy_from)
        _validate_staged(change.folder, data)
        change.removed = [*plan.removed, str(proposals.relative_to(data))]
        commit(change)
    with contextlib.suppress(OSError):  # the folder, once its last proposals are reviewed
        proposals.parent.rmdir()
    return Added(document_id, plan.target, found.measures, found.listings, found.reading())


@dataclass
class Shipped:
    """A document in the catalogue: the measures file that holds it, and its source as that
    file names it (`sources/NAME`), if it names one."""

    path: Path
    source: str | None


@dataclass
class Placing:
    """Where `add` puts a document: its measures file, its source's copy (relative to the
    catalogue; from `copy_from`, or None where the copy is already the source) and the files the
    document it replaces named that the new one does not."""

    target: Path
    copy: str
    copy_from: Path | None
    removed: list[str]


def documents_in(data: Path) -> dict[str, Shipped]:
    """Each document's id in the catalogue in `data`: the file that holds it, and its source."""
    found: dict[str, Shipped] = {}
    for path in catalogue_files(data):
        if path.name == AGENCIES_FILE and path.parent == data:
            continue
        content, _ = read_yaml(path, str(path))
        document = content.get("document") if isinstance(content, dict) else None
        if isinstance(document, dict) and isinstance(document.get("id"), str):
            source = document.get("source")
            found.setdefault(document["id"], Shipped(path, source if isinstance(source, str) else None))
    return found


def _owned(source: Path, data: Path, document_id: str, replace: bool, kept_as: str) -> Placing:
    """Where the document goes, refused where that would write over (or remove) a file that is
    not its own, or of the document it replaces: another document's, a source no document
    names, a file of the user's."""
    documents = documents_in(data)
    replaced = documents.get(document_id)
    shown = display_path(source)
    if replaced is not None and not replace:
        raise DataError(
            [Problem(shown, 1, "document", f"id {document_id!r} is already that of {display_path(replaced.path)} (--replace replaces it)")]
        )
    target = replaced.path if replaced is not None else data / DOCUMENTS_DIR / f"{document_id}.yaml"
    if replaced is None and (target.exists() or target.is_symlink()):
        raise DataError(
            [
                Problem(
                    shown, 1, "document", f"{display_path(target)} holds another document, not {document_id!r} (name another id with --id)"
                )
            ]
        )
    copy = f"sources/{kept_as}"
    there = data / copy
    named = replaced.source if replaced is not None else None
    copy_from: Path | None = source
    if there.exists() or there.is_symlink():
        if not there.is_symlink() and there.is_file() and there.samefile(source):
            copy_from = None  # the source is already its copy: nothing to write
        elif copy != named:
            raise DataError(
                [
                    Problem(
                        shown,
                        1,
                        "document",
                        f"{display_path(there)} is no file of the document it replaces (name another id with --id)",
                    )
                ]
            )
    others = {shipped.source for id_, shipped in documents.items() if id_ != document_id}
    retired = named if named and named != copy and named not in others and _a_source_name(named) else None
    return Placing(target, copy, copy_from, [retired] if retired else [])


def _a_source_name(name: str) -> bool:
    """Whether `name` is a file directly in sources/ (`sources/NAME`): the only files a
    replaced document's source removes."""
    folder, _, rest = name.partition("/")
    return folder == "sources" and rest not in ("", ".", "..") and "/" not in rest and "\\" not in rest


def _refuse_links(source: Path, data: Path, written: list[Path]) -> None:
    """A DataError where a file `add` writes, or a folder of them, is a link: a rename would
    take the link's place, a write go through it to a file elsewhere; either is not asked for."""
    folders = {path.parent for path in written}
    for path in [*sorted(folders), *written]:
        if path.is_symlink():
            raise DataError(
                [
                    Problem(
                        display_path(source),
                        1,
                        "document",
                        f"{Path(display_path(path.parent)) / path.name} is a link; add writes no file through a link, nor over one",
                    )
                ]
            )


def _validate_staged(folder: Path, data: Path) -> None:
    """The staged catalogue loaded whole; its problems named by the files they will be in."""
    try:
        load(folder)
    except DataError as exc:
        staged_prefix, real = display_path(folder), display_path(data)
        raise DataError(
            [
                Problem(display_path(Path(real) / p.file[len(staged_prefix) + 1 :]), p.line, p.entry, p.message)
                if p.file.startswith(staged_prefix + "/")
                else p
                for p in exc.problems
            ]
        ) from None


# --- proposals ------------------------------------------------------------------------------

#: A unit's level as its name shows it, the first that matches; else provincial-department.
_LEVELS = (
    (re.compile(r"管委会$"), "development-zone"),
    (re.compile(r"(市|州)(人民)?政府$"), "city-government"),
    (re.compile(r"法院$"), "court"),
    (re.compile(r"(组织部|宣传部|统战部)$|^(省|市)委"), "party-organ"),
    (re.compile(r"^(人行|中国人民银行)|银保监|证监|外汇|海关|税务|金融监督管理总局|金融监管总局"), "central-branch"),
    (re.compile(r"中心$"), "public-institution"),
)
_PROVINCE_NAMES = (("重庆", "chongqing"), ("四川", "sichuan"))
_PREFIX = re.compile(r"^(重庆市|四川省|重庆|四川|市|省)")
_SUFFIX = re.compile(r"(委员会|局|厅|委|办|中心)$")
_PREFIXES = {"chongqing": "cq", "sichuan": "sc", None: "joint"}


def function_of(name: str) -> str:
    """What a unit does, as its name says it without province and kind: 重庆市财政局 -> 财政."""
    return _SUFFIX.sub("", _PREFIX.sub("", name))


def propose(unknown: list[Unresolved], agencies: dict[str, Agency]) -> list[Draft]:
    """A draft for each unit form that names no agency (one per name, in the document's order),
    its province from the list it is in or its name, its level from its name, and a
    counterpart by function among the other province's units that have none, or the drafts."""
    drafts: dict[str, Draft] = {}
    for u in unknown:
        name = expand(u.form, u.group)
        # a city government in the local list is Sichuan's, as the list is (GROUP_PROVINCE), whatever its name says
        province = GROUP_PROVINCE[u.group] if u.group in ("chongqing", "sichuan", "local") else _province_of(name)
        level = (
            "city-government"
            if u.group == "local"
            else next((lvl for pattern, lvl in _LEVELS if pattern.search(name)), "provincial-department")
        )
        draft = drafts.setdefault(name, Draft(name, province, level))
        if u.form not in draft.written:
            draft.written.append(u.form)
        draft.places.append((u.measure, u.group, u.line))
    partners = _pair(list(drafts.values()), agencies)
    taken = set(agencies)
    numbers = iter(range(1, len(drafts) + 1))
    for draft in drafts.values():  # ids: the counterpart's function in English, else new-N shared by a pair
        if draft.id:
            continue
        partner = partners.get(draft.name)
        if draft.counterpart and "-" in draft.counterpart:
            stem = draft.counterpart.split("-", 1)[1]
        else:
            stem = "city-government" if draft.level == "city-government" else f"new-{next(numbers)}"
        draft.id = _free(f"{_PREFIXES[draft.province]}-{stem}", taken)
        if partner is not None:
            partner.id = _free(f"{_PREFIXES[partner.province]}-{stem}", taken)
            draft.counterpart, partner.counterpart = partner.id, draft.id
    return list(drafts.values())


def _pair(drafts: list[Draft], agencies: dict[str, Agency]) -> dict[str, Draft]:
    """Each draft's counterpart by function (the closest name without province and kind, at
    least 75% alike): a unit of the other province that has none (set as `counterpart`), or
    another draft (returned, by name, both ways). City governments and zones have none."""
    from rapidfuzz import fuzz

    pairable = ("provincial-department", "central-branch", "public-institution", "party-organ", "court")
    known = [a for a in agencies.values() if a.counterpart is None and a.province is not None and a.level in pairable]
    partners: dict[str, Draft] = {}
    for draft in drafts:
        if draft.level not in pairable or draft.province is None or draft.name in partners:
            continue
        core = function_of(draft.name)
        scored: list[tuple[float, str, Draft | None]] = [
            (fuzz.ratio(core, function_of(a.name)), a.id, None) for a in known if a.province != draft.province
        ]
        scored += [
            (fuzz.ratio(core, function_of(d.name)), "", d)
            for d in drafts
            if d.province not in (None, draft.province) and d.level in pairable and d.name not in partners
        ]
        best = max(scored, key=lambda score: score[0], default=None)
        if best is None or best[0] < 75:
            continue
        if best[2] is None:
            draft.counterpart = best[1]
            known = [a for a in known if a.id != best[1]]
        else:
            partners[draft.name], partners[best[2].name] = best[2], draft
    return partners


def _province_of(name: str) -> str | None:
    return next((province for prefix, province in _PROVINCE_NAMES if name.startswith(prefix)), None)


def _free(wanted: str, taken: set[str]) -> str:
    candidate, n = wanted, 2
    while candidate in taken:
        candidate, n = f"{wanted}-{n}", n + 1
    taken.add(candidate)
    return candidate


def proposals_yaml(drafts: list[Draft], source: str) -> str:
    """The proposals file: the drafts as agencies.yaml entries, each proposed field marked so.
    Values are written by the YAML emitter (quoted where they need it), so that every name
    reads back as it was written; comments show what is not printable as an escape."""
    lines = [
        f"# Proposed by `chuanyu add {_printable(source)}`: the units the document names that {AGENCIES_FILE} lacks.",
        "# Nothing here is read by chuanyu. Review each entry: its name and aliases are as the document",
        "# writes them; fields marked `# proposed` were read from the name. Correct what is wrong, move",
        f"# the entries into {AGENCIES_FILE} (under `agencies:`), then run `chuanyu add` again.",
        "agencies:",
    ]
    ids = {draft.id for draft in drafts}
    for draft in drafts:
        where = ", ".join(f"measure {measure} ({group}, line {line})" for measure, group, line in draft.places)
        lines.append(f"  # {_printable('、'.join(draft.written))}: {where}")
        lines.append(_field("id", draft.id, "  - ", "  # proposed"))
        lines.append(_field("name", draft.name))
        aliases = [form for form in draft.written if form != draft.name]
        if aliases:
            lines.append(_field("aliases", aliases))
        lines.append(_field("province", draft.province, comment="  # proposed"))
        lines.append(_field("level", draft.level, comment="  # proposed"))
        if draft.counterpart:
            lines.append(_field("counterpart", draft.counterpart, comment="  # proposed, by function"))
            if draft.counterpart not in ids:  # a unit already in agencies.yaml: its side of the pair
                lines.append(f"    # and, in {AGENCIES_FILE}, counterpart: {draft.id} on {draft.counterpart} (counterparts are symmetric)")
    return "\n".join(lines) + "\n"


def _field(key: str, value: str | list[str] | None, indent: str = "    ", comment: str = "") -> str:
    """`key: value` of an entry as the YAML emitter writes it (a list on one line), indented
    under `agencies:`; `comment` after it where the value takes one line."""
    flow = None if isinstance(value, list) else False  # None: a list of names in flow style, its key not
    written = yaml.dump(
        {key: value}, Dumper=_ProposalDumper, allow_unicode=True, default_flow_style=flow, sort_keys=False, width=2**30
    ).rstrip("\n")
    first, *rest = written.split("\n")
    return "\n".join([indent + first + ("" if rest else comment), *(" " * len(indent) + line if line else "" for line in rest)])


class _ProposalDumper(yaml.SafeDumper):
    """Text holding what does not print is double-quoted, where YAML escapes it: PyYAML's
    single-quoted style would fold a line break such as U+0085 into a space."""


_ProposalDumper.add_representer(
    str, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style=None if value.isprintable() else '"')
)


def _printable(text: str) -> str:
    """`text` for a comment: what does not print (a line separator, an undecodable byte of a
    file's name) as its escape, so that it neither ends the comment nor stops the file's writing."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
