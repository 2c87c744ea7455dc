"""A whole-graph pass shares one `UpwardMemo`; its chains must be exactly those of
walking afresh for each subject, on every shape the landscapes hold (circular, broken,
several principals, soft lines) and on a filtered view of the real seed."""

from __future__ import annotations

import gc

import networkx as nx
import pytest

from benchmarks.landscape import landscape_graph
from govmap.queries.accountability import UpwardMemo, accountability_chain, all_chains
from govmap.queries.common import collector_paused, entity, on_evidence
from govmap.seed import default_seed_dir, read_seed
from govmap.snapshot import build_snapshot


def _afresh(graph: nx.MultiDiGraph) -> list[dict[str, object]]:
    subjects = sorted(n for n in graph if entity(graph, n).kind in ("action", "body"))
    return [accountability_chain(graph, n).model_dump() for n in subjects]


def _real() -> nx.MultiDiGraph:
    data = read_seed(default_seed_dir())
    return build_snapshot(data.entities, data.relations)


@pytest.mark.parametrize("graph", [landscape_graph(1500, seed=11), on_evidence(_real(), "documents")],
                         ids=["landscape", "real-documents-view"])
def test_a_shared_memo_gives_exactly_the_chains_of_walking_afresh(graph: nx.MultiDiGraph) -> None:
    assert [c.model_dump() for c in all_chains(graph)] == _afresh(graph)


def test_a_memo_of_another_graph_is_refused() -> None:
    graph = landscape_graph(300)
    with pytest.raises(ValueError, match="another graph"):
        accountability_chain(graph, "action-1", memo=UpwardMemo(landscape_graph(300)))


def test_a_pass_resumes_the_collector_even_when_it_fails() -> None:
    assert gc.isenabled()
    all_chains(landscape_graph(300))
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("a pass that fails")
    assert gc.isenabled()
