"""The counterpart and co-listing network, for people who lay it out in their own tools."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from .questions.common import NO_FILTERS, PROVINCE_ORDER, Filters
from .questions.overviews import listings
from .questions.pairs import observed_pairs, pairs
from .result import Record


@dataclass(frozen=True)
class Network:
    nodes: list[Record]  # {"id", "name", "province", "level"}
    edges: list[Record]  # {"source", "target", "kind", "weight", "measures"}


def network(conn: sqlite3.Connection, filters: Filters = NO_FILTERS) -> Network:
    """A node per unit listed in the measures that pass `filters`; a `counterpart` edge per
    declared pair (weight: measures listing both), a `co-listed` edge per Chongqing × Sichuan
    pair listed together (weight: how many measures)."""
    units = {
        row["id"]: {"id": row["id"], "name": row["name"], "province": row["province"], "level": row["level"]}
        for row in listings(conn, filters)
    }
    nodes = sorted(units.values(), key=lambda n: (PROVINCE_ORDER[n["province"]], n["id"]))
    declared = [(r, "counterpart", r["shared"]) for r in pairs(conn, filters=filters).records if r["chongqing"] and r["sichuan"]]
    observed = [(r, "co-listed", r["measures"]) for r in observed_pairs(conn, filters=filters).records]
    edges = sorted(_merged(declared).values(), key=lambda e: (e["source"], e["target"]))
    edges += sorted(_merged(observed).values(), key=lambda e: (e["source"], e["target"]))
    return Network(nodes, edges)


def _merged(found: list[tuple[Record, str, list[int]]]) -> dict[tuple[str, str], Record]:
    """An edge per pair of units, from the pair's records: in a catalogue of several documents a
    record a document, merged here (weights added, each measure named `document:number`)."""
    edges: dict[tuple[str, str], Record] = {}
    for record, kind, numbers in found:
        source, target = record["chongqing"]["id"], record["sichuan"]["id"]
        edge = edges.setdefault((source, target), {"source": source, "target": target, "kind": kind, "weight": 0, "measures": []})
        edge["weight"] += len(numbers)
        edge["measures"] += [f"{record['document']}:{n}" for n in numbers] if "document" in record else numbers
    return edges


def _json(graph: Network) -> str:
    return json.dumps({"nodes": graph.nodes, "edges": graph.edges}, ensure_ascii=False, indent=2) + "\n"


def mermaid_label(text: str) -> str:
    """Text inside a Mermaid node's ["…"]: its quotes as Mermaid's entity, so a name ends no node."""
    return text.replace('"', "#quot;")


def mermaid_id(agency_id: str) -> str:
    """An agency id as a Mermaid node id (letters, digits and underscores)."""
    return agency_id.replace("-", "_")


def _mermaid(graph: Network) -> str:
    lines = ["flowchart LR"]
    lines += [f'  {mermaid_id(n["id"])}["{mermaid_label(n["name"])}"]' for n in graph.nodes]
    for e in graph.edges:
        link = "===" if e["kind"] == "counterpart" else "---"
        lines.append(f"  {mermaid_id(e['source'])} {link}|{e['weight']}| {mermaid_id(e['target'])}")
    return "\n".join(lines) + "\n"


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _dot(graph: Network) -> str:
    font = _dot_string("WenQuanYi Micro Hei,Noto Sans CJK SC,sans-serif")
    lines = ["graph chuanyu {", f"  graph [fontname={font}];", f"  node [fontname={font}, shape=box];"]
    for n in graph.nodes:
        attributes = f"label={_dot_string(n['name'])}, province={_dot_string(n['province'] or 'joint')}, level={_dot_string(n['level'])}"
        lines.append(f"  {_dot_string(n['id'])} [{attributes}];")
    for e in graph.edges:
        style = "solid" if e["kind"] == "counterpart" else "dotted"
        lines.append(
            f"  {_dot_string(e['source'])} -- {_dot_string(e['target'])} [kind={_dot_string(e['kind'])}, weight={e['weight']}, "
            f"style={style}, measures={_dot_string(', '.join(map(str, e['measures'])))}];"
        )
    return "\n".join([*lines, "}"]) + "\n"


def _graphml(graph: Network) -> str:
    keys = [
        ("name", "node", "string"),
        ("province", "node", "string"),
        ("level", "node", "string"),
        ("kind", "edge", "string"),
        ("weight", "edge", "int"),
        ("measures", "edge", "string"),
    ]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">']
    lines += [f'  <key id="{k}" for="{kind}" attr.name="{k}" attr.type="{t}"/>' for k, kind, t in keys]
    lines.append('  <graph id="chuanyu" edgedefault="undirected">')
    for n in graph.nodes:
        data = "".join(f'<data key="{k}">{escape(str(n[k] or "joint"))}</data>' for k in ("name", "province", "level"))
        lines.append(f"    <node id={quoteattr(n['id'])}>{data}</node>")
    for i, e in enumerate(graph.edges, start=1):
        data = "".join(
            f'<data key="{k}">{escape(v)}</data>'
            for k, v in (("kind", e["kind"]), ("weight", str(e["weight"])), ("measures", ", ".join(map(str, e["measures"]))))
        )
        lines.append(f'    <edge id="e{i}" source={quoteattr(e["source"])} target={quoteattr(e["target"])}>{data}</edge>')
    return "\n".join([*lines, "  </graph>", "</graphml>"]) + "\n"


SERIALISERS = {"json": _json, "mermaid": _mermaid, "dot": _dot, "graphml": _graphml}


def serialise(graph: Network, fmt: str) -> str:
    return SERIALISERS[fmt](graph)
