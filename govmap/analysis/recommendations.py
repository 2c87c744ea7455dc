"""Streamlining recommendations, derived from the findings by rules — never written
per entity.

The rules (`RULES`) are the one place that says what becomes a recommendation and at
what priority:

==========================  =======================================  =====================
category                    comes from                               priority rule
==========================  =======================================  =====================
consolidate_bodies          duplication pair with score >= 0.5,      high when >= 0.75,
                            both bodies                              else medium
consolidate_frameworks      duplication pair of two plans or         medium
                            frameworks (parallel monitoring)
single_accountable_owner    chain flag ``shared_lead`` on an action  high when the action is
                                                                     not yet sufficient,
                                                                     else medium
establish_accountability    gap ``body_no_accountability`` (medium)  high when the body
                            for a body that leads or oversees        leads 3+ actions,
                            something                                else medium
secure_commitments          gap ``action_no_commitment``             high when little or no
                                                                     work, else medium
plan_succession             gap ``ends_with_responsibilities``       high
establish_scrutiny          gap ``duty_no_scrutiny``                 medium
clarify_principals          chain flag ``several_principals`` on a   low
                            body that leads something
==========================  =======================================  =====================

Every recommendation keeps the findings it came from and their evidence, and has a
stable id built from its category and the entities it concerns.
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

import networkx as nx
from pydantic import BaseModel

from govmap.analysis.duplication import Overlap, duplication
from govmap.analysis.gaps import Gap, gaps
from govmap.model import AssessmentStatus, NodeKind, RelType, Source, meaning
from govmap.queries.accountability import accountability_chain
from govmap.queries.common import EntityRef, Evidence, entity

Priority = Literal["high", "medium", "low"]
PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}

RULES: dict[str, str] = {
    "consolidate_bodies": "duplication score >= 0.75 is high, >= 0.5 medium",
    "consolidate_frameworks": "overlapping plans or frameworks are medium",
    "single_accountable_owner": "high when the action is assessed as not yet sufficient or "
                                "little or no work, else medium",
    "establish_accountability": "high when the body leads 3 or more actions, else medium",
    "secure_commitments": "high when the action has little or no work underway, else medium",
    "plan_succession": "always high: responsibilities outlive the body that holds them",
    "establish_scrutiny": "always medium",
    "clarify_principals": "always low",
}


class Finding(BaseModel):
    """What a query found that a recommendation rests on."""

    source: Literal["gap", "chain", "duplication"]
    code: str
    message: str
    evidence: list[Evidence] = []
    sources: list[Source] = []


class Recommendation(BaseModel):
    id: str
    category: str
    priority: Priority
    priority_rule: str
    title: str
    entities: list[EntityRef]
    rationale: str
    findings: list[Finding]

    @property
    def evidence_count(self) -> int:
        return sum(len(f.evidence) + len(f.sources) for f in self.findings)


def _rec(category: str, priority: Priority, title: str, entities: list[EntityRef], rationale: str,
         findings: list[Finding]) -> Recommendation:
    ids = "+".join(sorted(e.id for e in entities))
    return Recommendation(id=f"{category}:{ids}", category=category, priority=priority,
                          priority_rule=RULES[category], title=title, entities=entities,
                          rationale=rationale, findings=findings)


def _from_gap(gap: Gap) -> Finding:
    return Finding(source="gap", code=gap.code, message=gap.message, evidence=gap.evidence,
                   sources=gap.sources)


def from_duplication(pair: Overlap, graph: nx.MultiDiGraph) -> Recommendation | None:
    finding = Finding(source="duplication", code=pair.category, message=pair.explanation,
                      evidence=[e for s in pair.shared for e in s.evidence])
    both_plans = pair.a.kind == pair.b.kind == NodeKind.PLAN
    if both_plans:
        return _rec("consolidate_frameworks", "medium",
                    f"Consolidate {pair.a.name} and {pair.b.name}", [pair.a, pair.b],
                    f"Both cover or monitor the same things ({len(pair.shared)} shared); one "
                    "framework with one owner would halve the reporting asked of delivery bodies.",
                    [finding])
    if pair.score < 0.5 or "body" not in (pair.a.kind, pair.b.kind):
        return None
    return _rec("consolidate_bodies", "high" if pair.score >= 0.75 else "medium",
                f"Review {pair.a.name} and {pair.b.name} for consolidation", [pair.a, pair.b],
                f"Their remits overlap (score {pair.score}): {pair.explanation} Merging them, or "
                "setting out which leads on what, would remove duplicated effort.", [finding])


def from_gap(gap: Gap, graph: nx.MultiDiGraph) -> Recommendation | None:
    subject = entity(graph, gap.entity.id)
    finding = _from_gap(gap)
    if gap.code == "action_no_commitment":
        little = subject.status == AssessmentStatus.LITTLE_OR_NO_WORK
        return _rec("secure_commitments", "high" if little else "medium",
                    f"Secure commitments for {subject.name}", [gap.entity],
                    f"{gap.message}. Without commitments from its leads there is no plan to "
                    "deliver it and nothing to hold anyone to.", [finding])
    if gap.code == "ends_with_responsibilities":
        return _rec("plan_succession", "high", f"Plan succession for {subject.name}", [gap.entity],
                    f"{gap.message}. Name who takes each one on before the end date.", [finding])
    if gap.code == "duty_no_scrutiny":
        return _rec("establish_scrutiny", "medium", f"Establish scrutiny of {subject.name}",
                    [gap.entity], f"{gap.message}. Statutory duties need someone who checks "
                    "they are met.", [finding])
    if gap.code == "body_no_accountability" and gap.severity == "medium":
        led = [v for _, v, k in graph.out_edges(subject.id, keys=True) if k == RelType.LEADS]
        holds = [d["relation"] for _, _, k, d in graph.out_edges(subject.id, keys=True, data=True)
                 if meaning(k).family in ("leadership", "oversight")]
        if not holds:
            return None
        finding = finding.model_copy(update={"evidence": [Evidence.of(r) for r in holds]})
        return _rec("establish_accountability", "high" if len(led) >= 3 else "medium",
                    f"Establish a line of accountability for {subject.name}", [gap.entity],
                    f"{gap.message}, yet it leads or oversees {len(holds)} item(s). Every chain "
                    "through it breaks here: state to whom it reports on them.", [finding])
    return None


def from_chains(graph: nx.MultiDiGraph) -> list[Recommendation]:
    found: list[Recommendation] = []
    for node in sorted(graph):
        subject = entity(graph, node)
        chain = accountability_chain(graph, node) if subject.kind == NodeKind.ACTION else None
        flag = next((f for f in chain.flags if f.code == "shared_lead"), None) if chain else None
        if chain and flag:
            not_sufficient = subject.status in (AssessmentStatus.UNDERWAY_NOT_SUFFICIENT,
                                                AssessmentStatus.LITTLE_OR_NO_WORK)
            found.append(_rec(
                "single_accountable_owner", "high" if not_sufficient else "medium",
                f"Name a single accountable owner for {subject.name}", [chain.subject],
                f"{flag.message}: {', '.join(lead.name for lead in chain.leads)}. One owner "
                "answerable for the whole action, with the others contributing, makes "
                "progress someone's job.",
                [Finding(source="chain", code=flag.code, message=flag.message,
                         evidence=chain.lead_evidence)]))
        elif subject.kind == NodeKind.BODY and leads_of_any(graph, node):
            chain = accountability_chain(graph, node)
            for flag in chain.flags:
                if flag.code == "several_principals" and flag.entities[0] == node:
                    hops = [h.evidence for p in chain.paths for h in p.hops[:1]]
                    found.append(_rec(
                        "clarify_principals", "low", f"Clarify whom {subject.name} answers to",
                        [chain.subject], f"{flag.message}. Say which line is primary for "
                        "delivery and which is for information.",
                        [Finding(source="chain", code=flag.code, message=flag.message,
                                 evidence=hops)]))
    return found


def leads_of_any(graph: nx.MultiDiGraph, node: str) -> bool:
    return any(k == RelType.LEADS for _, _, k in graph.out_edges(node, keys=True))


def recommendations(graph: nx.MultiDiGraph) -> list[Recommendation]:
    """Every recommendation the rules derive from `graph`, highest priority first."""
    found = from_chains(graph)
    found += [r for g in gaps(graph) if (r := from_gap(g, graph))]
    found += [r for p in duplication(graph).pairs if (r := from_duplication(p, graph))]
    unique = {r.id: r for r in found}
    return sorted(unique.values(), key=lambda r: (PRIORITY_ORDER[r.priority], r.category, r.id))


def counts_by_category(found: list[Recommendation]) -> dict[str, int]:
    return dict(sorted(Counter(r.category for r in found).items()))
