"""Structure metrics of the accountability landscape, each explained for a reviewer.

All of them read the *upward graph* (an edge from each body to each body it answers
to; see `govmap.queries.accountability` for which relations count) except degree by
relationship type and connected components, which read the whole graph.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import networkx as nx
import rustworkx as rx
from pydantic import BaseModel

from govmap.model import NodeKind, Strength
from govmap.queries.accountability import UpwardMemo, hop_strength, is_top, upward_graph
from govmap.queries.common import EntityRef, as_at, entity

TOP_N = 15


class Ranked(BaseModel):
    entity: EntityRef
    value: float


class Metric(BaseModel):
    name: str
    explanation: str
    ranking: list[Ranked]


class ChainLength(BaseModel):
    start: EntityRef
    hops: int
    path: list[EntityRef]


class Metrics(BaseModel):
    metrics: list[Metric]
    degree_by_type: dict[str, dict[str, int]]
    components: list[list[EntityRef]]
    depth_to_top: dict[str, int | None]
    longest_chains: list[ChainLength]


def _ranked(graph: nx.MultiDiGraph, values: dict[str, float], n: int = TOP_N) -> list[Ranked]:
    top = sorted(((v, k) for k, v in values.items() if v > 0), key=lambda p: (-p[0], p[1]))[:n]
    # four significant figures, not four decimals: on a large map every share is small,
    # and 0.0 beside a ranked body would say it is on no path at all
    return [Ranked(entity=EntityRef.of(entity(graph, k)), value=float(f"{v:.4g}")) for v, k in top]


def betweenness(up: nx.DiGraph) -> dict[str, float]:
    """The share of the shortest upward paths between the bodies on `up` that have a line
    up or down, that pass through each of them: `nx.betweenness_centrality` of that part
    of `up`, computed by rustworkx.

    Only those bodies count. Scaled by every node of the graph, actions and findings
    included, the Scottish Government's share on the real map read 0.0005 and moved
    whenever an action was added. networkx's pass resets a dict over every node for each
    source, so it grows with the square of the entities however sparse the upward graph
    is (287 s at 10^4 entities); rustworkx runs the same algorithm (Brandes) in Rust:
    0.04 s at 10^4, 1.4 s at 10^5. Sampling sources (networkx's `k`) was measured and
    rejected: most bodies have few bodies below them, so even 2,000 sampled sources of
    10^4 misordered the top five.

    >>> up = nx.DiGraph([("a", "mid"), ("b", "mid"), ("mid", "top")])
    >>> up.add_node("action")
    >>> betweenness(up) == {k: v for k, v in nx.betweenness_centrality(
    ...     up.subgraph(["a", "b", "mid", "top"])).items() if v}
    True
    """
    linked = rx.networkx_converter(up.subgraph(n for n in up if up.degree(n)))
    return {linked[i]: share for i, share in
            rx.digraph_betweenness_centrality(linked, normalized=True).items() if share}


def depth_to_top(graph: nx.MultiDiGraph, up: nx.DiGraph) -> dict[str, list[str] | None]:
    """For each body, its shortest path up to the top (None when it never gets there)."""
    tops = [n for n in graph if is_top(graph, n)]
    # one BFS from every top at once on the reversed graph gives every shortest path up
    reverse = up.reverse(copy=False)
    paths: dict[str, list[str] | None] = {}
    if tops:
        down = nx.multi_source_dijkstra_path(reverse, tops)
        paths = {node: list(reversed(path)) for node, path in down.items()}
    return {n: paths.get(n) for n in graph if entity(graph, n).kind == NodeKind.BODY}


def structure_metrics(graph: nx.MultiDiGraph, *, day: dt.date | None = None) -> Metrics:
    """Who sits on most chains, who answers to many, how deep the landscape is.

    >>> from govmap.snapshot import build_snapshot
    >>> from govmap.model import Entity, Relation
    >>> es = [Entity(id=i, kind="body", type=t, name=i.upper()) for i, t in
    ...       [("a", "board"), ("b", "board"), ("p", "parliament")]]
    >>> rs = [Relation(source="a", type="REPORTS_TO", target="b"),
    ...       Relation(source="b", type="REPORTS_TO", target="p")]
    >>> structure_metrics(build_snapshot(es, rs)).depth_to_top
    {'a': 2, 'b': 1, 'p': 0}
    """
    graph = as_at(graph, day)
    up = upward_graph(graph)
    bodies = [n for n in graph if entity(graph, n).kind == NodeKind.BODY]
    hops = UpwardMemo.whole(graph)
    # principals as the chains' several_principals flag counts them: formal lines only
    masters = {n: float(len({upper for upper, r in hops.hops(n) if hop_strength(r) == Strength.FORMAL}))
               for n in bodies if not is_top(graph, n)}
    burden = {n: float(len(nx.descendants(up, n))) for n in bodies}
    metrics = [
        # Load centrality was shown beside it until it was measured to rank the bodies
        # exactly as betweenness does on this graph (Spearman 1.0 on the real map, 10^3
        # and 10^4): two columns of the same numbers.
        Metric(name="betweenness", ranking=_ranked(graph, betweenness(up)),
               explanation=(f"Of every ordered pair of the {sum(1 for n in up if up.degree(n))} "
                            "bodies with a line up or down, the share whose shortest upward "
                            "path passes through the body: the bodies most chains depend on.")),
        Metric(name="many_masters", ranking=_ranked(graph, {k: v for k, v in masters.items() if v > 1}),
               explanation="How many bodies each body answers to directly through formal "
               "lines (soft oversight and convening do not count); more than one means "
               "several principals, as the chains' flag says."),
        Metric(name="reporting_burden", ranking=_ranked(graph, burden),
               explanation="How many bodies and boards a body reports into, directly or "
               "through others, on the way to the top, soft lines included."),
        Metric(name="answered_to_by", ranking=_ranked(graph, {n: float(up.in_degree(n)) for n in bodies}),
               explanation="How many bodies answer directly to this one."),
    ]
    degree: dict[str, Counter[str]] = defaultdict(Counter)
    for u, v, key in graph.edges(keys=True):
        degree[key]["out:" + u] += 1
        degree[key]["in:" + v] += 1
    paths = depth_to_top(graph, up)
    longest = sorted(((len(p) - 1, n, p) for n, p in paths.items() if p), key=lambda t: (-t[0], t[1]))
    return Metrics(
        metrics=metrics,
        degree_by_type={k: dict(c.most_common(10)) for k, c in sorted(degree.items())},
        components=[[EntityRef.of(entity(graph, n)) for n in sorted(c)] for c in sorted(
            nx.weakly_connected_components(graph), key=lambda c: (-len(c), min(c)))],
        depth_to_top={n: (len(p) - 1 if p else None) for n, p in sorted(paths.items())},
        longest_chains=[ChainLength(start=EntityRef.of(entity(graph, n)), hops=h,
                                    path=[EntityRef.of(entity(graph, x)) for x in p])
                        for h, n, p in longest[:10]],
    )
