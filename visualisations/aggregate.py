"""The map at scale: entities in groups a governance reviewer recognises, and the lines
between groups counted by relation type, so that a landscape of 10^4 entities draws as a
few hundred nodes a browser can hold, any group expandable to its members.

The groups:
- bodies by their family of types (the legend's: boards, committees and groups; public
  bodies; …) under the minister, government or council whose line they answer on (the
  first such body on their shortest formal way up; on their shortest soft one, said so,
  when they have no formal one), "under several principals" when their own lines lead to
  more than one, or, with no route to the top, apart from those outside the Scottish
  public sector (who are not expected to have one). A group is named by the types it
  holds ("Networks and health boards under …"), the family's name only when it holds
  every type of the family, so that no label claims what the group has not;
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
from govmap.model import RELATIONSHIPS, Entity, NodeKind, Relation, RelType, Strength
from govmap.queries.accountability import UpwardMemo, hop_strength
from govmap.visualisations.styles import BODY_GROUPS, KIND_STYLES, NodeStyle, node_style

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
BODY_SECTIONS = frozenset({"bodies", "unrouted", "outside"})  # the bands of groups of bodies
GROUP_PREFIX = "group:"  # entity ids are slugs without a colon, so a group id never clashes


@dataclass(frozen=True)
class Group:
    """Entities drawn as one node. `section` says which band of the top-down view it sits
    in ("bodies", "unrouted", "outside", "actions" or an entity kind) and `level` the depth below the
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


def count_key(relation: Relation) -> str:
    """What a line is counted as: its relation type, and for a line of accountability
    its strength too ("REPORTS_TO:formal"), so that a count says which lines are which."""
    if RELATIONSHIPS[relation.type].upward is None:
        return str(relation.type)
    return f"{relation.type}:{hop_strength(relation)}"


def count_reads(key: str) -> str:
    """How a count reads: "member of", "reports to (soft line of accountability)"."""
    kind, _, strength = key.partition(":")
    reads = RELATIONSHIPS[RelType(kind)].reads
    return f"{reads} ({strength} line of accountability)" if strength else reads


# Every key a count can have, for the page to read them with.
COUNT_KEYS = [f"{t}:{s}" if RELATIONSHIPS[t].upward is not None else str(t)
              for t in RelType for s in ([*Strength] if RELATIONSHIPS[t].upward is not None else [""])]


@dataclass
class Lines:
    """The lines from one drawn node to another, counted by `count_key`."""

    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, Relation] = field(default_factory=dict)  # the first of each key

    def add(self, relation: Relation) -> None:
        key = count_key(relation)
        self.counts[key] += 1
        self.examples.setdefault(key, relation)

    @property
    def accountability(self) -> Counter[str]:
        """The lines of accountability among them by strength: {"formal": 3, "soft": 10}."""
        split: Counter[str] = Counter({str(Strength.FORMAL): 0, str(Strength.SOFT): 0})
        for key, n in self.counts.items():
            if ":" in key:
                split[key.partition(":")[2]] += n
        return split

    @property
    def main(self) -> Relation:
        """The line the drawn edge looks like: the commonest line of accountability when
        at least half of them are lines of accountability (they are what the map is for),
        else the commonest of the others, so that 61 memberships and 1 report draw as
        membership, not as a line of accountability."""
        upward = sum(self.accountability.values())
        pool = [k for k in self.counts if (":" in k) == (2 * upward >= sum(self.counts.values()))]
        by_type: Counter[str] = Counter()
        for key in pool:
            by_type[key.partition(":")[0]] += self.counts[key]
        kind = max(by_type, key=lambda t: (by_type[t], t))
        return self.examples[max((k for k in pool if k.partition(":")[0] == kind),
                                 key=lambda k: (self.counts[k], k))]

    @property
    def soft(self) -> bool:
        """Drawn as soft (dashed) unless most of the lines of accountability are formal."""
        split = self.accountability
        return 2 * split[str(Strength.FORMAL)] <= sum(split.values())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


Key = tuple[str, str, str]  # (group id, label, section)
Sub = tuple[str, str]  # (part id within its group, label)


def _name(graph: nx.MultiDiGraph, node: str) -> str:
    return graph.nodes[node]["entity"].name if node in graph else node


def _body_keys(graph: nx.MultiDiGraph, node: str, entity: Entity, route: Route) -> tuple[Key, Sub]:
    """A body's group, its family under its principal, and its part, the family under
    the body just below that principal (or under its council). Labels here are what
    follows the name of the types the group holds (" under Minister …")."""
    path, soft, principals = route
    short = f"{GROUP_PREFIX}{_slug(node_style(entity).label.split()[0])}"  # "group:boards"…
    kind_of = _slug(entity.type or "other")
    if path is None:
        if not entity.in_scottish_public_sector:
            return (f"{short}:outside", " outside the Scottish public sector", "outside"), \
                (kind_of, " outside the Scottish public sector")
        return (f"{short}:no-route", " with no route to the top (a broken chain)", "unrouted"), \
            (kind_of, " with no route to the top (a broken chain)")
    if soft:  # not "group:boards:m1:soft-only": that would read as a part of "group:boards:m1"
        short, via = f"{short}-soft-only", ", reached only through soft lines"
    else:
        via = ""
    if len(principals) > 1:
        return (f"{short}:several", f" under several principals{via}", "bodies"), \
            (kind_of, f" under several principals{via}")
    above = path[1:]
    at = next((i for i, p in enumerate(above) if graph.nodes[p]["entity"].type in PRINCIPAL_TYPES), None)
    if at is not None:
        principal, below = above[at], path[at]
        sub = ((below, f" under {_name(graph, below)}{via}") if below != node
               else ("direct", f" directly under {_name(graph, principal)}{via}"))
        return (f"{short}:{principal}", f" under {_name(graph, principal)}{via}", "bodies"), sub
    if above and graph.nodes[path[-1]]["entity"].type == "local_authority":
        council = path[-1]
        return (f"{short}:councils", f" under councils{via}", "bodies"), \
            (council, f" under {_name(graph, council)}{via}")
    return (f"{short}:top", via, "bodies"), (kind_of, via)


# How a type is named, one and several, where its name (and an "s") will not do.
_NAMES = {"local_authority": ("council", "councils"), "public_body": ("public body", "public bodies"),
          "ijb": ("integration joint board", "integration joint boards"),
          "cspp": ("children's services planning partnership", "children's services planning partnerships"),
          "third_sector": ("third-sector body", "third-sector bodies")}
_FAMILY_OF_TYPES = {frozenset(types): family for family, types in BODY_GROUPS.items()}


def holding(types: Iterable[str | None]) -> str:
    """What a group of bodies holds, by their types: the family's name when it holds every
    type of the family, else the types it holds, commonest first.

    >>> holding(["network"] * 21 + ["health_board"])
    'Networks and health board'
    >>> holding(["board", "committee", "group"])
    'Boards, committees and groups'
    """
    counts = Counter(t or "other" for t in types)
    family = _FAMILY_OF_TYPES.get(frozenset(counts))
    if family is not None:
        return family
    names = [_NAMES.get(t, (t.replace("_", " "), f"{t.replace('_', ' ')}s"))[n > 1] for t, n in
             sorted(counts.items(), key=lambda tn: (-tn[1], tn[0]))]
    text = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return text[0].upper() + text[1:]


Route = tuple[list[str] | None, bool, frozenset[str]]  # (the way up, soft only?, principals)


def _routes(graph: nx.MultiDiGraph) -> dict[str, Route]:
    """Each body's way up: its shortest formal one, else its shortest soft one (said so);
    and the principals its own lines (of that strength) lead to first."""
    up, formal = nx.DiGraph(), nx.DiGraph()  # `upward_graph` and its formal lines, in one pass
    up.add_nodes_from(graph)
    formal.add_nodes_from(graph)
    memo = UpwardMemo.whole(graph)  # every node's upward lines in one walk over the edges
    for node in graph:
        for upper, relation in memo.hops(node):
            up.add_edge(node, upper)
            if hop_strength(relation) == Strength.FORMAL:
                formal.add_edge(node, upper)
    routes: dict[str, Route] = {}
    ways = [(formal, depth_to_top(graph, formal)), (up, depth_to_top(graph, up))]
    leads = [{n: next((q for q in p if graph.nodes[q]["entity"].type in PRINCIPAL_TYPES), None)
              for n, p in paths.items() if p} for _, paths in ways]
    for node in ways[1][1]:
        at = next((i for i, (_, paths) in enumerate(ways) if paths.get(node)), None)
        if at is None:
            routes[node] = (None, False, frozenset())
            continue
        lines, paths = ways[at]
        principals = frozenset(p for s in lines.successors(node) if (p := leads[at].get(s)) is not None)
        routes[node] = (paths[node], at == 1, principals)
    return routes


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
    ...       Entity(id="c", kind="body", type="board", name="C"),
    ...       Entity(id="d", kind="body", type="board", name="D", scope="scottish_public_sector")]
    >>> rs = [Relation(source="m", type="ACCOUNTABLE_TO", target="p", strength="formal"),
    ...       Relation(source="b", type="REPORTS_TO", target="m", strength="formal")]
    >>> grouping = group_entities(build_snapshot(es, rs))
    >>> for group in sorted(grouping.groups.values(), key=lambda g: g.name):
    ...     print(group.id, "|", group.name)
    group:boards:outside | Board outside the Scottish public sector · 1
    group:boards:m | Board under Minister · 1
    group:boards:no-route | Board with no route to the top (a broken chain) · 1
    group:parliament:top | Parliament and ministers · 2
    """
    routes = _routes(graph)
    keys: dict[str, tuple[Key, dict[str, list[str]]]] = {}  # group id -> (key, part id -> members)
    subs: dict[str, str] = {}  # "group id:part id" -> label
    levels: dict[str, int] = {}
    of: dict[str, str] = {}
    for node, entity in graph.nodes(data="entity"):
        route = routes.get(node)
        key, (sub, sub_label) = (_body_keys(graph, node, entity, route) if route is not None
                                 else _other_keys(graph, entity))
        keys.setdefault(key[0], (key, {}))[1].setdefault(sub, []).append(node)
        subs.setdefault(f"{key[0]}:{sub}", sub_label)
        of[node] = key[0]
        if route is not None and route[0] is not None:
            levels[key[0]] = min(levels.get(key[0], len(route[0])), len(route[0]) - 1)

    def labelled(label: str, section: str, members: Iterable[str]) -> str:
        if section not in BODY_SECTIONS:
            return label
        return holding(graph.nodes[m]["entity"].type for m in members) + label

    groups: dict[str, Group] = {}
    part: dict[str, str] = {}
    for (gid, label, section), parts in keys.values():
        members = tuple(m for ms in parts.values() for m in ms)
        style = node_style(graph.nodes[members[0]]["entity"])
        groups[gid] = Group(gid, labelled(label, section, members), members, style, section, levels.get(gid))
        if len(members) <= SPLIT_ABOVE or len(parts) < 2:
            continue
        for sub, ms in parts.items():
            pid = f"{gid}:{sub}"
            groups[pid] = Group(pid, labelled(subs[pid], section, ms), tuple(ms), style, section,
                                levels.get(gid), parent=gid)
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
