"""Who is accountable for an action or a body, traced hop by hop to the top.

Upward lines
------------
A hop goes *up* from X to Y when the graph says that X answers to Y:

* ``X REPORTS_TO Y``      — X reports to Y;
* ``X ACCOUNTABLE_TO Y``  — X is accountable to Y;
* ``X PART_OF Y``         — X is part of Y, so Y answers for it (a directorate, a team);
* ``Y HOLDS_TO_ACCOUNT X`` — Y holds X to account (the edge points down; we walk it up).

Funding, oversight, scrutiny, advice, support and escalation are not counted: each is
a real line, but none says whom a body *answers to*. (Oversight and scrutiny show up
in the gaps and duplication queries instead.) The *top* is the Scottish Parliament
(any body of type ``parliament``) or a ministerial post with no upward line of its own
(the First Minister). A chain starts at the leads of an action (``LEADS`` edges into
it), or at the body itself.

Flags
-----
``no_lead``, ``broken_chain`` (a path stops at a body with no upward line that is not
the top), ``circular``, ``several_principals`` (a body on the chain answers to more than
one other), ``shared_lead`` (an action with several leads: no single accountable owner
under the RACI rule), ``ends`` (a body on the chain has an end date), ``inferred_hop``
(a hop rests on a reviewer's inference, not on the text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Literal

import networkx as nx
from pydantic import BaseModel

from govmap.model import Confidence, Entity, NodeKind, Relation, RelType
from govmap.queries.common import EntityRef, Evidence, as_at, entity, resolve

UP = (RelType.REPORTS_TO, RelType.ACCOUNTABLE_TO, RelType.PART_OF)
DOWN = (RelType.HOLDS_TO_ACCOUNT,)  # walked against its direction
_UP_KEYS = frozenset(str(t) for t in UP)
_DOWN_KEYS = frozenset(str(t) for t in DOWN)
UPWARD_TYPES = _UP_KEYS | _DOWN_KEYS
MAX_DEPTH = 12
MAX_PATHS = 200  # a tangle wider than this is reported as cut off, not walked in full
READS = {"REPORTS_TO": "reports to", "ACCOUNTABLE_TO": "is accountable to",
         "PART_OF": "is part of", "HOLDS_TO_ACCOUNT": "is held to account by"}

FlagCode = Literal["no_lead", "broken_chain", "circular", "several_principals", "shared_lead",
                   "ends", "inferred_hop"]
PathEnd = Literal["top", "broken", "circular", "depth_limit"]


class Hop(BaseModel):
    """One step up: `lower` answers to `upper`, because of `evidence`."""

    lower: EntityRef
    upper: EntityRef
    reads: str
    evidence: Evidence


class ChainPath(BaseModel):
    """One path from a starting body upwards, and how it ends."""

    start: EntityRef
    hops: list[Hop]
    ends: PathEnd


class Flag(BaseModel):
    code: FlagCode
    message: str
    entities: list[str]


class AccountabilityChain(BaseModel):
    """The answer to "who is accountable for X": leads, paths to the top, flags."""

    subject: EntityRef
    leads: list[EntityRef]
    lead_evidence: list[Evidence]
    paths: list[ChainPath]
    bodies: list[EntityRef]
    tops: list[EntityRef]
    flags: list[Flag]
    explanation: str


def upward_hops(graph: nx.MultiDiGraph, node: str) -> Iterator[tuple[str, Relation]]:
    """The hops up from `node`: (the body it answers to, the relation that says so).

    >>> from govmap.snapshot import build_snapshot
    >>> a = Entity(id="a", kind="body", type="board", name="A")
    >>> b = Entity(id="b", kind="body", type="parliament", name="B")
    >>> g = build_snapshot([a, b], [Relation(source="b", type="HOLDS_TO_ACCOUNT", target="a")])
    >>> [(up, str(r.type)) for up, r in upward_hops(g, "a")]
    [('b', 'HOLDS_TO_ACCOUNT')]
    """
    hops = [(v, d["relation"]) for _, v, k, d in graph.out_edges(node, keys=True, data=True)
            if k in _UP_KEYS]
    hops += [(u, d["relation"]) for u, _, k, d in graph.in_edges(node, keys=True, data=True)
             if k in _DOWN_KEYS]
    return iter(sorted(hops, key=lambda h: (h[0], str(h[1].type))))


def upward_graph(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """A DiGraph with an edge lower -> upper for every upward hop in `graph`."""
    up = nx.DiGraph()
    up.add_nodes_from(graph.nodes)
    for node in graph:
        for upper, relation in upward_hops(graph, node):
            up.add_edge(node, upper, relation=relation)
    return up


def is_top(graph: nx.MultiDiGraph, node: str) -> bool:
    """The Parliament, or a ministerial post that answers to no one in the graph."""
    e = entity(graph, node)
    if e.type == "parliament":
        return True
    return e.type == "ministerial_post" and next(upward_hops(graph, node), None) is None


def paths_to_top(graph: nx.MultiDiGraph, start: str, max_depth: int = MAX_DEPTH) -> list[ChainPath]:
    """Every simple path up from `start`, each ending at the top, a break, a cycle or the
    depth limit."""
    paths: list[ChainPath] = []

    def walk(node: str, trail: list[str], hops: list[Hop]) -> None:
        if len(paths) >= MAX_PATHS:
            return
        if is_top(graph, node):
            paths.append(_path(graph, start, hops, "top"))
            return
        ups = list(upward_hops(graph, node))
        if not ups:
            paths.append(_path(graph, start, hops, "broken"))
            return
        if len(hops) >= max_depth:
            paths.append(_path(graph, start, hops, "depth_limit"))
            return
        for upper, relation in ups:
            hop = Hop(lower=EntityRef.of(entity(graph, node)), upper=EntityRef.of(entity(graph, upper)),
                      reads=READS[str(relation.type)], evidence=Evidence.of(relation))
            if upper in trail:
                paths.append(_path(graph, start, [*hops, hop], "circular"))
            else:
                walk(upper, [*trail, upper], [*hops, hop])

    walk(start, [start], [])
    return paths


def paths_from_pushdown(graph: nx.MultiDiGraph, start: str,
                        raw: list[tuple[list[str], list[str]]]) -> list[ChainPath]:
    """`paths_to_top` rebuilt from the Neo4j store's `upward_paths` (every upward path
    and prefix, as entity ids and relation keys), keeping those the walk would end on."""
    candidates = [([start], [])] + [(ids, keys) for ids, keys in raw]
    paths = []
    for ids, keys in candidates:
        head, last = ids[:-1], ids[-1]
        if len(set(head)) != len(head) or any(is_top(graph, n) for n in head):
            continue
        if last in head:
            ends: PathEnd = "circular"
        elif is_top(graph, last):
            ends = "top"
        elif next(upward_hops(graph, last), None) is None:
            ends = "broken"
        elif len(keys) >= MAX_DEPTH:
            ends = "depth_limit"
        else:
            continue
        hops = []
        for lower, upper, key in zip(ids[:-1], ids[1:], keys, strict=True):
            source, rel_type, target = key.split("|")
            relation = graph.edges[source, target, rel_type]["relation"]
            hops.append(Hop(lower=EntityRef.of(entity(graph, lower)),
                            upper=EntityRef.of(entity(graph, upper)),
                            reads=READS[rel_type], evidence=Evidence.of(relation)))
        paths.append(_path(graph, start, hops, ends))
    return paths


def _path(graph: nx.MultiDiGraph, start: str, hops: list[Hop], ends: PathEnd) -> ChainPath:
    return ChainPath(start=EntityRef.of(entity(graph, start)), hops=list(hops), ends=ends)


def leads_of(graph: nx.MultiDiGraph, node: str) -> list[tuple[str, Relation]]:
    """The lead organisations of an action (sources of LEADS edges into it)."""
    return sorted(((u, d["relation"]) for u, _, k, d in graph.in_edges(node, keys=True, data=True)
                   if k == str(RelType.LEADS)), key=lambda p: p[0])


def chain_flags(graph: nx.MultiDiGraph, subject: Entity, leads: list[str],
                paths: list[ChainPath]) -> list[Flag]:
    """The warnings a reviewer needs about a chain; see the module notes for each."""
    flags: list[Flag] = []
    if subject.kind == NodeKind.ACTION and not leads:
        flags.append(Flag(code="no_lead", message=f"{subject.name} has no lead organisation",
                          entities=[subject.id]))
    if subject.kind == NodeKind.ACTION and len(leads) > 1:
        flags.append(Flag(code="shared_lead", entities=leads, message=(
            f"{subject.name} has {len(leads)} leads and no single accountable owner")))
    broken = sorted({p.hops[-1].upper.id if p.hops else p.start.id for p in paths if p.ends == "broken"})
    for node in broken:
        flags.append(Flag(code="broken_chain", entities=[node], message=(
            f"the chain stops at {entity(graph, node).name}, which answers to no one in the map")))
    for path in paths:
        if path.ends == "circular":
            loop = [h.lower.id for h in path.hops] + [path.hops[-1].upper.id]
            flags.append(Flag(code="circular", entities=loop, message=(
                "circular accountability: " + " -> ".join(loop))))
    on_chain = _bodies_on(paths)
    for node in on_chain:
        principals = sorted({upper for upper, _ in upward_hops(graph, node)})
        if len(principals) > 1:
            flags.append(Flag(code="several_principals", entities=[node, *principals], message=(
                f"{entity(graph, node).name} answers to {len(principals)} bodies: "
                + ", ".join(entity(graph, p).name for p in principals))))
        ends = entity(graph, node).valid_to
        if ends is not None:
            flags.append(Flag(code="ends", entities=[node], message=(
                f"{entity(graph, node).name} exists only until {ends.isoformat()}")))
    inferred = {(h.lower.id, h.upper.id, h.evidence.type): h for p in paths for h in p.hops
                if h.evidence.confidence == Confidence.INFERRED}
    for (lower, upper, _type), hop in sorted(inferred.items()):
        flags.append(Flag(code="inferred_hop", entities=[lower, upper], message=(
            f"{hop.lower.name} {hop.reads} {hop.upper.name} is inferred: {hop.evidence.note}")))
    return flags


def _bodies_on(paths: list[ChainPath]) -> list[str]:
    seen: dict[str, None] = {}
    for path in paths:
        seen.setdefault(path.start.id)
        for hop in path.hops:
            seen.setdefault(hop.upper.id)
    return list(seen)


def accountability_chain(graph: nx.MultiDiGraph, subject: str, *,
                         day: dt.date | None = None) -> AccountabilityChain:
    """Who is accountable for `subject` (an action or a body; id, name or alias).

    For an action, the chain starts at each lead; for anything else, at the subject.
    Every hop carries its relation's evidence.

    >>> from govmap.snapshot import build_snapshot
    >>> es = [Entity(id="x", kind="action", name="X"),
    ...       Entity(id="lead", kind="body", type="board", name="Lead Board"),
    ...       Entity(id="parl", kind="body", type="parliament", name="Parliament")]
    >>> rs = [Relation(source="lead", type="LEADS", target="x"),
    ...       Relation(source="lead", type="REPORTS_TO", target="parl")]
    >>> chain = accountability_chain(build_snapshot(es, rs), "X")
    >>> [h.upper.id for h in chain.paths[0].hops], chain.flags
    (['parl'], [])
    """
    graph = as_at(graph, day)
    found = resolve(graph, subject)
    lead_edges = leads_of(graph, found.id) if found.kind == NodeKind.ACTION else []
    starts = [u for u, _ in lead_edges] if found.kind == NodeKind.ACTION else [found.id]
    paths = [p for start in starts for p in paths_to_top(graph, start)]
    leads = [u for u, _ in lead_edges]
    flags = chain_flags(graph, found, leads, paths)
    bodies = _bodies_on(paths)
    tops = sorted({p.hops[-1].upper.id if p.hops else p.start.id for p in paths if p.ends == "top"})
    return AccountabilityChain(
        subject=EntityRef.of(found),
        leads=[EntityRef.of(entity(graph, u)) for u in leads],
        lead_evidence=[Evidence.of(r) for _, r in lead_edges],
        paths=paths,
        bodies=[EntityRef.of(entity(graph, b)) for b in bodies],
        tops=[EntityRef.of(entity(graph, t)) for t in tops],
        flags=flags,
        explanation=_explain(found, leads, paths, tops, flags, graph),
    )


def _explain(subject: Entity, leads: list[str], paths: list[ChainPath], tops: list[str],
             flags: list[Flag], graph: nx.MultiDiGraph) -> str:
    names = [entity(graph, n).name for n in leads]
    opening = (f"{subject.name} is led by {', '.join(names)}." if names
               else f"{subject.name} has no lead." if subject.kind == NodeKind.ACTION
               else f"Tracing {subject.name} upwards.")
    reached = (f" {sum(p.ends == 'top' for p in paths)} of {len(paths)} paths reach the top "
               f"({', '.join(entity(graph, t).name for t in tops)})." if tops
               else f" None of {len(paths)} paths reaches the top." if paths else "")
    warnings = f" {len(flags)} flag(s): {', '.join(sorted({f.code for f in flags}))}." if flags else ""
    return opening + reached + warnings


def all_chains(graph: nx.MultiDiGraph, *, day: dt.date | None = None) -> list[AccountabilityChain]:
    """The chain of every action and every body, for whole-graph flag summaries."""
    view = as_at(graph, day)
    subjects = sorted(n for n in view if entity(view, n).kind in (NodeKind.ACTION, NodeKind.BODY))
    return [accountability_chain(view, n) for n in subjects]
