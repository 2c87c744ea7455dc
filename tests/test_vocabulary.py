"""Each relationship type has one meaning: the table is complete, and every rule that a
machine can check holds across the whole dataset."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError
from ruamel.yaml import YAML

from govmap.model import (
    RELATIONSHIPS,
    Dataset,
    Entity,
    NodeKind,
    Relation,
    RelType,
    Source,
    Strength,
    joins_problems,
    relation_key,
)
from govmap.seed import default_seed_dir, read_seed
from govmap.stores.neo4j import upward_hop_statements

SEED = default_seed_dir()
TYPES = {t.value for t in RelType}


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return read_seed(SEED)


@pytest.fixture(scope="module")
def kinds(dataset: Dataset) -> dict[str, Entity]:
    return {e.id: e for e in dataset.entities}


def _excerpts(relation: Relation) -> str:
    return " ".join(" ".join((s.excerpt or "").split()) for s in relation.sources).lower()


# -- the table ----------------------------------------------------------------------
def test_every_type_has_one_entry_and_the_readme_states_its_rule() -> None:
    assert set(RELATIONSHIPS) == set(RelType)
    readme = (SEED / "README.md").read_text(encoding="utf-8")
    rows = {cells[0]: cells for line in readme.splitlines() if line.startswith("| ")
            and (cells := [c.strip() for c in line.strip("|").split(" | ")])[0] in TYPES}
    assert sorted(rows) == sorted(t.value for t in RelType), "graph_seed/README.md lacks a row"
    stale = [t for t, cells in rows.items() if cells[-1] != RELATIONSHIPS[RelType(t)].rule]
    assert stale == [], "the README's rule differs from govmap/vocabulary.py"


def test_upward_lines_are_between_bodies_and_the_cypher_walks_exactly_them() -> None:
    upward = {str(t) for t, m in RELATIONSHIPS.items() if m.upward}
    assert upward == {"REPORTS_TO", "ACCOUNTABLE_TO", "PART_OF", "HOLDS_TO_ACCOUNT", "FACILITATES"}
    assert all(RELATIONSHIPS[RelType(t)].sources == {"body"} == RELATIONSHIPS[RelType(t)].targets
               for t in upward)
    forward, backward = upward_hop_statements()
    assert "ACCOUNTABLE_TO|PART_OF|REPORTS_TO" in forward and "FACILITATES|HOLDS_TO_ACCOUNT" in backward


def test_a_relation_joining_the_wrong_kinds_is_refused_with_the_rule() -> None:
    board = Entity(id="b", kind="body", type="board", name="B", scope="scottish_public_sector")
    report = Entity(id="r", kind="plan", type="report", name="R")
    problems = joins_problems(Relation(source="r", type="LEADS", target="b"), report, board)
    assert problems == ["LEADS joins body to action or body or plan, not plan to body"]


# -- sources ------------------------------------------------------------------------
def test_a_reference_carries_a_citation_and_url_and_never_an_excerpt() -> None:
    with pytest.raises(ValidationError, match="no document excerpt"):
        Source(kind="reference", citation="An Act, s. 1", url="https://example.org",
               excerpt="words from a document")
    with pytest.raises(ValidationError, match="needs a citation and an https url"):
        Source(kind="reference", citation="An Act, s. 1")
    with pytest.raises(ValidationError, match="belong to kind: reference"):
        Source(document="000_1501bad59c68be6a.txt", excerpt="x", url="https://example.org")


def test_every_reference_is_cited_precisely_and_kept_in_its_own_layer(dataset: Dataset) -> None:
    references = [(r, s) for r in dataset.relations for s in r.sources if s.is_reference]
    references += [(e, s) for e in dataset.entities for s in e.sources if s.is_reference]
    assert len(references) >= 20
    official = ("https://www.legislation.gov.uk/", "https://education.gov.scot/",
                "https://www.cosla.gov.uk/")
    assert all(s.url and s.url.startswith(official) and s.citation for _, s in references)
    # a line resting on references alone lives in reference.yaml, never among the documents'
    layer = YAML(typ="safe").load((SEED / "reference.yaml").read_text(encoding="utf-8"))
    in_layer = {relation_key(r["source"], r["type"], r["target"]) for r in layer["relations"]}
    assert {r.key for r in dataset.relations if r.is_reference_only} == in_layer


# -- one meaning per type, checked over the dataset -----------------------------------
def test_leads_means_a_named_lead_never_authorship(dataset: Dataset,
                                                   kinds: dict[str, Entity]) -> None:
    wrong = [r.key for r in dataset.relations if r.type == RelType.LEADS
             and kinds[r.target].kind == NodeKind.PLAN and kinds[r.target].type == "report"]
    assert wrong == [], "a report is written (AUTHORED), not led"


def _said_of(relation: Relation, source: Entity, role: str) -> bool:
    """True when an excerpt gives `source` (by any of its names) the `role` in one clause
    ("X, Y and Z have a key role to play"; a clause ends at a full stop or at "with")."""
    names = "|".join(re.escape(n.lower()) for n in source.names)
    clause = r"(?:(?!\bwith\b)[^.;]){0,120}?"
    return re.search(rf"\b(?:{names}){clause}{role}", _excerpts(relation)) is not None


def test_a_key_role_to_play_is_a_contribution_not_a_lead(dataset: Dataset,
                                                         kinds: dict[str, Entity]) -> None:
    wrong = [r.key for r in dataset.relations if r.type == RelType.LEADS
             and _said_of(r, kinds[r.source], "a key role to play")]
    assert wrong == []


def test_assurance_roles_are_scrutiny_or_monitoring_not_leads(dataset: Dataset,
                                                              kinds: dict[str, Entity]) -> None:
    wrong = [r.key for r in dataset.relations if r.type == RelType.LEADS
             and _said_of(r, kinds[r.source], "(?:monitoring|accountability) and assurance")]
    assert wrong == []


def test_rank_primary_only_where_the_text_names_a_lead(dataset: Dataset) -> None:
    ranked = [r for r in dataset.relations if r.rank is not None]
    assert ranked and all(r.type == RelType.LEADS for r in ranked)
    assert all("lead" in _excerpts(r) or "responsibility" in _excerpts(r) for r in ranked), [
        r.key for r in ranked if "lead" not in _excerpts(r)]


def test_part_of_is_a_component_never_one_of_a_collective(dataset: Dataset,
                                                          kinds: dict[str, Entity]) -> None:
    wrong = [r.key for r in dataset.relations if r.type == RelType.PART_OF
             and kinds[r.target].scope == "collective" and kinds[r.target].type == "collective"]
    assert wrong == []
    councils = [r.key for r in dataset.relations if r.type == RelType.PART_OF
                and kinds[r.source].type == "local_authority"]
    assert councils == [], "a council is one of the local authorities: MEMBER_OF"


def test_responsible_for_comes_from_government_only(dataset: Dataset,
                                                    kinds: dict[str, Entity]) -> None:
    allowed = RELATIONSHIPS[RelType.RESPONSIBLE_FOR].source_types or set()
    assert all(kinds[r.source].type in allowed for r in dataset.relations
               if r.type == RelType.RESPONSIBLE_FOR)


def test_soft_oversight_is_soft_wherever_it_appears(dataset: Dataset) -> None:
    """Lines to or from the Oversight Board, and facilitation, are never formal."""
    wrong = [r.key for r in dataset.relations if RELATIONSHIPS[r.type].upward
             and r.strength == Strength.FORMAL
             and ("promise-oversight-board" in (r.source, r.target) or r.type == "FACILITATES")]
    assert wrong == []


def test_every_upward_line_says_how_strong_it_is_and_every_body_where_it_sits(
        dataset: Dataset) -> None:
    assert all(r.strength is not None for r in dataset.relations if RELATIONSHIPS[r.type].upward)
    assert all(e.scope is not None for e in dataset.entities if e.kind == NodeKind.BODY)


def test_bodies_outside_scotland_are_marked_so(kinds: dict[str, Entity]) -> None:
    assert kinds["ofsted"].scope == "england" and kinds["english-care-review"].scope == "england"
    assert kinds["court-of-session"].scope == "judiciary"
    assert kinds["nursing-and-midwifery-council"].scope == "uk_wide"
    assert str(kinds["independent-care-review"].valid_to) == "2020-02-05"
