"""The one place where govmap errors become HTTP status codes."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from govmap.errors import GovmapError, InvalidRequestError, NotFoundError, StoreWriteError

STATUS: dict[type[GovmapError], int] = {
    NotFoundError: 404,
    InvalidRequestError: 422,
    StoreWriteError: 409,
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(GovmapError)
    async def govmap_error(_: Request, exc: GovmapError) -> JSONResponse:
        status = next((code for kind, code in STATUS.items() if isinstance(exc, kind)), 400)
        body: dict[str, object] = {"detail": str(exc)}
        if isinstance(exc, NotFoundError):
            body["candidates"] = exc.candidates
        return JSONResponse(body, status_code=status)
