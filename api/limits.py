"""Limits and headers every response gets, applied before any route reads the request.

`BodyLimit` refuses a request body larger than `max_body_bytes` with 413, from its
Content-Length before a byte is read, or as soon as a streamed body passes the limit;
`SecurityHeaders` adds the headers a browser needs to treat the HTML pages safely.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The pages inline their own scripts and styles (vis-network renders must work as saved
# files); everything else comes from this origin, and nothing may frame the pages.
HTML_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'self' 'unsafe-inline'; "
                                 b"style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                                 b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]
# /embed exists to be framed by other sites; everything else stays unframeable.
EMBED_HEADERS = [(name, value.replace(b"frame-ancestors 'none'", b"frame-ancestors *"))
                 for name, value in HTML_HEADERS if name != b"x-frame-options"]


class BodyLimit:
    """413 for a request body over `limit` bytes (or the limit `per_path` gives its
    path); nothing larger is ever held in memory."""

    def __init__(self, app: ASGIApp, limit: int, per_path: dict[str, int] | None = None) -> None:
        self.app, self.default, self.per_path = app, limit, per_path or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.per_path.get(scope["path"], self.default)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(send, limit)
            return
        seen, refused = 0, False

        async def counted() -> Message:
            # Past the limit: answer 413 now, and tell the app the client has gone, so it
            # stops reading; whatever it then tries to send is dropped.
            nonlocal seen, refused
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit and not refused:
                refused = True
                await self._refuse(send, limit)
                return {"type": "http.disconnect"}
            return message

        async def unless_refused(message: Message) -> None:
            if not refused:
                await send(message)

        try:
            await self.app(scope, counted, unless_refused)
        except Exception:
            if not refused:
                raise

    async def _refuse(self, send: Send, limit: int) -> None:
        body = (b'{"detail":"the request body is larger than the limit of '
                + str(limit).encode() + b' bytes"}')
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """The browser-safety headers on every HTML response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                content_type = dict(headers).get(b"content-type", b"")
                if content_type.startswith(b"text/html"):
                    headers += EMBED_HEADERS if scope["path"] == "/embed" else HTML_HEADERS
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
