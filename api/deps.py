"""Dependencies: the settings and the open store, injected into every route."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Annotated, Any

import networkx as nx
from fastapi import Depends, Header, HTTPException, Query, Request
from pydantic import BeforeValidator

from govmap.diff import Point, map_at
from govmap.editors import Editor, EditorEntry, Role, identify, read_editors, token_hash
from govmap.errors import InvalidRequestError
from govmap.history import ANY_VERSION, Authorship
from govmap.queries.common import EvidenceMode, on_evidence
from govmap.settings import Settings, get_settings
from govmap.snapshot import build_snapshot
from govmap.stores import GraphStore

log = logging.getLogger("govmap.api")


def get_store(request: Request) -> GraphStore:
    """The store opened by the app's lifespan (tests override this dependency)."""
    return request.app.state.store


SettingsDep = Annotated[Settings, Depends(get_settings)]
Limit = Annotated[int, Query(ge=1, le=500, description="Page size (1-500).")]
Offset = Annotated[int, Query(ge=0, description="How many results to skip.")]
StoreDep = Annotated[GraphStore, Depends(get_store)]


def _iso_day(value: object) -> object:
    """Only YYYY-MM-DD is a day here: "0" or a timestamp is refused, never read as 1970."""
    if value is None or isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


def day_query(description: str) -> Any:
    """A query parameter holding a day, parsed strictly."""
    return Annotated[dt.date | None, BeforeValidator(_iso_day),
                     Query(description=description + " (YYYY-MM-DD).", examples=["2031-01-01"])]


def one_of(values: list[str], description: str) -> Any:
    """A query parameter from a closed vocabulary: the schema lists the values (so a client,
    or a test generator, sees them) and the route checks them, with a hint for a near miss."""
    return Query(description=description, json_schema_extra={"enum": values})


AsAt = day_query("See only what is valid on this day")
EvidenceParam = Annotated[EvidenceMode, Query(
    description="all: the documents and the cited reference layer (statutes and official "
                "pages) together; documents: what the five source documents establish alone")]


RevisionParam = Annotated[int | None, Query(
    ge=1, description="Read the map as it was just after this revision, rebuilt from the history")]


def snapshot_at(store: GraphStore, revision: int | None) -> nx.MultiDiGraph:
    """The store's graph now, or as it was at `revision`."""
    if revision is None:
        return store.snapshot()
    past = map_at(store, Point(revision=revision))
    graph = build_snapshot(past.entities, past.relations)
    graph.graph["revision"] = revision
    return graph


def get_graph(store: StoreDep, evidence: EvidenceParam = "all",
              revision: RevisionParam = None) -> nx.MultiDiGraph:
    """The store's snapshot (or a past revision's), seen on the evidence asked for."""
    return on_evidence(snapshot_at(store, revision), evidence)


GraphDep = Annotated[nx.MultiDiGraph, Depends(get_graph)]


def _editor_entries(settings: Settings) -> list[EditorEntry]:
    """Every editor the settings name. A broken editors file refuses all writes (503)
    rather than let anyone in; the reason goes to the server's log, not to the client."""
    try:
        entries = read_editors(settings.editors_file) if settings.editors_file else []
    except InvalidRequestError as exc:
        log.error("writes refused: %s", exc)
        raise HTTPException(503, "writes are refused until the service's editors file is mended") from None
    if settings.write_token is not None:
        if any(e.name == settings.write_token_name for e in entries):
            log.error("writes refused: GOVMAP_WRITE_TOKEN_NAME %r is also in the editors file",
                      settings.write_token_name)
            raise HTTPException(503, "writes are refused until the service's editors are mended")
        entries.append(EditorEntry(name=settings.write_token_name, role=Role.REVIEWER,
                                   token_sha256=token_hash(settings.write_token.get_secret_value())))
    return entries


def current_editor(
    settings: SettingsDep,
    authorization: Annotated[str | None, Header(description="Bearer <an editor's token>")] = None,
) -> Editor:
    """The editor whose bearer token the request carries. Writes need one; with no
    token configured (no editors file, no GOVMAP_WRITE_TOKEN) the API is read-only."""
    entries = _editor_entries(settings)
    if not entries:
        raise HTTPException(403, "this service is read-only: set GOVMAP_EDITORS_FILE or "
                                 "GOVMAP_WRITE_TOKEN to allow writes")
    scheme, _, given = (authorization or "").partition(" ")
    editor = identify(given.strip(), entries) if scheme.lower() == "bearer" else None
    if editor is None:
        raise HTTPException(401, "a valid bearer token is needed to write",
                            headers={"WWW-Authenticate": "Bearer"})
    return editor


EditorDep = Annotated[Editor, Depends(current_editor)]


def authorship(
    editor: EditorDep,
    comment: Annotated[str, Query(min_length=1, max_length=2000,
                                  description="Why: recorded in the history with the change")],
    evidence: Annotated[str, Query(max_length=2000, description="The evidence for the change: a "
                                   "document and excerpt, a citation or a URL")] = "",
) -> Authorship:
    """Who writes (from the token) and why (required): what the history records."""
    if not comment.strip():
        raise HTTPException(422, "comment: say why the change is made")
    return Authorship(editor=editor.name, comment=comment.strip(), evidence=evidence.strip())


AuthorshipDep = Annotated[Authorship, Depends(authorship)]
ANY = "*"


def based_on(
    if_match: Annotated[str | None, Header(
        description="The ETag of the copy the change is based on")] = None,
    if_none_match: Annotated[str | None, Header(
        description="* to create a record that must not exist yet")] = None,
) -> str | None:
    """The version the writer started from (an ETag), or None for "must not exist yet".

    A write that names neither is refused (428): without it, two editors working from
    the same copy would silently overwrite each other.
    """
    if if_match:
        tags = [t.strip().removeprefix("W/").strip('"') for t in if_match.split(",") if t.strip()]
        if len(tags) != 1:
            raise HTTPException(422, "If-Match: give the one ETag the change is based on (or *)")
        return ANY_VERSION if tags[0] == "*" else tags[0]
    if if_none_match and if_none_match.strip() == ANY:
        return None
    raise HTTPException(428, "say which version the change is based on: If-Match with the ETag "
                             "you read, or If-None-Match: * to create a new record")


BasedOn = Annotated[str | None, Depends(based_on)]
