"""Dependencies: the settings and the open store, injected into every route."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Annotated, Any

import networkx as nx
from fastapi import Depends, Header, HTTPException, Query, Request
from pydantic import BeforeValidator

from govmap.queries.common import EvidenceMode, on_evidence
from govmap.settings import Settings, get_settings
from govmap.stores import GraphStore


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


AsAt = day_query("See only what is valid on this day")
EvidenceParam = Annotated[EvidenceMode, Query(
    description="all: the documents and the cited reference layer (statutes and official "
                "pages) together; documents: what the five source documents establish alone")]


def get_graph(store: StoreDep, evidence: EvidenceParam = "all") -> nx.MultiDiGraph:
    """The store's snapshot, seen on the evidence the reviewer asked for."""
    return on_evidence(store.snapshot(), evidence)


GraphDep = Annotated[nx.MultiDiGraph, Depends(get_graph)]


def require_write_token(
    settings: SettingsDep,
    authorization: Annotated[str | None, Header(description="Bearer <GOVMAP_WRITE_TOKEN>")] = None,
) -> None:
    """Writes need `Authorization: Bearer <token>` matching GOVMAP_WRITE_TOKEN; with no
    token configured, the API is read-only."""
    if settings.write_token is None:
        raise HTTPException(403, "this service is read-only: set GOVMAP_WRITE_TOKEN to allow writes")
    scheme, _, given = (authorization or "").partition(" ")
    expected = settings.write_token.get_secret_value().encode()
    if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip().encode(), expected):
        raise HTTPException(401, "a valid bearer token is needed to write",
                            headers={"WWW-Authenticate": "Bearer"})


WriteAllowed = Depends(require_write_token)
