"""pyvis renders of the governance graph: whole, filtered, focused, a chain, overlaps.

Every render goes through `network_data` (pyvis builds the vis-network nodes, edges
and options) and `page` (the project's own template, which embeds vis-network from
the pyvis package, so a saved file needs no network). pyvis's stock template links
Bootstrap from a CDN, so it is never used.

Safety: labels are drawn on a canvas (text only). Tooltips are HTML built here from
`html.escape`d strings and turned into elements by the page; the data reaches the
page through Jinja's `tojson`, which escapes `<`, `>`, `&` and quotes.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import networkx as nx
from jinja2 import Environment, PackageLoader, select_autoescape
from pyvis.network import Network

from govmap.analysis.duplication import DuplicationReport
from govmap.analysis.metrics import depth_to_top
from govmap.errors import InvalidRequestError, NotFoundError
from govmap.model import (
    RELATIONSHIPS,
    AssessmentStatus,
    BodyType,
    Entity,
    NodeKind,
    Relation,
    RelType,
    Source,
    not_one_of,
)
from govmap.queries.accountability import AccountabilityChain, leads_of, upward_graph
from govmap.queries.common import as_at, resolve
from govmap.visualisations.aggregate import (
    AGGREGATE_ABOVE,
    COUNT_KEYS,
    Group,
    Grouping,
    Lines,
    count_reads,
    group_entities,
    lines_between,
)
from govmap.visualisations.styles import (
    EDGE_LEGEND,
    FORMAL_LINE,
    KIND_STYLES,
    NODE_LEGEND,
    SOFT_LINE,
    edge_style,
    node_style,
)

STATIC_LAYOUT_ABOVE = 400  # nodes; above this, positions are computed once and physics is off
FADED = "rgba(200,200,200,0.35)"


@dataclass(frozen=True)
class MapFilter:
    """What a filtered map keeps. Empty sets keep everything."""

    kinds: frozenset[str] = frozenset()
    body_types: frozenset[str] = frozenset()
    priority_areas: frozenset[str] = frozenset()
    rel_types: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    focus: str | None = None
    depth: int = 1
    day: dt.date | None = None


def map_filter(graph: nx.MultiDiGraph, *, kinds: Iterable[str] = (), body_types: Iterable[str] = (),
               priority_areas: Iterable[str] = (), rel_types: Iterable[str] = (),
               statuses: Iterable[str] = (), focus: str | None = None, depth: int = 1,
               day: dt.date | None = None) -> MapFilter:
    """The one way a map filter is made, from what a person typed (the API and the CLI
    both come here): every value checked against its closed vocabulary (an unknown one
    is an error naming the nearest), priority areas and the focus by id, name or alias.

    >>> from govmap.snapshot import build_snapshot
    >>> g = build_snapshot([Entity(id="p", kind="priority_area", name="Planning")], [])
    >>> map_filter(g, priority_areas=["planning"]).priority_areas
    frozenset({'p'})
    >>> map_filter(g, kinds=["acton"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    govmap.errors.InvalidRequestError: 'acton' is not an entity kind; did you mean action?
    """
    def known(values: Iterable[str], vocabulary: type[StrEnum], what: str) -> frozenset[str]:
        allowed = [v.value for v in vocabulary]
        for value in values:
            if str(value) not in allowed:
                raise InvalidRequestError(not_one_of(value, allowed, what))
        return frozenset(str(v) for v in values)

    areas = frozenset(resolve(graph, area, kinds={NodeKind.PRIORITY_AREA.value}).id
                      for area in priority_areas)
    return MapFilter(kinds=known(kinds, NodeKind, "an entity kind"),
                     body_types=known(body_types, BodyType, "a body type"),
                     priority_areas=areas, rel_types=known(rel_types, RelType, "a relationship type"),
                     statuses=known(statuses, AssessmentStatus, "an assessment status"),
                     focus=resolve(graph, focus).id if focus else None, depth=depth, day=day)


STATUS_WORDS = {AssessmentStatus.UNDERWAY: "underway",
                AssessmentStatus.UNDERWAY_NOT_SUFFICIENT: "underway, not yet sufficient",
                AssessmentStatus.LITTLE_OR_NO_WORK: "little or no work"}


def map_vocabularies(graph: nx.MultiDiGraph) -> dict[str, list[dict[str, str]]]:
    """The choices of every map filter, keyed by the query parameter each one fills, each
    a value with the words a person reads: the one source the explorer builds its selects
    from, so a page choice is always a value `map_filter` accepts.

    >>> from govmap.snapshot import build_snapshot
    >>> g = build_snapshot([Entity(id="p", kind="priority_area", name="Planning")], [])
    >>> vocabularies = map_vocabularies(g)
    >>> vocabularies["priority"], vocabularies["rel"][0]
    ([{'value': 'p', 'label': 'Planning'}], {'value': 'REPORTS_TO', 'label': 'reports to'})
    """
    def words(vocabulary: type[StrEnum]) -> list[dict[str, str]]:
        return [{"value": v.value, "label": v.value.replace("_", " ")} for v in vocabulary]

    areas = sorted((e for _, e in graph.nodes(data="entity") if e.kind == NodeKind.PRIORITY_AREA),
                   key=lambda e: e.name)
    return {"kind": words(NodeKind), "type": words(BodyType),
            "priority": [{"value": e.id, "label": e.name} for e in areas],
            "rel": [{"value": t.value, "label": RELATIONSHIPS[t].reads} for t in RelType],
            "status": [{"value": s.value, "label": STATUS_WORDS[s]} for s in AssessmentStatus]}


def filtered_graph(graph: nx.MultiDiGraph, keep: MapFilter) -> nx.MultiDiGraph:
    """The part of `graph` that `keep` selects: a copy, or `graph` itself when `keep`
    keeps everything (so never change the answer).

    >>> from govmap.snapshot import build_snapshot
    >>> es = [Entity(id="a", kind="action", name="A"), Entity(id="l", kind="legislation", name="L")]
    >>> sorted(filtered_graph(build_snapshot(es, []), MapFilter(kinds=frozenset({"action"}))))
    ['a']
    """
    view = as_at(graph, keep.day)
    if keep.focus is not None and keep.focus not in view:
        raise NotFoundError(f"{keep.focus!r} is not in the map on {keep.day}")
    if keep.focus is not None:
        around = nx.ego_graph(view.to_undirected(as_view=True), keep.focus, radius=keep.depth)
        view = view.subgraph(around.nodes)
    answer = _actions_asked_about(view, keep)
    if answer is not None:
        view = view.subgraph(answer)

    def node_ok(node: str) -> bool:
        e: Entity = view.nodes[node]["entity"]
        if node == keep.focus:
            return True
        return ((not keep.kinds or str(e.kind) in keep.kinds)
                and (not keep.body_types or e.type in keep.body_types or e.kind != "body")
                and (not keep.priority_areas or e.kind != "action"
                     or e.priority_area in keep.priority_areas)
                and (not keep.statuses or e.kind != "action" or str(e.status) in keep.statuses))

    kept = [n for n in view if node_ok(n)]
    # copy() walks the adjacency directly: the views' order, several times quicker
    if view is graph and len(kept) == len(graph) and not keep.rel_types:
        return graph  # the whole map: a copy of 10^4 entities would take half the time allowed
    result: nx.MultiDiGraph = view.subgraph(kept).copy()
    if keep.rel_types:
        result.remove_edges_from([(u, v, k) for u, v, k in result.edges(keys=True)
                                  if k not in keep.rel_types])
    return result


def _actions_asked_about(graph: nx.MultiDiGraph, keep: MapFilter) -> set[str] | None:
    """A priority-area or status filter is a question about actions: the answer is the
    matching actions, their leads and every body up their chains (and the areas asked
    about), not the rest of the map. None when no such filter is set.
    """
    if not keep.priority_areas and not keep.statuses:
        return None
    actions = [n for n, d in graph.nodes(data=True) if d["entity"].kind == "action"
               and (not keep.priority_areas or d["entity"].priority_area in keep.priority_areas)
               and (not keep.statuses or str(d["entity"].status) in keep.statuses)]
    up = upward_graph(graph)
    answer = set(actions) | (keep.priority_areas & set(graph))
    for action in actions:
        for lead, _ in leads_of(graph, action):
            answer |= {lead, *nx.descendants(up, lead)}
    return answer


def _sources_html(sources: list[Source]) -> str:
    return "".join(f"<li><i>{html.escape(s.origin)}</i>: {html.escape(s.text)}</li>"
                   for s in sources[:3])


def node_tooltip(entity: Entity) -> str:
    """Escaped HTML: name, kind, description, status and evidence."""
    parts = [f"<b>{html.escape(entity.name)}</b>",
             html.escape(f"{entity.kind}{' · ' + entity.type if entity.type else ''}")]
    if entity.description:
        parts.append(html.escape(entity.description))
    if entity.status:
        parts.append(f"Assessment: {html.escape(str(entity.status).replace('_', ' '))}")
    if entity.sources:
        parts.append(f"<ul>{_sources_html(entity.sources)}</ul>")
    return "<br>".join(parts)


def edge_tooltip(relation: Relation, graph: nx.MultiDiGraph) -> str:
    source = graph.nodes[relation.source]["entity"].name
    target = graph.nodes[relation.target]["entity"].name
    reads = RELATIONSHIPS[relation.type].reads
    strength = f" · {relation.strength} line" if relation.strength else ""
    basis = " · reference layer" if relation.is_reference_only else ""
    parts = [f"<b>{html.escape(source)}</b> {reads} <b>{html.escape(target)}</b>",
             f"confidence: {relation.confidence}{strength}{basis}"]
    if relation.note:
        parts.append(f"note: {html.escape(relation.note)}")
    if relation.sources:
        parts.append(f"<ul>{_sources_html(relation.sources)}</ul>")
    return "<br>".join(parts)


def layered_positions(graph: nx.MultiDiGraph, row_width: int = 60,
                      spacing: float = 90.0) -> dict[str, tuple[float, float]]:
    """A static layout for large graphs, computed in linear time: bodies in bands by
    their depth below the top of the accountability chain, each body placed near the
    one it answers to; actions and everything unplaced in the bands below. Bands
    longer than `row_width` wrap onto further rows.
    """
    up = upward_graph(graph)
    depth = {n: len(p) - 1 for n, p in depth_to_top(graph, up).items() if p}
    deepest = max(depth.values(), default=0)
    band: dict[str, int] = {}
    for node in graph:
        if node in depth:
            band[node] = depth[node]
        elif graph.nodes[node]["kind"] == "action":
            band[node] = deepest + 2
        else:
            band[node] = deepest + 1
    order: dict[str, float] = {}
    y = 0.0
    positions: dict[str, tuple[float, float]] = {}
    for level in sorted(set(band.values())):
        members = [n for n in graph if band[n] == level]
        # place each node under the average position of whatever it answers to or leads
        def anchor(node: str) -> float:
            near = [order[m] for m in nx.all_neighbors(graph, node) if m in order]
            return sum(near) / len(near) if near else float("inf")
        members.sort(key=lambda n: (anchor(n), n))
        for start in range(0, len(members), row_width):
            row = members[start:start + row_width]
            for i, node in enumerate(row):
                order[node] = i - len(row) / 2
                positions[node] = ((i - len(row) / 2) * spacing, y)
            y += spacing * 2
    return positions


# The top-down view: a row of the upper layers must fit a 1440x900 window (about 1,000
# pixels of map) at a scale where labels read (14px type at 0.9): 7 columns of 150 units,
# a label wrapped at 16 characters being about 125 units wide, so neighbours never touch.
COLUMN = 150.0
ROW = 100.0
BAND_GAP = 60.0
UPPER_ROW = 7
LOWER_ROW = 14
LABEL_WIDTH = 16
CONTEXT_KINDS = ("plan", "policy_area", "legislation", "fundamental", "finding", "source_document")
Layout = Literal["layers", "free"]


@dataclass(frozen=True)
class Band:
    """A horizontal band of the top-down view, for the page to label."""

    label: str
    y: float
    x: float


@dataclass
class _Layers:
    """Positions being placed band by band, top to bottom."""

    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    bands: list[Band] = field(default_factory=list)
    y: float = 0.0
    column: float = COLUMN
    row: float = ROW

    def rows(self, label: str, members: list[str], width: int) -> None:
        """`members`, in order, in centred rows of at most `width` under a labelled band."""
        if not members:
            return
        left = -(min(width, len(members)) - 1) / 2 * self.column - self.column / 2
        self.bands.append(Band(label, self.y, left))
        for start in range(0, len(members), width):
            row = members[start:start + width]
            for i, node in enumerate(row):
                self.positions[node] = ((i - (len(row) - 1) / 2) * self.column, self.y)
            self.y += self.row
        self.y += BAND_GAP

    def anchor(self, graph: nx.MultiDiGraph, node: str, near: list[str] | None = None) -> float:
        """The mean x of the placed nodes `node` hangs from (its neighbours by default),
        so a body sits under whatever it answers to."""
        xs = [self.positions[m][0] for m in (near if near is not None else nx.all_neighbors(graph, node))
              if m in self.positions]
        return sum(xs) / len(xs) if xs else float("inf")


UNROUTED_BAND = "Bodies with no route to the top"
OUTSIDE_BAND = "Bodies outside the Scottish public sector (not expected to route to the top)"
ACTIONS_BAND = "Priority areas and their actions"


def _level_label(level: int) -> str:
    """The label of the band of bodies `level` upward hops below the top."""
    if level == 0:
        return "The top: the Scottish Parliament and the councils"
    return f"{level} step{'s' if level > 1 else ''} below the top"


def _depth_below_top(graph: nx.MultiDiGraph) -> dict[str, int]:
    """Each body's number of upward hops to the nearest top (the Parliament or a council);
    bodies with no route up are left out."""
    return {n: len(p) - 1 for n, p in depth_to_top(graph, upward_graph(graph)).items() if p}


def top_down_layout(graph: nx.MultiDiGraph) -> tuple[dict[str, tuple[float, float]], list[Band]]:
    """The accountability structure from the top down: the Parliament (then councils) at
    the top, bodies in bands by their depth below it, each under what it answers to;
    bodies with no route up; priority areas with their actions in columns beneath; and
    the context (plans, policy, legislation, findings) at the bottom.
    """
    up = upward_graph(graph)
    depth = _depth_below_top(graph)
    layers = _Layers()
    kind = {n: str(graph.nodes[n]["entity"].kind) for n in graph}
    tops = sorted(n for n in depth if depth[n] == 0)
    parliaments = [n for n in tops if graph.nodes[n]["entity"].type == "parliament"]
    others = [n for n in tops if n not in parliaments]
    tops = [*others[: len(others) // 2], *parliaments, *others[len(others) // 2:]]  # centred
    layers.rows(_level_label(0), tops, UPPER_ROW)
    for level in range(1, max(depth.values(), default=0) + 1):
        members = sorted((n for n in depth if depth[n] == level),
                         key=lambda n: (layers.anchor(graph, n, list(up.successors(n))), n))
        layers.rows(_level_label(level), members, UPPER_ROW)
    unrouted = [n for n in graph if kind[n] == "body" and n not in depth]
    unrouted.sort(key=lambda n: (layers.anchor(graph, n), n))
    layers.rows(UNROUTED_BAND, unrouted, LOWER_ROW)
    _actions_by_priority_area(graph, layers, kind)
    for context in CONTEXT_KINDS:
        members = sorted((n for n in graph if kind[n] == context), key=lambda n: (layers.anchor(graph, n), n))
        layers.rows(KIND_STYLES[context].label, members, LOWER_ROW)
    return layers.positions, layers.bands


def _actions_by_priority_area(graph: nx.MultiDiGraph, layers: _Layers, kind: dict[str, str]) -> None:
    """Priority areas in a row, each with its actions in two columns beneath it."""
    areas = sorted(n for n in graph if kind[n] == "priority_area")
    actions = [n for n in graph if kind[n] == "action"]
    columns: dict[str | None, list[str]] = {a: [] for a in areas}
    for action in sorted(actions):
        area = graph.nodes[action]["entity"].priority_area
        columns.setdefault(area if area in columns else None, []).append(action)
    if not columns:
        return
    pitch = COLUMN * 2.5
    layers.bands.append(Band(ACTIONS_BAND, layers.y,
                             -(len(columns) / 2 + 0.2) * pitch))
    deepest = 0
    for i, (area, members) in enumerate(columns.items()):
        centre = (i - (len(columns) - 1) / 2) * pitch
        if area is not None:
            layers.positions[area] = (centre, layers.y)
        for j, node in enumerate(members):
            layers.positions[node] = (centre + (j % 2 - 0.5) * COLUMN, layers.y + ROW * (1 + j // 2))
        deepest = max(deepest, (len(members) + 1) // 2)
    layers.y += ROW * (deepest + 1) + BAND_GAP


def _short(label: str, limit: int = 32) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _wrapped(label: str) -> str:
    """A label in up to three short lines, so that neighbours in a band never overlap."""
    lines = textwrap.wrap(label, LABEL_WIDTH, break_long_words=True) or [label]
    if len(lines) > 3:
        lines = [*lines[:2], _short(" ".join(lines[2:]), LABEL_WIDTH)]
    return "\n".join(lines)


def network_data(graph: nx.MultiDiGraph, *, highlight: set[str] | None = None,
                 highlight_edges: set[tuple[str, str, str]] | None = None,
                 layout: Layout | None = None) -> dict[str, Any]:
    """vis-network nodes, edges and options for `graph`, built by pyvis.

    With `highlight`, those nodes (and `highlight_edges`) keep their colours and
    everything else is faded. `layout="layers"` places every node top down (physics
    off, bands returned for the page to label); `"free"` lets the force layout run;
    by default small graphs run free and large ones get the quick banded layout.
    """
    net = Network(directed=True, cdn_resources="in_line")
    layered = layout == "layers"
    static = layered or (layout is None and graph.number_of_nodes() > STATIC_LAYOUT_ABOVE)
    bands: list[Band] = []
    if layered:
        positions, bands = top_down_layout(graph)
    else:
        positions = layered_positions(graph) if static else {}
    for node, data in graph.nodes(data="entity"):
        lit = highlight is None or node in highlight
        net.add_node(node, **_entity_item(data, lit=lit, emphasised=lit and highlight is not None,
                                          layered=layered, at=positions.get(node) if static else None))
    for u, v, key, data in graph.edges(keys=True, data=True):
        lit = highlight_edges is None or (u, v, key) in highlight_edges
        net.add_edge(u, v, **_relation_item(data["relation"], graph, lit=lit,
                                            emphasised=lit and bool(highlight_edges), layered=layered))
    nodes, edges, *_ = net.get_network_data()
    return {"nodes": nodes, "edges": edges, "options": _options(graph.number_of_nodes(), static, layered),
            "bands": [{"label": b.label, "y": b.y, "x": b.x} for b in bands],
            "view": UPPER_VIEW if layered else None}


def _entity_item(entity: Entity, *, lit: bool, emphasised: bool, layered: bool,
                 at: tuple[float, float] | None) -> dict[str, Any]:
    """pyvis's node options for one entity, drawn as itself."""
    style = node_style(entity)
    extra = {"x": float(at[0]), "y": float(at[1])} if at is not None else {}
    return {"label": _wrapped(entity.name) if layered else _short(entity.name),
            "title": node_tooltip(entity), "color": style.colour if lit else FADED, "shape": style.shape,
            "size": 18 if emphasised else 12, "font": {"color": "#212121" if lit else "#bdbdbd"},
            "kind": str(entity.kind), "name": entity.name, **extra, **_ends(entity)}


def _relation_item(relation: Relation, graph: nx.MultiDiGraph, *, lit: bool, emphasised: bool,
                   layered: bool) -> dict[str, Any]:
    """pyvis's edge options for one relation, drawn as itself."""
    style = edge_style(relation)
    colour: Any = style.colour if lit else FADED
    if layered and not RELATIONSHIPS[relation.type].upward:
        colour = {"color": style.colour, "opacity": 0.3}  # the lines of accountability stand out
    return {"title": edge_tooltip(relation, graph), "label": "", "color": colour, "dashes": style.dashes,
            "width": style.width * (2 if emphasised else 1), "relType": str(relation.type)}


def _options(nodes: int, static: bool, layered: bool) -> dict[str, Any]:
    """vis-network's options: physics only for a free layout, curves for the top-down one."""
    physics: dict[str, Any] = {"enabled": not static, "solver": "barnesHut",
                               "barnesHut": {"gravitationalConstant": -14000, "springLength": 220,
                                             "avoidOverlap": 0.3},
                               "stabilization": {"iterations": 150, "updateInterval": 50, "fit": False}}
    smooth: Any = {"type": "continuous"} if not static else False
    if layered:
        smooth = {"type": "cubicBezier", "forceDirection": "vertical", "roundness": 0.4}
    return {"physics": physics, "interaction": {"hover": True, "tooltipDelay": 150},
            "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "smooth": smooth},
            "nodes": {"font": {"size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"}},
            "layout": {"improvedLayout": nodes <= 150}}


def map_data(graph: nx.MultiDiGraph, *, expand: Iterable[str] = (), layout: Layout = "layers",
             aggregate_above: int | None = None) -> dict[str, Any]:
    """The map the explorer and the standalone page draw: every entity while there are
    at most `aggregate_above` (`AGGREGATE_ABOVE` by default), else groups of them (see
    `aggregated_data`), `expand` naming the groups to draw member by member.

    Raises NotFoundError when asked to expand a group the map does not have.
    """
    limit = AGGREGATE_ABOVE if aggregate_above is None else aggregate_above
    asked = sorted(set(expand))
    if graph.number_of_nodes() > limit:
        return aggregated_data(graph, expand=asked, layout=layout, limit=limit)
    if asked:
        raise NotFoundError(f"no group {asked[0]!r} to expand: this map of {graph.number_of_nodes():,} "
                            f"entities is drawn whole (groups are drawn above {limit:,})")
    return network_data(graph, layout=layout)


def aggregated_data(graph: nx.MultiDiGraph, *, expand: Iterable[str] = (), layout: Layout = "layers",
                    limit: int = AGGREGATE_ABOVE) -> dict[str, Any]:
    """vis-network data for `graph` drawn as groups (`aggregate.group_entities`): one node
    per group, labelled with what it holds and how many, and one edge per pair of drawn
    nodes counting the lines between them by relation type; the groups in `expand` drawn
    as their members with their own lines. Top down by default, in the bands of
    `top_down_layout`. `aggregate` says what the map stands for, for the page to say.
    """
    grouping = group_entities(graph)
    expanded = grouping.check(expand)
    layered = layout == "layers"
    positions, bands = _grouped_layout(graph, grouping, expanded) if layered else ({}, [])
    single, counted = lines_between(graph, grouping, expanded)
    net = Network(directed=True, cdn_resources="in_line")
    for group in grouping.drawn(expanded):
        net.add_node(group.id, **_group_item(graph, group, counted.get((group.id, group.id)),
                                             positions.get(group.id)))
    opened = grouping.opened(expanded)
    for node in (m for group in opened for m in group.members):
        net.add_node(node, **_entity_item(graph.nodes[node]["entity"], lit=True, emphasised=False,
                                          layered=layered, at=positions.get(node)))
    for u, v, relation in single:
        net.add_edge(u, v, **_relation_item(relation, graph, lit=True, emphasised=False, layered=layered))

    for (a, b), lines in counted.items():
        if a != b:
            net.add_edge(a, b, **_lines_item(lines, layered))
    nodes, edges, *_ = net.get_network_data()
    return {"nodes": nodes, "edges": edges, "options": _options(len(nodes), layered, layered),
            "bands": [{"label": b.label, "y": b.y, "x": b.x} for b in bands], "view": None,
            "aggregate": {"entities": graph.number_of_nodes(), "relations": graph.number_of_edges(),
                          "groups": len(grouping.drawn(frozenset())), "limit": limit,
                          "reads": {key: count_reads(key) for key in COUNT_KEYS},
                          "expanded": [{"id": g, "name": grouping.groups[g].name} for g in sorted(expanded)],
                          "note": _aggregate_note(graph, len(grouping.drawn(frozenset())), limit)}}


def _aggregate_note(graph: nx.MultiDiGraph, groups: int, limit: int) -> str:
    """What an aggregated map is, in plain words (the page shows it as text)."""
    return (f"This map is aggregated: it stands for {graph.number_of_nodes():,} entities and "
            f"{graph.number_of_edges():,} relations, more than the {limit:,} drawn one by one, so "
            f"it shows {groups:,} groups, each labelled with what it holds and how many, and one "
            f"line between two groups counting the lines between their members. Click a group "
            f"(or add ?expand=<group id> to the address) to draw its members; the rest stay grouped.")


GROUP_LABEL_WIDTH = 24  # characters a line: groups sit further apart than entities


def _group_item(graph: nx.MultiDiGraph, group: Group, inside: Lines | None,
                at: tuple[float, float] | None) -> dict[str, Any]:
    """pyvis's node options for a group drawn as one node, its size growing with its count."""
    count = len(group.members)
    names = [graph.nodes[m]["entity"].name for m in group.members[:5]]
    parts = [f"<b>{html.escape(group.name)}</b>",
             f"{count:,} entities drawn as one: click to draw them one by one.",
             "For example: " + html.escape("; ".join(names)) + ("…" if count > len(names) else "")]
    if inside is not None:
        parts.append("Lines among them: " + html.escape(_counted(inside)))
    lines = textwrap.wrap(group.label, GROUP_LABEL_WIDTH)
    extra = {"x": float(at[0]), "y": float(at[1])} if at is not None else {}
    return {"label": "\n".join([*lines[:3], f"· {count:,}"]), "title": "<br>".join(parts),
            "color": group.style.colour, "shape": group.style.shape,
            "size": round(min(40.0, 12 + 3 * math.log2(count)), 1), "font": {"color": "#212121"},
            "kind": "group", "name": group.name, "count": count, **extra}


def _counted(lines: Lines) -> str:
    """ "150 member of, 62 reports to (formal line of accountability)": the counts by
    relation type, and lines of accountability by strength too, commonest first."""
    return ", ".join(f"{n:,} {count_reads(key)}" for key, n in lines.counts.most_common())


def _lines_item(lines: Lines, layered: bool) -> dict[str, Any]:
    """pyvis's edge options for the lines between two drawn nodes, at least one a group:
    styled as their main line (`Lines.main`; a line of accountability formal only when
    most of them are formal), as wide as their number warrants, with their counts by
    relation type, lines of accountability by strength too ("REPORTS_TO:soft").
    No tooltip: thousands of them would double the map's weight, so the page writes each
    from the counts (`titleLines` in map-common.js, with `aggregate.reads`)."""
    main = lines.main
    style = edge_style(main)
    if RELATIONSHIPS[main.type].upward is not None:
        style = SOFT_LINE if lines.soft else FORMAL_LINE
    total = sum(lines.counts.values())
    colour: Any = style.colour
    if layered and not RELATIONSHIPS[main.type].upward:
        colour = {"color": style.colour, "opacity": 0.3}
    width = round(min(8.0, style.width + math.log2(total)), 1)
    return {"color": colour, "dashes": style.dashes, "width": width, "relType": str(main.type),
            "count": total, "counts": dict(lines.counts.most_common())}


def _grouped_layout(graph: nx.MultiDiGraph, grouping: Grouping, expanded: frozenset[str]
                    ) -> tuple[dict[str, tuple[float, float]], list[Band]]:
    """The bands of `top_down_layout` with groups in place of entities: body groups by
    the level of their highest member, then the unrouted, the actions by priority area
    and the context; an expanded group's parts or members, by name, where it would be."""
    def band(group: Group) -> tuple[tuple[int, int], str]:
        if group.section == "bodies":
            return (0, group.level or 0), _level_label(group.level or 0)
        if group.section == "unrouted":
            return (1, 0), UNROUTED_BAND
        if group.section == "outside":
            return (1, 1), OUTSIDE_BAND
        if group.section == "actions":
            return (2, 0), ACTIONS_BAND
        return (3, CONTEXT_KINDS.index(group.section)), KIND_STYLES[group.section].label

    opened = {g.id for g in grouping.opened(expanded)}
    bands: dict[tuple[int, int], tuple[str, list[Group]]] = {}
    for group in [*grouping.drawn(expanded), *grouping.opened(expanded)]:
        rank, label = band(group)
        bands.setdefault(rank, (label, []))[1].append(group)
    layers = _Layers(column=COLUMN * 1.6, row=ROW * 1.4)
    for rank in sorted(bands):
        label, groups = bands[rank]
        items: list[str] = []
        for group in sorted(groups, key=lambda g: g.label):
            if group.id in opened:
                items += sorted(group.members, key=lambda m: graph.nodes[m]["entity"].name)
            else:
                items.append(group.id)
        layers.rows(label, items, UPPER_ROW if len(items) <= UPPER_ROW * 2 else LOWER_ROW)
    return layers.positions, layers.bands


# The part of the top-down view the page opens on: the upper bands' full width (a row of
# UPPER_ROW with its labels), from just above the top band.
UPPER_VIEW = {"left": -(UPPER_ROW / 2 + 0.1) * COLUMN, "right": (UPPER_ROW / 2 + 0.1) * COLUMN,
              "top": -ROW * 0.9}


def _ends(entity: Entity) -> dict[str, str]:
    """The date an entity ends, when it has one, for the page to mark."""
    return {"ends": entity.valid_to.isoformat()} if entity.valid_to else {}


def legend() -> dict[str, list[dict[str, Any]]]:
    """The legend as data, for pages that draw it themselves (the explorer)."""
    return {"nodes": [{"label": s.label, "colour": s.colour, "shape": s.shape} for s in NODE_LEGEND],
            "edges": [{"label": label, "colour": s.colour, "dashes": s.dashes}
                      for label, s in EDGE_LEGEND]}


@cache
def vis_asset(name: str) -> str:
    """A file of the vis-network build that ships inside pyvis (js or css)."""
    return (resources.files("pyvis") / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


@cache
def own_asset(name: str) -> str:
    """A script or style of govmap's own pages (`visualisations/static/`)."""
    return (resources.files("govmap.visualisations") / "static" / name).read_text(encoding="utf-8")


@cache
def _templates() -> Environment:
    return Environment(loader=PackageLoader("govmap.visualisations", "templates"),
                       autoescape=select_autoescape(["html", "j2"]))


@dataclass
class Page:
    title: str
    data: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    minimal: bool = False  # for embedding: the map and one caption, no side panel

    def html(self) -> str:
        """A standalone HTML page with vis-network embedded: no request leaves it."""
        return _templates().get_template("map.html.j2").render(
            title=self.title, data=self.data, notes=self.notes, minimal=self.minimal, node_legend=NODE_LEGEND,
            edge_legend=EDGE_LEGEND, vis_js=vis_asset("vis-network.min.js"),
            vis_css=vis_asset("vis-network.css"), common_js=own_asset("map-common.js"))

    def write(self, path: Path) -> Path:
        path.write_text(self.html(), encoding="utf-8")
        return path


def map_page(graph: nx.MultiDiGraph, keep: MapFilter = MapFilter(), expand: Iterable[str] = ()) -> Page:
    """The whole map, or the part a filter keeps (a focus and depth included); in groups
    when it is large (`map_data`), the `expand`ed ones drawn member by member."""
    part = filtered_graph(graph, keep)
    title = (f"Around {graph.nodes[keep.focus]['entity'].name} (depth {keep.depth})"
             if keep.focus else "The Promise governance map")
    # top down, as the explorer opens: the same layout code, computed here
    return Page(title, map_data(part, expand=expand), [f"{part.number_of_nodes()} entities, "
                                                       f"{part.number_of_edges()} relations"])


def accountability_page(graph: nx.MultiDiGraph, chain: AccountabilityChain) -> Page:
    """The neighbourhood of a chain, the chain lit and everything else faded."""
    on_chain = {chain.subject.id, *(b.id for b in chain.bodies), *(lead.id for lead in chain.leads)}
    hops = {(h.evidence.source, h.evidence.target, h.evidence.type)
            for p in chain.paths for h in p.hops}
    hops |= {(e.source, e.target, e.type) for e in chain.lead_evidence}
    around = set(on_chain)
    for node in on_chain:
        around.update(graph.successors(node))
        around.update(graph.predecessors(node))
    part = filtered_graph(graph.subgraph(around), MapFilter())
    notes = [chain.explanation, *[f"{f.code}: {f.message}" for f in chain.flags]]
    return Page(f"Who is accountable for {chain.subject.name}",
                network_data(part, highlight=on_chain, highlight_edges=hops), notes)


def embed_page(graph: nx.MultiDiGraph, chain: AccountabilityChain) -> Page:
    """One chain alone, top down, for putting on another site: its subject, leads and the
    bodies up to the top, nothing else."""
    on_chain = {chain.subject.id, *(b.id for b in chain.bodies), *(lead.id for lead in chain.leads)}
    part = filtered_graph(graph.subgraph(on_chain), MapFilter())
    return Page(f"Who is accountable for {chain.subject.name}", network_data(part, layout="layers"),
                [chain.explanation], minimal=True)


def duplication_page(graph: nx.MultiDiGraph, report: DuplicationReport) -> Page:
    """Each duplication finding: its members lit, joined by a dashed line to the object
    they share (or to each other), labelled with the kind of duplication."""
    members = {e.id for f in report.findings for e in f.entities}
    objects = {f.object.id for f in report.findings if f.object is not None and f.object.id in graph}
    part = filtered_graph(graph.subgraph(members | objects), MapFilter())
    data = network_data(part, highlight=members)
    for finding in report.findings:
        ids = [e.id for e in finding.entities]
        ends = ([(m, finding.object.id) for m in ids] if finding.object is not None
                and finding.object.id in objects else list(zip(ids, ids[1:], strict=False)))
        for a, b in ends:
            data["edges"].append({"from": a, "to": b, "dashes": [2, 6], "color": "#d81b60",
                                  "width": 2, "label": finding.kind.replace("_", " "),
                                  "arrows": {"to": {"enabled": False}},
                                  "title": html.escape(finding.explanation), "relType": "OVERLAP"})
    counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(report.by_kind.items()))
    return Page("Duplication by function", data, [f"{len(report.findings)} findings: {counts}"])
