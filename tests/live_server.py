"""A real uvicorn server on a free loopback port, serving a given store."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from govmap.api.deps import get_store
from govmap.api.main import create_app
from govmap.settings import Settings
from govmap.stores import GraphStore


@contextmanager
def serve(store: GraphStore) -> Iterator[str]:
    """Serve `store` over HTTP on 127.0.0.1; yields the base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app(Settings(db=":memory:"))  # type: ignore[arg-type]
    app.dependency_overrides[get_store] = lambda: store
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
