"""Figures over HTTP at scale: `govmap serve` on loopback over a store holding a synthetic
landscape, each request timed from a client on one kept-alive connection, against the
HTTP floor measured in the same run: a static file from the same app (`/static/...`),
which pays for the connection, the framework and the client and for nothing govmap does
(its median: each request's p99 is divided by it, so the ratio is the stricter one).

Run by `benchmarks.scale` at each size; `python -m benchmarks.http 10000` runs one size.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.landscape import landscape
from benchmarks.server import Server, running_server
from govmap.model import Dataset
from govmap.stores import ChangeSet, SqliteStore

if TYPE_CHECKING:
    from benchmarks.scale import Bench

FLOOR = "/static/explorer.css"
WRITES = 20  # single writes, each followed at once by a query


class Client:
    """One kept-alive connection to the server; each request returns (seconds, body)."""

    def __init__(self, server: Server) -> None:
        url = urllib.parse.urlsplit(server.base)
        self.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=300)
        self.token = server.token

    def request(self, method: str, path: str, body: Any = None,
                headers: dict[str, str] | None = None) -> tuple[float, Any]:
        payload = json.dumps(body).encode() if body is not None else None
        sent = {"Content-Type": "application/json", **(headers or {})} if payload else headers or {}
        start = time.perf_counter()
        self.connection.request(method, path, body=payload, headers=sent)
        response = self.connection.getresponse()
        data = response.read()
        seconds = time.perf_counter() - start
        if response.status >= 400:
            raise RuntimeError(f"{method} {path}: {response.status} {data[:300]!r}")
        return seconds, json.loads(data) if data[:1] in (b"{", b"[") else data

    def get(self, path: str) -> float:
        return self.request("GET", path)[0]

    def times(self, paths: list[str]) -> list[float]:
        return [self.get(p) for p in paths]


def p99(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def after_writes(client: Client, bodies: list[str], action: str) -> tuple[list[float], list[float]]:
    """`WRITES` single writes (a PATCH of one body), each followed at once by a chain
    query: the writes' times and the queries' times."""
    query = f"/accountability?for={action}"
    writes, queries = [], []
    for i in range(WRITES):
        target = bodies[i % len(bodies)]
        _, current = client.request("GET", f"/entities/{target}")
        writes.append(client.request(
            "PATCH", f"/entities/{target}?comment=bench", {"description": f"write {i}"},
            {"Authorization": f"Bearer {client.token}", "If-Match": f'"{current["etag"]}"'})[0])
        queries.append(client.get(query))
    return writes, queries


def bench_http(bench: Bench, size: int, data: Dataset, folder: Path) -> None:
    """Every HTTP figure at `size`, each against the floor measured in the same run."""
    folder.mkdir(parents=True, exist_ok=True)
    store = SqliteStore(folder / "load.db")  # the file `running_server` serves
    store.write(ChangeSet.replacing_with(data))
    store.close()
    actions = sorted(e.id for e in data.entities if e.kind == "action")[:200]
    names = [urllib.parse.quote(e.name) for e in data.entities if e.id in set(actions)]
    bodies = sorted(e.id for e in data.entities if e.kind == "body" and e.type == "board")[:WRITES]
    with running_server(folder) as server:
        client = Client(server)
        start = time.perf_counter()
        client.get(f"/accountability?for={actions[0]}")  # the first request builds the graph
        first_build = time.perf_counter() - start
        floor_times = client.times([FLOOR] * 300)

        def floor() -> float:
            # the median, not the p99: one pause in 300 static requests made their p99
            # 5.6 ms at 10^5, flattering every ratio below one; against the median, a
            # request's p99 pays for its own pauses
            return statistics.median(floor_times)

        http_floor = ("HTTP floor: a static file, median", floor)
        bench.measure("HTTP chain by id, p99", size,
                      lambda: p99(client.times([f"/accountability?for={a}" for a in actions])),
                      *http_floor)
        bench.measure("HTTP chain by name, p99", size,
                      lambda: p99(client.times([f"/accountability?for={n}" for n in names])),
                      *http_floor)
        for label, q in (("narrow", "action 7"), ("broad", "board")):
            path = f"/entities?q={urllib.parse.quote(q)}&limit=50"
            bench.measure(f"HTTP search ({label}), p99", size,
                          lambda path=path: p99(client.times([path] * 30)), *http_floor)
        cached = statistics.median(client.times([f"/accountability?for={actions[1]}"] * 30))
        writes, queries = after_writes(client, bodies, actions[1])
        bench.measure("HTTP first chain after a write, p99", size, lambda: p99(queries),
                      "the same chain, cached, median", lambda: cached,
                      note=f"the server's first graph build took {first_build:.1f} s")
        bench.measure("HTTP single write (PATCH), p99", size, lambda: p99(writes), *http_floor,
                      note="the write returns when the server's graph holds it")


def main() -> None:
    from benchmarks.scale import Bench  # the figures' table, shared with benchmarks.scale

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("entities", type=int)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bench_http(Bench(budget=600), args.entities, landscape(args.entities), Path(folder))


if __name__ == "__main__":
    main()
