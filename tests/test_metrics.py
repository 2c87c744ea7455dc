"""Structure metrics: betweenness from rustworkx gives exactly networkx's figures, so the
rankings a reviewer reads are the ones exact betweenness gave before it was made fast."""

from __future__ import annotations

import networkx as nx
import pytest

from benchmarks.landscape import landscape
from govmap.analysis import metrics
from govmap.analysis.metrics import betweenness, structure_metrics
from govmap.queries.accountability import upward_graph
from govmap.queries.common import collector_paused
from govmap.seed import default_seed_dir, read_seed
from govmap.snapshot import build_snapshot


def _networkx_betweenness(up: nx.DiGraph) -> dict[str, float]:
    """The computation structure_metrics made before: networkx's exact betweenness."""
    with collector_paused():
        return nx.betweenness_centrality(up)


def test_the_real_dataset_keeps_its_metrics(monkeypatch: pytest.MonkeyPatch) -> None:
    data = read_seed(default_seed_dir())
    real = build_snapshot(data.entities, data.relations)
    figures = structure_metrics(real)
    monkeypatch.setattr(metrics, "betweenness", _networkx_betweenness)
    assert figures == structure_metrics(real)  # every ranking, value and explanation
    ranked = {m.name: [r.entity.id for r in m.ranking] for m in figures.metrics}
    assert ranked["betweenness"][0] == ranked["load"][0] == "scottish-government"


def test_a_synthetic_landscape_gets_exact_betweenness() -> None:
    data = landscape(2_000)
    up = upward_graph(build_snapshot(data.entities, data.relations))
    expected = {k: v for k, v in _networkx_betweenness(up).items() if v}
    found = betweenness(up)
    assert len(found) > 100 and found.keys() == expected.keys()
    assert max(abs(found[k] - expected[k]) / expected[k] for k in expected) < 1e-12
