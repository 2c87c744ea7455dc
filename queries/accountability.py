"""Who is accountable for an action or a body, traced hop by hop to the top.

Upward lines
------------
Which relationship types are walked upwards, and in which direction, is read from
`govmap.vocabulary.RELATIONSHIPS` (the `upward` column): today ``REPORTS_TO``,
``ACCOUNTABLE_TO`` and ``PART_OF`` forwards (the source answers to the target), and
``HOLDS_TO_ACCOUNT`` and ``FACILITATES`` backwards (the holder or convener is above).
Funding, oversight, scrutiny, advice and support are real lines, but none says whom a
body *answers to*.

Formal and soft
---------------
Every upward line carries a `strength` in the data: *formal* (a statutory or
constitutional duty to answer, with consequences: a body to ministers, ministers to
the Parliament, a directorate as part of the government) or *soft* (monitoring and
reporting publicly on progress with no power to compel given in any source, as The
Promise Oversight Board "reports on whether the work is being done", or convening a
group). A line without a strength counts as soft: a chain
is called formal only when every hop says so.

The top and the standing
------------------------
The *top* is an elected body: the Scottish Parliament, or a council (which answers to
its electorate, not to the Parliament). Each path up from a starting body ends at the
top, at a body outside the Scottish public sector (UK-wide and English bodies, courts,
third-sector and academic bodies, mixed collectives: they answer through governance
the map does not cover), at a break, in a cycle or at the depth limit. Its *standing*:

* ``formal``        it reaches the top and every hop is formal;
* ``soft_only``     it reaches the top, but through at least one soft line;
* ``outside_scope`` it leaves the Scottish public sector;
* ``broken``        it stops short (a break, a cycle, the depth limit).

A starting body stands as its best path (formal > soft_only > outside_scope > broken).
An action stands as its *weakest* accountable lead: the leads ranked primary where the
text ranks them, otherwise every lead, leaving out leads outside the Scottish public
sector (an action is outside scope only when all of them are); an action with no lead is
broken. One formal lead does not make an action formal when another lead answers to no
one. A council (or the councils as a group) is a top of its own, answering to its own
electorate. ``soft_oversight_only`` flags each start that reaches the top only through
soft lines: a finding, not a success.

Flags
-----
``no_lead``, ``broken_chain`` (a path stops at a body of the Scottish public sector
with no upward line), ``soft_oversight_only``, ``circular``, ``several_principals`` (a
body on the chain answers formally to more than one other; soft lines do not count),
``shared_lead`` (several leads and none ranked primary: no single accountable owner),
``ends`` (a body on the chain has an end date), ``inferred_hop`` (a hop rests on a
reviewer's inference, not on the text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Literal

import networkx as nx
from pydantic import BaseModel

from govmap.model import (
    RELATIONSHIPS,
    UPWARD_TYPES,
    Confidence,
    Entity,
    LeadRank,
    NodeKind,
    Relation,
    RelType,
    Strength,
)
from govmap.queries.common import EntityRef, Evidence, as_at, collector_paused, entity, resolve

_FORWARD = frozenset(str(t) for t, m in RELATIONSHIPS.items() if m.upward == "forward")
_BACKWARD = frozenset(str(t) for t, m in RELATIONSHIPS.items() if m.upward == "backward")
TOP_TYPES = frozenset({"parliament", "local_authority"})
MAX_DEPTH = 12
MAX_PATHS = 200  # a tangle wider than this is reported as cut off, not walked in full

FlagCode = Literal["no_lead", "broken_chain", "soft_oversight_only", "circular",
                   "several_principals", "shared_lead", "ends", "inferred_hop"]
PathEnd = Literal["top", "outside_scope", "broken", "circular", "depth_limit"]
Standing = Literal["formal", "soft_only", "outside_scope", "broken"]
STANDING_ORDER: tuple[Standing, ...] = ("formal", "soft_only", "outside_scope", "broken")
STANDING_READS: dict[Standing, str] = {
    "formal": "reaches the top through formal lines",
    "soft_only": "reaches the top only through soft oversight",
    "outside_scope": "answers outside the Scottish public sector",
    "broken": "does not reach the top",
}
STANDING_LABELS: dict[Standing, str] = {
    "formal": "formal lines", "soft_only": "soft oversight only",
    "outside_scope": "outside the Scottish public sector", "broken": "no line to the top",
}


class Hop(BaseModel):
    """One step up: `lower` answers to `upper`, because of `evidence`."""

    lower: EntityRef
    upper: EntityRef
    reads: str
    strength: Strength
    evidence: Evidence


class ChainPath(BaseModel):
    """One path from a starting body upwards, how it ends and how strong it is."""

    start: EntityRef
    hops: list[Hop]
    ends: PathEnd
    standing: Standing


class LeadStanding(BaseModel):
    """How one starting body (a lead, or the subject itself) stands."""

    body: EntityRef
    rank: LeadRank | None = None
    standing: Standing


class Flag(BaseModel):
    code: FlagCode
    message: str
    entities: list[str]


class AccountabilityChain(BaseModel):
    """The answer to "who is accountable for X": leads, paths to the top, standing, flags."""

    subject: EntityRef
    standing: Standing
    soft_oversight_only: bool
    leads: list[EntityRef]
    lead_evidence: list[Evidence]
    starts: list[LeadStanding]
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
    >>> g = build_snapshot([a, b], [Relation(source="b", type="HOLDS_TO_ACCOUNT", target="a",
    ...                                      strength="soft")])
    >>> [(up, str(r.type)) for up, r in upward_hops(g, "a")]
    [('b', 'HOLDS_TO_ACCOUNT')]
    """
    hops = [(v, d["relation"]) for _, v, k, d in graph.out_edges(node, keys=True, data=True)
            if k in _FORWARD]
    hops += [(u, d["relation"]) for u, _, k, d in graph.in_edges(node, keys=True, data=True)
             if k in _BACKWARD]
    return iter(sorted(hops, key=lambda h: (h[0], str(h[1].type))))


def hop_strength(relation: Relation) -> Strength:
    """The strength of an upward line; a line that does not say counts as soft."""
    return relation.strength or Strength.SOFT


def upward_graph(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """A DiGraph with an edge lower -> upper for every upward hop in `graph`."""
    up = nx.DiGraph()
    up.add_nodes_from(graph.nodes)
    for node in graph:
        for upper, relation in upward_hops(graph, node):
            up.add_edge(node, upper, relation=relation)
    return up


def is_top(graph: nx.MultiDiGraph, node: str) -> bool:
    """An elected body: the Scottish Parliament, or a council (or the councils as a group)."""
    return entity(graph, node).type in TOP_TYPES


class UpwardMemo:
    """The upward lines of one graph and the paths up from each start, each worked out
    once: a whole-graph pass (every chain, the gaps, the report) asks for the same lines
    and the same leads again and again, and one walk per entity made it quadratic.

    The answers are exactly those of walking afresh, because the paths up from a start
    depend on nothing but the start. A memo is valid only while its graph is unchanged:
    make one per pass over a snapshot, and never keep one past a change (a what-if
    changes its copy in place).
    """

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.graph = graph
        self._hops: dict[str, list[tuple[str, Relation]]] = {}
        self._leads: dict[str, list[tuple[str, Relation]]] | None = None
        self._refs: dict[str, EntityRef] = {}
        self._steps: dict[tuple[str, str, str], Hop] = {}
        self._paths: dict[str, list[ChainPath]] = {}

    @classmethod
    def whole(cls, graph: nx.MultiDiGraph) -> UpwardMemo:
        """A memo for a pass over every entity: each node's upward lines and each
        action's leads listed in one walk over the edges, instead of a lookup per node
        (on a filtered view, such as the graph on a day or on the documents alone, a
        lookup filters the node's edges one by one: 18 of 56 s of a report at 10^4)."""
        memo = cls(graph)
        hops: dict[str, list[tuple[str, Relation]]] = {node: [] for node in graph}
        leads: dict[str, list[tuple[str, Relation]]] = {}
        for u, v, k, d in graph.edges(keys=True, data=True):
            if k in _FORWARD:
                hops[u].append((v, d["relation"]))
            elif k in _BACKWARD:
                hops[v].append((u, d["relation"]))
            if k == RelType.LEADS:
                leads.setdefault(v, []).append((u, d["relation"]))
        memo._hops = {node: sorted(found, key=lambda h: (h[0], str(h[1].type)))
                      for node, found in hops.items()}
        memo._leads = {node: sorted(found, key=lambda p: p[0]) for node, found in leads.items()}
        return memo

    def hops(self, node: str) -> list[tuple[str, Relation]]:
        """`upward_hops` of `node`, listed once."""
        found = self._hops.get(node)
        if found is None:
            found = self._hops[node] = list(upward_hops(self.graph, node))
        return found

    def leads(self, node: str) -> list[tuple[str, Relation]]:
        """`leads_of` the action `node`."""
        if self._leads is None:
            return leads_of(self.graph, node)
        return self._leads.get(node, [])

    def ref(self, node: str) -> EntityRef:
        found = self._refs.get(node)
        if found is None:
            found = self._refs[node] = EntityRef.of(entity(self.graph, node))
        return found

    def dead_end(self, node: str) -> PathEnd | None:
        """How a path ends at `node` when it cannot go further up: None when it can."""
        if is_top(self.graph, node):
            return "top"
        if self.hops(node):
            return None
        e = entity(self.graph, node)
        return "broken" if e.kind != NodeKind.BODY or e.in_scottish_public_sector else "outside_scope"

    def hop(self, lower: str, upper: str, relation: Relation) -> Hop:
        """One step up, built once for every path through it."""
        key = (lower, upper, str(relation.type))
        found = self._steps.get(key)
        if found is None:
            rule = RELATIONSHIPS[relation.type]
            reads = rule.reads if rule.upward == "forward" else rule.reads_inverse
            found = self._steps[key] = Hop(lower=self.ref(lower), upper=self.ref(upper), reads=reads,
                                           strength=hop_strength(relation),
                                           evidence=Evidence.of(relation))
        return found

    def path(self, start: str, hops: list[Hop], ends: PathEnd) -> ChainPath:
        if ends == "top":
            formal = all(h.strength == Strength.FORMAL for h in hops)
            standing: Standing = "formal" if formal else "soft_only"
        else:
            standing = "outside_scope" if ends == "outside_scope" else "broken"
        return ChainPath(start=self.ref(start), hops=list(hops), ends=ends, standing=standing)

    def paths(self, start: str) -> list[ChainPath]:
        """`paths_to_top(graph, start)`, walked once per start."""
        found = self._paths.get(start)
        if found is None:
            found = self._paths[start] = self.walk(start, MAX_DEPTH)
        return found

    def walk(self, start: str, max_depth: int) -> list[ChainPath]:
        """Every simple path up from `start`; see `paths_to_top`."""
        paths: list[ChainPath] = []

        def step(node: str, trail: list[str], hops: list[Hop]) -> None:
            if len(paths) >= MAX_PATHS:
                return
            end = self.dead_end(node)
            if end is not None:
                paths.append(self.path(start, hops, end))
                return
            if len(hops) >= max_depth:
                paths.append(self.path(start, hops, "depth_limit"))
                return
            for upper, relation in self.hops(node):
                hop = self.hop(node, upper, relation)
                if upper in trail:
                    paths.append(self.path(start, [*hops, hop], "circular"))
                else:
                    step(upper, [*trail, upper], [*hops, hop])

        step(start, [start], [])
        return paths


def dead_end(graph: nx.MultiDiGraph, node: str) -> PathEnd | None:
    """How a path ends at `node` when it cannot go further up: None when it can."""
    return UpwardMemo(graph).dead_end(node)


def paths_to_top(graph: nx.MultiDiGraph, start: str, max_depth: int = MAX_DEPTH) -> list[ChainPath]:
    """Every simple path up from `start`, each ending at the top, outside the Scottish
    public sector, at a break, in a cycle or at the depth limit."""
    return UpwardMemo(graph).walk(start, max_depth)


def paths_from_pushdown(graph: nx.MultiDiGraph, start: str,
                        raw: list[tuple[list[str], list[str]]]) -> list[ChainPath]:
    """`paths_to_top` rebuilt from the Neo4j store's `upward_paths` (every upward path
    and prefix, as entity ids and relation keys), keeping those the walk would end on.
    A path over a line that `graph` does not hold (a view without the reference layer,
    say) is left out."""
    memo = UpwardMemo(graph)
    candidates = [([start], [])] + [(ids, keys) for ids, keys in raw]
    paths = []
    for ids, keys in candidates:
        head, last = ids[:-1], ids[-1]
        if len(set(head)) != len(head) or any(memo.dead_end(n) for n in head if n in graph):
            continue
        if not all(graph.has_edge(*_ends_of(key)) for key in keys):
            continue
        ends: PathEnd | None = "circular" if last in head else memo.dead_end(last)
        if ends is None and len(keys) >= MAX_DEPTH:
            ends = "depth_limit"
        if ends is None:
            continue
        hops = []
        for lower, upper, key in zip(ids[:-1], ids[1:], keys, strict=True):
            relation = graph.edges[_ends_of(key)]["relation"]
            hops.append(memo.hop(lower, upper, relation))
        paths.append(memo.path(start, hops, ends))
    return paths


def _ends_of(key: str) -> tuple[str, str, str]:
    source, rel_type, target = key.split("|")
    return source, target, rel_type


def best_standing(standings: list[Standing]) -> Standing:
    """The strongest of `standings` (broken when there are none).

    >>> best_standing(["broken", "soft_only"])
    'soft_only'
    """
    return min(standings, key=STANDING_ORDER.index, default="broken")


def action_standing(starts: list[LeadStanding]) -> Standing:
    """How an action stands: as its weakest accountable lead (see the module notes).

    >>> def lead(standing, rank=None):
    ...     return LeadStanding(body=EntityRef(id="x", name="X", kind="body"), rank=rank,
    ...                         standing=standing)
    >>> action_standing([lead("formal"), lead("broken"), lead("outside_scope")])
    'broken'
    >>> action_standing([lead("formal", "primary"), lead("broken")])
    'formal'
    """
    accountable = [s for s in starts if s.rank == LeadRank.PRIMARY] or starts
    inside = [s.standing for s in accountable if s.standing != "outside_scope"]
    if not accountable:
        return "broken"
    if not inside:
        return "outside_scope"
    return max(inside, key=STANDING_ORDER.index)


def leads_of(graph: nx.MultiDiGraph, node: str) -> list[tuple[str, Relation]]:
    """The lead organisations of an action (sources of LEADS edges into it)."""
    return sorted(((u, d["relation"]) for u, _, k, d in graph.in_edges(node, keys=True, data=True)
                   if k == str(RelType.LEADS)), key=lambda p: p[0])


def chain_flags(memo: UpwardMemo, subject: Entity, lead_edges: list[tuple[str, Relation]],
                starts: list[LeadStanding], paths: list[ChainPath]) -> list[Flag]:
    """The warnings a reviewer needs about a chain; see the module notes for each."""
    graph = memo.graph
    flags: list[Flag] = []
    leads = [u for u, _ in lead_edges]
    if subject.kind == NodeKind.ACTION and not leads:
        flags.append(Flag(code="no_lead", message=f"{subject.name} has no lead organisation",
                          entities=[subject.id]))
    primary = [u for u, r in lead_edges if r.rank == LeadRank.PRIMARY]
    if subject.kind == NodeKind.ACTION and len(leads) > 1 and len(primary) != 1:
        flags.append(Flag(code="shared_lead", entities=leads, message=(
            f"{subject.name} has {len(leads)} leads and "
            + (f"{len(primary)} with overall responsibility" if primary else "none ranked primary")
            + ": no single accountable owner")))
    broken = sorted({p.hops[-1].upper.id if p.hops else p.start.id for p in paths if p.ends == "broken"})
    for node in broken:
        flags.append(Flag(code="broken_chain", entities=[node], message=(
            f"the chain stops at {entity(graph, node).name}, which answers to no one in the map")))
    for start in starts:
        if start.standing == "soft_only":
            soft = sorted({h.lower.name if is_top(graph, h.upper.id) else h.upper.name
                           for p in paths if p.start.id == start.body.id
                           for h in p.hops if h.strength == Strength.SOFT})
            flags.append(Flag(code="soft_oversight_only", entities=[start.body.id], message=(
                f"{start.body.name} reaches the top only through soft oversight, with no power "
                f"to compel (via {', '.join(soft)})")))
    for path in paths:
        if path.ends == "circular":
            loop = [h.lower.id for h in path.hops] + [path.hops[-1].upper.id]
            flags.append(Flag(code="circular", entities=loop, message=(
                "circular accountability: " + " -> ".join(loop))))
    for node in _bodies_on(paths):
        # A soft line (an oversight board watching) is not a principal: only formal lines
        # to different bodies leave a body unsure whom it answers to.
        principals = sorted({upper for upper, r in memo.hops(node)
                             if hop_strength(r) == Strength.FORMAL})
        if len(principals) > 1 and not is_top(graph, node):
            flags.append(Flag(code="several_principals", entities=[node, *principals], message=(
                f"{entity(graph, node).name} answers formally to {len(principals)} bodies: "
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


def accountability_chain(graph: nx.MultiDiGraph, subject: str, *, day: dt.date | None = None,
                         memo: UpwardMemo | None = None) -> AccountabilityChain:
    """Who is accountable for `subject` (an action or a body; id, name or alias).

    For an action, the chain starts at each lead; for anything else, at the subject.
    Every hop carries its relation's evidence and strength; the answer says how each
    start and the subject as a whole stand (see the module notes). A whole-graph pass
    passes one `memo` of the graph (after `day`) to every call, so that each line and
    each lead's paths are worked out once.

    >>> from govmap.snapshot import build_snapshot
    >>> es = [Entity(id="x", kind="action", name="X"),
    ...       Entity(id="lead", kind="body", type="board", name="Lead Board"),
    ...       Entity(id="parl", kind="body", type="parliament", name="Parliament")]
    >>> rs = [Relation(source="lead", type="LEADS", target="x"),
    ...       Relation(source="lead", type="REPORTS_TO", target="parl", strength="soft")]
    >>> chain = accountability_chain(build_snapshot(es, rs), "X")
    >>> [h.upper.id for h in chain.paths[0].hops], chain.standing, chain.soft_oversight_only
    (['parl'], 'soft_only', True)
    """
    graph = as_at(graph, day)
    if memo is None:
        memo = UpwardMemo(graph)
    elif memo.graph is not graph:
        raise ValueError("the memo is of another graph (or of the graph on another day)")
    found = resolve(graph, subject)
    is_action = found.kind == NodeKind.ACTION
    lead_edges = memo.leads(found.id) if is_action else []
    start_ids = [u for u, _ in lead_edges] if is_action else [found.id]
    ranks = {u: r.rank for u, r in lead_edges}
    paths, starts = [], []
    for start in start_ids:
        own = memo.paths(start)
        paths += own
        starts.append(LeadStanding(body=memo.ref(start), rank=ranks.get(start),
                                   standing=best_standing([p.standing for p in own])))
    standing = action_standing(starts) if is_action else starts[0].standing
    flags = chain_flags(memo, found, lead_edges, starts, paths)
    tops = sorted({p.hops[-1].upper.id if p.hops else p.start.id for p in paths if p.ends == "top"})
    return AccountabilityChain(
        subject=EntityRef.of(found),
        standing=standing,
        soft_oversight_only=standing == "soft_only",
        leads=[memo.ref(u) for u, _ in lead_edges],
        lead_evidence=[Evidence.of(r) for _, r in lead_edges],
        starts=starts,
        paths=paths,
        bodies=[memo.ref(b) for b in _bodies_on(paths)],
        tops=[memo.ref(t) for t in tops],
        flags=flags,
        explanation=_explain(found, starts, standing, paths, tops, graph),
    )


def _explain(subject: Entity, starts: list[LeadStanding], standing: Standing,
             paths: list[ChainPath], tops: list[str], graph: nx.MultiDiGraph) -> str:
    """One paragraph a reviewer can read aloud: the verdict, what it is judged on, and
    which leads stand where."""
    if subject.kind != NodeKind.ACTION:
        reached = sorted({entity(graph, t).name for t in tops})
        return (f"{subject.name} {STANDING_READS[standing]}"
                + (f" ({', '.join(reached)})." if reached else ".")
                + f" {sum(p.ends == 'top' for p in paths)} of {len(paths)} paths reach the top.")
    if not starts:
        return f"{subject.name} has no lead, so nobody is accountable for it."
    text = f"{subject.name} {STANDING_READS[standing]}"
    primary = [st.body.name for st in starts if st.rank == LeadRank.PRIMARY]
    if len(starts) > 1:
        text += (f", judged on its primary lead(s), {', '.join(primary)}." if primary
                 else ", judged on its weakest lead, as none is ranked primary.")
    else:
        text += f": its one lead is {starts[0].body.name}."
    if len(starts) > 1:
        groups = [f"{STANDING_LABELS[level]}: " + ", ".join(st.body.name for st in starts
                                                          if st.standing == level)
                  for level in STANDING_ORDER if any(st.standing == level for st in starts)]
        text += " By lead, " + "; ".join(groups) + "."
    if any(is_top(graph, st.body.id) and entity(graph, st.body.id).scope == "collective"
           for st in starts):
        text += (" Local Authorities stands for the councils, each answering to its own "
                 "electorate, not to the Parliament.")
    return text


def all_chains(graph: nx.MultiDiGraph, *, day: dt.date | None = None) -> list[AccountabilityChain]:
    """The chain of every action and every body, for whole-graph flag summaries."""
    view = as_at(graph, day)
    memo = UpwardMemo.whole(view)
    subjects = sorted(n for n in view if entity(view, n).kind in (NodeKind.ACTION, NodeKind.BODY))
    with collector_paused():
        return [accountability_chain(view, n, memo=memo) for n in subjects]


__all__ = ["UPWARD_TYPES", "AccountabilityChain", "UpwardMemo", "accountability_chain", "all_chains",
           "paths_to_top", "upward_hops", "is_top", "leads_of"]
