"""The measures file's text from its content (extract.catalogue_yaml): deterministic, so that
the shipped file can be compared byte for byte, and written a measure at a time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml


class _Flow(list):  # type: ignore[type-arg]
    """A list written on one line: a measure's units, in the document's order."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Flow, lambda dumper, value: dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True))


#: The widest line of the measures file: a longer text is folded onto further lines.
YAML_WIDTH = 4096


def to_yaml(content: dict[str, Any], source: str) -> str:
    """The measures file as text: deterministic, so the shipped file can be compared byte for
    byte. Written a measure at a time: PyYAML holds several objects for every value it dumps at
    once, many times the size of the text; the parts give the same text as one dump would.
    `content` is emptied as it is written, so that it is freed as the text grows."""
    for chapter in content["chapters"]:
        for measure in [*chapter.get("measures", []), *(m for section in chapter.get("sections", []) for m in section["measures"])]:
            measure["responsible"] = {group: _Flow(ids) for group, ids in measure["responsible"].items()}
            if "leads" in measure:
                measure["leads"] = _Flow(measure["leads"])
    header = f"# Made by `chuanyu extract {source}` from the document's text. Do not edit: see README.md.\n"
    parts = [header, _dumped({"document": content["document"]}, 0)]
    parts += _listed("chapters", content["chapters"], 0)
    return "".join(parts)


#: Of each entry that holds a list of further entries, the list's key (a measure holds none).
_CHILDREN = ("sections", "measures")


def _listed(key: str, entries: list[dict[str, Any]], indent: int) -> Iterator[str]:
    """`key:` and its entries at `indent`, as PyYAML writes a list in a mapping (not indented
    further), each entry dumped on its own and its own list of entries after it."""
    if not entries:
        yield _dumped({key: []}, indent)
        return
    yield " " * indent + key + ":\n"
    entries.reverse()
    while entries:
        entry = entries.pop()
        children = next((k for k in _CHILDREN if entry.get(k)), None)
        yield _dumped([{k: v for k, v in entry.items() if k != children}], indent)
        if children is not None:
            yield from _listed(children, entry[children], indent + 2)


def _dumped(value: Any, indent: int) -> str:
    """`value` as PyYAML writes it `indent` columns in: folded at the same column as in one dump."""
    text = yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=YAML_WIDTH - indent, default_flow_style=False)
    return "".join(" " * indent + line if line.strip("\n") else line for line in text.splitlines(keepends=True)) if indent else text
