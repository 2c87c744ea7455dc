"""An entity and the relations around it, read from a graph snapshot."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import networkx as nx

from govmap.errors import NotFoundError
from govmap.model import Entity, Relation


@dataclass(frozen=True)
class Neighbour:
    """A relation seen from one entity: which way it points and who is at the other end."""

    direction: Literal["out", "in"]
    relation: Relation
    other: Entity


@dataclass(frozen=True)
class Neighbourhood:
    entity: Entity
    relations: list[Neighbour]


def neighbourhood(graph: nx.MultiDiGraph, entity_id: str) -> Neighbourhood:
    """`entity_id` with its relations in both directions, outgoing first.

    >>> from govmap.snapshot import build_snapshot
    >>> a = Entity(id="a", kind="body", type="board", name="A")
    >>> b = Entity(id="b", kind="body", type="government", name="B")
    >>> g = build_snapshot([a, b], [Relation(source="a", type="REPORTS_TO", target="b")])
    >>> [(n.direction, n.other.id) for n in neighbourhood(g, "b").relations]
    [('in', 'a')]
    """
    if entity_id not in graph:
        raise NotFoundError(f"no entity with id {entity_id!r}")
    around = [Neighbour("out", data["relation"], graph.nodes[target]["entity"])
              for _, target, data in graph.out_edges(entity_id, data=True)]
    around += [Neighbour("in", data["relation"], graph.nodes[source]["entity"])
               for source, _, data in graph.in_edges(entity_id, data=True)]
    around.sort(key=lambda n: (n.direction != "out", str(n.relation.type), n.other.name))
    return Neighbourhood(graph.nodes[entity_id]["entity"], around)
