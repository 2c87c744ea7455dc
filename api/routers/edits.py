"""Edits: upsert and delete entities and relations, each one transaction, token-protected.

A failed write (a relation to a missing entity, say) is refused with 409 and leaves
the previous graph as it was. `govmap export` writes the edited graph back to YAML.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from govmap.api.deps import StoreDep, WriteAllowed
from govmap.api.schemas import ErrorOut
from govmap.errors import InvalidRequestError, NotFoundError
from govmap.model import Entity, Relation, relation_key
from govmap.stores import ChangeSet

router = APIRouter(tags=["edits"], dependencies=[WriteAllowed],
                   responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut},
                              409: {"model": ErrorOut}})


class WriteResult(BaseModel):
    revision: int


@router.put("/entities/{entity_id}", response_model=WriteResult, summary="Create or replace an entity")
def put_entity(entity_id: str, entity: Entity, store: StoreDep) -> WriteResult:
    """Create or replace one entity (its id in the path and the body must agree).

    Example: `PUT /entities/new-board` with an entity body and `Authorization: Bearer …`
    """
    if entity.id != entity_id:
        raise InvalidRequestError(f"the body's id {entity.id!r} is not the path's {entity_id!r}")
    return WriteResult(revision=store.write(ChangeSet(upsert_entities=[entity])))


@router.delete("/entities/{entity_id}", response_model=WriteResult, summary="Delete an entity")
def delete_entity(entity_id: str, store: StoreDep) -> WriteResult:
    """Delete one entity and every relation to or from it.

    Example: `DELETE /entities/new-board`
    """
    if store.get_entity(entity_id) is None:
        raise NotFoundError(f"no entity with id {entity_id!r}")
    return WriteResult(revision=store.write(ChangeSet(delete_entities=[entity_id])))


@router.put("/relations", response_model=WriteResult, summary="Create or replace a relation")
def put_relation(relation: Relation, store: StoreDep) -> WriteResult:
    """Create or replace one relation, identified by (source, type, target).

    Example: `PUT /relations` with `{"source": …, "type": "REPORTS_TO", "target": …}`
    """
    return WriteResult(revision=store.write(ChangeSet(upsert_relations=[relation])))


@router.delete("/relations/{source}/{type}/{target}", response_model=WriteResult,
               summary="Delete a relation")
def delete_relation(source: str, type: str, target: str, store: StoreDep) -> WriteResult:
    """Delete the relation "source TYPE target".

    Example: `DELETE /relations/new-board/REPORTS_TO/scottish-government`
    """
    if not store.relations(type=type, source=source, target=target):
        raise NotFoundError(f"no relation {source} {type} {target}")
    return WriteResult(revision=store.write(ChangeSet(
        delete_relations=[relation_key(source, type, target)])))
