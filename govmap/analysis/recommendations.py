"""Streamlining recommendations, made only from findings, one per problem, under
written guard rules.

A recommendation comes from a group of findings of one kind (stated gaps, derived gaps,
chain flags, duplication findings); it is never written per entity by hand. `RULES` is
the one place that says, for each category, where it comes from, its priority, who
should act and by when. Each recommendation carries a table of what it covers (an action
and its candidate owner, say), its addressees, a timescale, a confidence and the full
evidence of its findings.

Guards (`guard_problems`), applied to every recommendation before it is returned, and
tested:

1. never propose merging or consolidating bodies: duplication is answered by agreeing
   who does a job, not by merging organisations of different kinds or sectors; two
   records of one body go to a reviewer as data, not as a recommendation;
2. never address a body that has ended, or one outside the Scottish public sector, and
   never ask one to establish accountability;
3. never name as an owner or successor a body the documents say is being replaced or
   that ends (a body others `SUCCEED`, or one with an end date): that would run against
   the documents' stated direction (The Promise Scotland is to hand on by 2030, to
   existing structures);
4. never ask for a single owner where the text itself ranks the leads or shares the lead
   on purpose ("all have direct lead responsibility"): only unranked leads are asked.

Findings stated by Audit Scotland and the Accounts Commission are gathered into one
recommendation of their own, at high priority: they are the most recent and the most
authoritative assessments in the evidence base.

Confidence is ``stated`` when every finding is the documents' own assessment,
``inferred`` when any evidence rests on a reviewer's inference, else ``derived``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Literal

import networkx as nx
from pydantic import BaseModel

from govmap.analysis.duplication import DuplicationFinding
from govmap.analysis.gaps import Gap
from govmap.analysis.passes import GraphPass
from govmap.model import Confidence, LeadRank, NodeKind, RelType, Source, Strength
from govmap.queries.accountability import UpwardMemo, accountability_chain, leads_of, upward_hops
from govmap.queries.common import EntityRef, Evidence, collector_paused, entity

Priority = Literal["high", "medium", "low"]
PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}
TIMESCALE: dict[Priority, str] = {"high": "within 6 months", "medium": "within 12 months",
                                  "low": "before the 2027 review of Plan 24-30"}


@dataclass(frozen=True)
class Rule:
    """How one category of recommendation is made."""

    title: str
    comes_from: str
    priority: Priority
    addressee: str
    action: str


RULES: dict[str, Rule] = {
    "secure_commitments": Rule(
        "Secure commitments for the actions that have none", "stated gaps no_commitment",
        "high", "the leads of each action", "agree and publish commitments, with dates, for "
        "each action listed"),
    "restart_stalled_actions": Rule(
        "Restart the actions with little or no work underway", "stated gaps little_or_no_work",
        "high", "the leads of each action", "name who restarts each action and by when"),
    "external_audit": Rule(
        "Act on the Audit Scotland and Accounts Commission recommendations",
        "stated findings assessed by Audit Scotland or the Accounts Commission", "high",
        "the bodies each finding concerns (the report names the Scottish Government and COSLA)",
        "report progress on each recommendation against the auditors' timescale"),
    "single_accountable_owner": Rule(
        "Name who answers for the whole of each action whose leads are not ranked",
        "chain flag shared_lead on actions where the text ranks no lead (a shared statutory "
        "lead the text names is respected)", "medium", "the leads of each action",
        "record, in the action's Plan 24-30 route map, who answers for the action as a whole, "
        "with the others contributing"),
    "establish_accountability": Rule(
        "State to whom each leading body answers", "derived gaps body_no_accountability "
        "(bodies that lead or oversee something) and action_leads_unanchored (actions none of "
        "whose leads answers to anyone)", "high",
        "whoever convenes, chairs or funds each body, else the body itself",
        "state, and publish, to whom the body answers for the work it leads"),
    "strengthen_soft_oversight": Rule(
        "Give the actions resting on soft oversight a formal line", "derived gaps "
        "action_soft_oversight_only", "medium", "the leads of each action",
        "name a formal line (a body with a duty to answer) for each action"),
    "plan_succession": Rule(
        "Plan how the work of bodies that end passes to existing structures", "derived gaps "
        "ends_without_successor", "high", "the bodies these answer formally to",
        "set out, before the end date, which existing body takes on each responsibility"),
    "clarify_roles": Rule(
        "Clarify roles the documents find unclear or overlapping",
        "stated findings role_unclear; duplication role_overlap", "high",
        "the bodies concerned", "publish who does what among the bodies listed"),
    "one_body_per_oversight_job": Rule(
        "Agree one body for each oversight job done several times",
        "duplication parallel_oversight", "medium", "the bodies concerned",
        "agree which body does each job and how the others use its work"),
    "align_frameworks": Rule(
        "Align frameworks that cover the same ground", "duplication parallel_frameworks",
        "medium", "the bodies that wrote them", "agree one measure for the shared ground"),
    "respond_to_advice": Rule(
        "Give each advisory line a route for a response", "derived gaps "
        "advice_no_response_route", "low", "the bodies advised",
        "say how and when the advice is answered"),
    "establish_scrutiny": Rule(
        "Establish scrutiny of statutory duties", "derived gaps duty_no_scrutiny", "medium",
        "each body listed", "name who checks that each duty is met"),
}
# The other stated findings, one category per finding type: (title, what to do, priority)
_STATED: dict[str, tuple[str, str, Priority]] = {
    "weak_commitment": ("Firm up commitments that do not match what is required",
                        "restate each commitment against what the action requires", "medium"),
    "no_lead": ("Name a lead where the documents find none", "name a lead for each", "high"),
    "no_strategy": ("Agree the strategies the documents find missing",
                    "agree and publish each strategy, with its owner", "high"),
    "no_route_map": ("Set out route maps where the documents find none",
                     "publish a route map for each", "medium"),
    "no_standards": ("Set the standards and guidance the documents find missing",
                     "name who sets each standard and by when", "medium"),
    "no_baseline_data": ("Establish the baseline data the documents find missing",
                         "name who collects each baseline and publish it", "medium"),
    "no_scrutiny": ("Close the scrutiny gaps the documents name",
                    "name who scrutinises each area", "high"),
    "no_response_route": ("Give the voices and advice the documents name a route to a response",
                          "say how and when each is answered", "medium"),
    "capacity": ("Address the capacity and funding shortfalls the documents name",
                 "plan the capacity each needs, with its funding", "medium"),
    "late_monitoring": ("Bring monitoring forward where the documents find it late or missing",
                        "set a date and an owner for each report", "medium"),
    "fragmented": ("Simplify the structures the documents find fragmented or cluttered",
                   "agree which structures to keep and how they connect", "medium"),
    "pace": ("Speed up the work the documents find too slow", "name what unblocks each", "medium"),
    "implementation_gap": ("Put into practice the policy and law the documents find unapplied",
                           "name who implements each, and by when", "medium"),
}
# a derived gap that has the remedy of a stated finding is named in the rule it feeds
_ALSO_DERIVED = {"no_lead": " and derived gaps action_no_lead (no LEADS line into the action)"}
RULES.update({f"act_on_{kind}": Rule(title, f"stated findings {kind}{_ALSO_DERIVED.get(kind, '')}",
                                     priority,
                                     "the owners of the actions concerned, or the bodies concerned",
                                     action)
              for kind, (title, action, priority) in _STATED.items()})
STATED_BY_CATEGORY = {"no_commitment": "secure_commitments",
                      "little_or_no_work": "restart_stalled_actions",
                      "role_unclear": "clarify_roles",
                      **{kind: f"act_on_{kind}" for kind in _STATED}}
# Every derived gap kind but no_sources has a category (a missing one was a 500 on a map
# edited so that an action has no lead): the same remedy as the stated finding or body gap.
DERIVED_BY_CATEGORY = {"body_no_accountability": "establish_accountability",
                       "action_no_lead": "act_on_no_lead",
                       "action_leads_unanchored": "establish_accountability",
                       "action_soft_oversight_only": "strengthen_soft_oversight",
                       "ends_without_successor": "plan_succession",
                       "advice_no_response_route": "respond_to_advice",
                       "duty_no_scrutiny": "establish_scrutiny"}
# role_overlap comes from stated findings, already made into clarify_roles by the gaps;
# concentration is a finding, not a problem to fix (the documents ask the Government to lead)
DUPLICATION_BY_CATEGORY = {"parallel_oversight": "one_body_per_oversight_job",
                           "parallel_frameworks": "align_frameworks"}
AUDITORS = {"audit-scotland", "accounts-commission"}


class Finding(BaseModel):
    """A finding a recommendation rests on, with its evidence."""

    source: Literal["gap", "chain", "duplication"]
    basis: Literal["stated", "derived"]
    code: str
    message: str
    evidence: list[Evidence] = []
    sources: list[Source] = []


class Row(BaseModel):
    """One line of a recommendation's table: what it covers and who should act on it."""

    subject: EntityRef
    detail: str
    owners: list[EntityRef] = []


class Recommendation(BaseModel):
    number: int = 0  # its place in the report, the same in every format
    id: str
    category: str
    priority: Priority
    priority_rule: str
    title: str
    action: str
    addressees: list[EntityRef]
    timescale: str
    confidence: Confidence | Literal["derived"]
    entities: list[EntityRef]
    rows: list[Row]
    rationale: str
    findings: list[Finding]

    @property
    def evidence_count(self) -> int:
        return sum(len(f.evidence) + len(f.sources) for f in self.findings)

    def who_acts(self) -> str:
        """The addressees as a reader takes them in: the body named in most rows first,
        with how many rows it owns, then the others ("Scottish Government (9 of 13 rows),
        with COSLA and 4 others")."""
        counts = Counter(o.id for row in self.rows for o in row.owners)
        names = [a.name for a in self.addressees]
        if len(names) <= 3 or not counts:
            return ", ".join(names)
        lead = min(self.addressees, key=lambda a: (-counts.get(a.id, 0), a.name))
        if counts[lead.id] <= 1:  # each row has its own owner
            return (f"each body in the table ({len(names)}): {', '.join(names[:2])} and "
                    f"{len(names) - 2} others")
        others = [a.name for a in self.addressees if a.id != lead.id]
        shown = ", ".join(others[:2]) + (f" and {len(others) - 2} others" if len(others) > 2 else "")
        return f"{lead.name} ({counts[lead.id]} of {len(self.rows)} rows), with {shown}"

    def quotations(self) -> list[Source]:
        """Every distinct source its findings rest on, in order, each quoted once."""
        seen: dict[tuple[str, str], Source] = {}
        for finding in self.findings:
            for source in [s for e in finding.evidence for s in e.sources] + finding.sources:
                seen.setdefault((source.text, source.origin), source)
        return list(seen.values())


# -- building one recommendation -------------------------------------------------------
def _confidence(findings: list[Finding]) -> Confidence | Literal["derived"]:
    if any(e.confidence == Confidence.INFERRED for f in findings for e in f.evidence):
        return Confidence.INFERRED
    return Confidence.STATED if all(f.basis == "stated" for f in findings) else "derived"


def _make(category: str, rows: list[Row], addressees: list[EntityRef], findings: list[Finding],
          rationale: str) -> Recommendation:
    rule = RULES[category]
    entities = list({r.subject.id: r.subject for r in rows}.values())
    return Recommendation(
        id=category, category=category, priority=rule.priority,
        priority_rule=f"{rule.priority}: from {rule.comes_from}", title=rule.title,
        action=rule.action, addressees=addressees, timescale=TIMESCALE[rule.priority],
        confidence=_confidence(findings), entities=entities, rows=rows, rationale=rationale,
        findings=findings)


def _gap_finding(gap: Gap) -> Finding:
    return Finding(source="gap", basis=gap.basis, code=gap.kind, message=gap.message,
                   evidence=gap.evidence, sources=gap.sources)


def _may_act(graph: nx.MultiDiGraph, node: str) -> bool:
    """Guard 2: a body that can be asked to act: Scottish public sector, not ended."""
    body = entity(graph, node)
    ended = body.valid_to is not None and body.valid_to < dt.date.today()
    return body.kind == NodeKind.BODY and body.in_scottish_public_sector and not ended


def _may_own(graph: nx.MultiDiGraph, node: str) -> bool:
    """Guard 3: a body the documents do not say is being replaced or ends."""
    replaced = any(k == RelType.SUCCEEDS for _, _, k in graph.in_edges(node, keys=True))
    return _may_act(graph, node) and not replaced and entity(graph, node).valid_to is None


def candidate_owners(graph: nx.MultiDiGraph, action: str) -> list[EntityRef]:
    """The leads the text ranks first, else every lead, that may own the action."""
    leads = leads_of(graph, action)
    ranked = [u for u, r in leads if r.rank == LeadRank.PRIMARY] or [u for u, _ in leads]
    return [EntityRef.of(entity(graph, u)) for u in ranked if _may_own(graph, u)]


def _addressees_for(graph: nx.MultiDiGraph, subjects: list[str]) -> list[EntityRef]:
    """Who should act on findings about `subjects`: the owners of actions, the bodies
    themselves otherwise; only bodies that may be asked to act."""
    found: dict[str, EntityRef] = {}
    for node in subjects:
        if entity(graph, node).kind == NodeKind.ACTION:
            found.update((o.id, o) for o in candidate_owners(graph, node))
        elif _may_act(graph, node):
            found[node] = EntityRef.of(entity(graph, node))
    return sorted(found.values(), key=lambda e: e.name)


# -- the rules ---------------------------------------------------------------------------
def from_gaps(graph: nx.MultiDiGraph, found: list[Gap]) -> list[Recommendation]:
    grouped: dict[str, list[Gap]] = defaultdict(list)
    stated_no_response = {e.id for g in found if g.basis == "stated" and g.kind == "no_response_route"
                          for e in g.entities}
    for gap in found:
        if gap.kind == "no_sources":
            continue
        if gap.kind == "body_no_accountability" and gap.severity == "low":
            continue  # a fund, a programme, or a body that holds nothing: none answers for delivery
        if gap.kind == "advice_no_response_route" and gap.entity.id in stated_no_response:
            continue  # the documents already state it; the stated finding carries it
        if gap.basis == "stated" and AUDITORS & {a.id for a in gap.assessed_by}:
            category = "external_audit"
        elif gap.basis == "stated":
            category = STATED_BY_CATEGORY[gap.kind]
        else:
            category = DERIVED_BY_CATEGORY[gap.kind]
        grouped[category].append(gap)
    made = []
    for category, members in grouped.items():
        rows = [Row(subject=g.entity, detail=_detail(g), owners=_owners_of(graph, category, g))
                for g in members]
        if category == "plan_succession":
            addressees = _principals(graph, [g.entity.id for g in members])
        else:
            addressees = sorted({o.id: o for row in rows for o in row.owners}.values(),
                                key=lambda e: e.name)
        if not addressees:
            continue
        made.append(_make(category, rows, addressees, [_gap_finding(g) for g in members],
                          f"{len(members)} finding(s): {_summary(members)}."))
    return made


def _detail(gap: Gap) -> str:
    """The finding, with who stated it and when, so that old evidence reads as old."""
    return f"{gap.kind.replace('_', ' ')}: {gap.message}{gap.attribution}"


def _owners_of(graph: nx.MultiDiGraph, category: str, gap: Gap) -> list[EntityRef]:
    """Who could act on one gap: an action's candidate owners, a body itself, or those
    responsible for a plan; for a body that ends, no one here (its principals act)."""
    if category == "plan_succession":
        return []
    if category == "respond_to_advice":  # the advised body answers the advice
        return [EntityRef.of(entity(graph, e.target)) for e in gap.evidence
                if _may_own(graph, e.target)]
    if category == "establish_accountability":  # whoever convenes, chairs or funds it says
        convenors = _convenors(graph, gap.entity.id)
        if convenors:
            return convenors
    found: dict[str, EntityRef] = {}
    for ref in gap.entities:
        node = ref.id
        if entity(graph, node).kind == NodeKind.ACTION:
            found.update((o.id, o) for o in candidate_owners(graph, node))
        elif entity(graph, node).kind == NodeKind.BODY and _may_own(graph, node):
            found[node] = ref
        else:
            found.update((o.id, o) for o in _responsible_for(graph, node))
    return list(found.values())


def _convenors(graph: nx.MultiDiGraph, node: str) -> list[EntityRef]:
    """The bodies that convene, chair, fund or commissioned `node`: they can say to whom
    it answers."""
    kinds = (RelType.FACILITATES, RelType.CHAIRS, RelType.FUNDS, RelType.COMMISSIONS)
    return sorted({u: EntityRef.of(entity(graph, u)) for u, _, k in graph.in_edges(node, keys=True)
                   if k in kinds and _may_own(graph, u)}.values(), key=lambda e: e.name)


def _responsible_for(graph: nx.MultiDiGraph, node: str) -> list[EntityRef]:
    """The bodies that lead, oversee or are responsible for a plan or area, that may own it."""
    return [EntityRef.of(entity(graph, u)) for u, _, k in graph.in_edges(node, keys=True)
            if k in (RelType.LEADS, RelType.RESPONSIBLE_FOR, RelType.OVERSEES) and _may_own(graph, u)]


def _principals(graph: nx.MultiDiGraph, bodies: list[str]) -> list[EntityRef]:
    """The bodies that those ending answer to: they must name a successor."""
    found = {upper: EntityRef.of(entity(graph, upper)) for node in bodies
             for upper, r in upward_hops(graph, node)
             if r.strength == Strength.FORMAL and _may_own(graph, upper)}
    return sorted(found.values(), key=lambda e: e.name)


def _summary(members: list[Gap]) -> str:
    kinds = Counter(g.kind.replace("_", " ") for g in members)
    return ", ".join(f"{n} {k}" for k, n in kinds.most_common())


def from_chains(graph: nx.MultiDiGraph, memo: UpwardMemo) -> list[Recommendation]:
    """One recommendation for every action with several leads and no single owner."""
    rows, findings = [], []
    for node in sorted(graph):
        if entity(graph, node).kind != NodeKind.ACTION:
            continue
        chain = accountability_chain(graph, node, memo=memo)
        flag = next((f for f in chain.flags if f.code == "shared_lead"), None)
        if flag is None or any(s.rank for s in chain.starts):
            continue  # one owner already, or a lead the text shares on purpose
        owners = candidate_owners(graph, node)
        detail = f"{len(chain.leads)} leads, none ranked: " + ", ".join(s.body.name for s in chain.starts)
        rows.append(Row(subject=chain.subject, detail=detail, owners=owners))
        findings.append(Finding(source="chain", basis="derived", code=flag.code,
                                message=flag.message, evidence=chain.lead_evidence))
    if not rows:
        return []
    addressees = _addressees_for(graph, [r.subject.id for r in rows])
    return [_make("single_accountable_owner", rows, addressees, findings,
                  f"{len(rows)} actions have several leads and no single accountable owner.")]


def from_duplication(graph: nx.MultiDiGraph, found: list[DuplicationFinding]) -> list[Recommendation]:
    grouped: dict[str, list[DuplicationFinding]] = defaultdict(list)
    for finding in found:
        if finding.kind in DUPLICATION_BY_CATEGORY:
            grouped[DUPLICATION_BY_CATEGORY[finding.kind]].append(finding)
    made = []
    for category, members in grouped.items():
        rows = [Row(subject=f.object or f.entities[0], detail=f.explanation,
                    owners=[e for e in f.entities if _may_own(graph, e.id)]) for f in members]
        addressees = _addressees_for(graph, [e.id for f in members for e in f.entities])
        if not addressees:
            continue
        findings = [Finding(source="duplication", basis=f.basis, code=f.kind, message=f.title,
                            evidence=f.evidence) for f in members]
        made.append(_make(category, rows, addressees, findings,
                          f"{len(members)} finding(s): " + "; ".join(f.title for f in members) + "."))
    return made


# -- guards and the whole list -------------------------------------------------------------
def guard_problems(graph: nx.MultiDiGraph, rec: Recommendation) -> list[str]:
    """What breaks the guard rules in `rec` (the module notes list them)."""
    problems = []
    if any(word in (rec.title + rec.action).lower() for word in ("merge", "consolidat", "abolish")):
        problems.append(f"{rec.id}: proposes merging or abolishing bodies")
    for ref in rec.addressees:
        if ref.id in graph and not _may_act(graph, ref.id):
            problems.append(f"{rec.id}: addresses {ref.name}, which has ended or is outside scope")
    for row in rec.rows:
        for owner in row.owners:
            if owner.id in graph and not _may_own(graph, owner.id):
                problems.append(f"{rec.id}: names {owner.name}, which ends or is being replaced")
    return problems


def recommendations(graph: nx.MultiDiGraph, found: GraphPass | None = None) -> list[Recommendation]:
    """Every recommendation the rules make from the findings, highest priority first.
    A caller that reads the gaps or duplication of the graph too passes its `GraphPass`.

    Raises ValueError if a rule ever produces one that breaks a guard.
    """
    found = found or GraphPass(graph)
    with collector_paused():
        made = [*from_gaps(graph, found.gaps), *from_chains(graph, found.memo),
                *from_duplication(graph, found.duplication)]
    merged: dict[str, Recommendation] = {}
    for rec in made:  # two sources of one category (clarify_roles) become one recommendation
        if rec.id in merged:
            first = merged[rec.id]
            rec = _make(rec.category, first.rows + rec.rows,
                        sorted({a.id: a for a in first.addressees + rec.addressees}.values(),
                               key=lambda e: e.name),
                        first.findings + rec.findings, f"{first.rationale} {rec.rationale}")
        merged[rec.id] = rec
    problems = [p for rec in merged.values() for p in guard_problems(graph, rec)]
    if problems:
        raise ValueError("; ".join(problems))
    ordered = sorted(merged.values(), key=lambda r: (PRIORITY_ORDER[r.priority], r.category))
    return [rec.model_copy(update={"number": i}) for i, rec in enumerate(ordered, 1)]


def counts_by_category(found: list[Recommendation]) -> dict[str, int]:
    return dict(sorted(Counter(r.category for r in found).items()))
