"""Run the benchmarks: python -m benchmarks [--no-browser]."""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

import networkx as nx
from rapidfuzz import fuzz

from benchmarks.interop import interop_table
from benchmarks.synthetic import synthetic_graph
from govmap.analysis.duplication import duplication, same_body_two_names
from govmap.queries.accountability import accountability_chain
from govmap.queries.common import _NAME_INDEXES, resolve
from govmap.reports import build_report, render_report
from govmap.seed import default_seed_dir, read_seed
from govmap.snapshot import build_snapshot
from govmap.stores import ChangeSet, SqliteStore
from govmap.visualisations.render import map_page

ROWS: list[tuple[str, str, str]] = []


def timed(work: Callable[[], object], repeat: int = 5) -> float:
    """Median wall time of `work`, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(name: str, seconds: float, baseline: float | None = None, label: str = "") -> None:
    ratio = f"{baseline / seconds:,.1f}x faster than {label}" if baseline else ""
    figure = f"{seconds * 1e6:,.1f} µs" if seconds < 1e-3 else f"{seconds * 1000:,.1f} ms"
    ROWS.append((name, figure, ratio))


def naive_name_pairs(graph: nx.MultiDiGraph) -> int:
    """Baseline: compare every pair of body names in Python, one call at a time (what
    comparing all names of a group at once in compiled code avoids)."""
    bodies = [d["entity"] for _, d in graph.nodes(data=True) if d["kind"] == "body"]
    return sum(fuzz.ratio(x, y) >= 92 for a, b in combinations(bodies, 2)
               if (a.type, a.scope) == (b.type, b.scope)
               for x in a.names for y in b.names)


def bench_queries(name: str, graph: nx.MultiDiGraph) -> None:
    actions = [n for n in graph if graph.nodes[n]["kind"] == "action"]
    report(f"{name}: accountability chain, every action ({len(actions)})",
           timed(lambda: [accountability_chain(graph, a) for a in actions], 3))
    indexed = timed(lambda: duplication(graph), 3)
    report(f"{name}: duplication, every rule", indexed)
    report(f"{name}: same body under two names (cdist)", timed(lambda: list(same_body_two_names(graph)), 3),
           timed(lambda: naive_name_pairs(graph), 3), "comparing names pair by pair")
    report(f"{name}: map render (pyvis data + page)", timed(lambda: map_page(graph).html(), 3))
    names = [graph.nodes[a]["name"] for a in actions[:50]]

    def cold() -> None:  # the baseline: every lookup rebuilds the names, as before the index
        for text in names:
            _NAME_INDEXES.pop(graph, None)
            resolve(graph, text)

    report(f"{name}: 50 lookups by name (index kept per graph)",
           timed(lambda: [resolve(graph, text) for text in names], 3), timed(cold, 3),
           "rebuilding the names each time")


def bench_snapshot(graph: nx.MultiDiGraph, folder: Path) -> None:
    store = SqliteStore(folder / "bench.db")
    store.write(ChangeSet(upsert_entities=[d["entity"] for _, d in graph.nodes(data=True)],
                          upsert_relations=[d["relation"] for *_, d in graph.edges(data=True)]))
    store.snapshot()
    cached = timed(store.snapshot, 20)
    rebuilt = timed(lambda: build_snapshot(store.entities(), store.relations()), 3)
    report(f"sqlite {graph.number_of_nodes()} nodes: snapshot() cached", cached, rebuilt,
           "rebuilding from the store")
    store.close()


def bench_browser(pages: dict[str, Path]) -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for name, path in pages.items():
            times = []
            for _ in range(3):
                page = browser.new_page(viewport={"width": 1500, "height": 950})
                start = time.perf_counter()
                page.goto(path.as_uri())
                page.wait_for_selector("body[data-stable=yes]", timeout=180_000)
                times.append(time.perf_counter() - start)
                page.close()
            report(f"{name}: page load to stable layout (headless Chromium)", statistics.median(times))
        browser.close()


def main() -> None:
    real_data = read_seed(default_seed_dir())
    real = build_snapshot(real_data.entities, real_data.relations)
    big = synthetic_graph(2000)
    with tempfile.TemporaryDirectory() as folder:
        bench_queries(f"real dataset ({real.number_of_nodes()} nodes)", real)
        bench_queries(f"synthetic ({big.number_of_nodes()} nodes)", big)
        bench_snapshot(real, Path(folder))
        bench_snapshot(big, Path(folder))
        report("real dataset: streamlining report, PDF",
               timed(lambda: render_report(build_report(real), real, "pdf"), 1))
        if "--no-browser" not in sys.argv:
            pages = {"real dataset map": map_page(real).write(Path(folder) / "real.html"),
                     "synthetic 2000-node map": map_page(big).write(Path(folder) / "big.html")}
            bench_browser(pages)
    width = max(len(r[0]) for r in ROWS)
    for name, figure, ratio in ROWS:
        print(f"{name:<{width}}  {figure:>12}  {ratio}")
    print("\nInterchange formats, real dataset")
    print("\n".join(interop_table(real_data, lambda work: timed(work, 3))))


if __name__ == "__main__":
    main()
