"""The reviewer's questions: accountability chains, duplication, gaps and metrics."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from govmap.analysis.duplication import DUPLICATION_KINDS, DuplicationFinding, duplication
from govmap.analysis.gaps import GAP_KINDS, Basis, Gap, Severity, gaps
from govmap.analysis.metrics import Metrics, structure_metrics
from govmap.api.deps import AsAt, GraphDep, Limit, Offset, day_query, one_of
from govmap.api.schemas import Page, errors
from govmap.errors import InvalidRequestError
from govmap.model import not_one_of
from govmap.queries.accountability import (
    UPWARD_TYPES,
    AccountabilityChain,
    Flag,
    accountability_chain,
    all_chains,
)
from govmap.queries.common import EntityRef, resolve

# every answer reads the graph (GraphDep): an unknown revision is 404, bad input 422
router = APIRouter(tags=["analysis"], responses=errors(404, 422))

AboutEntity = Annotated[str | None, Query(
    max_length=200, description="Only those about this entity: id, name or alias")]


@router.get("/accountability", response_model=AccountabilityChain, summary="Who is accountable for X")
def accountability(
    graph: GraphDep,
    subject: Annotated[str, Query(alias="for", min_length=1, max_length=200,
                                  description="An action or body: id, name or alias",
                                  examples=["Advocacy", "CHS", "the-promise-scotland"])],
    as_at: AsAt = None,
) -> AccountabilityChain:
    """The leads of an action (or the body itself) and every path up to the top, each hop
    with its relation, strength (formal or soft) and evidence; the standing of each lead
    (its best path) and of the whole (an action: its weakest accountable lead), each
    formal / soft_only / outside_scope / broken; and flags: no_lead,
    broken_chain, soft_oversight_only, circular, several_principals, shared_lead, ends,
    inferred_hop.

    The top is the Scottish Parliament or an elected council. `evidence=documents`
    leaves out the reference layer (statutory lines the documents take for granted).
    Unknown or ambiguous names give 404 with candidates.

    Example: `GET /accountability?for=Advocacy&evidence=documents`
    """
    return accountability_chain(graph, subject, day=as_at)


class DuplicationPage(Page):
    by_kind: dict[str, int]
    items: list[DuplicationFinding]


@router.get("/analysis/duplication", response_model=DuplicationPage,
            summary="Duplication by function")
def duplication_findings(
    graph: GraphDep,
    kind: Annotated[str | None, one_of(list(DUPLICATION_KINDS), "Duplication kind")] = None,
    entity: AboutEntity = None,
    as_at: AsAt = None, limit: Limit = 50, offset: Offset = 0,
) -> DuplicationPage:
    """Bodies doing the same job on the same thing (not partners who co-lead), frameworks
    covering the same ground, one commitment counted twice, a disproportionate share of
    leads, roles the documents find unclear, and bodies that may be recorded twice.

    Example: `GET /analysis/duplication?kind=parallel_oversight`
    """
    if kind is not None and kind not in DUPLICATION_KINDS:
        raise InvalidRequestError(not_one_of(kind, list(DUPLICATION_KINDS), "a duplication kind"))
    entity_id = resolve(graph, entity).id if entity else None
    found = duplication(graph, kind=kind, entity_id=entity_id, day=as_at)
    return DuplicationPage(total=len(found.findings), limit=limit, offset=offset,
                           by_kind=found.by_kind, items=found.findings[offset:offset + limit])


class GapPage(Page):
    by_kind: dict[str, int]
    by_basis: dict[str, int]
    items: list[Gap]


@router.get("/analysis/gaps", response_model=GapPage, summary="Gaps, stated and derived")
def gap_list(
    graph: GraphDep,
    severity: Annotated[Severity | None, Query(description="high, medium or low")] = None,
    kind: Annotated[str | None, one_of(list(GAP_KINDS), "Gap kind")] = None,
    basis: Annotated[Basis | None, Query(
        description="stated (the documents' own assessments) or derived (a rule's)")] = None,
    entity: AboutEntity = None,
    assessed_from: day_query("Stated on or after this day") = None,  # type: ignore[valid-type]
    assessed_to: day_query("Stated on or before this day") = None,  # type: ignore[valid-type]
    as_at: AsAt = None, limit: Limit = 100, offset: Offset = 0,
) -> GapPage:
    """What the documents say is missing or weak (stated, with who assessed it and when)
    and what the rules find (derived): actions with no lead, no commitment, little work
    or only soft oversight; bodies of the Scottish public sector with no line of
    accountability stated; bodies that end with no successor; advice with no route for
    a response; duties with no scrutiny.

    Example: `GET /analysis/gaps?basis=stated&entity=Advocacy`
    """
    if kind is not None and kind not in GAP_KINDS:
        raise InvalidRequestError(not_one_of(kind, list(GAP_KINDS), "a gap kind"))
    entity_id = resolve(graph, entity).id if entity else None
    found = gaps(graph, severity=severity, kind=kind, basis=basis, entity_id=entity_id,
                 assessed_from=assessed_from, assessed_to=assessed_to, day=as_at)
    return GapPage(total=len(found), limit=limit, offset=offset,
                   by_kind=dict(Counter(g.kind for g in found)),
                   by_basis=dict(Counter(g.basis for g in found)), items=found[offset:offset + limit])


class FlaggedChain(BaseModel):
    subject: EntityRef
    flags: list[Flag]


class ChainFlagsPage(Page):
    upward_types: list[str]
    by_flag: dict[str, int]
    items: list[FlaggedChain]


@router.get("/analysis/chains", response_model=ChainFlagsPage, summary="Chain flags, whole graph")
def chain_flags(graph: GraphDep, as_at: AsAt = None, limit: Limit = 100,
                offset: Offset = 0) -> ChainFlagsPage:
    """The accountability chain of every action and body, reduced to those with flags.

    Example: `GET /analysis/chains?limit=20`
    """
    flagged = [FlaggedChain(subject=c.subject, flags=c.flags)
               for c in all_chains(graph, day=as_at) if c.flags]
    counts = Counter(f.code for c in flagged for f in c.flags)
    return ChainFlagsPage(total=len(flagged), limit=limit, offset=offset,
                          upward_types=sorted(UPWARD_TYPES), by_flag=dict(counts),
                          items=flagged[offset:offset + limit])


@router.get("/analysis/metrics", response_model=Metrics, summary="Structure metrics")
def metrics(graph: GraphDep, as_at: AsAt = None) -> Metrics:
    """Betweenness and load on the accountability graph, many masters, reporting
    burden, degree by relationship type, components, depth to the top, longest chains.

    Example: `GET /analysis/metrics`
    """
    return structure_metrics(graph, day=as_at)
