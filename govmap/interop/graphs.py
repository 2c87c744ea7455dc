"""Graph tools' formats, written and read with networkx: GraphML (yEd, Cytoscape,
Neo4j's APOC), GEXF (Gephi) and node-link JSON (d3 and most JavaScript graph
libraries).

A node is an entity, keyed by its id; an edge is a relation, keyed by its type. In
GraphML and GEXF every attribute is a scalar, so aliases, sources, facts and
commitments travel as JSON text (`govmap.interop.flat`); GEXF would otherwise read a
list-valued attribute as time data. Node-link JSON keeps them as JSON. All three
hold the whole record, so a round trip gives back the same dataset.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import ParseError

import networkx as nx

from govmap.interop.flat import fields, flat, unflat
from govmap.interop.registry import Row, register, unreadable
from govmap.model import Dataset

EDGE_ENDS = ("source", "type", "target")  # carried by the edge itself, not as attributes
# The type is also an edge attribute: the edge key does not survive a GEXF file whose
# node pairs are all distinct (it is read back as a simple graph, keys 0, 1, ...).
TYPE_ATTRIBUTE = "relationship"


def _graph(dataset: Dataset, attributes: Any, *, label: bool = False) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(name="govmap")
    for entity in dataset.entities:
        data = {k: v for k, v in attributes(entity).items() if k != "id"}
        graph.add_node(entity.id, **({"label": entity.name} if label else {}), **data)
    for relation in dataset.relations:
        data = {k: v for k, v in attributes(relation).items() if k not in EDGE_ENDS}
        graph.add_edge(relation.source, relation.target, key=str(relation.type),
                       **{TYPE_ATTRIBUTE: str(relation.type)}, **data)
    return graph


def _rows(graph: nx.MultiDiGraph, file: str, parse: Any) -> Iterator[Row]:
    """The graph's nodes and edges as rows, numbered in document order."""
    for index, (node, data) in enumerate(graph.nodes(data=True)):
        data = {k: v for k, v in data.items() if k != "label"}
        if not data:  # only the end of an edge: an entity the file does not hold
            continue
        yield Row("entities", parse("entities", {"id": node, **data}), f"{file} (node {node})",
                  None, index)
    for index, (source, target, key, data) in enumerate(graph.edges(keys=True, data=True)):
        data = {k: v for k, v in data.items() if k not in ("id", "label")}  # GEXF's own
        type = data.pop(TYPE_ATTRIBUTE, key)
        where = f"{file} (edge {source} {type} {target})"
        yield Row("relations", parse("relations", {**data, "source": source, "type": type,
                                                   "target": target}), where, None, index)


def _as_is(section: str, data: dict[str, Any]) -> dict[str, Any]:
    return data


def _read_xml(read: Any, content: bytes, file: str, what: str) -> nx.MultiDiGraph:
    try:
        graph = read(io.BytesIO(content))
    except (ParseError, nx.NetworkXError, ValueError, KeyError, TypeError) as exc:
        raise unreadable(file, f"not {what}: {exc}") from None
    if not isinstance(graph, nx.MultiDiGraph):
        graph = nx.MultiDiGraph(graph)
    return graph


def read_graphml(content: bytes, file: str) -> Iterator[Row]:
    graph = _read_xml(lambda f: nx.read_graphml(f, force_multigraph=True), content, file, "GraphML")
    return _rows(graph, file, unflat)


def read_gexf(content: bytes, file: str) -> Iterator[Row]:
    return _rows(_read_xml(nx.read_gexf, content, file, "GEXF"), file, unflat)


def read_node_link(content: bytes, file: str) -> Iterator[Row]:
    try:
        graph = nx.node_link_graph(json.loads(content), directed=True, multigraph=True, edges="links")
    except (ValueError, KeyError, TypeError, AttributeError, nx.NetworkXError) as exc:
        raise unreadable(file, f"not node-link JSON: {exc}") from None
    return _rows(graph, file, _as_is)


@register("graphml", media_type="application/graphml+xml", extension="graphml",
          description="GraphML, for yEd, Cytoscape and Neo4j's APOC import", read=read_graphml)
def write_graphml(dataset: Dataset) -> bytes:
    out = io.BytesIO()
    nx.write_graphml(_graph(dataset, flat), out, encoding="utf-8")
    return out.getvalue()


@register("gexf", media_type="application/gexf+xml", extension="gexf",
          description="GEXF 1.2, for Gephi (label = the entity's name)", read=read_gexf)
def write_gexf(dataset: Dataset) -> bytes:
    out = io.BytesIO()
    nx.write_gexf(_graph(dataset, flat, label=True), out, encoding="utf-8")
    return out.getvalue()


@register("node-link", media_type="application/json", extension="json",
          description="networkx node-link JSON (nodes and links), for d3 and JavaScript graph tools",
          read=read_node_link)
def write_node_link(dataset: Dataset) -> bytes:
    data = nx.node_link_data(_graph(dataset, fields), edges="links")
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
