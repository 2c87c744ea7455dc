"""Edits: create, change and delete entities and relations, one transaction each.

Every write is made by a named editor (their bearer token), says why (`comment`,
required) and on what evidence, and goes into the history with the before and after
of what it touched. Every write also names the version it was based on — `If-Match`
with the ETag read from `GET /entities/{id}` (or a relation's `etag`), or
`If-None-Match: *` to create — so two editors working from the same copy cannot
overwrite each other: the second gets 409 with what changed since, and nothing is
written. A refused write leaves the graph as it was.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Response
from pydantic import BaseModel

from govmap.api.deps import AuthorshipDep, BasedOn, StoreDep
from govmap.api.schemas import errors
from govmap.errors import InvalidRequestError, NotFoundError, StaleWriteError
from govmap.history import changed_since, etag
from govmap.model import Entity, Relation, relation_key
from govmap.stores import ChangeSet, GraphStore

router = APIRouter(tags=["edits"], responses=errors(401, 403, 409, 422, 428, 503))
WITH_BODY = errors(400, 413)  # a JSON body that cannot be read, or is too large


class WriteResult(BaseModel):
    revision: int
    etag: str | None = None  # the version of the record written (None after a delete)


# The examples make one story (create new-board, change it, delete it; add a line, remove
# it), so the documentation's requests, and schemathesis's example phase, succeed in turn.
EditedId = Annotated[str, Path(description="The entity's id", examples=["new-board"])]
NewEntity = Annotated[Entity, Body(examples=[{
    "id": "new-board", "kind": "body", "type": "board", "scope": "scottish_public_sector",
    "name": "New Board", "description": "A board set up in 2025."}])]
NewRelation = Annotated[Relation, Body(examples=[{
    "source": "promise-programme-board", "type": "REPORTS_TO", "target": "scottish-government",
    "strength": "formal"}])]
MergePatch = Annotated[dict[str, Any], Body(
    description="A JSON merge patch (RFC 7396): the fields to change; null removes a field",
    examples=[{"description": "Renamed in 2025."}])]


def _write(store: GraphStore, change: ChangeSet, response: Response,
           written: Entity | Relation | None) -> WriteResult:
    """Apply `change`; a stale write's error carries the writes made since its copy."""
    try:
        revision = store.write(change)
    except StaleWriteError as exc:
        exc.since = changed_since(store.history(), exc.key, exc.expected)
        raise
    tag = etag(written) if written is not None else None
    if tag:
        response.headers["ETag"] = f'"{tag}"'
    return WriteResult(revision=revision, etag=tag)


def _existing(store: GraphStore, entity_id: str) -> Entity:
    entity = store.get_entity(entity_id)
    if entity is None:
        raise NotFoundError(f"no entity with id {entity_id!r}")
    return entity


@router.put("/entities/{entity_id}", response_model=WriteResult, responses=WITH_BODY,
            summary="Create or replace an entity")
def put_entity(entity_id: EditedId, entity: NewEntity, store: StoreDep, by: AuthorshipDep,
               based_on: BasedOn, response: Response) -> WriteResult:
    """Create one entity (`If-None-Match: *`) or replace it (`If-Match: <etag>`); its id
    in the path and the body must agree.

    Example: `PUT /entities/new-board?comment=Set up in 2025` with an entity body,
    `If-None-Match: *` and `Authorization: Bearer …`
    """
    if entity.id != entity_id:
        raise InvalidRequestError(f"the body's id {entity.id!r} is not the path's {entity_id!r}")
    return _write(store, ChangeSet(upsert_entities=[entity], by=by, expect={entity_id: based_on}),
                  response, entity)


@router.patch("/entities/{entity_id}", response_model=WriteResult, responses={**WITH_BODY, **errors(404)},
              summary="Change some fields of an entity")
def patch_entity(entity_id: EditedId, patch: MergePatch, store: StoreDep, by: AuthorshipDep,
                 based_on: BasedOn, response: Response) -> WriteResult:
    """Change the fields given and keep the rest (`If-Match: <etag>` required).

    Example: `PATCH /entities/promise-oversight-board?comment=…` with `{"valid_to": "2030-12-31"}`
    """
    current = _existing(store, entity_id)
    if "id" in patch and patch["id"] != entity_id:
        raise InvalidRequestError("the id of an entity cannot be patched")
    fields = current.model_dump(mode="json", exclude_none=True)
    for name, value in patch.items():
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value
    entity = Entity.model_validate(fields)
    return _write(store, ChangeSet(upsert_entities=[entity], by=by, expect={entity_id: based_on}),
                  response, entity)


@router.delete("/entities/{entity_id}", response_model=WriteResult, responses=errors(404),
               summary="Delete an entity")
def delete_entity(entity_id: EditedId, store: StoreDep, by: AuthorshipDep, based_on: BasedOn,
                  response: Response) -> WriteResult:
    """Delete one entity and every relation to or from it (`If-Match: <etag>`).

    Example: `DELETE /entities/new-board?comment=Never existed`
    """
    _existing(store, entity_id)
    return _write(store, ChangeSet(delete_entities=[entity_id], by=by,
                                   expect={entity_id: based_on}), response, None)


@router.put("/relations", response_model=WriteResult, responses=WITH_BODY,
            summary="Create or replace a relation")
def put_relation(relation: NewRelation, store: StoreDep, by: AuthorshipDep, based_on: BasedOn,
                 response: Response) -> WriteResult:
    """Create (`If-None-Match: *`) or replace (`If-Match: <etag>`) one relation,
    identified by (source, type, target).

    Example: `PUT /relations?comment=…` with `{"source": …, "type": "REPORTS_TO", "target": …}`
    """
    return _write(store, ChangeSet(upsert_relations=[relation], by=by,
                                   expect={relation.key: based_on}), response, relation)


@router.delete("/relations/{source}/{type}/{target}", response_model=WriteResult,
               responses=errors(404), summary="Delete a relation")
def delete_relation(source: Annotated[str, Path(examples=["promise-programme-board"])],
                    type: Annotated[str, Path(examples=["REPORTS_TO"])],
                    target: Annotated[str, Path(examples=["scottish-government"])],
                    store: StoreDep, by: AuthorshipDep, based_on: BasedOn, response: Response) -> WriteResult:
    """Delete the relation "source TYPE target" (`If-Match: <etag>`).

    Example: `DELETE /relations/new-board/REPORTS_TO/scottish-government?comment=…`
    """
    if not store.relations(type=type, source=source, target=target):
        raise NotFoundError(f"no relation {source} {type} {target}")
    key = relation_key(source, type, target)
    return _write(store, ChangeSet(delete_relations=[key], by=by, expect={key: based_on}),
                  response, None)
