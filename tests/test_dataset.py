"""The real dataset stays honest: sourced, verifiable, unambiguous, complete for actions,
and the answers reviewers rely on hold on it."""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from govmap.cli import app
from govmap.evidence import dataset_sources, unfound_excerpts
from govmap.model import Dataset, NodeKind
from govmap.queries.accountability import STANDING_ORDER, accountability_chain, action_standing
from govmap.queries.common import on_evidence
from govmap.search import normalise
from govmap.seed import default_seed_dir, read_seed
from govmap.snapshot import build_snapshot

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
@pytest.mark.parametrize("action", ["Right to Education", "Advocacy"])
def test_chain_reaches_the_top_with_evidence(graph: nx.MultiDiGraph, action: str) -> None:
    chain = accountability_chain(graph, action)
    assert chain.leads
    reaching = [p for p in chain.paths if p.ends == "top"]
    assert reaching and {t.id for t in chain.tops} <= {"scottish-parliament", "local-authorities"}
    assert all(hop.evidence.sources for p in reaching for hop in p.hops)


def test_the_government_answers_to_the_parliament_formally_on_a_cited_line(
        graph: nx.MultiDiGraph) -> None:
    chain = accountability_chain(graph, "scottish-government")
    formal = [p for p in chain.paths if p.standing == "formal"]
    assert chain.standing == "formal" and formal
    [hop] = formal[0].hops
    assert hop.upper.id == "scottish-parliament" and hop.evidence.basis == "reference"
    assert hop.evidence.sources[0].citation.startswith("Scotland Act 1998")
    # the documents alone give the Government no line to the Parliament but the Board's
    documents = accountability_chain(on_evidence(graph, "documents"), "scottish-government")
    assert documents.standing == "soft_only" and documents.soft_oversight_only
    assert [h.upper.id for h in documents.paths[0].hops] == ["promise-oversight-board",
                                                             "scottish-parliament"]


def test_every_action_says_how_its_leads_reach_the_top(graph: nx.MultiDiGraph) -> None:
    actions = sorted(n for n in graph if graph.nodes[n]["entity"].kind == NodeKind.ACTION)
    by_evidence = {}
    for evidence in ("all", "documents"):
        view = on_evidence(graph, evidence)
        chains = [accountability_chain(view, a) for a in actions]
        assert len(chains) == 25 and all(c.starts for c in chains)
        assert all(c.standing == action_standing(c.starts) for c in chains)
        by_evidence[evidence] = [STANDING_ORDER.index(c.standing) for c in chains]
    # the documents alone establish no formal line for any action: they take them for
    # granted; the reference layer only ever strengthens an answer
    assert STANDING_ORDER.index("formal") not in by_evidence["documents"]
    assert all(full <= alone for full, alone in zip(by_evidence["all"], by_evidence["documents"],
                                                   strict=True))
    assert by_evidence["all"].count(STANDING_ORDER.index("formal")) >= 8


def test_one_lead_that_answers_to_no_one_keeps_an_action_from_being_formal(
        graph: nx.MultiDiGraph) -> None:
    chain = accountability_chain(graph, "Youth Justice")
    by_lead = {s.body.id: s.standing for s in chain.starts}
    assert by_lead["scottish-government"] == by_lead["police-scotland"] == "formal"
    assert by_lead["young-offender-institutions"] == "outside_scope"
    assert chain.standing == by_lead["scottish-sentencing-council"] == "broken"
    assert "judged on its weakest lead" in chain.explanation


def test_advocacy_is_judged_on_every_lead(graph: nx.MultiDiGraph) -> None:
    chain = accountability_chain(graph, "Advocacy")
    by_lead = {s.body.id: s.standing for s in chain.starts}
    assert by_lead == {"scottish-government": "formal", "local-authorities": "formal",
                       "childrens-services-planning-partnerships": "formal",
                       "advocacy-and-legal-services-providers": "outside_scope"}
    assert chain.standing == "formal" and "each answering to its own electorate" in chain.explanation
    documents = accountability_chain(on_evidence(graph, "documents"), "Advocacy")
    assert documents.standing == "broken"
    assert {f.entities[0] for f in documents.flags if f.code == "soft_oversight_only"} == {
        "scottish-government"}


@pytest.mark.parametrize(("body", "standing"), [
    ("audit-scotland", "formal"), ("accounts-commission", "formal"),
    ("care-inspectorate", "formal"), ("police-scotland", "formal"),
    ("promise-oversight-board", "soft_only"), ("cosla", "soft_only"),
    ("court-of-session", "outside_scope"), ("ofsted", "outside_scope"),
    ("english-care-review", "outside_scope"),
])
def test_bodies_stand_where_a_reviewer_expects(graph: nx.MultiDiGraph, body: str,
                                               standing: str) -> None:
    chain = accountability_chain(graph, body)
    assert chain.standing == standing, chain.explanation
    assert "broken_chain" not in {f.code for f in chain.flags}


@pytest.mark.parametrize("body", ["promise-oversight-board", "independent-strategic-advisor",
                                  "the-promise-scotland"])
def test_key_bodies_show_where_accountability_runs(graph: nx.MultiDiGraph, body: str) -> None:
    chain = accountability_chain(graph, body)
    assert any(p.ends == "top" and p.hops for p in chain.paths), chain.explanation


def test_the_promise_scotland_ends_in_2030(graph: nx.MultiDiGraph) -> None:
    flags = {f.code for f in accountability_chain(graph, "The Promise Scotland").flags}
    assert "ends" in flags


def test_stated_counts_are_facts_the_api_returns(real_client: TestClient) -> None:
    directorates = real_client.get("/facts", params={"q": "directorates"}).json()
    assert any(f["entity"]["id"] == "scottish-government" and f["fact"]["value"] == 26
               and f["fact"]["total"] == 43 and f["fact"]["sources"] for f in directorates)


def test_every_stated_finding_says_what_it_concerns_and_who_assessed_it(dataset: Dataset) -> None:
    entities = {e.id: e for e in dataset.entities}
    findings = [e for e in dataset.entities if e.kind == NodeKind.FINDING]
    assert len(findings) >= 80
    by_finding: dict[str, set[str]] = defaultdict(set)
    for r in dataset.relations:
        if r.source in entities and entities[r.source].kind == NodeKind.FINDING:
            by_finding[r.source].add(str(r.type))
    assert all(by_finding[f.id] == {"CONCERNS", "ASSESSED_BY"} for f in findings)
    # a finding of "little or no work" agrees with the Change Programme's verdict on its action
    for r in dataset.relations:
        finding = entities[r.source]
        if finding.kind == NodeKind.FINDING and finding.type == "little_or_no_work" \
                and r.type == "CONCERNS" and entities[r.target].kind == NodeKind.ACTION:
            assert entities[r.target].status == "little_or_no_work", (finding.id, r.target)


def _bare_file_names(value: object, found: list[str]) -> list[str]:
    """Every document file name in a JSON value that is not given with its title."""
    if isinstance(value, dict):
        if isinstance(value.get("document"), str) and value["document"].endswith(".txt") \
                and not value.get("title"):
            found.append(value["document"])
        for item in value.values():
            _bare_file_names(item, found)
    elif isinstance(value, list):
        for item in value:
            _bare_file_names(item, found)
    return found


def test_documents_are_named_by_title_wherever_evidence_is_shown(real_client: TestClient) -> None:
    answers = [real_client.get("/accountability", params={"for": "Advocacy"}).json(),
               real_client.get("/entities/the-promise-scotland").json(),
               real_client.get("/analysis/gaps", params={"limit": 500}).json(),
               real_client.get("/analysis/duplication").json(),
               real_client.get("/reports/streamlining", params={"format": "json"}).json()]
    html = real_client.get("/reports/streamlining").text
    assert _bare_file_names(answers, []) == []
    title = "Change Programme ONE: the published report (The Promise Scotland, 2021)"
    at = [m.start() for m in re.finditer(re.escape("002_9f6e7a63684db722.txt"), html)]
    assert at and all(title in html[max(0, i - 200):i] for i in at)  # the title comes first
