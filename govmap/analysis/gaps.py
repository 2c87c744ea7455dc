"""Gaps: what the documents say is missing or weak, and what the graph shows missing.

Two bases, returned together and marked:

* **stated** — the documents' own assessments. Each stated finding (a `finding` entity,
  see `graph_seed/findings.yaml`) is one gap, of its finding type, about the entities it
  `CONCERNS`, with who assessed it (`ASSESSED_BY`) and when (`assessed_on`). The
  Change Programme's own verdicts on an action are stated too: "little or no work"
  (`little_or_no_work`), "No commitments received" (`no_commitment`) and "underway but
  does not yet appear sufficient" (`pace`).
* **derived** — rules run on the graph, each with its reason:

==========================  ========  ===================================================
kind                        severity  rule, and why
==========================  ========  ===================================================
action_no_lead              high      no LEADS edge into the action: nobody is named to
                                      deliver it
action_leads_unanchored     high      every lead of the action is a body of the Scottish
                                      public sector with no line of accountability stated
                                      in the sources: nobody answers for it
action_soft_oversight_only  medium    no lead the text ranks first (or, unranked, no lead at
                                      all) has a formal line to the top, yet some reach it
                                      through soft oversight: nobody with a duty to answer
body_no_accountability      by use    an organisation of the Scottish public sector (not a
                                      fund, programme or post: those answer through the
                                      body that runs or holds them), not ended and not the
                                      top, with no line of accountability stated in the
                                      sources. Severity by what depends on it: high
                                      when it leads three or more things, medium when it
                                      holds any responsibility, low otherwise. Bodies
                                      outside the Scottish public sector answer through
                                      governance the map does not cover: never a gap
ends_without_successor      high      a body with an end date that still holds
                                      responsibilities, and no body that SUCCEEDS it
advice_no_response_route    medium    a body advises another and no other line joins them
                                      (no reporting, accountability or membership either
                                      way): no stated route for a response
duty_no_scrutiny            medium    an organisation (not a post, which is checked through
                                      its body) with a statutory duty (HAS_DUTY_UNDER) that
                                      nobody oversees, scrutinises, monitors or holds to
                                      account
no_sources                  low       an entity or relation that cites no source
==========================  ========  ===================================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Literal

import networkx as nx
from pydantic import BaseModel

from govmap.model import (
    OVERSIGHT_TYPES,
    RESPONSIBILITY_TYPES,
    AssessmentStatus,
    Confidence,
    Entity,
    FindingType,
    LeadRank,
    NodeKind,
    RelType,
    Source,
)
from govmap.queries.accountability import UpwardMemo, accountability_chain
from govmap.queries.common import EntityRef, Evidence, as_at, collector_paused, entity

Severity = Literal["high", "medium", "low"]
Basis = Literal["stated", "derived"]
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
NOT_ORGANISATIONS = {"fund", "programme", "post"}
DERIVED_KINDS = ("action_no_lead", "action_leads_unanchored", "action_soft_oversight_only",
                 "body_no_accountability", "ends_without_successor", "advice_no_response_route",
                 "duty_no_scrutiny", "no_sources")
GAP_KINDS = (*(t.value for t in FindingType), *DERIVED_KINDS)
# How much a stated finding weighs: what leaves an action with nobody to deliver or check it
STATED_SEVERITY: dict[str, Severity] = {
    "no_commitment": "high", "little_or_no_work": "high", "no_lead": "high",
    "no_scrutiny": "high", "no_strategy": "high", "role_unclear": "high",
}


class Gap(BaseModel):
    """One gap: stated by a document or derived by a rule, with what shows it."""

    id: str
    kind: str
    basis: Basis
    severity: Severity
    entity: EntityRef
    entities: list[EntityRef]
    message: str
    assessed_on: dt.date | None = None
    assessed_by: list[EntityRef] = []
    sources: list[Source] = []
    evidence: list[Evidence] = []

    @property
    def attribution(self) -> str:
        """Who stated the gap and when, " (The Promise Scotland, 2021)"; empty if derived."""
        if self.basis != "stated" or self.assessed_on is None or not self.assessed_by:
            return ""
        return f" ({', '.join(a.name for a in self.assessed_by)}, {self.assessed_on.year})"


def _gap(kind: str, severity: Severity, subject: Entity, message: str, *,
         evidence: list[Evidence] | None = None, sources: list[Source] | None = None) -> Gap:
    return Gap(id=f"{kind}:{subject.id}", kind=kind, basis="derived", severity=severity,
               entity=EntityRef.of(subject), entities=[EntityRef.of(subject)], message=message,
               sources=subject.sources if sources is None else sources, evidence=evidence or [])


def stated_gaps(graph: nx.MultiDiGraph) -> Iterator[Gap]:
    """Each stated finding, and the Change Programme's own verdicts on the actions that
    no finding of the same kind already records."""
    findings = [_finding_gap(graph, entity(graph, n)) for n in sorted(graph)
                if entity(graph, n).kind == NodeKind.FINDING]
    recorded = {(g.kind, e.id) for g in findings for e in g.entities}
    yield from findings
    for node in sorted(graph):
        if entity(graph, node).kind == NodeKind.ACTION:
            yield from (g for g in _assessed_action(graph, entity(graph, node))
                        if (g.kind, node) not in recorded)


def _finding_gap(graph: nx.MultiDiGraph, finding: Entity) -> Gap:
    out = [(v, k, d["relation"]) for _, v, k, d in graph.out_edges(finding.id, keys=True, data=True)]
    concerns = [EntityRef.of(entity(graph, v)) for v, k, _ in out if k == RelType.CONCERNS]
    assessors = [EntityRef.of(entity(graph, v)) for v, k, _ in out if k == RelType.ASSESSED_BY]
    subject = concerns[0] if concerns else EntityRef.of(finding)
    return Gap(id=finding.id, kind=str(finding.type), basis="stated",
               severity=STATED_SEVERITY.get(str(finding.type), "medium"), entity=subject,
               entities=concerns or [subject], message=finding.description or finding.name,
               assessed_on=finding.assessed_on, assessed_by=assessors, sources=finding.sources,
               evidence=[Evidence.of(r) for _, _, r in out])


def _assessed_action(graph: nx.MultiDiGraph, action: Entity) -> Iterator[Gap]:
    """"Little or no work" and "No commitments received", as Change Programme ONE says."""
    verdicts = []
    if action.status == AssessmentStatus.LITTLE_OR_NO_WORK:
        verdicts.append(("little_or_no_work", f"{action.name} is assessed as having little or no "
                                              "work underway"))
    if action.commitment_received is False and not action.commitments:
        verdicts.append(("no_commitment", f"No commitments were received for {action.name}"))
    if action.status == AssessmentStatus.UNDERWAY_NOT_SUFFICIENT:
        verdicts.append(("pace", f"Work on {action.name} is underway but does not yet appear "
                                 "sufficient"))
    for kind, message in verdicts:
        yield Gap(id=f"{kind}:{action.id}", kind=kind, basis="stated",
                  severity=STATED_SEVERITY.get(kind, "medium"), entity=EntityRef.of(action),
                  entities=[EntityRef.of(action)], message=message,
                  assessed_on=dt.date(2021, 1, 1), assessed_by=_change_programme_author(graph),
                  sources=action.sources)


def _change_programme_author(graph: nx.MultiDiGraph) -> list[EntityRef]:
    return [EntityRef.of(entity(graph, u)) for u, _, k in graph.in_edges("change-programme-one", keys=True)
            if k == RelType.AUTHORED] if "change-programme-one" in graph else []


def action_gaps(memo: UpwardMemo, node: str) -> Iterator[Gap]:
    graph = memo.graph
    action = entity(graph, node)
    leads = memo.leads(node)
    lead_evidence = [Evidence.of(r) for _, r in leads]
    if not leads:
        yield _gap("action_no_lead", "high", action, f"{action.name} has no lead organisation")
        return
    if all(memo.dead_end(u) == "broken" for u, _ in leads):
        names = ", ".join(entity(graph, u).name for u, _ in leads)
        yield _gap("action_leads_unanchored", "high", action,
                   f"no lead of {action.name} has a line of accountability stated in the "
                   f"sources ({names})", evidence=lead_evidence)
    else:
        starts = accountability_chain(graph, node, memo=memo).starts
        accountable = [s for s in starts if s.rank == LeadRank.PRIMARY] or starts
        standings = {s.standing for s in accountable}
        if "soft_only" in standings and "formal" not in standings:
            yield _gap("action_soft_oversight_only", "medium", action,
                       f"no lead of {action.name} has a formal line to the top; it is reached "
                       "only through soft oversight, with no power to compel",
                       evidence=lead_evidence)


def body_gaps(memo: UpwardMemo, node: str) -> Iterator[Gap]:
    graph = memo.graph
    body = entity(graph, node)
    held = [d["relation"] for _, _, k, d in graph.out_edges(node, keys=True, data=True)
            if k in RESPONSIBILITY_TYPES]
    ended = body.valid_to is not None and body.valid_to < dt.date.today()
    organisation = body.type not in NOT_ORGANISATIONS
    if memo.dead_end(node) == "broken" and body.in_scottish_public_sector and not ended \
            and organisation:
        leads = sum(r.type == RelType.LEADS for r in held)
        severity: Severity = "high" if leads >= 3 else "medium" if held else "low"
        yield _gap("body_no_accountability", severity, body,
                   f"no line of accountability for {body.name} is stated in the sources"
                   + (f"; it holds {_responsibilities(len(held))}" if held else ""),
                   evidence=[Evidence.of(r) for r in held])
    successors = [u for u, _, k in graph.in_edges(node, keys=True) if k == RelType.SUCCEEDS]
    if body.valid_to is not None and held and not successors:
        stated = sum(r.confidence == Confidence.STATED for r in held)
        yield _gap("ends_without_successor", "high", body,
                   f"{body.name} ends on {body.valid_to.isoformat()} but holds "
                   f"{_responsibilities(len(held))} ({stated} stated, the rest inferred), and "
                   "no successor is named",
                   evidence=[Evidence.of(r) for r in held])
    for _, advised, k, d in graph.out_edges(node, keys=True, data=True):
        other_lines = set(graph[node][advised]) - {RelType.ADVISES} | set(graph[advised].get(node, {}))
        if k == RelType.ADVISES and not other_lines:
            yield _gap("advice_no_response_route", "medium", body,
                       f"{body.name} advises {entity(graph, advised).name}, and no route for a "
                       "response is stated", evidence=[Evidence.of(d["relation"])]
                       ).model_copy(update={"id": f"advice_no_response_route:{node}:{advised}"})
    duties = [d["relation"] for _, _, k, d in graph.out_edges(node, keys=True, data=True)
              if k == RelType.HAS_DUTY_UNDER]
    scrutinised = any(k in OVERSIGHT_TYPES for _, _, k in graph.in_edges(node, keys=True))
    if duties and not scrutinised and body.type != "post":  # a post is checked through its body
        yield _gap("duty_no_scrutiny", "medium", body,
                   f"{body.name} has {len(duties)} statutory duty(ies) and nobody scrutinises it",
                   evidence=[Evidence.of(r) for r in duties])


def _responsibilities(n: int) -> str:
    return f"{n} responsibility" if n == 1 else f"{n} responsibilities"


def source_gaps(graph: nx.MultiDiGraph) -> Iterator[Gap]:
    for node in graph:
        if not entity(graph, node).sources:
            yield _gap("no_sources", "low", entity(graph, node),
                       f"{entity(graph, node).name} cites no source")
    for u, _, data in graph.edges(data=True):
        relation = data["relation"]
        if not relation.sources:
            gap = _gap("no_sources", "low", entity(graph, u),
                       f"the relation {relation.key} cites no source",
                       evidence=[Evidence.of(relation)], sources=[])
            yield gap.model_copy(update={"id": f"no_sources:{relation.key}"})


def derived_gaps(graph: nx.MultiDiGraph, memo: UpwardMemo | None = None) -> Iterator[Gap]:
    if memo is None:
        memo = UpwardMemo.whole(graph)  # one pass: each lead's lines and paths worked out once
    elif memo.graph is not graph:
        raise ValueError("the memo is of another graph (or of the graph on another day)")
    for node in sorted(graph):
        kind = entity(graph, node).kind
        if kind == NodeKind.ACTION:
            yield from action_gaps(memo, node)
        elif kind == NodeKind.BODY:
            yield from body_gaps(memo, node)
    yield from source_gaps(graph)


def gaps(graph: nx.MultiDiGraph, *, severity: Severity | None = None, kind: str | None = None,
         basis: Basis | None = None, entity_id: str | None = None,
         assessed_from: dt.date | None = None, assessed_to: dt.date | None = None,
         day: dt.date | None = None, memo: UpwardMemo | None = None) -> list[Gap]:
    """Every gap, stated and derived, most severe first, optionally filtered.

    A filter on the date of assessment keeps only stated gaps assessed in that range.
    A whole-graph pass that walks the chains too passes its `memo` of the graph.
    """
    graph = as_at(graph, day)
    with collector_paused():
        found = [*stated_gaps(graph), *derived_gaps(graph, memo)]

    def keep(g: Gap) -> bool:
        dated = assessed_from is None and assessed_to is None or (
            g.assessed_on is not None and (assessed_from is None or assessed_from <= g.assessed_on)
            and (assessed_to is None or g.assessed_on <= assessed_to))
        return ((severity is None or g.severity == severity) and (kind is None or g.kind == kind)
                and (basis is None or g.basis == basis) and dated
                and (entity_id is None or any(e.id == entity_id for e in g.entities)))

    return sorted(filter(keep, found),
                  key=lambda g: (SEVERITY_ORDER[g.severity], g.basis, g.kind, g.entity.id, g.id))
