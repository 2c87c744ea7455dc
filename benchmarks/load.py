"""A load check: `make load` (python -m benchmarks.load [--seconds N]).

It starts its own `govmap serve` on a free loopback port, with a temporary SQLite
store that the server seeds from the shipped dataset and a write token that only this
run knows, and drives it with locust (headless, as a library) in two phases of a fixed
length:

  A  reads (search, one entity, the map's data) and queries (an accountability chain,
     gaps, duplication), no writes;
  B  the same, plus one editor patching entities at a steady rate, each write read
     back at once (`read back`: an error if it shows an older version than the write).

Then it stops the server and prints requests/s, p50 and p99 per kind and per request,
and the errors. The point of B against A: reads must not stall while a write makes the
server rebuild its graph. Every request goes to 127.0.0.1; the run stops by itself.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from itertools import cycle
from pathlib import Path
from typing import ClassVar

import gevent
from locust import FastHttpUser, constant_throughput, task
from locust.env import Environment
from locust.stats import StatsEntry

from benchmarks.server import Server, get_json, running_server

KINDS = ("read", "query", "write", "read back")  # a request's name starts "kind: "


@dataclass
class Plan:
    """What the simulated users ask for, taken from the seeded map itself."""

    entity_ids: list[str]
    words: list[str]
    actions: list[str]
    targets: list[str]  # the entities the editor changes
    token: str
    etags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    phase: str
    kind: str
    name: str
    requests: int
    per_second: float
    p50: float
    p99: float
    errors: int


def make_plan(server: Server, editor_targets: int = 8) -> Plan:
    """Ids, search words and actions from the served map; the editor's targets are bodies."""
    entities = get_json(f"{server.base}/entities?limit=500")["items"]
    words = sorted({w for e in entities for w in e["name"].split() if len(w) >= 5})
    actions = [e["id"] for e in entities if e["kind"] == "action"]
    bodies = [e["id"] for e in entities if e["kind"] == "body"]
    return Plan(entity_ids=[e["id"] for e in entities], words=words[::7], actions=actions,
                targets=bodies[:editor_targets], token=server.token)


def warm_up(server: Server, plan: Plan) -> None:
    """One of each read and query, so that neither phase pays for the first build."""
    for path in ("/render/graph.json", "/analysis/gaps", "/analysis/duplication",
                 f"/accountability?for={plan.actions[0]}", f"/entities/{plan.entity_ids[0]}",
                 f"/entities?q={plan.words[0]}"):
        get_json(server.base + path)


class Planned(FastHttpUser):
    """A user that draws its requests from the run's plan."""

    abstract = True
    plan: ClassVar[Plan]


class Reader(Planned):
    """Someone using the explorer: the map's data now and then, searches and entities often."""

    wait_time = constant_throughput(3)

    @task(3)
    def search(self) -> None:
        q = urllib.parse.quote(random.choice(self.plan.words))
        self.client.get(f"/entities?q={q}", name="read: GET /entities?q=")

    @task(3)
    def one_entity(self) -> None:
        self.client.get(f"/entities/{random.choice(self.plan.entity_ids)}", name="read: GET /entities/{id}")

    @task
    def map_data(self) -> None:
        self.client.get("/render/graph.json", name="read: GET /render/graph.json")


class Querier(Planned):
    """A reviewer asking the analysis questions, each over the whole graph."""

    wait_time = constant_throughput(1)

    @task
    def accountability(self) -> None:
        self.client.get(f"/accountability?for={random.choice(self.plan.actions)}",
                        name="query: GET /accountability?for=")

    @task
    def gaps(self) -> None:
        self.client.get("/analysis/gaps", name="query: GET /analysis/gaps")

    @task
    def duplication(self) -> None:
        self.client.get("/analysis/duplication", name="query: GET /analysis/duplication")


class Editor(Planned):
    """One editor (alone: no one else changes its targets), patching the target entities
    in turn and reading each write back (its first read of a target, for the ETag, counts
    as a read back too). Its pace (`wait_time`) is set by `--writes`."""

    def on_start(self) -> None:
        self.targets = cycle(self.plan.targets)
        self.written = 0

    @task
    def patch_and_read_back(self) -> None:
        entity_id = next(self.targets)
        tag = self.plan.etags.get(entity_id) or self.current_etag(entity_id)
        self.written += 1
        comment = urllib.parse.quote(f"load check, write {self.written}")
        with self.client.request(
                "PATCH", f"/entities/{entity_id}?comment={comment}", name="write: PATCH /entities/{id}",
                json={"description": f"Changed by the load check ({self.written})."},
                headers={"Authorization": f"Bearer {self.plan.token}", "If-Match": f'"{tag}"'},
                catch_response=True) as response:
            if response.status_code != 200:
                self.plan.etags.pop(entity_id, None)  # read it afresh next time
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return
            written = response.json()["etag"]
        self.plan.etags[entity_id] = written
        with self.client.get(f"/entities/{entity_id}", name="read back: GET /entities/{id}",
                             catch_response=True) as back:
            if back.status_code == 200 and back.json()["etag"] != written:
                back.failure("read back an older version than the write just made")

    def current_etag(self, entity_id: str) -> str:
        with self.client.get(f"/entities/{entity_id}", name="read back: GET /entities/{id}",
                             catch_response=True) as response:
            return response.json()["etag"]


def run_phase(server: Server, phase: str, users: dict[type[Planned], int],
              seconds: float) -> tuple[list[Row], list[str]]:
    """Run so many users of each class for `seconds`; rows per request and per kind, and errors."""
    for user, count in users.items():
        user.fixed_count = count
    env = Environment(user_classes=list(users), host=server.base)
    runner = env.create_local_runner()
    runner.start(sum(users.values()), spawn_rate=sum(users.values()))
    started = time.monotonic()
    gevent.sleep(seconds)
    runner.quit()
    elapsed = time.monotonic() - started
    entries = sorted(env.stats.entries.values(), key=lambda e: e.name)
    rows = [row(phase, e.name, e, elapsed) for e in entries]
    for kind in KINDS:
        total = StatsEntry(env.stats, f"{kind}: (all)", "", use_response_times_cache=False)
        for entry in entries:
            if entry.name.startswith(f"{kind}: "):
                total.extend(entry)
        if total.num_requests:
            rows.append(row(phase, total.name, total, elapsed))
    errors = [f"{phase}: {e.occurrences} x {e.name}: {e.error}" for e in env.stats.errors.values()]
    return rows, errors


def row(phase: str, name: str, entry: StatsEntry, elapsed: float) -> Row:
    kind, _, request = name.partition(": ")
    return Row(phase, kind, request, entry.num_requests, entry.num_requests / elapsed,
               entry.get_response_time_percentile(0.5), entry.get_response_time_percentile(0.99),
               entry.num_failures)


def print_table(rows: list[Row]) -> None:
    header = f"{'phase':<22} {'kind':<10} {'request':<40} {'count':>6} {'req/s':>7} " \
             f"{'p50 ms':>7} {'p99 ms':>7} {'errors':>6}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r.phase:<22} {r.kind:<10} {r.name:<40} {r.requests:>6} {r.per_second:>7.1f} "
              f"{r.p50:>7.0f} {r.p99:>7.0f} {r.errors:>6}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each phase")
    parser.add_argument("--readers", type=int, default=6, help="readers, 3 requests/s each")
    parser.add_argument("--queriers", type=int, default=1, help="queriers, 1 request/s each")
    parser.add_argument("--writes", type=float, default=2.0, help="writes/s of the one editor (phase B)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="govmap-load-") as folder, \
            running_server(Path(folder)) as server:
        plan = make_plan(server)
        Planned.plan = plan
        warm_up(server, plan)
        readers = {Reader: args.readers, Querier: args.queriers}
        Editor.wait_time = constant_throughput(args.writes)
        quiet, quiet_errors = run_phase(server, "A reads", readers, args.seconds)
        busy, busy_errors = run_phase(server, "B reads + writes", {**readers, Editor: 1},
                                      args.seconds)
    print_table(quiet + busy)
    for line in quiet_errors + busy_errors:
        print(line)
    read_p99 = {r.phase: r.p99 for r in quiet + busy if r.kind == "read" and r.name == "(all)"}
    print(f"read p99: {read_p99.get('A reads', 0):.0f} ms without writes, "
          f"{read_p99.get('B reads + writes', 0):.0f} ms with writes")
    return 1 if quiet_errors or busy_errors else 0


if __name__ == "__main__":
    sys.exit(main())
