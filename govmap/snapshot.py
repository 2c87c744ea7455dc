"""The store's graph as a `networkx.MultiDiGraph`, the one meaning every query reads.

Nodes are entity ids with the `Entity` under the `entity` attribute (plus `kind`,
`type` and `name` for convenience); edges are keyed by relationship type and carry
the `Relation` under `relation`.

>>> from govmap.model import Entity, Relation
>>> a = Entity(id="a", kind="body", type="board", name="A")
>>> b = Entity(id="b", kind="body", type="government", name="B")
>>> g = build_snapshot([a, b], [Relation(source="a", type="REPORTS_TO", target="b")])
>>> list(g.edges(keys=True))
[('a', 'b', 'REPORTS_TO')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from threading import Lock

import networkx as nx

from govmap.model import Entity, Relation


def build_snapshot(entities: Iterable[Entity], relations: Iterable[Relation]) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for entity in entities:
        graph.add_node(entity.id, entity=entity, kind=str(entity.kind), type=entity.type,
                       name=entity.name)
    for relation in relations:
        graph.add_edge(relation.source, relation.target, key=str(relation.type),
                       relation=relation)
    return graph


class SnapshotCache:
    """Holds the last snapshot and rebuilds it when the store's revision moves: one build
    at a time, and no reader waits for it.

    A rebuild reads and parses the whole store (30-40 ms on the real map, more with a
    garbage collection); under one lock, every request after a write queued behind it.
    Now, while one thread builds, other readers get the last graph built (its
    `graph["revision"]` says which): a read that runs alongside a write may see the map
    as it was before that write, never older than the last build. Only with no graph
    yet does a reader wait, for the first one.

    Whoever made a write reads it back: the store calls `refresh` after each write,
    before the write returns, and that waits for a graph that holds it. So a request
    that starts after a write was acknowledged sees it. A write by another process on
    the same store shows in the first build that starts after it.

    The cached graph is shared: callers must copy it before changing it.
    """

    def __init__(self) -> None:
        self._building = Lock()  # held by the one thread that builds
        # Replaced whole once built and never changed afterwards: read without a lock.
        self._graph: nx.MultiDiGraph | None = None

    def get(self, revision: int, build: Callable[[], nx.MultiDiGraph]) -> nx.MultiDiGraph:
        """The graph of `revision` or, while another thread builds, the last one built."""
        graph = self._graph
        if graph is not None and graph.graph["revision"] == revision:
            return graph
        if graph is not None and not self._building.acquire(blocking=False):
            return graph
        if graph is None:
            self._building.acquire()
        try:
            return self._build(revision, build)
        finally:
            self._building.release()

    def refresh(self, revision: int, build: Callable[[], nx.MultiDiGraph]) -> None:
        """Bring the cached graph up to `revision`, just written: waits for a build in
        progress, then builds, so that the writer reads back what it wrote. With no graph
        cached yet there is nothing to bring up to date (the first read builds one)."""
        with self._building:
            if self._graph is not None:
                self._build(revision, build)

    def _build(self, revision: int, build: Callable[[], nx.MultiDiGraph]) -> nx.MultiDiGraph:
        """The graph of `revision`, built unless the thread before us did; `_building` held."""
        graph = self._graph
        # a newer graph than asked for (a write landed meanwhile) is kept, not relabelled
        if graph is None or graph.graph["revision"] < revision:
            graph = build()
            graph.graph["revision"] = revision
            self._graph = graph
        return graph
