"""What-if scenarios: change a copy of the graph and see what the change does.

A scenario is a list of operations, applied in order to a copy of the snapshot —
never to the store:

* ``abolish``          remove a body; with ``reassign_to`` its relations move to that
                       body, otherwise they are dropped (and reported as orphaned);
* ``merge``            fold ``source`` into ``into``: relations move, names become aliases;
* ``reparent``         replace a body's upward lines with one ``type`` line to ``to``;
* ``add_relation`` / ``remove_relation``.

The result is a diff of the answers before and after: chains that break or heal,
gaps opened and closed, duplication findings removed or added, metrics that change, and
the responsibilities left with no owner. Operations added by a scenario are marked
``confidence: inferred`` with the scenario's name as the note.
"""

from __future__ import annotations

from typing import Annotated, Literal

import networkx as nx
from pydantic import BaseModel, Field

from govmap.analysis.duplication import duplication
from govmap.analysis.gaps import gaps
from govmap.analysis.metrics import structure_metrics
from govmap.errors import InvalidRequestError
from govmap.model import (
    RESPONSIBILITY_TYPES,
    Confidence,
    EntityId,
    NodeKind,
    Rel,
    Relation,
    RelType,
    Strict,
)
from govmap.queries.accountability import UpwardMemo, accountability_chain, upward_hops
from govmap.queries.common import EntityRef, Evidence, entity
from govmap.snapshot import build_snapshot


class Op(Strict):
    pass


class Abolish(Op):
    op: Literal["abolish"]
    body: EntityId
    reassign_to: EntityId | None = None


class Merge(Op):
    op: Literal["merge"]
    source: EntityId
    into: EntityId


class Reparent(Op):
    op: Literal["reparent"]
    body: EntityId
    to: EntityId
    type: Rel = RelType.REPORTS_TO


class AddRelation(Op):
    op: Literal["add_relation"]
    source: EntityId
    type: Rel
    target: EntityId


class RemoveRelation(Op):
    op: Literal["remove_relation"]
    source: EntityId
    type: Rel
    target: EntityId


Operation = Annotated[Abolish | Merge | Reparent | AddRelation | RemoveRelation,
                      Field(discriminator="op")]


class Scenario(Strict):
    """A named list of operations; see the module notes."""
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    operations: list[Operation] = Field(min_length=1, max_length=200)


class ChainChange(BaseModel):
    subject: EntityRef
    change: Literal["breaks", "heals", "loses_all_leads", "flags_changed"]
    flags_added: list[str]
    flags_removed: list[str]


class OrphanedResponsibility(BaseModel):
    holder: EntityRef
    type: str
    target: EntityRef
    evidence: Evidence


class ScenarioDiff(BaseModel):
    scenario: Scenario
    chains: list[ChainChange]
    gaps_opened: list[str]
    gaps_closed: list[str]
    duplication_removed: list[str]
    duplication_added: list[str]
    metrics_changed: dict[str, tuple[float, float]]
    orphaned: list[OrphanedResponsibility]
    summary: str


def _check(graph: nx.MultiDiGraph, scenario: Scenario) -> None:
    """Every id an operation names exists by the time the operation runs."""
    present = set(graph)
    for i, op in enumerate(scenario.operations):
        for field in ("body", "reassign_to", "source", "into", "to", "target"):
            node = getattr(op, field, None)
            if node is not None and node not in present:
                raise InvalidRequestError(f"operations[{i}].{field}: no entity with id {node!r}")
        ends = [getattr(op, f) for f in ("body", "source") if hasattr(op, f)]
        others = [getattr(op, f) for f in ("reassign_to", "into", "to", "target")
                  if getattr(op, f, None) is not None]
        if set(ends) & set(others):
            raise InvalidRequestError(f"operations[{i}]: an operation cannot point a body at itself")
        if isinstance(op, Abolish | Merge):
            present.discard(op.body if isinstance(op, Abolish) else op.source)


def _move_edges(graph: nx.MultiDiGraph, old: str, new: str | None) -> list[Relation]:
    """Move `old`'s relations to `new` (or drop them); the dropped ones are returned."""
    dropped = []
    for u, v, key, data in list(graph.out_edges(old, keys=True, data=True)) + list(
            graph.in_edges(old, keys=True, data=True)):
        relation: Relation = data["relation"]
        if new is None:
            dropped.append(relation)
            continue
        source, target = (new if u == old else u), (new if v == old else v)
        if source != target and not graph.has_edge(source, target, key):
            graph.add_edge(source, target, key=key, relation=relation.model_copy(
                update={"source": source, "target": target}))
    graph.remove_node(old)
    return dropped


def apply_scenario(graph: nx.MultiDiGraph, scenario: Scenario) -> tuple[nx.MultiDiGraph, list[Relation]]:
    """A changed copy of `graph` and the relations dropped with no new owner."""
    _check(graph, scenario)
    changed = build_snapshot([d["entity"] for _, d in graph.nodes(data=True)],
                             [d["relation"] for *_, d in graph.edges(data=True)])
    note = f"what-if scenario: {scenario.name}"
    dropped: list[Relation] = []
    for op in scenario.operations:
        if isinstance(op, Abolish):
            dropped += _move_edges(changed, op.body, op.reassign_to)
        elif isinstance(op, Merge):
            kept = entity(changed, op.into)
            gone = entity(changed, op.source)
            changed.nodes[op.into]["entity"] = kept.model_copy(
                update={"aliases": [*kept.aliases, *gone.names]})
            _move_edges(changed, op.source, op.into)
        elif isinstance(op, Reparent):
            for _, relation in list(upward_hops(changed, op.body)):
                changed.remove_edge(relation.source, relation.target, key=str(relation.type))
            _add(changed, op.body, str(op.type), op.to, note)
        elif isinstance(op, AddRelation):
            _add(changed, op.source, str(op.type), op.target, note)
        elif changed.has_edge(op.source, op.target, key=str(op.type)):
            changed.remove_edge(op.source, op.target, key=str(op.type))
        else:
            raise InvalidRequestError(f"no relation {op.source} {op.type} {op.target} to remove")
    return changed, dropped


def _add(graph: nx.MultiDiGraph, source: str, rel_type: str, target: str, note: str) -> None:
    graph.add_edge(source, target, key=rel_type, relation=Relation(
        source=source, type=rel_type, target=target, confidence=Confidence.INFERRED, note=note))


def _chain_state(graph: nx.MultiDiGraph) -> dict[str, tuple[bool, bool, frozenset[str]]]:
    """For each action: (has leads, reaches the top, flag codes)."""
    state = {}
    memo = UpwardMemo.whole(graph)
    for node in graph:
        if entity(graph, node).kind == NodeKind.ACTION:
            chain = accountability_chain(graph, node, memo=memo)
            state[node] = (bool(chain.leads), any(p.ends == "top" for p in chain.paths),
                           frozenset(f.code for f in chain.flags))
    return state


def _summary_metrics(graph: nx.MultiDiGraph) -> dict[str, float]:
    figures = structure_metrics(graph)
    depths = [d for d in figures.depth_to_top.values() if d is not None]
    return {"entities": graph.number_of_nodes(), "relations": graph.number_of_edges(),
            "bodies_reaching_top": len(depths),
            "mean_depth_to_top": round(sum(depths) / len(depths), 3) if depths else 0.0,
            "components": len(figures.components)}


def what_if(graph: nx.MultiDiGraph, scenario: Scenario) -> ScenarioDiff:
    """Apply `scenario` to a copy of `graph` and diff the answers.

    >>> from govmap.model import Entity
    >>> es = [Entity(id="a", kind="body", type="board", name="A"),
    ...       Entity(id="p", kind="body", type="parliament", name="P"),
    ...       Entity(id="x", kind="action", name="X")]
    >>> rs = [Relation(source="a", type="LEADS", target="x"),
    ...       Relation(source="a", type="REPORTS_TO", target="p")]
    >>> s = Scenario(name="abolish A", operations=[{"op": "abolish", "body": "a"}])
    >>> diff = what_if(build_snapshot(es, rs), s)
    >>> [(c.subject.id, c.change) for c in diff.chains], [o.target.id for o in diff.orphaned]
    ([('x', 'loses_all_leads')], ['x'])
    """
    after, dropped = apply_scenario(graph, scenario)
    before_chains, after_chains = _chain_state(graph), _chain_state(after)
    changes = []
    for node, (had_leads, reached, flags) in sorted(before_chains.items()):
        if node not in after_chains:
            continue
        has_leads, reaches, new_flags = after_chains[node]
        change = ("loses_all_leads" if had_leads and not has_leads else
                  "breaks" if reached and not reaches else
                  "heals" if reaches and not reached else
                  "flags_changed" if flags != new_flags else None)
        if change:
            changes.append(ChainChange(subject=EntityRef.of(entity(after, node)), change=change,
                                       flags_added=sorted(new_flags - flags),
                                       flags_removed=sorted(flags - new_flags)))
    gaps_before = {g.id for g in gaps(graph)}
    gaps_after = {g.id for g in gaps(after)}
    pairs_before = {f.id for f in duplication(graph).findings}
    pairs_after = {f.id for f in duplication(after).findings}
    metrics_before, metrics_after = _summary_metrics(graph), _summary_metrics(after)
    orphaned = [OrphanedResponsibility(holder=EntityRef.of(entity(graph, r.source)), type=str(r.type),
                                       target=EntityRef.of(entity(graph, r.target)),
                                       evidence=Evidence.of(r))
                for r in dropped if str(r.type) in RESPONSIBILITY_TYPES and r.target in after]
    diff = ScenarioDiff(
        scenario=scenario, chains=changes,
        gaps_opened=sorted(gaps_after - gaps_before), gaps_closed=sorted(gaps_before - gaps_after),
        duplication_removed=sorted(pairs_before - pairs_after),
        duplication_added=sorted(pairs_after - pairs_before),
        metrics_changed={k: (metrics_before[k], metrics_after[k]) for k in metrics_before
                         if metrics_before[k] != metrics_after[k]},
        orphaned=orphaned, summary="")
    def count(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    breaks, heals, lose = (sum(c.change == kind for c in changes)
                           for kind in ("breaks", "heals", "loses_all_leads"))
    diff.summary = (f"{scenario.name}: {count(breaks, 'chain breaks', 'chains break')}, "
                    f"{heals} heal, {count(lose, 'action loses', 'actions lose')} every lead; "
                    f"{count(len(diff.gaps_opened), 'gap', 'gaps')} opened, {len(diff.gaps_closed)} closed; "
                    f"{count(len(orphaned), 'responsibility', 'responsibilities')} left with no owner.")
    return diff

