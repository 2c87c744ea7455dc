"""`govmap serve` on a free loopback port, for the load check and the HTTP figures:
its own temporary store and a write token only this run knows."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
START_TIMEOUT = 120.0  # seconds for the server to seed its store and answer /health


@dataclass(frozen=True)
class Server:
    base: str
    token: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll /health until the server answers; stop at once if it died or took too long."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"govmap serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            get_json(f"{base}/health")
            return
        except OSError:
            time.sleep(0.25)
    raise SystemExit(f"govmap serve did not answer within {START_TIMEOUT:.0f} s:\n{log.read_text()}")


def server_environment(folder: Path, token: str) -> dict[str, str]:
    """This run's settings only: no GOVMAP_* from the caller (no Neo4j, no other db)."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("GOVMAP_")}
    return {**inherited, "GOVMAP_DB": str(folder / "load.db"), "GOVMAP_WRITE_TOKEN": token,
            "GOVMAP_WRITE_TOKEN_NAME": "load-check"}


@contextmanager
def running_server(folder: Path) -> Iterator[Server]:
    """`govmap serve` on a free loopback port, stopped (killed if need be) on the way out."""
    port, token = free_port(), secrets.token_urlsafe(24)
    govmap = Path(sys.executable).with_name("govmap")
    log = folder / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen([str(govmap), "serve", "--host", HOST, "--port", str(port)],
                                   env=server_environment(folder, token), stdout=out,
                                   stderr=subprocess.STDOUT)
        try:
            base = f"http://{HOST}:{port}"
            wait_until_up(base, process, log)
            yield Server(base, token)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


