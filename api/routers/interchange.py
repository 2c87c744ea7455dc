"""Interchange: the whole map out in another tool's format, and a file of one in.

Every format comes from the registry in `govmap.interop`, so a new format needs no
change here. An import is checked by the seed's rules and written in one
transaction, or not at all (422 with every problem, located by file and row).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel

from govmap.api.deps import AuthorshipDep, StoreDep
from govmap.api.schemas import errors
from govmap.interop import FORMATS, interop_format
from govmap.interop.importing import import_into
from govmap.stores import export_dataset

router = APIRouter(tags=["interchange"])

ExportFormat = Annotated[Literal[tuple(FORMATS)],  # type: ignore[valid-type]
                         Query(description=", ".join(FORMATS))]
READABLE = tuple(n for n, f in FORMATS.items() if f.read is not None)
ImportFormat = Annotated[Literal[READABLE],  # type: ignore[valid-type]
                         Query(description=", ".join(READABLE))]


class FormatOut(BaseModel):
    name: str
    media_type: str
    extension: str
    description: str
    importable: bool
    cannot_hold: list[str]


class MatchOut(BaseModel):
    imported_id: str
    stored_id: str
    by: str
    name: str


class ImportOut(BaseModel):
    written: bool
    revision: int
    entities_created: list[str]
    entities_updated: list[str]
    entities_unchanged: int
    relations_created: int
    relations_updated: int
    relations_unchanged: int
    matches: list[MatchOut]


@router.get("/export/formats", response_model=list[FormatOut], summary="The interchange formats")
def export_formats() -> list[FormatOut]:
    """Each format: what it is for, whether it can be imported, and what it cannot hold.

    Example: `GET /export/formats`
    """
    return [FormatOut(name=f.name, media_type=f.media_type, extension=f.extension,
                      description=f.description, importable=f.read is not None,
                      cannot_hold=list(f.cannot_hold)) for f in FORMATS.values()]


@router.get("/export", summary="The whole map in another tool's format",
            responses={200: {"content": {"text/turtle": {}, "application/graphml+xml": {}}}, **errors(422)})
def export(store: StoreDep, format: ExportFormat) -> Response:
    """The store's entities and relations, with their evidence, as a file.

    Example: `GET /export?format=turtle`
    """
    fmt = interop_format(format)
    return Response(fmt.write(export_dataset(store)), media_type=fmt.media_type,
                    headers={"Content-Disposition": f'attachment; filename="govmap.{fmt.extension}"'})


@router.post("/import", response_model=ImportOut,
             summary="Import a file into the map, all or nothing",
             responses=errors(401, 403, 409, 413, 422, 503),
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
async def import_file(request: Request, store: StoreDep, format: ImportFormat, by: AuthorshipDep,
                      dry_run: bool = False) -> ImportOut:
    """The body is the file itself. Entities are matched to the stored ones by id, then by
    name or alias (each match reported); the file's records are written in one
    transaction when every check passes, as one entry of the history. With `dry_run`,
    nothing is written.

    Example: `POST /import?format=graphml&comment=Councils' review&dry_run=true` with the file
    as the body
    """
    content = await request.body()
    # the checks and the write are blocking work: off the event loop
    result = await run_in_threadpool(import_into, store, content, format,
                                     f"the uploaded {format} file", by=by, dry_run=dry_run)
    plan = result.plan
    return ImportOut(written=result.written, revision=result.revision,
                     entities_created=plan.created, entities_updated=plan.updated,
                     entities_unchanged=len(plan.unchanged),
                     relations_created=plan.relations_created,
                     relations_updated=plan.relations_updated,
                     relations_unchanged=plan.relations_unchanged,
                     matches=[MatchOut(**vars(m)) for m in plan.matches])
