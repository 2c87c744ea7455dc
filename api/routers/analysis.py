"""The reviewer's questions: accountability chains, duplication, gaps and metrics."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from govmap.analysis.duplication import Cluster, Overlap, duplication
from govmap.analysis.gaps import GAP_CODES, Gap, Severity, gaps
from govmap.analysis.metrics import Metrics, structure_metrics
from govmap.api.deps import GraphDep, Limit, Offset
from govmap.api.schemas import ErrorOut, Page
from govmap.errors import InvalidRequestError
from govmap.model import not_one_of
from govmap.queries.accountability import (
    UPWARD_TYPES,
    AccountabilityChain,
    Flag,
    accountability_chain,
    all_chains,
)
from govmap.queries.common import EntityRef

router = APIRouter(tags=["analysis"])

AsAt = Annotated[dt.date | None, Query(description="See only what is valid on this day "
                                       "(YYYY-MM-DD).", examples=["2031-01-01"])]


@router.get("/accountability", response_model=AccountabilityChain,
            responses={404: {"model": ErrorOut}}, summary="Who is accountable for X")
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


class OverlapPage(Page):
    min_score: float
    clusters: list[Cluster]
    items: list[Overlap]


@router.get("/analysis/duplication", response_model=OverlapPage, summary="Overlapping bodies")
def duplication_pairs(
    graph: GraphDep,
    min_score: Annotated[float, Query(ge=0, le=1, description="Lowest weighted overlap score")] = 0.3,
    entity: Annotated[str | None, Query(max_length=120, description="Only pairs with this id")] = None,
    as_at: AsAt = None, limit: Limit = 50, offset: Offset = 0,
) -> OverlapPage:
    """Pairs of bodies (and frameworks) whose led actions, oversight targets, reporting
    lines, memberships, functions or areas overlap, scored by weighted Jaccard
    (leads/oversees 3, covers 2, others 1), best first, with clusters.

    Example: `GET /analysis/duplication?min_score=0.5`
    """
    found = duplication(graph, min_score=min_score, day=as_at)
    pairs = [p for p in found.pairs if entity is None or entity in (p.a.id, p.b.id)]
    return OverlapPage(total=len(pairs), limit=limit, offset=offset, min_score=min_score,
                       clusters=found.clusters, items=pairs[offset:offset + limit])


class GapPage(Page):
    by_code: dict[str, int]
    items: list[Gap]


@router.get("/analysis/gaps", response_model=GapPage, summary="Gaps, most severe first")
def gap_list(
    graph: GraphDep,
    severity: Annotated[Severity | None, Query(description="high, medium or low")] = None,
    kind: Annotated[str | None, Query(description=f"Gap code: {', '.join(GAP_CODES)}")] = None,
    entity: Annotated[str | None, Query(max_length=120, description="Only gaps of this id")] = None,
    as_at: AsAt = None, limit: Limit = 100, offset: Offset = 0,
) -> GapPage:
    """Actions with no lead, no commitment or little work; bodies with no line of
    accountability; duties with no scrutiny; bodies that end but hold
    responsibilities; entities and relations with no source.

    Example: `GET /analysis/gaps?severity=high`
    """
    if kind is not None and kind not in GAP_CODES:
        raise InvalidRequestError(not_one_of(kind, list(GAP_CODES), "a gap kind"))
    found = [g for g in gaps(graph, severity=severity, code=kind, day=as_at)
             if entity is None or g.entity.id == entity]
    return GapPage(total=len(found), limit=limit, offset=offset,
                   by_code=dict(Counter(g.code for g in found)), items=found[offset:offset + limit])


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
