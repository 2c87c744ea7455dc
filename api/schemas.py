"""Response models: what each route returns, separate from the library's records."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel

from govmap.history import etag
from govmap.model import Entity, Relation, Source
from govmap.queries.common import EntityRef


class ProblemOut(BaseModel):
    """One fault of an imported file, located as a seed problem is."""

    file: str
    line: int | None
    field: str
    message: str


class ChangeOut(BaseModel):
    """One recorded write, in brief."""

    revision: int
    at: str
    editor: str
    comment: str


class RequestProblemOut(BaseModel):
    """One part of a request that does not fit its declared shape (a 422 from validation)."""

    loc: list[str | int]
    msg: str
    type: str


class ErrorOut(BaseModel):
    """Every error answer: a message, or (a request that does not fit the schema) its problems."""

    detail: str | list[RequestProblemOut]
    candidates: list[str] = []
    problems: list[ProblemOut] = []
    changed_since: list[ChangeOut] = []  # a stale write (409): what changed since the copy was read


ERROR_MEANINGS: dict[int, str] = {
    400: "The request body cannot be read (not UTF-8 JSON)",
    401: "No valid editor's bearer token",
    403: "The service is read-only: no editors are configured",
    404: "Not found: an unknown id, name or revision (with candidates for a name)",
    409: "The store refused the write: the record changed since the copy named (changed_since), "
         "or a relation names a missing entity",
    413: "The request body is larger than the limit",
    422: "The request does not fit the schema, or names an unknown value",
    428: "A write must name its base version: If-Match or If-None-Match: *",
    503: "Writes are refused until the service's editors file is mended",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The error answers a route can give, all in the one shape `ErrorOut`, for its
    OpenAPI `responses`: a client (and schemathesis) then knows every status to expect."""
    return {code: {"model": ErrorOut, "description": ERROR_MEANINGS[code]} for code in codes}


class HealthOut(BaseModel):
    status: Literal["ok"] = "ok"
    store: str
    revision: int
    entities: int
    relations: int
    by_kind: dict[str, int]


class EntitySummary(EntityRef):
    aliases: list[str]
    description: str

    @classmethod
    def of(cls, entity: Entity) -> EntitySummary:
        return cls(id=entity.id, name=entity.name, kind=str(entity.kind), type=entity.type,
                   aliases=entity.aliases, description=entity.description)


class Page(BaseModel):
    total: int
    limit: int
    offset: int


class EntityPage(Page):
    items: list[EntitySummary]


class RelationOut(BaseModel):
    key: str
    source: str
    type: str
    target: str
    confidence: str
    note: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    sources: list[Source]
    etag: str  # the version of the relation: send it back as If-Match to change it

    @classmethod
    def of(cls, relation: Relation) -> RelationOut:
        return cls(key=relation.key, **relation.model_dump(exclude={"type"}),
                   type=str(relation.type), etag=etag(relation))


class RelationPage(Page):
    items: list[RelationOut]


class NeighbourOut(BaseModel):
    direction: Literal["out", "in"]
    type: str
    reads: str  # how the line reads from this entity: "leads", or "is led by" when it points in
    other: EntityRef
    relation: RelationOut


class EntityDetail(BaseModel):
    entity: Entity
    etag: str  # the version of the entity (also the ETag header): If-Match to change it
    revision: int  # the revision of the map this answer was read from
    relations: list[NeighbourOut]
