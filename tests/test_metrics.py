"""Structure metrics: betweenness from rustworkx gives exactly networkx's figures over the
bodies with an upward line, so the rankings a reviewer reads are exact betweenness's."""

from __future__ import annotations

import networkx as nx
import pytest

from benchmarks.landscape import landscape
from govmap.analysis import metrics
from govmap.analysis.metrics import betweenness, structure_metrics
from govmap.queries.accountability import all_chains, upward_graph
from govmap.queries.common import collector_paused
from govmap.seed import default_seed_dir, read_seed
from govmap.snapshot import build_snapshot


def _networkx_betweenness(up: nx.DiGraph) -> dict[str, float]:
    """networkx's exact betweenness over the bodies with an upward line."""
    with collector_paused():
        shares = nx.betweenness_centrality(up.subgraph(n for n in up if up.degree(n)))
    return {k: v for k, v in shares.items() if v}


def test_the_real_dataset_keeps_its_metrics(monkeypatch: pytest.MonkeyPatch) -> None:
    data = read_seed(default_seed_dir())
    real = build_snapshot(data.entities, data.relations)
    figures = structure_metrics(real)
    monkeypatch.setattr(metrics, "betweenness", _networkx_betweenness)
    assert figures == structure_metrics(real)  # every ranking, value and explanation
    (between,) = [m for m in figures.metrics if m.name == "betweenness"]
    assert between.ranking[0].entity.id == "scottish-government"
    assert between.ranking[0].value > 0.01  # a share of the bodies' paths, not of every pair
    assert "load" not in {m.name for m in figures.metrics}  # it ranked exactly as betweenness


def test_a_synthetic_landscape_gets_exact_betweenness() -> None:
    data = landscape(2_000)
    up = upward_graph(build_snapshot(data.entities, data.relations))
    expected = _networkx_betweenness(up)
    found = betweenness(up)
    assert len(found) > 100 and found.keys() == expected.keys()
    assert max(abs(found[k] - expected[k]) / expected[k] for k in expected) < 1e-12


def test_many_masters_counts_formal_principals_as_the_chains_flag_does() -> None:
    data = read_seed(default_seed_dir())
    real = build_snapshot(data.entities, data.relations)
    (masters,) = [m for m in structure_metrics(real).metrics if m.name == "many_masters"]
    named = {r.entity.id for r in masters.ranking}
    flagged = {f.entities[0] for c in all_chains(real) for f in c.flags
               if f.code == "several_principals"}
    assert named and named <= flagged
    assert "kinship-care-collaborative" not in named  # convened by two, through soft lines only
