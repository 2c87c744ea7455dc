"""The real dataset stays honest: sourced, verifiable, unambiguous, complete for actions,
and the answers reviewers rely on hold on it."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from govmap.api.deps import get_store
from govmap.api.main import create_app
from govmap.cli import app
from govmap.evidence import dataset_sources, unfound_excerpts
from govmap.model import Dataset, NodeKind
from govmap.queries.accountability import accountability_chain
from govmap.queries.duplication import duplication
from govmap.queries.gaps import gaps
from govmap.search import normalise
from govmap.seed import default_seed_dir, read_seed
from govmap.settings import Settings
from govmap.snapshot import build_snapshot
from govmap.stores import ChangeSet, SqliteStore

SOURCES_DIR = Path(os.environ.get("GOVMAP_SOURCES_DIR")
                   or Path(__file__).resolve().parents[2] / "shared" / "seeds")


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return read_seed(default_seed_dir())


@pytest.fixture(scope="module")
def graph(dataset: Dataset) -> nx.MultiDiGraph:
    return build_snapshot(dataset.entities, dataset.relations)


def test_source_documents_are_present() -> None:
    # a missing folder fails here rather than letting the evidence tests pass vacuously
    assert SOURCES_DIR.is_dir(), f"source documents not found at {SOURCES_DIR}"
    assert len(list(SOURCES_DIR.glob("*.txt"))) == 5


def test_every_excerpt_is_found_in_its_document(dataset: Dataset) -> None:
    unfound = unfound_excerpts(dataset, SOURCES_DIR)
    assert unfound == [], "\n".join(str(u) for u in unfound[:20])
    assert sum(1 for _ in dataset_sources(dataset)) > 500


def test_nothing_without_a_source(dataset: Dataset) -> None:
    assert [e.id for e in dataset.entities if not e.sources] == []
    assert [r.key for r in dataset.relations if not r.sources] == []


def test_excerpts_are_short_quotations(dataset: Dataset) -> None:
    too_long = [(owner, len(s.excerpt.split())) for owner, s in dataset_sources(dataset)
                if s.excerpt and len(s.excerpt.split()) > 60]
    assert too_long == []


def test_names_and_aliases_resolve_to_one_id(dataset: Dataset) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for entity in dataset.entities:
        for name in entity.names:
            owners[normalise(name)].add(entity.id)
    shared = {name: ids for name, ids in owners.items() if len(ids) > 1}
    assert shared == {}


def test_every_action_has_priority_area_and_status(dataset: Dataset) -> None:
    actions = [e for e in dataset.entities if e.kind == NodeKind.ACTION]
    assert len(actions) == 25  # the 25 Plan 21-24 actions of Change Programme ONE
    assert [a.id for a in actions if not a.priority_area or not a.status] == []
    assert [a.id for a in actions if a.commitment_received is None] == []


def test_every_action_has_its_leads(graph: nx.MultiDiGraph) -> None:
    actions = [n for n in graph if graph.nodes[n]["kind"] == "action"]
    leads = {a: [u for u, _, k in graph.in_edges(a, keys=True) if k == "LEADS"] for a in actions}
    assert [a for a, ls in leads.items() if not ls] == []


def test_size_of_the_landscape(dataset: Dataset) -> None:
    assert len(dataset.entities) >= 150
    assert sum(e.kind == NodeKind.BODY for e in dataset.entities) >= 90
    assert len(dataset.relations) >= 350
    assert sum(len(e.facts) for e in dataset.entities) >= 10


def test_stats_command_reports_the_counts(dataset: Dataset) -> None:
    result = CliRunner().invoke(app, ["stats", "--from-seed", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["entities"] == len(dataset.entities)
    assert figures["relations"] == len(dataset.relations)
    assert figures["by_kind"]["action"] == 25
    assert figures["entities_without_sources"] == [] == figures["relations_without_sources"]


# -- the answers reviewers rely on (issue "done when" figures) ---------------------------
def test_governance_structures_is_a_gap(graph: nx.MultiDiGraph) -> None:
    found = {g.code for g in gaps(graph) if g.entity.id == "action-governance-structures"}
    assert {"action_little_or_no_work", "action_no_commitment"} <= found


@pytest.mark.parametrize("action", ["Right to Education", "Advocacy"])
def test_chain_reaches_the_top_with_evidence(graph: nx.MultiDiGraph, action: str) -> None:
    chain = accountability_chain(graph, action)
    assert chain.leads
    reaching = [p for p in chain.paths if p.ends == "top"]
    assert reaching and {t.id for t in chain.tops} <= {"scottish-parliament", "local-authorities"}
    assert all(hop.evidence.sources for p in reaching for hop in p.hops)


@pytest.mark.parametrize("body", ["promise-oversight-board", "independent-strategic-advisor",
                                  "the-promise-scotland"])
def test_key_bodies_show_where_accountability_runs(graph: nx.MultiDiGraph, body: str) -> None:
    chain = accountability_chain(graph, body)
    assert any(p.ends == "top" and p.hops for p in chain.paths), chain.explanation


def test_the_promise_scotland_ends_in_2030(graph: nx.MultiDiGraph) -> None:
    flags = {f.code for f in accountability_chain(graph, "The Promise Scotland").flags}
    assert "ends" in flags


def test_recognisable_overlaps(graph: nx.MultiDiGraph) -> None:
    strong = {(p.a.id, p.b.id) for p in duplication(graph, min_score=0.5).pairs}
    assert ("childrens-hearings-scotland", "scottish-childrens-reporter-administration") in strong
    # the two workforce regulators share leads on several actions, a weaker overlap
    weaker = {(p.a.id, p.b.id) for p in duplication(graph, min_score=0.2).pairs}
    assert ("care-inspectorate", "scottish-social-services-council") in weaker


def test_stated_counts_are_facts_the_api_returns(tmp_path: Path, dataset: Dataset) -> None:
    store = SqliteStore(tmp_path / "facts.db")
    store.write(ChangeSet.replacing_with(dataset))
    service = create_app(Settings(db=tmp_path / "unused.db"))
    service.dependency_overrides[get_store] = lambda: store
    with TestClient(service) as client:
        directorates = client.get("/facts", params={"q": "directorates"}).json()
    assert any(f["entity"]["id"] == "scottish-government" and f["fact"]["value"] == 26
               and f["fact"]["total"] == 43 and f["fact"]["sources"] for f in directorates)
