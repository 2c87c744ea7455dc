"""The map at scale: above AGGREGATE_ABOVE entities it comes in groups, each labelled
with what it holds and how many, expandable to its members; below it, exactly as before.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from benchmarks.landscape import landscape
from govmap.errors import NotFoundError
from govmap.model import RELATIONSHIPS, Dataset, Entity, Relation, RelType
from govmap.snapshot import build_snapshot
from govmap.stores import ChangeSet, SqliteStore
from govmap.visualisations import aggregate
from govmap.visualisations.aggregate import AGGREGATE_ABOVE, Lines, group_entities, holding
from govmap.visualisations.render import MapFilter, filtered_graph, map_data, map_page, network_data
from tests.conftest import make_client

LARGE = 1_500  # entities: above the threshold, quick to build


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return landscape(LARGE)


@pytest.fixture(scope="module")
def graph(dataset: Dataset) -> nx.MultiDiGraph:
    return build_snapshot(dataset.entities, dataset.relations)


@pytest.fixture(scope="module")
def client(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = SqliteStore(tmp_path_factory.mktemp("large") / "large.db")
    store.write(ChangeSet.replacing_with(dataset))
    with make_client(store, token=None) as test_client:
        yield test_client
    store.close()


def groups_of(data: dict) -> dict[str, dict]:
    return {node["id"]: node for node in data["nodes"] if node["kind"] == "group"}


def test_a_large_map_comes_in_groups_that_hold_every_entity_and_line(graph: nx.MultiDiGraph) -> None:
    assert graph.number_of_nodes() > AGGREGATE_ABOVE
    data = map_data(graph)
    groups = groups_of(data)
    assert len(groups) == len(data["nodes"]) == data["aggregate"]["groups"]
    assert sum(g["count"] for g in groups.values()) == graph.number_of_nodes()
    assert data["aggregate"]["entities"] == graph.number_of_nodes()
    assert f"{graph.number_of_nodes():,} entities" in data["aggregate"]["note"]
    assert "?expand=" in data["aggregate"]["note"]
    for group in groups.values():  # "Boards, committees and groups under … · 212"
        assert group["name"].endswith(f" · {group['count']:,}") and "x" in group and "y" in group
    # one edge per ordered pair of drawn nodes, counting the lines between them by type
    pairs = [(e["from"], e["to"]) for e in data["edges"]]
    assert len(pairs) == len(set(pairs))
    for edge in data["edges"]:
        assert sum(edge["counts"].values()) == edge["count"]
    grouping = group_entities(graph)
    across = sum(1 for u, v in graph.edges() if grouping.of[u] != grouping.of[v])
    assert sum(e["count"] for e in data["edges"]) == across
    assert len(json.dumps(data)) < 2_000_000


def test_bodies_group_under_the_minister_they_answer_to(graph: nx.MultiDiGraph) -> None:
    names = {g["name"] for g in groups_of(map_data(graph)).values()}
    assert any(n.startswith("Boards, committees and groups under Minister for ") for n in names)
    assert any(n.startswith("Actions in Priority area ") for n in names)
    assert any(n.startswith("Boards, committees and groups under councils") for n in names)


def test_expanding_a_group_draws_its_members_and_keeps_the_rest_grouped(graph: nx.MultiDiGraph) -> None:
    whole = groups_of(map_data(graph))
    group = next(g for g in whole.values() if g["id"].startswith("group:public:minister-"))
    data = map_data(graph, expand=[group["id"]])
    members = {n["id"] for n in data["nodes"] if n["kind"] != "group"}
    assert len(members) == group["count"] and group["id"] not in groups_of(data)
    assert set(groups_of(data)) == set(whole) - {group["id"]}
    assert data["aggregate"]["expanded"] == [{"id": group["id"], "name": group["name"]}]
    inside = graph.subgraph(members)
    drawn = {(e["from"], e["to"], e["relType"]) for e in data["edges"] if "count" not in e}
    assert drawn == set(inside.edges(keys=True))
    assert all(e["from"] in members or e["to"] in members for e in data["edges"] if "count" not in e)


def test_a_large_group_opens_into_its_parts_first(graph: nx.MultiDiGraph,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aggregate, "SPLIT_ABOVE", 20)
    group = "group:boards:councils"
    opened = groups_of(map_data(graph, expand=[group]))
    parts = [g for g in opened.values() if g["id"].startswith(group + ":")]
    assert parts and all(" under " in g["name"] and "Council" in g["name"] for g in parts)
    part = parts[0]
    deeper = map_data(graph, expand=[part["id"]])  # a part opens its group too
    assert sum(n["kind"] != "group" for n in deeper["nodes"]) == part["count"]


def test_an_unknown_group_is_a_clear_error(graph: nx.MultiDiGraph, tiny_graph: nx.MultiDiGraph) -> None:
    with pytest.raises(NotFoundError, match="no group 'group:nothing'"):
        map_data(graph, expand=["group:nothing"])
    with pytest.raises(NotFoundError, match="drawn whole"):
        map_data(tiny_graph, expand=["group:boards:top"])


@pytest.fixture
def tiny_graph() -> nx.MultiDiGraph:
    hostile = "<img src=x onerror=alert(1)>"
    entities = [Entity(id="p", kind="body", type="parliament", name="Parliament"),
                Entity(id="m", kind="body", type="ministerial_post", name=hostile),
                *(Entity(id=f"b{i}", kind="body", type="board", name=f"{hostile} {i}") for i in range(3))]
    relations = [Relation(source="m", type="ACCOUNTABLE_TO", target="p", strength="formal"),
                 *(Relation(source=f"b{i}", type="REPORTS_TO", target="m", strength="formal")
                   for i in range(3))]
    return build_snapshot(entities, relations)


def test_group_labels_are_escaped_in_html(tiny_graph: nx.MultiDiGraph) -> None:
    data = map_data(tiny_graph, aggregate_above=2)
    board = groups_of(data)["group:boards:m"]
    assert board["name"] == "Boards under <img src=x onerror=alert(1)> · 3"
    assert "<img" not in board["title"] and "&lt;img src=x" in board["title"]
    page = map_page(tiny_graph).html()  # small: whole, and escaped as ever
    assert "<img src=x" not in page


def test_below_the_threshold_the_map_is_unchanged(tiny_graph: nx.MultiDiGraph) -> None:
    assert map_data(tiny_graph) == network_data(tiny_graph, layout="layers")
    assert "aggregate" not in map_data(tiny_graph)
    assert filtered_graph(tiny_graph, MapFilter()) is tiny_graph  # nothing filtered: no copy


def test_the_api_sends_groups_and_expands_one(client: TestClient) -> None:
    whole = client.get("/render/graph.json")
    assert whole.status_code == 200 and len(whole.content) < 2_000_000
    data = whole.json()
    assert data["aggregate"]["entities"] == LARGE and data["legend"]["nodes"]
    group = max(groups_of(data).values(), key=lambda g: g["count"] if g["count"] <= 400 else 0)
    opened = client.get("/render/graph.json", params={"expand": group["id"]}).json()
    assert sum(n["kind"] != "group" for n in opened["nodes"]) == group["count"]
    page = client.get("/render/map.html", params={"expand": group["id"]})
    assert page.status_code == 200 and "This map is aggregated" in page.text
    assert f"Expanded: {group['name']}" in page.text
    assert client.get("/render/graph.json", params={"expand": "group:nothing"}).status_code == 404
    assert client.get("/render/map.html", params={"expand": "group:nothing"}).status_code == 404


def test_a_filtered_map_under_the_threshold_is_drawn_whole(client: TestClient) -> None:
    data = client.get("/render/graph.json", params={"kind": "priority_area"}).json()
    assert "aggregate" not in data and all(n["kind"] == "priority_area" for n in data["nodes"])


def test_the_real_dataset_is_never_grouped(real_client: TestClient) -> None:
    data = real_client.get("/render/graph.json").json()
    assert "aggregate" not in data and len(data["nodes"]) < AGGREGATE_ABOVE


def lines_of(*relations: tuple[str, str | None, int]) -> Lines:
    lines = Lines()
    for kind, strength, n in relations:
        for _ in range(n):
            lines.add(Relation(source="a", type=kind, target="b", strength=strength))
    return lines


def upward(key: str) -> bool:
    return RELATIONSHIPS[RelType(key.partition(":")[0])].upward is not None


def test_an_edge_is_drawn_as_what_most_of_its_lines_are() -> None:
    # the audit: "REPORTS_TO dashes=False {'MEMBER_OF': 61, 'REPORTS_TO': 1}"
    lines = lines_of(("MEMBER_OF", None, 61), ("REPORTS_TO", "formal", 1))
    assert lines.main.type == "MEMBER_OF"
    assert lines.counts == {"MEMBER_OF": 61, "REPORTS_TO:formal": 1}
    assert lines_of(("MEMBER_OF", None, 2), ("REPORTS_TO", "soft", 2)).main.type == "REPORTS_TO"


def test_formal_and_soft_lines_are_counted_apart_and_drawn_soft_unless_most_are_formal() -> None:
    # the audit: "HOLDS_TO_ACCOUNT drawn as formal {'formal': 3, 'soft': 10}"
    lines = lines_of(("HOLDS_TO_ACCOUNT", "formal", 3), ("HOLDS_TO_ACCOUNT", "soft", 10))
    assert lines.accountability == {"formal": 3, "soft": 10} and lines.soft
    assert lines.counts == {"HOLDS_TO_ACCOUNT:formal": 3, "HOLDS_TO_ACCOUNT:soft": 10}
    assert not lines_of(("REPORTS_TO", "formal", 3), ("HOLDS_TO_ACCOUNT", "soft", 2)).soft


def test_every_grouped_edge_looks_like_most_of_its_lines_and_says_which_are_accountability(
        graph: nx.MultiDiGraph) -> None:
    data = map_data(graph)
    reads = data["aggregate"]["reads"]
    edges = [e for e in data["edges"] if "counts" in e]
    assert edges
    for edge in edges:
        account = sum(n for key, n in edge["counts"].items() if upward(key))
        formal = sum(n for key, n in edge["counts"].items() if key.endswith(":formal"))
        drawn_upward = RELATIONSHIPS[RelType(edge["relType"])].upward is not None
        assert drawn_upward == (2 * account >= edge["count"]), edge
        if drawn_upward:  # dashed (soft) unless most of its lines of accountability are formal
            assert edge["dashes"] == (2 * formal <= account), edge
        for key in edge["counts"]:  # the page's tooltip reads each count with these
            assert reads[key].endswith("line of accountability)") == upward(key)
    assert reads["REPORTS_TO:soft"] == "reports to (soft line of accountability)"


def test_a_group_is_named_by_the_types_it_holds(graph: nx.MultiDiGraph) -> None:
    assert holding(["network"] * 21 + ["health_board"]) == "Networks and health board"
    assert holding(["local_authority", "health_board", "ijb", "cspp", "partnership",
                    "network"]) == "Local partnerships and councils"
    grouping = group_entities(graph)
    bodies = [g for g in grouping.groups.values() if g.section in ("bodies", "unrouted", "outside")]
    assert bodies
    for group in bodies:
        assert group.label.startswith(holding(graph.nodes[m]["entity"].type for m in group.members))


def routed_graph(*relations: tuple[str, str, str, str]) -> nx.MultiDiGraph:
    entities = [Entity(id="p", kind="body", type="parliament", name="Parliament"),
                *(Entity(id=f"m{i}", kind="body", type="ministerial_post", name=f"Minister {i}")
                  for i in (1, 2)),
                *(Entity(id=f"b{i}", kind="body", type="board", name=f"Board {i}",
                         scope="scottish_public_sector") for i in range(4)),
                Entity(id="t", kind="body", type="third_sector", name="Trust", scope="third_sector")]
    tops = [Relation(source=f"m{i}", type="ACCOUNTABLE_TO", target="p", strength="formal") for i in (1, 2)]
    return build_snapshot(entities, [*tops, *(Relation(source=s, type=t, target=o, strength=k)
                                               for s, t, o, k in relations)])


def test_bodies_reached_only_by_soft_lines_or_by_several_principals_say_so() -> None:
    graph = routed_graph(("b0", "REPORTS_TO", "m1", "formal"), ("b1", "REPORTS_TO", "m1", "soft"),
                         ("b2", "REPORTS_TO", "m1", "formal"), ("b2", "REPORTS_TO", "m2", "formal"))
    names = {g.id: g.name for g in group_entities(graph).groups.values()}
    assert names["group:boards:m1"] == "Board under Minister 1 · 1"
    assert names["group:boards-soft-only:m1"] == "Board under Minister 1, reached only through soft lines · 1"
    assert names["group:boards:several"] == "Board under several principals · 1"


def test_a_broken_chain_is_told_apart_from_a_body_outside_the_public_sector() -> None:
    grouping = group_entities(routed_graph())
    broken, outside = grouping.groups["group:boards:no-route"], grouping.groups["group:third:outside"]
    assert broken.name == "Boards with no route to the top (a broken chain) · 4"
    assert broken.section == "unrouted"
    assert outside.name == "Third-sector body outside the Scottish public sector · 1"
    assert outside.section == "outside"
    data = map_data(routed_graph(), aggregate_above=2)
    bands = [b["label"] for b in data["bands"]]
    assert "Bodies with no route to the top" in bands
    assert "Bodies outside the Scottish public sector (not expected to route to the top)" in bands
