"""Health, entities and relations: reading the graph as it is stored."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel

from govmap.api.deps import Limit, Offset, RevisionParam, StoreDep, one_of, snapshot_at
from govmap.api.schemas import (
    EntityDetail,
    EntityPage,
    EntityRef,
    EntitySummary,
    HealthOut,
    NeighbourOut,
    RelationOut,
    RelationPage,
    errors,
)
from govmap.errors import InvalidRequestError
from govmap.history import etag
from govmap.model import BodyType, Fact, NodeKind, PlanType, RelType, meaning, not_one_of
from govmap.queries.common import resolve
from govmap.queries.neighbourhood import neighbourhood
from govmap.search import normalise, search_entities

router = APIRouter(tags=["entities"])

# once each: "programme" is both a body type and a plan type
ENTITY_TYPES = list(dict.fromkeys([t.value for t in BodyType] + [t.value for t in PlanType]))


@router.get("/health", response_model=HealthOut, summary="Store kind, revision and counts")
def health(store: StoreDep) -> HealthOut:
    """Is the service up, which store does it use, and how big is the graph?

    Example: `GET /health`
    """
    counts = store.counts()
    return HealthOut(store=store.kind, revision=store.revision(), entities=counts.entities,
                     relations=counts.relations, by_kind=counts.by_kind)


@router.get("/entities", response_model=EntityPage, responses=errors(422),
            summary="Search entities by name or alias")
def list_entities(
    store: StoreDep,
    q: Annotated[str | None, Query(max_length=200, description="Name or alias, any case",
                                   examples=["CHS"])] = None,
    kind: Annotated[NodeKind | None, Query(description="Entity kind")] = None,
    type: Annotated[str | None, one_of(ENTITY_TYPES, "Body or plan type")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> EntityPage:
    """Entities whose name or an alias contains `q`, best match first; paginated.

    Example: `GET /entities?q=oversight&kind=body&limit=10`
    """
    if type is not None and type not in ENTITY_TYPES:
        raise InvalidRequestError(not_one_of(type, ENTITY_TYPES, "an entity type"))
    total, page = search_entities(store, q, kind=kind and kind.value, type=type,
                                  limit=limit, offset=offset)
    return EntityPage(total=total, limit=limit, offset=offset,
                      items=[EntitySummary.of(e) for e in page])


@router.get("/entities/{entity_id}", response_model=EntityDetail,
            responses=errors(404, 422), summary="One entity with its relations")
def get_entity(entity_id: Annotated[str, Path(examples=["the-promise-scotland"])], store: StoreDep,
               response: Response, revision: RevisionParam = None) -> EntityDetail:
    """The entity, its sources and facts, and its relations in both directions, each
    with the other end and the relation's evidence; `revision` reads it as it was then.
    The ETag header (and `etag`) names this version: send it as If-Match to change it.

    Example: `GET /entities/the-promise-scotland`
    """
    graph = snapshot_at(store, revision)
    around = neighbourhood(graph, entity_id)
    tag = etag(around.entity)
    response.headers["ETag"] = f'"{tag}"'
    return EntityDetail(entity=around.entity, etag=tag, revision=graph.graph["revision"], relations=[
        NeighbourOut(direction=n.direction, type=str(n.relation.type),
                     reads=(meaning(n.relation.type).reads if n.direction == "out"
                            else meaning(n.relation.type).reads_inverse),
                     other=EntityRef.of(n.other), relation=RelationOut.of(n.relation))
        for n in around.relations
    ])


class FactOut(BaseModel):
    entity: EntityRef
    fact: Fact


@router.get("/facts", response_model=list[FactOut], responses=errors(422),
            summary="Counts the documents state")
def list_facts(
    store: StoreDep,
    q: Annotated[str | None, Query(max_length=200, description="Words in the measure")] = None,
) -> list[FactOut]:
    """Every count the source documents state (directorates with an interest, policy
    areas, bodies scoped and mapped, grants…), with the entity it describes and its
    evidence.

    Example: `GET /facts?q=directorates`
    """
    words = normalise(q or "").split()
    entities = (data["entity"] for _, data in store.snapshot().nodes(data=True))
    found = [FactOut(entity=EntityRef.of(e), fact=f) for e in entities for f in e.facts
             if all(w in normalise(f.measure) for w in words)]
    return sorted(found, key=lambda x: (x.entity.name, x.fact.measure))


@router.get("/relations", response_model=RelationPage, responses=errors(404, 422),
            summary="Relations, filtered")
def list_relations(
    store: StoreDep,
    type: Annotated[RelType | None, Query(description="Relationship type")] = None,
    source: Annotated[str | None, Query(max_length=200, description="Source: id, name or alias")] = None,
    target: Annotated[str | None, Query(max_length=200, description="Target: id, name or alias")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> RelationPage:
    """Relations of a type, from a source and/or to a target, with their evidence. A
    name that fits no entity gives 404 with candidates, never an empty page.

    Example: `GET /relations?type=REPORTS_TO&target=First Minister`
    """
    graph = store.snapshot()
    source_id = resolve(graph, source).id if source else None
    target_id = resolve(graph, target).id if target else None
    found = store.relations(type=type and type.value, source=source_id, target=target_id)
    return RelationPage(total=len(found), limit=limit, offset=offset,
                        items=[RelationOut.of(r) for r in found[offset:offset + limit]])
