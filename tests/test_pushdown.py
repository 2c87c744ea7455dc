"""The Neo4j store's Cypher push-down of the accountability walk gives the same chain
as the NetworkX reference, on a tangled test graph and on the real dataset."""

from __future__ import annotations

import networkx as nx
import pytest

from govmap.model import NodeKind
from govmap.queries.accountability import paths_from_pushdown, paths_to_top
from govmap.seed import default_seed_dir, read_seed
from govmap.stores import ChangeSet, GraphStore
from tests.test_queries import graph


def _same_paths(store: GraphStore, g: nx.MultiDiGraph, start: str) -> None:
    def shape(paths):  # type: ignore[no-untyped-def]
        return sorted((p.ends, tuple((h.upper.id, h.evidence.type) for h in p.hops)) for p in paths)

    pushed = paths_from_pushdown(g, start, store.upward_paths(start))  # type: ignore[attr-defined]
    assert shape(pushed) == shape(paths_to_top(g, start)), start


def _load(store: GraphStore, g: nx.MultiDiGraph) -> None:
    store.write(ChangeSet(upsert_entities=[d["entity"] for _, d in g.nodes(data=True)],
                          upsert_relations=[d["relation"] for *_, d in g.edges(data=True)],
                          replace=True))


@pytest.fixture
def bolt_store(store: GraphStore) -> GraphStore:
    if store.kind != "neo4j":
        pytest.skip("the push-down belongs to the Neo4j store")
    return store


def test_pushdown_matches_on_a_tangled_graph(bolt_store: GraphStore) -> None:
    g = graph({"lead": "board", "x": "board", "gov": "government", "fm": "ministerial_post",
               "parl": "parliament", "orphan": "group", "dir": "directorate"}, ["act"],
              ["lead LEADS act", "lead REPORTS_TO x", "x REPORTS_TO lead", "lead REPORTS_TO gov",
               "dir PART_OF gov", "lead ACCOUNTABLE_TO dir", "gov ACCOUNTABLE_TO fm",
               "parl HOLDS_TO_ACCOUNT fm", "x REPORTS_TO orphan"])
    _load(bolt_store, g)
    for start in g:
        _same_paths(bolt_store, g, start)


def test_pushdown_matches_on_the_real_dataset(bolt_store: GraphStore) -> None:
    dataset = read_seed(default_seed_dir())
    bolt_store.write(ChangeSet.replacing_with(dataset))
    g = bolt_store.snapshot()
    bodies = [n for n in g if g.nodes[n]["entity"].kind == NodeKind.BODY]
    assert len(bodies) > 50
    for start in bodies:
        _same_paths(bolt_store, g, start)
