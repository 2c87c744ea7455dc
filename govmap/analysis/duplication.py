"""Which bodies, boards and frameworks overlap, scored and explained by what they share.

Each body (and each plan or framework) gets a profile: the things it is related to,
tagged with the kind of tie —

* ``leads``        actions, programmes or plans it leads (LEADS);
* ``oversees``     what it oversees, scrutinises, monitors or holds to account;
* ``reports_to``   where it reports or is accountable to, or what it is part of;
* ``member_of``    the bodies it is a member of (MEMBER_OF);
* ``function``     what it contributes to, supports, advises, funds or administers;
* ``covers``       the policy or priority areas it is responsible for or covers.

Score
-----
A weighted Jaccard index of two profiles: the weight of what they share divided by
the weight of everything either has. A pair must share at least `MIN_SHARED` ties:
two bodies that each do one thing, and the same thing, score 1.0 on one coincidence,
which says little about duplicated remits. Weights say how strongly a shared tie suggests
duplicated work: leading the same action or overseeing the same thing 3, covering the
same area 2, the rest 1. A pair scores 1.0 when the profiles are identical and 0 when
nothing is shared.

Candidate pairs come from an inverted index (tie -> profiles that have it), so only
profiles that share something are compared: the work grows with the ties shared, not
with the square of the number of bodies. Ties held by more than `MAX_HOLDERS`
profiles (everyone reports to the Government) are too common to suggest duplication
and are skipped as pair generators, though they still count in the score.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import combinations
from typing import Literal

import networkx as nx
from pydantic import BaseModel

from govmap.model import RELATIONSHIPS, NodeKind, Relation
from govmap.queries.common import EntityRef, Evidence, as_at, entity

TieKind = Literal["leads", "oversees", "reports_to", "member_of", "function", "covers"]
# What kind of tie each relationship family makes (read from the vocabulary's table);
# upward lines are "reports_to" whatever their family; provenance, links and legal lines
# say nothing about a remit.
_TIE_OF_FAMILY: dict[str, TieKind] = {
    "leadership": "leads", "oversight": "oversees", "accountability": "reports_to",
    "membership": "member_of", "contribution": "function", "funding": "function", "scope": "covers",
}
TIE_OF_TYPE: dict[str, TieKind] = {
    str(t): "reports_to" if m.upward == "forward" else _TIE_OF_FAMILY[m.family]
    for t, m in RELATIONSHIPS.items() if m.upward == "forward" or m.family in _TIE_OF_FAMILY}
WEIGHT: dict[TieKind, float] = {"leads": 3, "oversees": 3, "covers": 2, "reports_to": 1,
                                "member_of": 1, "function": 1}
MAX_HOLDERS = 25
MIN_SHARED = 2

Tie = tuple[TieKind, str]


class SharedTie(BaseModel):
    kind: TieKind
    target: EntityRef
    weight: float
    evidence: list[Evidence]


class Overlap(BaseModel):
    """Two bodies (or frameworks) that overlap, with what they share and why it counts."""

    a: EntityRef
    b: EntityRef
    score: float
    category: Literal["overlap", "parallel_oversight", "parallel_monitoring"]
    shared: list[SharedTie]
    explanation: str


class Cluster(BaseModel):
    members: list[EntityRef]
    pairs: int


class DuplicationReport(BaseModel):
    min_score: float
    pairs: list[Overlap]
    clusters: list[Cluster]


def profiles(graph: nx.MultiDiGraph) -> dict[str, dict[Tie, list[Relation]]]:
    """Each body's and plan's ties, with the relations that make them."""
    found: dict[str, dict[Tie, list[Relation]]] = defaultdict(lambda: defaultdict(list))
    for u, v, key, data in graph.edges(keys=True, data=True):
        kind = TIE_OF_TYPE.get(key)
        if kind is None or entity(graph, u).kind not in (NodeKind.BODY, NodeKind.PLAN):
            continue
        found[u][(kind, v)].append(data["relation"])
    return found


def candidate_pairs(ties: dict[str, dict[Tie, list[Relation]]]) -> set[tuple[str, str]]:
    """Pairs that share at least one tie that is not too common (the inverted index)."""
    holders: dict[Tie, list[str]] = defaultdict(list)
    for node, node_ties in ties.items():
        for tie in node_ties:
            holders[tie].append(node)
    pairs: set[tuple[str, str]] = set()
    for nodes in holders.values():
        if 1 < len(nodes) <= MAX_HOLDERS:
            pairs.update(combinations(sorted(nodes), 2))
    return pairs


def overlap_score(a: dict[Tie, list[Relation]], b: dict[Tie, list[Relation]]) -> float:
    """Weighted Jaccard index of two profiles.

    >>> overlap_score({("leads", "x"): []}, {("leads", "x"): [], ("member_of", "y"): []})
    0.75
    """
    shared = sum(WEIGHT[k] for k, _ in a.keys() & b.keys())
    union = sum(WEIGHT[k] for k, _ in a.keys() | b.keys())
    return round(shared / union, 3) if union else 0.0


def duplication(graph: nx.MultiDiGraph, *, min_score: float = 0.3,
                day: dt.date | None = None) -> DuplicationReport:
    """Overlapping pairs scoring at least `min_score`, best first, and their clusters."""
    graph = as_at(graph, day)
    ties = profiles(graph)
    found: list[Overlap] = []
    for a, b in candidate_pairs(ties):
        if len(ties[a].keys() & ties[b].keys()) < MIN_SHARED:
            continue
        score = overlap_score(ties[a], ties[b])
        if score >= min_score:
            found.append(_overlap(graph, a, b, score, ties))
    found.sort(key=lambda o: (-o.score, o.a.id, o.b.id))
    return DuplicationReport(min_score=min_score, pairs=found, clusters=_clusters(graph, found))


def _overlap(graph: nx.MultiDiGraph, a: str, b: str, score: float,
             ties: dict[str, dict[Tie, list[Relation]]]) -> Overlap:
    shared = sorted(ties[a].keys() & ties[b].keys(), key=lambda t: (-WEIGHT[t[0]], t))
    tie_list = [SharedTie(kind=k, target=EntityRef.of(entity(graph, target)), weight=WEIGHT[k],
                          evidence=[Evidence.of(r) for r in ties[a][(k, target)] + ties[b][(k, target)]])
                for k, target in shared]
    kinds = {k for k, _ in shared}
    both_frameworks = all(entity(graph, n).kind == NodeKind.PLAN for n in (a, b))
    category = ("parallel_monitoring" if both_frameworks and "oversees" in kinds
                else "parallel_oversight" if "oversees" in kinds else "overlap")
    names = "; ".join(f"both {s.kind.replace('_', ' ')} {s.target.name}" for s in tie_list)
    ea, eb = entity(graph, a), entity(graph, b)
    return Overlap(a=EntityRef.of(ea), b=EntityRef.of(eb), score=score, category=category,
                   shared=tie_list, explanation=(
                       f"{ea.name} and {eb.name} share {len(shared)} of "
                       f"{len(ties[a].keys() | ties[b].keys())} ties (weighted score {score}): {names}."))


def _clusters(graph: nx.MultiDiGraph, pairs: list[Overlap]) -> list[Cluster]:
    linked = nx.Graph()
    linked.add_edges_from((p.a.id, p.b.id) for p in pairs)
    groups = [sorted(c) for c in nx.connected_components(linked) if len(c) > 2]
    return [Cluster(members=[EntityRef.of(entity(graph, n)) for n in group],
                    pairs=linked.subgraph(group).number_of_edges())
            for group in sorted(groups, key=lambda g: (-len(g), g))]
