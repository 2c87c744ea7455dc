"""The record of changes: who changed what, when and why, and the landscape diff."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from govmap.api.deps import Limit, Offset, StoreDep
from govmap.api.schemas import errors
from govmap.diff import Point, diff_between
from govmap.history import newest_first

router = APIRouter(tags=["history"], responses=errors(404, 422))


class RecordChangeOut(BaseModel):
    kind: Literal["entity", "relation"]
    key: str
    what: Literal["created", "changed", "removed"]
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class HistoryEntryOut(BaseModel):
    revision: int
    at: str
    editor: str
    comment: str
    evidence: str
    changes: list[RecordChangeOut]


class HistoryPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[HistoryEntryOut]


@router.get("/history", response_model=HistoryPage, summary="Who changed what, when and why")
def history(
    store: StoreDep,
    entity: Annotated[str | None, Query(max_length=200, description="Only writes touching this "
                                        "entity (id, name or alias) or its relations")] = None,
    editor: Annotated[str | None, Query(max_length=100, description="Only this editor's writes")] = None,
    since: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}", description="Only writes at "
                                       "or after this day or time (ISO 8601, UTC)")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> HistoryPage:
    """The writes recorded in the store, newest first, each with its editor, comment,
    evidence and the before and after of every record it touched.

    Example: `GET /history?entity=Promise Oversight Board&since=2026-01-01`
    """
    found = newest_first(store.history(), store.snapshot(), entity=entity, editor=editor, since=since)
    return HistoryPage(total=len(found), limit=limit, offset=offset, items=[
        HistoryEntryOut(revision=e.revision, at=e.at, editor=e.editor, comment=e.comment,
                        evidence=e.evidence, changes=[
                            RecordChangeOut(kind=c.kind, key=c.key, what=c.what, before=c.before,
                                            after=c.after) for c in e.changes])
        for e in found[offset:offset + limit]])


class DifferenceOut(BaseModel):
    kind: Literal["entity", "relation"]
    key: str
    name: str
    fields: list[str]


class DiffOut(BaseModel):
    start: str
    end: str
    appeared: list[DifferenceOut]
    changed: list[DifferenceOut]
    ended: list[DifferenceOut]


# what `Point.parse` reads: a revision number or a day
POINT = r"^(\d{1,9}|\d{4}-\d{2}-\d{2})$"


@router.get("/diff", response_model=DiffOut, summary="What appeared, changed and ended")
def diff(store: StoreDep, start: Annotated[str, Query(alias="from", pattern=POINT,
                                                      description="A revision or a day (YYYY-MM-DD)")],
         end: Annotated[str, Query(alias="to", pattern=POINT,
                                   description="A revision or a day (YYYY-MM-DD)")]) -> DiffOut:
    """The landscape between two points: two revisions of the record (what editors
    changed), two days (what the map says existed then), or one of each.

    Example: `GET /diff?from=2021-06-01&to=2025-06-01`
    """
    first, second = Point.parse(start), Point.parse(end)
    found = diff_between(store, first, second)

    def out(items: list[Any]) -> list[DifferenceOut]:
        return [DifferenceOut(**vars(d)) for d in items]

    return DiffOut(start=str(first), end=str(second), appeared=out(found.appeared),
                   changed=out(found.changed), ended=out(found.ended))

