"""Pieces every query shares: dated views of the graph, name resolution, result parts.

Every query reads a snapshot (`networkx.MultiDiGraph`, see `govmap.snapshot`), first
narrowed to a day with `as_at` when the reviewer asks about a date, and accepts an
entity by id, name or alias through `resolve`.
"""

from __future__ import annotations

import datetime as dt
import gc
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import networkx as nx
from pydantic import BaseModel
from rapidfuzz import fuzz, process

from govmap.errors import NotFoundError
from govmap.model import Confidence, Entity, Relation, Source, Strength
from govmap.search import normalise


class EntityRef(BaseModel):
    """Enough of an entity to name it in a result."""

    id: str
    name: str
    kind: str
    type: str | None = None

    @classmethod
    def of(cls, entity: Entity) -> EntityRef:
        return cls(id=entity.id, name=entity.name, kind=str(entity.kind), type=entity.type)


EvidenceMode = Literal["all", "documents"]
Basis = Literal["documents", "reference"]


class Evidence(BaseModel):
    """A relation a result rests on, with its confidence and sources.

    `basis` is ``reference`` when the relation rests only on the cited background layer
    (statutes and official pages), ``documents`` when the evidence base supports it.
    """

    source: str
    type: str
    target: str
    confidence: Confidence
    basis: Basis
    strength: Strength | None = None
    note: str | None = None
    sources: list[Source]

    @classmethod
    def of(cls, relation: Relation) -> Evidence:
        return cls(source=relation.source, type=str(relation.type), target=relation.target,
                   confidence=relation.confidence,
                   basis="reference" if relation.is_reference_only else "documents",
                   strength=relation.strength, note=relation.note, sources=relation.sources)


def as_at(graph: nx.MultiDiGraph, day: dt.date | None) -> nx.MultiDiGraph:
    """The part of `graph` valid on `day`: entities and relations whose dates include it.

    A relation is dropped when either end is. Without a day, the graph itself.

    >>> from govmap.snapshot import build_snapshot
    >>> old = Entity(id="old", kind="body", type="board", name="Old", valid_to=dt.date(2020, 1, 1))
    >>> list(as_at(build_snapshot([old], []), dt.date(2024, 1, 1)))
    []
    """
    if day is None:
        return graph

    def node_ok(node: str) -> bool:
        return graph.nodes[node]["entity"].valid_on(day)

    def edge_ok(u: str, v: str, key: str) -> bool:
        return graph.edges[u, v, key]["relation"].valid_on(day)

    return nx.subgraph_view(graph, filter_node=node_ok, filter_edge=edge_ok)


def on_evidence(graph: nx.MultiDiGraph, evidence: EvidenceMode) -> nx.MultiDiGraph:
    """The part of `graph` that `evidence` admits: everything (``all``), or only what the
    documents support (``documents``), without the reference layer's lines and entities.

    >>> from govmap.snapshot import build_snapshot
    >>> ref = Source(kind="reference", citation="An Act, s. 1", url="https://example.org/s1")
    >>> p = Entity(id="p", kind="body", type="parliament", name="P", sources=[ref])
    >>> g = build_snapshot([p], [])
    >>> list(on_evidence(g, "documents")), list(on_evidence(g, "all"))
    ([], ['p'])
    """
    if evidence == "all":
        return graph

    def node_ok(node: str) -> bool:
        return not graph.nodes[node]["entity"].is_reference_only

    def edge_ok(u: str, v: str, key: str) -> bool:
        return not graph.edges[u, v, key]["relation"].is_reference_only

    return nx.subgraph_view(graph, filter_node=node_ok, filter_edge=edge_ok)


def documents_only(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """`on_evidence(graph, "documents")` as a graph of its own, for a pass over every
    entity: `graph` itself when nothing in it rests on the reference layer alone, else
    a copy (a filtered view checks every node and line it reads, 10x a plain lookup).

    >>> from govmap.snapshot import build_snapshot
    >>> g = build_snapshot([Entity(id="a", kind="body", type="board", name="A")], [])
    >>> documents_only(g) is g
    True
    """
    if any(d["entity"].is_reference_only for _, d in graph.nodes(data=True)) or any(
            d["relation"].is_reference_only for _, _, d in graph.edges(data=True)):
        return nx.MultiDiGraph(on_evidence(graph, "documents"))
    return graph


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a whole-graph pass, and resume it (if
    it was on) when the pass ends.

    A pass builds hundreds of thousands of small result models that reference counting
    frees; each young generation they fill made the collector scan everything alive
    again, which was half the time of all chains at 10^4 entities. Only cyclic garbage
    made during the pass waits for the next collection.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def entity(graph: nx.MultiDiGraph, node: str) -> Entity:
    return graph.nodes[node]["entity"]


@dataclass(frozen=True)
class NameIndex:
    """Every normalised name and alias of a graph's entities, built once per graph."""

    exact: dict[str, list[str]]
    choices: dict[tuple[str, int], str]


_NAME_INDEXES: weakref.WeakKeyDictionary[nx.Graph, NameIndex] = weakref.WeakKeyDictionary()


def name_index(graph: nx.MultiDiGraph) -> NameIndex:
    """The names of `graph`, cached for as long as the graph lives: a snapshot is never
    changed in place (a write makes a new one; a what-if works on a copy)."""
    index = _NAME_INDEXES.get(graph)
    if index is None:
        exact: dict[str, list[str]] = {}
        choices: dict[tuple[str, int], str] = {}
        for node in graph:
            for i, name in enumerate(entity(graph, node).names):
                key = normalise(name)
                exact.setdefault(key, []).append(node)
                choices[(node, i)] = key
        index = _NAME_INDEXES[graph] = NameIndex(exact, choices)
    return index


def resolve(graph: nx.MultiDiGraph, text: str, *, kinds: set[str] | None = None) -> Entity:
    """The one entity that `text` names: an id, a name or an alias, in any case and
    with any punctuation, or a near spelling of one.

    Raises `NotFoundError` with the closest candidates when nothing, or more than one
    entity, fits well enough: a name is never guessed. Names are looked up in an index
    built once per graph, so a lookup does not walk every entity.

    >>> from govmap.snapshot import build_snapshot
    >>> g = build_snapshot([Entity(id="chs", kind="body", type="public_body",
    ...     name="Children's Hearings Scotland", aliases=["CHS"])], [])
    >>> resolve(g, "childrens hearings scotland").id, resolve(g, "chs").id
    ('chs', 'chs')
    >>> resolve(g, "Childrens Hearing Scotland").id  # a near spelling
    'chs'
    """
    def fits(node: str) -> bool:
        return kinds is None or str(entity(graph, node).kind) in kinds

    if text in graph and fits(text):
        return entity(graph, text)
    query = normalise(text)
    if not query:
        raise NotFoundError("an empty name names nothing")
    index = name_index(graph)
    exact = sorted({n for n in index.exact.get(query, []) if fits(n)})
    if len(exact) == 1:
        return entity(graph, exact[0])
    if len(exact) > 1:
        raise NotFoundError(f"{text!r} names {len(exact)} entities; give an id",
                            candidates=exact)
    choices = index.choices if kinds is None else {
        k: v for k, v in index.choices.items() if fits(k[0])}
    scored = process.extract(query, choices, scorer=fuzz.WRatio, limit=20)
    best: dict[str, float] = {}
    for _, score, (node, _) in scored:
        best[node] = max(best.get(node, 0), score)
    ranked = sorted(best.items(), key=lambda p: -p[1])
    top, runner_up = ranked[0] if ranked else (None, 0.0), ranked[1] if len(ranked) > 1 else (None, 0.0)
    if top[0] is not None and top[1] >= 90 and top[1] - runner_up[1] >= 3:
        return entity(graph, top[0])
    candidates = [node for node, score in ranked[:5] if score >= 60]
    hint = f"; did you mean {', '.join(candidates)}?" if candidates else ""
    raise NotFoundError(f"no entity is named {text!r}{hint}", candidates=candidates)
