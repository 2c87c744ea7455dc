"""What a Scottish public-sector governance expert expects of the findings on the real
dataset: cases from the documents the rules must find, and proposals they must never
make. Each case quotes the excerpt that decides it."""

from __future__ import annotations

import networkx as nx
import pytest

from govmap.analysis.duplication import duplication
from govmap.analysis.gaps import gaps
from govmap.analysis.recommendations import Recommendation, recommendations
from govmap.seed import default_seed_dir, read_seed
from govmap.snapshot import build_snapshot


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    dataset = read_seed(default_seed_dir())
    return build_snapshot(dataset.entities, dataset.relations)


@pytest.fixture(scope="module")
def recs(graph: nx.MultiDiGraph) -> list[Recommendation]:
    return recommendations(graph)


def _excerpts(gap_sources: list) -> str:  # type: ignore[type-arg]
    return " ".join(" ".join((s.excerpt or "").split()) for s in gap_sources)


# -- what the rules must find ---------------------------------------------------------
def test_the_roles_audit_scotland_asked_to_clarify_are_a_role_overlap(graph: nx.MultiDiGraph) -> None:
    """003: "There needs to be more clarity around the roles of The Promise Scotland, the
    Independent Strategic Advisor and The Oversight Board"."""
    found = {frozenset(e.id for e in f.entities) for f in duplication(graph, kind="role_overlap").findings}
    assert frozenset({"the-promise-scotland", "independent-strategic-advisor",
                      "promise-oversight-board"}) in found


def test_no_commitments_received_is_a_stated_gap(graph: nx.MultiDiGraph) -> None:
    """002, Governance Structures: "No commitments received."."""
    stated = gaps(graph, basis="stated", entity_id="action-governance-structures")
    kinds = {g.kind for g in stated}
    assert {"no_commitment", "little_or_no_work"} <= kinds
    commitment = next(g for g in stated if g.kind == "no_commitment")
    assert "No commitments received" in _excerpts(commitment.sources)
    assert [a.id for a in commitment.assessed_by] == ["the-promise-scotland"]
    assert commitment.assessed_on.year == 2021


def test_the_care_inspectorate_left_with_no_locus_is_a_scrutiny_gap(graph: nx.MultiDiGraph) -> None:
    """002, Planning: where a child is placed outside Scotland the Care Inspectorate is
    left with no locus."""
    found = gaps(graph, basis="stated", kind="no_scrutiny", entity_id="care-inspectorate")
    assert found and "outside Scotland" in _excerpts(found[0].sources)


def test_several_bodies_monitoring_the_same_progress_is_duplication(graph: nx.MultiDiGraph) -> None:
    """000: the Cabinet Sub-Committee explores progress on keeping The Promise; 002: the
    Oversight Board tracks "the pace and quality of change". The Promise Scotland also
    monitors, but "will produce regular monitoring reports for the Oversight Board": a
    chain, not a twin."""
    parallel = {f.object.id: {e.id for e in f.entities}
                for f in duplication(graph, kind="parallel_oversight").findings if f.object}
    assert parallel["the-promise"] == {"cabinet-sub-committee-on-the-promise",
                                       "promise-oversight-board"}


def test_bodies_that_end_in_2030_need_a_successor_named_by_whom_they_answer_to(
        recs: list[Recommendation]) -> None:
    """002: The Promise Scotland exists "until 2030 at the latest"."""
    succession = next(r for r in recs if r.category == "plan_succession")
    assert "the-promise-scotland" in {row.subject.id for row in succession.rows}
    assert [a.id for a in succession.addressees] == ["scottish-government"]


def test_one_owner_per_action_is_one_recommendation_with_a_table(recs: list[Recommendation]) -> None:
    """22 near-identical items become one, with the lead the text ranks first."""
    owners = [r for r in recs if r.category == "single_accountable_owner"]
    assert len(owners) == 1
    rows = {row.subject.id: [o.id for o in row.owners] for row in owners[0].rows}
    assert "action-legislation" not in rows  # one lead already: "primary responsibility"
    # 002, Service Integration: "Scottish Government has overarching lead responsibility"
    assert "action-service-integration" not in rows
    # 002, Planning: "Overall, The Scottish Government, COSLA have key responsibility";
    # Right to Education: "all have direct lead responsibility" — the text ranks or shares
    assert "action-planning" not in rows and "action-right-to-education" not in rows
    # 002, Advocacy ranks none; the providers, outside the public sector, are not candidates
    assert "advocacy-and-legal-services-providers" not in rows["action-advocacy"]


# -- what the rules must never propose ----------------------------------------------------
@pytest.mark.parametrize(("a", "b", "why"), [
    ("secure-care-providers", "young-offender-institutions",
     "co-leads of Planning and Youth Justice; The Promise's direction is to move children out"),
    ("childrens-hearings-scotland", "scottish-childrens-reporter-administration",
     "co-leads with distinct statutory functions (the panel and the Reporter)"),
    ("cabinet-secretaries", "minister-for-children-young-people-and-the-promise",
     "a group of ministers and one minister: different kinds of post"),
    ("the-promise-partnership", "dumfries-and-galloway-promise-partnership",
     "a national fund and a local partnership that share a name"),
])
def test_never_a_merger_of(graph: nx.MultiDiGraph, recs: list[Recommendation],
                           a: str, b: str, why: str) -> None:
    for finding in duplication(graph).findings:
        assert not {a, b} <= {e.id for e in finding.entities}, why
    for rec in recs:
        assert "merge" not in (rec.title + rec.action).lower(), why


def test_no_body_outside_scope_or_ended_is_asked_to_act(graph: nx.MultiDiGraph,
                                                         recs: list[Recommendation]) -> None:
    never = {"ofsted", "court-of-session", "english-care-review", "english-local-authorities",
             "independent-care-review", "nursing-and-midwifery-council", "judiciary"}
    assert never.isdisjoint({a.id for r in recs for a in r.addressees})
    assert never.isdisjoint({g.entity.id for g in gaps(graph, kind="body_no_accountability")})


def test_the_auditors_are_not_reported_as_answering_to_no_one(graph: nx.MultiDiGraph) -> None:
    unanchored = {g.entity.id for g in gaps(graph, kind="body_no_accountability")}
    assert {"audit-scotland", "accounts-commission"}.isdisjoint(unanchored)


def test_every_recommendation_says_who_acts_by_when_how_sure_and_why(
        recs: list[Recommendation]) -> None:
    for rec in recs:
        assert rec.addressees and rec.timescale and rec.confidence and rec.rows
        assert rec.evidence_count > 0, rec.id
