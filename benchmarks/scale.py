"""Figures at scale: each of issue 16's library-level figures on synthetic landscapes of
10^3, 10^4 and 10^5 entities, each against a baseline measured in the same run, written
to `benchmarks/results.json` (python -m benchmarks.scale [--sizes 1000 10000]).

A figure is skipped at a size when its time at the size below, scaled up linearly,
says it would take longer than `--budget` seconds; the results say so rather than hide it.

Baselines, the floor each figure is judged against:
  whole-graph passes  one walk over every edge of the same graph with its data
                      (the least any pass that looks at every line must do);
  one chain           finding the entity by id (a dict lookup and the model it holds);
  YAML load           parsing the same files with yaml_rs (the fast parse, no checks);
  store write         a raw `executemany` of the same records as JSON into a bare table;
  search              fetching one entity by id from the same store;
  snapshot memory     the JSON text of the same records;
  HTTP figures        a static file from the same server (benchmarks/http.py).
"""

from __future__ import annotations

import argparse
import json
import platform
import sqlite3
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import networkx as nx
import yaml_rs

from benchmarks.http import bench_http
from benchmarks.landscape import landscape
from govmap.analysis.duplication import duplication
from govmap.analysis.gaps import gaps
from govmap.analysis.metrics import structure_metrics
from govmap.analysis.recommendations import recommendations
from govmap.model import Dataset, Entity, Relation
from govmap.queries.accountability import accountability_chain, all_chains
from govmap.queries.common import collector_paused
from govmap.reports import build_report
from govmap.search import search_entities
from govmap.seed import read_seed, seed_files, write_seed
from govmap.snapshot import build_snapshot
from govmap.stores import ChangeSet, SqliteStore

RESULTS = Path(__file__).with_name("results.json")
SIZES = (1_000, 10_000, 100_000)


@dataclass
class Figure:
    """One measured figure: seconds (median, or p99 for per-request figures) against the
    same run's baseline; ratio = seconds / baseline_seconds."""

    figure: str
    entities: int
    seconds: float | None
    baseline: str
    baseline_seconds: float | None
    ratio: float | None
    note: str = ""
    unit: str = "s"


def once(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def best_of(work: Callable[[], object], repeat: int) -> float:
    return min(once(work) for _ in range(repeat))


def p99(work: Callable[[str], object], items: list[str]) -> float:
    """The 99th percentile of `work` over `items`, one call each."""
    times = sorted(once(lambda item=item: work(item)) for item in items)
    return times[min(len(times) - 1, int(len(times) * 0.99))]


def edge_walk(graph: nx.MultiDiGraph) -> int:
    """The whole-graph baseline: every edge once, with its data."""
    return sum(1 for _ in graph.edges(keys=True, data=True))


class Bench:
    """Runs the figures size by size, skipping those the budget rules out."""

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self.figures: list[Figure] = []
        self.last: dict[str, tuple[int, float]] = {}

    def measure(self, name: str, size: int, work: Callable[[], float],
                baseline_name: str, baseline: Callable[[], float], note: str = "",
                largest: int | None = None, unit: str = "s") -> None:
        """Measure `work` and `baseline` at `size`, unless the budget (or `largest`, for a
        figure that grows faster than linearly) rules it out."""
        if largest is not None and size > largest:
            self.figures.append(Figure(name, size, None, baseline_name, None, None,
                                       f"skipped: grows faster than linearly; {note}"))
            print(f"{name:<44} {size:>7,}  skipped ({note})", flush=True)
            return
        previous = self.last.get(name) if unit == "s" else None  # the budget is of time
        if previous is not None and previous[1] * size / previous[0] > self.budget:
            estimate = previous[1] * size / previous[0]
            self.figures.append(Figure(name, size, None, baseline_name, None, None,
                                       f"skipped: about {estimate:,.0f} s by the size below"))
            print(f"{name:<44} {size:>7,}  skipped (~{estimate:,.0f} s)", flush=True)
            return
        seconds = work()
        base = baseline()
        self.last[name] = (size, seconds)
        self.figures.append(Figure(name, size, seconds, baseline_name, base, seconds / base, note,
                                   unit))
        print(f"{name:<44} {size:>7,}  {seconds:>10.4f} {unit}  {baseline_name}: {base:.6f} {unit}  "
              f"x{seconds / base:,.1f}", flush=True)


def bench_size(bench: Bench, size: int, folder: Path) -> None:
    data = landscape(size)
    graph = build_snapshot(data.entities, data.relations)
    bench_load(bench, size, data, folder / f"seed-{size}")
    walk = ("one walk over every edge", lambda: best_of(lambda: edge_walk(graph), 3))
    bench.measure("all chains", size, lambda: once(lambda: all_chains(graph)), *walk)
    bench.measure("gaps", size, lambda: once(lambda: gaps(graph)), *walk)
    bench.measure("duplication", size, lambda: once(lambda: duplication(graph)), *walk)
    bench.measure("recommendations", size, lambda: once(lambda: recommendations(graph)), *walk)
    bench.measure("report (build)", size, lambda: once(lambda: build_report(graph)), *walk)
    bench.measure("structure metrics", size, lambda: once(lambda: structure_metrics(graph)), *walk,
                  note="networkx's exact betweenness took 477 s at 10^4; rustworkx's, the same "
                       "figures")
    actions = sorted(n for n in graph if graph.nodes[n]["kind"] == "action")[:200]
    names = [graph.nodes[n]["name"] for n in actions]
    by_id = ("finding the entity by id", lambda: p99(lambda n: graph.nodes[n]["entity"], actions))
    bench.measure("one chain by id, p99", size, lambda: p99(lambda n: accountability_chain(graph, n),
                                                            actions), *by_id)
    bench.measure("one chain by name, p99", size, lambda: p99(lambda n: accountability_chain(graph, n),
                                                              names), *by_id)
    bench.measure("snapshot memory per entity", size, lambda: snapshot_bytes(data) / size,
                  "the records' JSON, bytes per entity",
                  lambda: sum(len(r.model_dump_json()) for r in (*data.entities, *data.relations))
                  / size, unit="bytes")
    bench_store(bench, size, data, folder / f"store-{size}.db")
    bench_http(bench, size, data, folder / f"http-{size}")


def snapshot_bytes(data: Dataset) -> float:
    """Bytes a snapshot holds (its graph and the models in it), built as a store builds
    it: from the records' JSON."""
    entities = [e.model_dump_json() for e in data.entities]
    relations = [r.model_dump_json() for r in data.relations]
    tracemalloc.start()
    graph = build_snapshot((Entity.model_validate_json(e) for e in entities),
                           (Relation.model_validate_json(r) for r in relations))
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del graph
    return held


def bench_load(bench: Bench, size: int, data: Dataset, seed: Path) -> None:
    write_seed(data, seed)
    files = seed_files(seed)

    def raw_parse() -> float:
        with collector_paused():  # as read_seed runs: the floor is the parse alone
            return once(lambda: [yaml_rs.loads(f.read_text(encoding="utf-8")) for f in files])

    bench.measure("YAML load (read_seed)", size, lambda: once(lambda: read_seed(seed)),
                  "yaml_rs parse of the same files", raw_parse,
                  note=f"{size} entities")


def bench_store(bench: Bench, size: int, data: Dataset, path: Path) -> None:
    store = SqliteStore(path)
    rows = [(e.id, e.model_dump_json()) for e in data.entities]
    rows += [(r.key, r.model_dump_json()) for r in data.relations]

    def raw() -> float:
        with sqlite3.connect(path.with_suffix(".raw.db")) as raw_db:
            raw_db.execute("CREATE TABLE IF NOT EXISTS e (id TEXT PRIMARY KEY, data TEXT)")
            return once(lambda: raw_db.executemany("INSERT OR REPLACE INTO e VALUES (?, ?)", rows))

    bench.measure("store write (sqlite)", size,
                  lambda: once(lambda: store.write(ChangeSet.replacing_with(data))),
                  "raw executemany of the same rows", raw)
    one = ("one entity by id from the store", lambda: best_of(lambda: store.get_entity("action-1"), 5))
    for label, q in (("narrow", "action 7"), ("broad", "board")):
        bench.measure(f"search ({label}, limit 50)", size,
                      lambda q=q: statistics.median(once(lambda: search_entities(store, q, limit=50))
                                                    for _ in range(3)), *one)
    store.close()


def markdown(results: Path) -> str:
    """The figures of `results` as a Markdown table, one row per figure and size."""
    rows = ["| figure | entities | measured | baseline | baseline measured | ratio | note |",
            "|---|---:|---:|---|---:|---:|---|"]
    for f in json.loads(results.read_text(encoding="utf-8"))["figures"]:
        unit = f.get("unit", "s")
        measured = "—" if f["seconds"] is None else f"{f['seconds']:,.4g} {unit}"
        base = "—" if f["baseline_seconds"] is None else f"{f['baseline_seconds']:,.3g} {unit}"
        ratio = "—" if f["ratio"] is None else f"{f['ratio']:,.1f}×"
        rows.append(f"| {f['figure']} | {f['entities']:,} | {measured} | {f['baseline']} | {base} "
                    f"| {ratio} | {f['note']} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--budget", type=float, default=120.0, help="seconds a figure may take")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--markdown", action="store_true",
                        help="print the figures in --out as a Markdown table, measuring nothing")
    args = parser.parse_args()
    if args.markdown:
        print(markdown(args.out))
        return
    bench = Bench(args.budget)
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            bench_size(bench, size, Path(folder))
            write_results(bench.figures, args.out)  # after each size: a long run keeps what it has


def write_results(figures: list[Figure], out: Path) -> None:
    out.write_text(json.dumps({
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "figures": [asdict(f) for f in figures]}, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}", flush=True)


if __name__ == "__main__":
    main()
