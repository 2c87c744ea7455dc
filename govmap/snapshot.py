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
    """Holds the last snapshot and rebuilds it only when the store's revision moves.

    The cached graph is shared: callers must copy it before changing it.
    """

    def __init__(self) -> None:
        self._lock = Lock()
        self._revision: int | None = None
        self._graph: nx.MultiDiGraph | None = None

    def get(self, revision: int, build: Callable[[], nx.MultiDiGraph]) -> nx.MultiDiGraph:
        with self._lock:
            if self._graph is None or self._revision != revision:
                self._graph = build()
                self._graph.graph["revision"] = revision
                self._revision = revision
            return self._graph
