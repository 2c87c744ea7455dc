"""Counts that describe a graph: by kind, body type and relationship type, and gaps in
its evidence (entities and relations that cite no source)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

import networkx as nx


@dataclass(frozen=True)
class GraphStats:
    entities: int
    relations: int
    by_kind: dict[str, int]
    by_body_type: dict[str, int]
    by_relation_type: dict[str, int]
    by_confidence: dict[str, int]
    facts: int
    entities_without_sources: list[str]
    relations_without_sources: list[str]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def graph_stats(graph: nx.MultiDiGraph) -> GraphStats:
    """Count what `graph` (a snapshot) holds.

    >>> from govmap.snapshot import build_snapshot
    >>> from govmap.model import Entity
    >>> graph_stats(build_snapshot([Entity(id="a", kind="action", name="A")], [])).by_kind
    {'action': 1}
    """
    entities = [data["entity"] for _, data in graph.nodes(data=True)]
    relations = [data["relation"] for _, _, data in graph.edges(data=True)]

    def tally(values: list[str]) -> dict[str, int]:
        return dict(sorted(Counter(values).items()))

    return GraphStats(
        entities=len(entities),
        relations=len(relations),
        by_kind=tally([str(e.kind) for e in entities]),
        by_body_type=tally([e.type for e in entities if e.kind == "body" and e.type]),
        by_relation_type=tally([str(r.type) for r in relations]),
        by_confidence=tally([str(r.confidence) for r in relations]),
        facts=sum(len(e.facts) for e in entities),
        entities_without_sources=sorted(e.id for e in entities if not e.sources),
        relations_without_sources=sorted(r.key for r in relations if not r.sources),
    )
