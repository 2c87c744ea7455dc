"""Dependencies: the settings and the open store, injected into every route."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from govmap.settings import Settings, get_settings
from govmap.stores import GraphStore


def get_store(request: Request) -> GraphStore:
    """The store opened by the app's lifespan (tests override this dependency)."""
    return request.app.state.store


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
