"""Duplication by function, not by partnership.

Co-leading an action makes bodies partners, not duplicates, so shared leads are never
counted. Each finding is one of these kinds, found by its own rule:

=======================  ===============================================================
kind                     rule, and why it suggests duplicated work
=======================  ===============================================================
parallel_oversight       two or more bodies do the same oversight job (the same type:
                         monitor, oversee, scrutinise, hold to account) on the same object,
                         each on its own, as the documents state it: several bodies doing
                         one job. Not counted: bodies named in one sentence doing it
                         together (partners); a body whose work feeds another watcher it
                         answers to (a chain, not twins); inferred lines; and the statutory
                         background (audit, regulation), a different job
parallel_frameworks      two plans or frameworks, neither part of nor informing the other,
                         whose scopes (COVERS) share at least `MIN_SHARED_SCOPE` items and
                         half of the smaller one: measuring or planning the same thing twice
repeated_commitment      the same commitment counted under more than one action: by the
                         same bodies, in the same excerpt or in words at least
                         `SAME_COMMITMENT` % alike
concentration            one body leads at least `CONCENTRATION_SHARE` of the actions
                         (and at least `CONCENTRATION_MIN`): a disproportionate share
role_overlap             a stated finding that the roles of two or more bodies are
                         unclear or need clarifying (the documents' own judgement)
same_body_two_names      two bodies of the same kind, type and scope whose names share an
                         acronym or are near spellings of each other: a candidate for a
                         reviewer to confirm, never merged automatically. Different kinds
                         of thing that share a name (a national fund and a local
                         partnership) are never paired.
=======================  ===============================================================

Every finding is small and named by what its members share.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from itertools import combinations
from typing import Literal

import networkx as nx
import numpy as np
from pydantic import BaseModel
from rapidfuzz import fuzz, process

from govmap.model import Confidence, FindingType, NodeKind, Relation, RelType, meaning
from govmap.queries.accountability import upward_hops
from govmap.queries.common import EntityRef, Evidence, as_at, entity
from govmap.search import normalise

DuplicationKind = Literal["parallel_oversight", "parallel_frameworks", "repeated_commitment",
                          "concentration", "role_overlap", "same_body_two_names"]
DUPLICATION_KINDS: tuple[str, ...] = DuplicationKind.__args__  # type: ignore[attr-defined]
MIN_SHARED_SCOPE = 2
CONCENTRATION_SHARE = 0.4
CONCENTRATION_MIN = 5
NAME_SIMILARITY = 92
SAME_COMMITMENT = 65


class DuplicationFinding(BaseModel):
    """Bodies (or frameworks, or actions) that do the same thing, and what shows it."""

    id: str
    kind: DuplicationKind
    basis: Literal["stated", "derived"]
    title: str
    entities: list[EntityRef]
    object: EntityRef | None = None
    explanation: str
    evidence: list[Evidence] = []


class DuplicationReport(BaseModel):
    by_kind: dict[str, int]
    findings: list[DuplicationFinding]


def _ref(graph: nx.MultiDiGraph, node: str) -> EntityRef:
    return EntityRef.of(entity(graph, node))


def _names(graph: nx.MultiDiGraph, nodes: list[str]) -> str:
    return ", ".join(entity(graph, n).name for n in nodes)


def parallel_oversight(graph: nx.MultiDiGraph) -> Iterator[DuplicationFinding]:
    """Several bodies with an oversight-family line to the same object."""
    watchers: dict[tuple[str, str], dict[str, Relation]] = defaultdict(dict)
    for u, v, k, d in graph.edges(keys=True, data=True):
        relation: Relation = d["relation"]
        if (meaning(k).family == "oversight" and entity(graph, u).kind == NodeKind.BODY
                and relation.confidence == Confidence.STATED and not relation.is_reference_only):
            watchers[(v, k)][u] = relation
    for (target, rel_type), by_body in sorted(watchers.items()):
        independent = [b for b in _not_named_together(by_body)
                       if not any(upper in by_body for upper, _ in upward_hops(graph, b))]
        if len(independent) < 2:
            continue
        verb = meaning(rel_type).reads
        yield DuplicationFinding(
            id=f"parallel_oversight:{rel_type.lower()}:{target}", kind="parallel_oversight",
            basis="derived",
            title=(f"{entity(graph, target).name} {meaning(rel_type).reads_inverse} "
                   f"{len(independent)} bodies separately"),
            entities=[_ref(graph, b) for b in independent], object=_ref(graph, target),
            explanation=(f"{_names(graph, independent)} each {verb} {entity(graph, target).name}, "
                         "each on its own evidence"),
            evidence=[Evidence.of(by_body[b]) for b in independent])


def _not_named_together(by_body: dict[str, Relation]) -> list[str]:
    """The bodies left when those whose lines cite one shared excerpt (named together,
    working jointly) count as one."""
    groups: dict[frozenset[str], list[str]] = defaultdict(list)
    for body, relation in sorted(by_body.items()):
        groups[frozenset(" ".join((s.excerpt or "").split()) for s in relation.sources)].append(body)
    merged: list[list[str]] = []
    for excerpts, bodies in groups.items():
        joint = next((m for m in merged if any(excerpts & _excerpts(by_body[b]) for b in m)), None)
        if joint is None:
            merged.append(list(bodies))
        else:
            joint.extend(bodies)
    return sorted(bodies[0] for bodies in merged)


def _excerpts(relation: Relation) -> frozenset[str]:
    return frozenset(" ".join((s.excerpt or "").split()) for s in relation.sources)


def parallel_frameworks(graph: nx.MultiDiGraph) -> Iterator[DuplicationFinding]:
    """Plans or frameworks whose stated scopes largely coincide."""
    scopes: dict[str, dict[str, Relation]] = defaultdict(dict)
    for u, v, k, d in graph.edges(keys=True, data=True):
        if k == RelType.COVERS:
            scopes[u][v] = d["relation"]
    for a, b in combinations(sorted(scopes), 2):
        if graph.has_edge(a, b) or graph.has_edge(b, a):
            continue  # one covers, informs or belongs to the other: a hierarchy, not a twin
        shared = sorted(scopes[a].keys() & scopes[b].keys())
        smaller = min(len(scopes[a]), len(scopes[b]))
        if len(shared) >= MIN_SHARED_SCOPE and len(shared) * 2 >= smaller:
            yield DuplicationFinding(
                id=f"parallel_frameworks:{a}+{b}", kind="parallel_frameworks", basis="derived",
                title=f"{entity(graph, a).name} and {entity(graph, b).name} cover the same ground",
                entities=[_ref(graph, a), _ref(graph, b)],
                explanation=f"both cover {_names(graph, shared)}",
                evidence=[Evidence.of(scopes[x][t]) for t in shared for x in (a, b)])


def repeated_commitments(graph: nx.MultiDiGraph) -> Iterator[DuplicationFinding]:
    """One commitment, by the same bodies, recorded under several actions."""
    made: list[tuple[str, frozenset[str], str, frozenset[str]]] = []
    for node in sorted(graph):
        for commitment in entity(graph, node).commitments:
            excerpts = frozenset(" ".join((s.excerpt or "").split()) for s in commitment.sources)
            made.append((node, frozenset(commitment.by), commitment.text, excerpts))
    groups: list[tuple[set[str], str]] = []
    for i, (action, by, text, excerpts) in enumerate(made):
        for other, other_by, other_text, other_excerpts in made[i + 1:]:
            if other == action or by != other_by:
                continue
            alike = fuzz.token_set_ratio(normalise(text), normalise(other_text))
            if excerpts & other_excerpts or alike >= SAME_COMMITMENT:
                group = next((g for g in groups if {action, other} & g[0]), None)
                if group is None:
                    groups.append(({action, other}, text))
                else:
                    group[0].update({action, other})
    for actions, text in groups:
        ids = sorted(actions)
        yield DuplicationFinding(
            id="repeated_commitment:" + "+".join(ids), kind="repeated_commitment",
            basis="derived", title=f"One commitment counted under {len(ids)} actions",
            entities=[_ref(graph, a) for a in ids],
            explanation=f"“{text}” is recorded as a commitment of {_names(graph, ids)}")


def concentration(graph: nx.MultiDiGraph) -> Iterator[DuplicationFinding]:
    """A body that leads a disproportionate share of the actions."""
    actions = {n for n in graph if entity(graph, n).kind == NodeKind.ACTION}
    led: dict[str, list[Relation]] = defaultdict(list)
    for u, v, k, d in graph.edges(keys=True, data=True):
        if k == RelType.LEADS and v in actions:
            led[u].append(d["relation"])
    for body, relations in sorted(led.items()):
        if len(relations) >= max(CONCENTRATION_MIN, CONCENTRATION_SHARE * len(actions)):
            yield DuplicationFinding(
                id=f"concentration:{body}", kind="concentration", basis="derived",
                title=f"{entity(graph, body).name} leads {len(relations)} of {len(actions)} actions",
                entities=[_ref(graph, body)],
                explanation=(f"{entity(graph, body).name} is a lead of {len(relations)} of the "
                             f"{len(actions)} actions ({len(relations) / len(actions):.0%})"),
                evidence=[Evidence.of(r) for r in relations])


def role_overlaps(graph: nx.MultiDiGraph) -> Iterator[DuplicationFinding]:
    """The documents' own findings that the roles of several bodies need clarifying."""
    for node in sorted(graph):
        finding = entity(graph, node)
        if finding.kind != NodeKind.FINDING or finding.type != FindingType.ROLE_UNCLEAR:
            continue
        concerned = [(v, d["relation"]) for _, v, k, d in graph.out_edges(node, keys=True, data=True)
                     if k == RelType.CONCERNS and entity(graph, v).kind == NodeKind.BODY]
        if len(concerned) >= 2:
            bodies = sorted(v for v, _ in concerned)
            yield DuplicationFinding(
                id=f"role_overlap:{node}", kind="role_overlap", basis="stated",
                title=f"The roles of {_names(graph, bodies)} overlap or are unclear",
                entities=[_ref(graph, b) for b in bodies], object=_ref(graph, node),
                explanation=finding.description or finding.name,
                evidence=[Evidence.of(r) for _, r in concerned])


def same_body_two_names(graph: nx.MultiDiGraph) -> Iterator[DuplicationFinding]:
    """Bodies that may be one body recorded twice, for a reviewer to confirm.

    Two bodies of one type and scope are paired when a name or alias of one is the same
    as, or a near spelling of (`NAME_SIMILARITY`), a name or alias of the other, numbers
    aside ("Independent Care Review 2017-2020" and "Independent Care Review" are paired).
    Not paired: bodies whose main names both carry numbers and not the same ones
    ("Area 2 Committee", "Area 12 Committee": numbered siblings, not one body twice).

    Names are compared within a group of one type and scope, each distinct name once
    (with its numbers taken out), and only with names close enough in length to reach
    the threshold, in compiled code (`rapidfuzz.process.cdist`).
    """
    groups: dict[tuple[str | None, str | None], dict[str, set[str]]] = \
        defaultdict(lambda: defaultdict(set))
    numbers: dict[str, tuple[str, ...]] = {}
    for node in graph:
        body = entity(graph, node)
        if body.kind == NodeKind.BODY:
            numbers[node] = tuple(_NUMBER.findall(body.name))
            owners_of = groups[(body.type, body.scope)]
            for name in body.names:
                owners_of[_without_numbers(name)].add(node)
    pairs: dict[tuple[str, str], float] = {}

    def pair(a: str, b: str, score: float) -> None:
        if a != b and not (numbers[a] and numbers[b] and numbers[a] != numbers[b]):
            key = (min(a, b), max(a, b))
            pairs[key] = max(pairs.get(key, 0.0), score)

    shared: dict[frozenset[str], str] = {}
    for owners_of in groups.values():
        names = sorted((n for n in owners_of if n), key=lambda n: (len(n), n))
        for i, j, score in _alike(names):
            for a in owners_of[names[i]]:
                for b in owners_of[names[j]]:
                    pair(a, b, score)
        for name, owners in owners_of.items():  # one name, held by several bodies
            for holders in _not_siblings(owners, numbers):
                if len(holders) == 2:
                    pair(*sorted(holders), 100.0)
                else:
                    shared.setdefault(frozenset(holders), name)
    for holders, name in sorted(shared.items(), key=lambda p: sorted(p[0])):
        ids = sorted(holders)
        yield DuplicationFinding(
            id="same_body_two_names:" + "+".join(ids), kind="same_body_two_names",
            basis="derived", title=f"{len(ids)} bodies share the name “{name}”",
            entities=[_ref(graph, b) for b in ids],
            explanation=(f"{_names(graph, ids)} share the name “{name}”: a naming habit (one "
                         f"in each area, say) or one body recorded {len(ids)} times; a reviewer "
                         "should confirm before anything is merged"))
    for (a, b), score in sorted(pairs.items()):
        first, second = entity(graph, a), entity(graph, b)
        alike = "shared" if score >= 100 else f"{score:.0f}% alike"
        yield DuplicationFinding(
            id=f"same_body_two_names:{a}+{b}", kind="same_body_two_names", basis="derived",
            title=f"{first.name} and {second.name} may be one body",
            entities=[EntityRef.of(first), EntityRef.of(second)],
            explanation=(f"names {alike}{' (numbers aside)' if numbers[a] != numbers[b] else ''}; "
                         "a reviewer should confirm before anything is merged"))


def _not_siblings(owners: set[str], numbers: dict[str, tuple[str, ...]]) -> list[set[str]]:
    """The bodies holding one name, in sets of two or more that are not numbered siblings:
    those with the same numbers in their main names, each with those that carry none."""
    plain = {b for b in owners if not numbers[b]}
    numbered: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for b in owners - plain:
        numbered[numbers[b]].add(b)
    sets = [members | plain for members in numbered.values()] or [plain]
    return [s for s in sets if len(s) >= 2]


def _without_numbers(name: str) -> str:
    """A normalised name with its numbers taken out: "NHS 24" -> "nhs"."""
    return " ".join(_NUMBER.sub(" ", normalise(name)).split())


def _alike(names: list[str]) -> Iterator[tuple[int, int, float]]:
    """(i, j, score) for each pair of distinct `names` (sorted by length) at least
    `NAME_SIMILARITY` % alike. Two names can only be that alike when the shorter is at
    least `_LENGTH_RATIO` of the longer, so each block of names is compared only with the
    names that far along, never with the whole group."""
    lengths = [len(n) for n in names]
    for start in range(0, len(names), _BLOCK):
        block = names[start:start + _BLOCK]
        stop = bisect.bisect_right(lengths, lengths[start + len(block) - 1] / _LENGTH_RATIO)
        others = names[start:stop]
        scores = process.cdist(block, others, scorer=fuzz.ratio, dtype=np.uint8,
                               score_cutoff=NAME_SIMILARITY,
                               workers=-1 if len(block) * len(others) > _THREADED else 1)
        for i, j in zip(*scores.nonzero(), strict=True):
            if i < j:
                yield start + i, start + j, float(scores[i, j])


_NUMBER = re.compile(r"\d+")
_BLOCK = 2_000
_THREADED = 1_000_000  # comparisons worth starting a thread per core for
# fuzz.ratio is 2 * common / (len(a) + len(b)): at NAME_SIMILARITY the shorter name
# holds at least this share of the longer one's length.
_LENGTH_RATIO = NAME_SIMILARITY / (200 - NAME_SIMILARITY)


RULES = (parallel_oversight, parallel_frameworks, repeated_commitments, concentration,
         role_overlaps, same_body_two_names)


def duplication(graph: nx.MultiDiGraph, *, kind: str | None = None, entity_id: str | None = None,
                day: dt.date | None = None) -> DuplicationReport:
    """Every duplication finding, by kind, optionally about one entity."""
    graph = as_at(graph, day)
    found = [f for rule in RULES for f in rule(graph)
             if (kind is None or f.kind == kind)
             and (entity_id is None or any(e.id == entity_id for e in f.entities))]
    counts: dict[str, int] = defaultdict(int)
    for f in found:
        counts[f.kind] += 1
    return DuplicationReport(by_kind=dict(counts), findings=found)
