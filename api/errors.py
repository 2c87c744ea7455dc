"""The one place where govmap errors become HTTP status codes."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from govmap.errors import (
    GovmapError,
    InvalidRequestError,
    NotFoundError,
    SeedValidationError,
    StaleWriteError,
    StoreWriteError,
)

STATUS: dict[type[GovmapError], int] = {
    NotFoundError: 404,
    InvalidRequestError: 422,
    StoreWriteError: 409,
    SeedValidationError: 422,  # an imported file that fails the seed's checks
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def bad_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's own handler echoes the input, which may not be encodable (NaN, lone
        # surrogates); the location and the message are what the caller needs.
        problems = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]}
                    for e in exc.errors()]
        return JSONResponse({"detail": problems}, status_code=422)

    @app.exception_handler(ValidationError)
    async def invalid_record(_: Request, exc: ValidationError) -> JSONResponse:
        # a record built from request data inside the library failed its own rules
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'the request body'}: {e['msg']}"
                               for e in exc.errors())
        return JSONResponse({"detail": problems}, status_code=422)

    @app.exception_handler(GovmapError)
    async def govmap_error(_: Request, exc: GovmapError) -> JSONResponse:
        status = next((code for kind, code in STATUS.items() if isinstance(exc, kind)), 400)
        body: dict[str, object] = {"detail": str(exc)}
        if isinstance(exc, NotFoundError):
            body["candidates"] = exc.candidates
        if isinstance(exc, StaleWriteError):
            body["changed_since"] = [{"revision": e.revision, "at": e.at, "editor": e.editor,
                                      "comment": e.comment} for e in exc.since]
        if isinstance(exc, SeedValidationError):
            body["problems"] = [{"file": p.file, "line": p.line, "field": p.field, "message": p.message}
                                for p in exc.problems]
        return JSONResponse(body, status_code=status)
