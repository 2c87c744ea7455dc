"""The FastAPI application: lifespan (opens the store), routers and error handling."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from govmap import __version__
from govmap.api.errors import install_error_handlers
from govmap.api.limits import BodyLimit, SecurityHeaders
from govmap.api.routers import analysis, edits, entities, render, reports
from govmap.settings import Settings, get_settings
from govmap.stores import open_store


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service; it opens the store that `settings` selects when it starts."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = open_store(settings or get_settings())
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(
        title="govmap",
        version=__version__,
        description="Who is responsible, and accountable, for keeping The Promise: the "
        "governance graph, its evidence, and the questions reviewers ask of it.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limit=(settings or get_settings()).max_body_bytes)
    app.include_router(entities.router)
    app.include_router(analysis.router)
    app.include_router(render.router)
    app.include_router(reports.router)
    app.include_router(edits.router)
    return app


app = create_app()
