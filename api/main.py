"""The FastAPI application: lifespan (opens the store), routers and error handling."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from govmap import __version__
from govmap.api.errors import install_error_handlers
from govmap.api.limits import BodyLimit, SecurityHeaders
from govmap.api.routers import analysis, edits, entities, history, interchange, render, reports
from govmap.settings import Settings, get_settings
from govmap.stores import open_store

DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"
REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
# Search runs in a Web Worker made from a blob: URL, which the pages' policy forbids; the
# menu lists every route without it.
REDOC_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>govmap API reference</title>
<style>body { margin: 0; }</style>
</head>
<body>
<redoc spec-url="/openapi.json" disable-search="true"></redoc>
<script src="/redoc-assets/redoc.standalone.js"></script>
</body>
</html>
"""


@cache
def offline_redoc() -> str:
    """ReDoc's bundle (from fastapi-offline) without its one outside request: the Redocly
    logo in the menu's footer points at nothing, so the image fails and ReDoc hides it."""
    bundle = (DOCS_ASSETS / "redoc.standalone.js").read_text(encoding="utf-8")
    return bundle.replace(REDOCLY_LOGO, "data:,")  # the browser test fails on any outside request


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
        docs_url=None,  # served below from local files: the CDN default is blank offline
        redoc_url=None,
    )
    install_error_handlers(app)
    app.add_middleware(SecurityHeaders)
    limits = settings or get_settings()
    app.add_middleware(BodyLimit, limit=limits.max_body_bytes,
                       per_path={"/import": limits.max_import_bytes})
    app.include_router(entities.router)
    app.include_router(analysis.router)
    app.include_router(render.router)
    app.include_router(reports.router)
    app.include_router(edits.router)
    app.include_router(interchange.router)
    app.include_router(history.router)
    # Swagger UI 5 (it reads OpenAPI 3.1) and ReDoc as packaged by fastapi-offline; served from here
    app.mount("/docs-assets", StaticFiles(directory=DOCS_ASSETS), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """The interactive API documentation, with Swagger UI served by this service."""
        return get_swagger_ui_html(openapi_url="/openapi.json", title="govmap API",
                                   swagger_js_url="/docs-assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-assets/swagger-ui.css",
                                   swagger_favicon_url="data:,")

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        """The API reference as one readable page, with ReDoc served by this service."""
        return HTMLResponse(REDOC_PAGE)

    @app.get("/redoc-assets/redoc.standalone.js", include_in_schema=False)
    def redoc_script() -> Response:
        return Response(offline_redoc(), media_type="application/javascript",
                        headers={"Cache-Control": "public, max-age=3600"})

    return app


app = create_app()
