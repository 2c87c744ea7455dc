"""The map at scale: entities in groups a governance reviewer recognises, and the lines
between groups counted by relation type, so that a landscape of 10^4 entities draws as a
few hundred nodes a browser can hold, any group expandable to its members.

The groups:
- bodies by their family of types (the legend's: boards, committees and groups; public
  bodies; …) under the minister, government or council whose line they answer on (the
  first such body on their shortest way up), or with no route to the top;
- actions by priority area;
- everything else by kind (findings, legislation, plans…).

Only the grouping and the counting live here; `render` draws them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from govmap.analysis.metrics import depth_to_top
from govmap.errors import NotFoundError
from govmap.model import RELATIONSHIPS, Entity, NodeKind, Relation, RelType
from govmap.queries.accountability import upward_graph
from govmap.visualisations.styles import KIND_STYLES, NodeStyle, node_style

# Above this many entities (after the filters) the map is sent as groups. Measured on
# synthetic landscapes (benchmarks.landscape), drawn whole and top down: 1,000 entities
# make 1.85 MB of JSON in 0.17 s, 1,500 make 2.8 MB in 0.29 s, 2,000 make 3.7 MB in 0.6 s
# (about 1.85 kB an entity with its lines), so 1,000 is the most that stays under the
# 2 MB a page may weigh. The real dataset (~370 entities, 1.0 MB) is always drawn whole.
AGGREGATE_ABOVE = 1_000
# The bodies whose line a body answers on nationally: a minister's portfolio, the
# government's. Bodies on a council's line are grouped together ("under councils"): one
# group per council made the map of 10^4 entities 190 groups and 9,000 lines, unreadable.
PRINCIPAL_TYPES = frozenset({"ministerial_post", "government"})
# A group larger than this is expanded into its parts first (the bodies under each council,
# say), not its members. In a landscape of 10^4, expanding the 807 boards under councils at
# once drew 900 nodes and 10,000 lines (4.9 MB); the 427 partnerships under councils, 1.9 MB;
# the 313 boards under the government, 1.5 MB, where the whole map is 0.86 MB.
SPLIT_ABOVE = 400
GROUP_PREFIX = "group:"  # entity ids are slugs without a colon, so a group id never clashes


@dataclass(frozen=True)
class Group:
    """Entities drawn as one node. `section` says which band of the top-down view it sits
    in ("bodies", "unrouted", "actions" or an entity kind) and `level` the depth below the
    top of its highest body; a part of a large group names that group as its `parent`."""

    id: str
    label: str
    members: tuple[str, ...]
    style: NodeStyle
    section: str
    level: int | None = None
    parent: str | None = None

    @property
    def name(self) -> str:
        """What it holds and how many: "Boards, committees and groups under … · 212"."""
        return f"{self.label} · {len(self.members):,}"


@dataclass(frozen=True)
class Grouping:
    groups: dict[str, Group]  # the top groups and the parts of the large ones
    of: dict[str, str]  # entity id -> its top group
    part: dict[str, str]  # entity id -> its part, for the members of large groups

    def check(self, expand: Iterable[str]) -> frozenset[str]:
        """The groups asked to be expanded (with the group of each part asked for), each
        one known, else a NotFoundError naming it."""
        asked = frozenset(expand)
        unknown = sorted(asked - self.groups.keys())
        if unknown:
            raise NotFoundError(f"no group {unknown[0]!r} on this map: the groups' ids are the "
                                f"ids of the map's nodes whose kind is 'group'")
        return asked | {parent for g in asked if (parent := self.groups[g].parent) is not None}

    def shown(self, node: str, expanded: frozenset[str]) -> str:
        """What `node` is drawn as: itself, its part, or its group."""
        group = self.of[node]
        if group not in expanded:
            return group
        part = self.part.get(node)
        return node if part is None or part in expanded else part

    def drawn(self, expanded: frozenset[str]) -> list[Group]:
        """The groups drawn as one node: the top groups not expanded, and the parts of
        the expanded ones not expanded themselves."""
        return [g for g in self.groups.values() if g.id not in expanded
                and (g.parent is None or g.parent in expanded)]

    def opened(self, expanded: frozenset[str]) -> list[Group]:
        """The expanded groups whose members are drawn one by one."""
        split = {g.parent for g in self.groups.values() if g.parent is not None}
        return [self.groups[g] for g in sorted(expanded) if g not in split]


@dataclass
class Lines:
    """The lines from one drawn node to another, counted by relation type."""

    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, Relation] = field(default_factory=dict)  # the first of each type

    def add(self, relation: Relation) -> None:
        self.counts[str(relation.type)] += 1
        self.examples.setdefault(str(relation.type), relation)

    @property
    def main(self) -> Relation:
        """The line the drawn edge looks like: the commonest line of accountability if
        there is one (they are what the map is for), else the commonest line."""
        upward = [t for t in self.counts if RELATIONSHIPS[RelType(t)].upward]
        pool = upward or list(self.counts)
        return self.examples[max(pool, key=lambda t: (self.counts[t], t))]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


Key = tuple[str, str, str]  # (group id, label, section)
Sub = tuple[str, str]  # (part id within its group, label)


def _name(graph: nx.MultiDiGraph, node: str) -> str:
    return graph.nodes[node]["entity"].name if node in graph else node


def _body_keys(graph: nx.MultiDiGraph, node: str, entity: Entity, path: list[str] | None) -> tuple[Key, Sub]:
    """A body's group, its family under its principal, and its part, the family under
    the body just below that principal (or under its council)."""
    family = node_style(entity).label
    short = f"{GROUP_PREFIX}{_slug(family.split()[0])}"  # "group:boards", "group:public"…
    by_type = (_slug(entity.type or "other"), f"{family}: {(entity.type or 'other').replace('_', ' ')}")
    if path is None:
        return (f"{short}:no-route", f"{family} with no route to the top", "unrouted"), by_type
    above = path[1:]
    at = next((i for i, p in enumerate(above) if graph.nodes[p]["entity"].type in PRINCIPAL_TYPES), None)
    if at is not None:
        principal, below = above[at], path[at]
        sub = ((below, f"{family} under {_name(graph, below)}") if below != node
               else ("direct", f"{family} directly under {_name(graph, principal)}"))
        return (f"{short}:{principal}", f"{family} under {_name(graph, principal)}", "bodies"), sub
    if above and graph.nodes[path[-1]]["entity"].type == "local_authority":
        council = path[-1]
        return (f"{short}:councils", f"{family} under councils", "bodies"), \
            (council, f"{family} under {_name(graph, council)}")
    return (f"{short}:top", family, "bodies"), by_type


def _other_keys(graph: nx.MultiDiGraph, entity: Entity) -> tuple[Key, Sub]:
    """An action's group, its priority area, and part, its assessment; any other entity's
    group, its kind, and part, its type."""
    if entity.kind == NodeKind.ACTION:
        status = str(entity.status) if entity.status else "not-assessed"
        area = entity.priority_area
        label = f"Actions in {_name(graph, area)}" if area else "Actions in no priority area"
        return (f"{GROUP_PREFIX}actions:{area or 'no-area'}", label, "actions"), \
            (_slug(status), f"{label}, {status.replace('_', ' ').replace('-', ' ')}")
    kind = str(entity.kind)
    label = KIND_STYLES[kind].label
    section = "actions" if kind == NodeKind.PRIORITY_AREA else kind
    kind_of = entity.type or "other"
    return (f"{GROUP_PREFIX}{_slug(kind)}", label, section), \
        (_slug(kind_of), f"{label}: {kind_of.replace('_', ' ')}")


def group_entities(graph: nx.MultiDiGraph) -> Grouping:
    """Every entity of `graph` in exactly one group (see the module's docstring).

    >>> from govmap.snapshot import build_snapshot
    >>> from govmap.model import Relation
    >>> es = [Entity(id="p", kind="body", type="parliament", name="Parliament"),
    ...       Entity(id="m", kind="body", type="ministerial_post", name="Minister"),
    ...       Entity(id="b", kind="body", type="board", name="B"),
    ...       Entity(id="c", kind="body", type="board", name="C")]
    >>> rs = [Relation(source="m", type="ACCOUNTABLE_TO", target="p"),
    ...       Relation(source="b", type="REPORTS_TO", target="m")]
    >>> grouping = group_entities(build_snapshot(es, rs))
    >>> for group in sorted(grouping.groups.values(), key=lambda g: g.name):
    ...     print(group.id, "|", group.name)
    group:boards:m | Boards, committees and groups under Minister · 1
    group:boards:no-route | Boards, committees and groups with no route to the top · 1
    group:parliament:top | Parliament and ministers · 2
    """
    paths = depth_to_top(graph, upward_graph(graph))
    keys: dict[str, tuple[Key, dict[str, list[str]]]] = {}  # group id -> (key, part id -> members)
    subs: dict[str, str] = {}  # "group id:part id" -> label
    levels: dict[str, int] = {}
    of: dict[str, str] = {}
    for node, entity in graph.nodes(data="entity"):
        path = paths.get(node)
        key, (sub, sub_label) = (_body_keys(graph, node, entity, path) if entity.kind == NodeKind.BODY
                                 else _other_keys(graph, entity))
        keys.setdefault(key[0], (key, {}))[1].setdefault(sub, []).append(node)
        subs.setdefault(f"{key[0]}:{sub}", sub_label)
        of[node] = key[0]
        if path is not None:
            levels[key[0]] = min(levels.get(key[0], len(path)), len(path) - 1)
    groups: dict[str, Group] = {}
    part: dict[str, str] = {}
    for (gid, label, section), parts in keys.values():
        members = tuple(m for ms in parts.values() for m in ms)
        style = node_style(graph.nodes[members[0]]["entity"])
        groups[gid] = Group(gid, label, members, style, section, levels.get(gid))
        if len(members) <= SPLIT_ABOVE or len(parts) < 2:
            continue
        for sub, ms in parts.items():
            pid = f"{gid}:{sub}"
            groups[pid] = Group(pid, subs[pid], tuple(ms), style, section, levels.get(gid), parent=gid)
            part.update(dict.fromkeys(ms, pid))
    return Grouping(groups, of, part)


def lines_between(graph: nx.MultiDiGraph, grouping: Grouping, expanded: frozenset[str]
                  ) -> tuple[list[tuple[str, str, Relation]], dict[tuple[str, str], Lines]]:
    """The lines as drawn when `expanded` groups show their members and the rest stay
    grouped: each line between two shown members as it is, and the others counted by
    relation type per (drawn source, drawn target); lines inside one group are counted
    as a loop on it (source == target), for the group's tooltip.
    """
    def shown(node: str) -> str:
        return grouping.shown(node, expanded)

    single: list[tuple[str, str, Relation]] = []
    counted: dict[tuple[str, str], Lines] = {}
    for u, targets in graph.adjacency():  # the adjacency itself: twice as quick as edges()
        a = shown(u)
        for v, keyed in targets.items():
            b = shown(v)
            for data in keyed.values():
                if a == u and b == v:
                    single.append((u, v, data["relation"]))
                else:
                    counted.setdefault((a, b), Lines()).add(data["relation"])
    return single, counted
