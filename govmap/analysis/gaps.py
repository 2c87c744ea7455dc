"""Gaps: what nobody leads, commits to, scrutinises or answers for.

Each gap names one entity, a severity and the evidence that shows it:

=========================  ========  ==================================================
code                       severity  rule
=========================  ========  ==================================================
action_no_lead             high      an action with no LEADS edge into it
action_little_or_no_work   high      assessed as "little or no work underway"
action_leads_unanchored    high      every lead of the action lacks an upward line
action_no_commitment       medium    leads named, but no commitment received; high when
                                     the action is also assessed as little or no work
action_soft_oversight_only medium    the action's leads reach the top only through soft
                                     oversight (no power to compel)
body_no_accountability     medium    a body of the Scottish public sector, not the top and
                                     not ended, with no upward line; low for funds and
                                     programmes. Bodies outside the Scottish public
                                     sector (UK-wide, English, courts, third sector,
                                     academic, mixed collectives) answer through
                                     governance the map does not cover: not a gap
duty_no_scrutiny           medium    a body with a statutory duty (HAS_DUTY_UNDER) that
                                     nobody oversees, scrutinises or holds to account
ends_with_responsibilities medium    a body with an end date that still leads,
                                     oversees or supports something
no_sources                 low       an entity or relation that cites no source
=========================  ========  ==================================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Literal

import networkx as nx
from pydantic import BaseModel

from govmap.model import OVERSIGHT_TYPES, RESPONSIBILITY_TYPES, AssessmentStatus, Entity, NodeKind, Source
from govmap.queries.accountability import accountability_chain, dead_end, leads_of
from govmap.queries.common import EntityRef, Evidence, as_at, entity

Severity = Literal["high", "medium", "low"]
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
SELF_GOVERNED = {"fund", "programme"}


class Gap(BaseModel):
    id: str
    code: str
    severity: Severity
    entity: EntityRef
    message: str
    sources: list[Source] = []
    evidence: list[Evidence] = []


def _gap(code: str, severity: Severity, subject: Entity, message: str, *,
         evidence: list[Evidence] | None = None, sources: list[Source] | None = None) -> Gap:
    return Gap(id=f"{code}:{subject.id}", code=code, severity=severity,
               entity=EntityRef.of(subject), message=message,
               sources=subject.sources if sources is None else sources,
               evidence=evidence or [])


def action_gaps(graph: nx.MultiDiGraph, node: str) -> Iterator[Gap]:
    action = entity(graph, node)
    leads = leads_of(graph, node)
    lead_evidence = [Evidence.of(r) for _, r in leads]
    little = action.status == AssessmentStatus.LITTLE_OR_NO_WORK
    if not leads:
        yield _gap("action_no_lead", "high", action, f"{action.name} has no lead organisation")
    if little:
        yield _gap("action_little_or_no_work", "high", action,
                   f"{action.name} is assessed as having little or no work underway")
    if leads and not action.commitments and action.commitment_received is not True:
        yield _gap("action_no_commitment", "high" if little else "medium", action,
                   f"{action.name} has {len(leads)} lead(s) but no commitment was received",
                   evidence=lead_evidence)
    if leads and all(dead_end(graph, u) == "broken" for u, _ in leads):
        names = ", ".join(entity(graph, u).name for u, _ in leads)
        yield _gap("action_leads_unanchored", "high", action,
                   f"no lead of {action.name} has a line of accountability ({names})",
                   evidence=lead_evidence)
    if leads and accountability_chain(graph, node).standing == "soft_only":
        yield _gap("action_soft_oversight_only", "medium", action,
                   f"every lead of {action.name} reaches the top only through soft oversight, "
                   "with no power to compel", evidence=lead_evidence)


def body_gaps(graph: nx.MultiDiGraph, node: str) -> Iterator[Gap]:
    body = entity(graph, node)
    ended = body.valid_to is not None and body.valid_to < dt.date.today()
    if dead_end(graph, node) == "broken" and body.in_scottish_public_sector and not ended:
        yield _gap("body_no_accountability",
                   "low" if body.type in SELF_GOVERNED else "medium", body,
                   f"{body.name} answers to no one in the map")
    duties = [d["relation"] for _, _, k, d in graph.out_edges(node, keys=True, data=True)
              if k == "HAS_DUTY_UNDER"]
    overseen = any(k in OVERSIGHT_TYPES for _, _, k in graph.in_edges(node, keys=True))
    if duties and not overseen:
        yield _gap("duty_no_scrutiny", "medium", body,
                   f"{body.name} has {len(duties)} statutory duty(ies) and nobody scrutinises it",
                   evidence=[Evidence.of(r) for r in duties])
    if body.valid_to is not None:
        held = [d["relation"] for _, _, k, d in graph.out_edges(node, keys=True, data=True)
                if k in RESPONSIBILITY_TYPES]
        if held:
            yield _gap("ends_with_responsibilities", "medium", body,
                       f"{body.name} ends on {body.valid_to.isoformat()} but holds "
                       f"{len(held)} responsibilities that need a successor",
                       evidence=[Evidence.of(r) for r in held])


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


def gaps(graph: nx.MultiDiGraph, *, severity: Severity | None = None, code: str | None = None,
         day: dt.date | None = None) -> list[Gap]:
    """Every gap in the graph, most severe first, optionally filtered."""
    graph = as_at(graph, day)
    found: list[Gap] = []
    for node in sorted(graph):
        kind = entity(graph, node).kind
        if kind == NodeKind.ACTION:
            found += action_gaps(graph, node)
        elif kind == NodeKind.BODY:
            found += body_gaps(graph, node)
    found += source_gaps(graph)
    found = [g for g in found if (severity is None or g.severity == severity)
             and (code is None or g.code == code)]
    return sorted(found, key=lambda g: (SEVERITY_ORDER[g.severity], g.code, g.entity.id, g.id))


GAP_CODES = ("action_no_lead", "action_little_or_no_work", "action_leads_unanchored",
             "action_soft_oversight_only", "action_no_commitment", "body_no_accountability",
             "duty_no_scrutiny", "ends_with_responsibilities", "no_sources")
