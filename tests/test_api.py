"""The HTTP API through real URLs (FastAPI's TestClient) over a real SQLite store holding
the tiny dataset (conftest's `client`)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from govmap.model import Fact, Relation, Source
from govmap.stores import ChangeSet, SqliteStore

DOC = "000_1501bad59c68be6a.txt"


def test_health(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["store"] == "sqlite"
    assert (body["entities"], body["relations"], body["revision"]) == (8, 5, 1)


def test_search_is_ranked_and_paginated(client: TestClient) -> None:
    body = client.get("/entities", params={"q": "minister"}).json()
    assert body["total"] == 2
    # a name that starts with the query ranks above one that merely contains it
    assert [e["id"] for e in body["items"]] == [
        "minister-for-children-young-people-and-the-promise", "first-minister"]
    page = client.get("/entities", params={"q": "minister", "limit": 1, "offset": 1}).json()
    assert page["total"] == 2 and len(page["items"]) == 1
    assert page["items"][0]["id"] == body["items"][1]["id"]


def test_search_by_alias_and_kind(client: TestClient) -> None:
    assert [e["id"] for e in client.get("/entities?q=tps").json()["items"]] == [
        "the-promise-scotland"]
    legislation = client.get("/entities?kind=legislation").json()
    assert [e["id"] for e in legislation["items"]] == ["children-and-young-people-scotland-act-2014"]


def test_entity_detail_has_both_directions_with_evidence(client: TestClient) -> None:
    body = client.get("/entities/the-promise-scotland").json()
    assert body["entity"]["name"] == "The Promise Scotland"
    assert body["entity"]["sources"][0]["document"] == "000_1501bad59c68be6a.txt"
    by_direction = {(r["direction"], r["type"], r["other"]["id"]) for r in body["relations"]}
    assert by_direction == {("out", "ACCOUNTABLE_TO", "scottish-government"),
                            ("in", "FUNDS", "scottish-government")}
    funds = next(r for r in body["relations"] if r["type"] == "FUNDS")
    assert funds["other"]["name"] == "Scottish Government"
    assert "funded solely" in funds["relation"]["sources"][0]["excerpt"]


def test_relations_filter(client: TestClient) -> None:
    body = client.get("/relations", params={"type": "REPORTS_TO"}).json()
    assert [r["key"] for r in body["items"]] == [
        "minister-for-children-young-people-and-the-promise|REPORTS_TO|first-minister"]
    assert client.get("/relations", params={"source": "scottish-government"}).json()["total"] == 2


@pytest.mark.parametrize(("url", "status", "fragment"), [
    ("/entities/no-such-body", 404, "no entity with id 'no-such-body'"),
    ("/entities?kind=bodyy", 422, "body"),
    ("/entities?type=bord", 422, "did you mean board"),
    ("/entities?limit=0", 422, "greater than or equal to 1"),
    ("/entities?limit=abc", 422, "integer"),
    ("/entities?offset=-1", 422, "greater than or equal to 0"),
    ("/relations?type=REPORT_TO", 422, "REPORTS_TO"),
    ("/entities?q=" + "x" * 300, 422, "at most 200"),
])
def test_bad_input_is_a_4xx_with_a_message(client: TestClient, url: str, status: int,
                                           fragment: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert fragment in response.text


def test_openapi_docs_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert len(paths) >= 15  # the whole API, not an empty schema
    assert {"/health", "/entities", "/entities/{entity_id}", "/relations"} <= set(paths)


def test_accountability_by_alias(client: TestClient) -> None:
    body = client.get("/accountability", params={"for": "Promise Minister"}).json()
    assert body["subject"]["id"] == "minister-for-children-young-people-and-the-promise"
    [path] = body["paths"]
    assert path["hops"][0]["evidence"]["sources"][0]["excerpt"] == "reports directly to the First Minister."
    assert path["ends"] == "broken" and body["standing"] == "broken"  # the tiny map stops at the FM


def test_accountability_on_documents_alone_drops_the_reference_layer(client: TestClient) -> None:
    everything = client.get("/accountability", params={"for": "The Promise Scotland"}).json()
    assert everything["standing"] == "formal" and everything["tops"][0]["id"] == "scottish-parliament"
    [reference_hop] = [h for p in everything["paths"] for h in p["hops"]
                       if h["evidence"]["basis"] == "reference"]
    assert reference_hop["strength"] == "formal"
    assert reference_hop["evidence"]["sources"][0]["citation"].startswith("Scotland Act 1998")
    documents = client.get("/accountability", params={"for": "The Promise Scotland",
                                                      "evidence": "documents"}).json()
    assert documents["standing"] == "broken" and documents["tops"] == []
    bad = client.get("/accountability", params={"for": "TPS", "evidence": "rumour"})
    assert bad.status_code == 422 and "documents" in bad.text


def test_accountability_as_at_before_an_appointment(client: TestClient) -> None:
    before = client.get("/accountability", params={"for": "Promise Minister", "as_at": "2022-01-01"})
    assert before.status_code == 404  # the post did not exist yet


def test_analysis_endpoints_answer(client: TestClient) -> None:
    gaps = client.get("/analysis/gaps").json()
    assert gaps["by_kind"] == {"body_no_accountability": 2} and gaps["by_basis"] == {"derived": 2}
    assert {g["entity"]["id"] for g in gaps["items"]} == {  # the director, a post, is not asked
        "promise-programme-board", "first-minister"}
    chains = client.get("/analysis/chains").json()
    assert chains["by_flag"]["broken_chain"] >= 1 and "HOLDS_TO_ACCOUNT" in chains["upward_types"]
    metrics = client.get("/analysis/metrics").json()
    assert metrics["depth_to_top"]["scottish-parliament"] == 0
    assert metrics["depth_to_top"]["the-promise-scotland"] == 2
    assert client.get("/analysis/duplication").json()["total"] == 0


@pytest.mark.parametrize(("url", "status", "fragment"), [
    ("/accountability", 422, "for"),
    ("/accountability?for=", 422, "at least 1"),
    ("/accountability?for=zzzz-nothing", 404, "no entity is named"),
    ("/accountability?for=TPS&as_at=2024-13-01", 422, "date"),
    ("/analysis/duplication?kind=merger", 422, "parallel_oversight"),
    ("/analysis/gaps?severity=urgent", 422, "high"),
    ("/analysis/gaps?kind=no_leads", 422, "did you mean no_lead"),
    ("/analysis/gaps?basis=rumour", 422, "stated"),
    ("/analysis/gaps?entity=Nobody%20At%20All", 404, "no entity is named"),
    ("/analysis/chains?limit=100000", 422, "less than or equal to 500"),
    ("/analysis/metrics?as_at=yesterday", 422, "YYYY-MM-DD"),
])
def test_analysis_bad_input_is_a_4xx(client: TestClient, url: str, status: int,
                                     fragment: str) -> None:
    response = client.get(url)
    assert response.status_code == status, response.text
    assert fragment in response.text


def test_every_route_has_a_summary_and_an_example(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert len(paths) >= 15  # the whole API, not an empty schema
    missing = [f"{method.upper()} {path}" for path, methods in paths.items()
               for method, operation in methods.items()
               if not operation.get("summary") or "Example:" not in operation.get("description", "")]
    assert missing == []


def _with_facts(store: SqliteStore, facts: dict[str, list[Fact]]) -> None:
    """Give entities of the store the counts `facts` maps their ids to."""
    changed = []
    for entity_id, stated in facts.items():
        entity = store.get_entity(entity_id)
        assert entity is not None
        changed.append(entity.model_copy(update={"facts": stated}))
    store.write(ChangeSet(upsert_entities=changed))


def test_facts_are_listed_with_their_evidence(client: TestClient, tiny_store: SqliteStore) -> None:
    assert client.get("/facts").json() == []  # the tiny fixture states no counts
    directorates = Fact(measure="directorates with an interest in The Promise", value=26, total=43,
                        sources=[Source(document=DOC, excerpt="26 of 43 directorates")])
    grants = Fact(measure="grants awarded", value=12, sources=[Source(document=DOC, excerpt="12 grants")])
    _with_facts(tiny_store, {"the-promise-scotland": [grants], "scottish-government": [directorates]})
    listed = client.get("/facts").json()
    assert [(f["entity"]["id"], f["fact"]["measure"], f["fact"]["value"]) for f in listed] == [
        ("scottish-government", "directorates with an interest in The Promise", 26),  # by name
        ("the-promise-scotland", "grants awarded", 12)]
    assert listed[0]["fact"]["total"] == 43
    assert listed[0]["fact"]["sources"][0]["excerpt"] == "26 of 43 directorates"
    found = client.get("/facts", params={"q": "Directorates"}).json()
    assert [f["entity"]["id"] for f in found] == ["scottish-government"]


def test_two_bodies_watching_one_body_apart_are_parallel_oversight(client: TestClient,
                                                                   tiny_store: SqliteStore) -> None:
    """Each on its own evidence, neither answering to the other: one finding, naming both."""
    watchers = [Relation(source=body, type="MONITORS", target="the-promise-scotland",
                         sources=[Source(document=DOC, excerpt=excerpt)])
                for body, excerpt in (("promise-programme-board", "The oversight of progress"),
                                      ("scottish-parliament", "reports directly"))]
    tiny_store.write(ChangeSet(upsert_relations=watchers))
    found = client.get("/analysis/duplication").json()
    assert found["total"] == 1
    [finding] = found["items"]
    assert (finding["id"], finding["object"]["id"]) == (
        "parallel_oversight:monitors:the-promise-scotland", "the-promise-scotland")
    assert {e["id"] for e in finding["entities"]} == {"promise-programme-board", "scottish-parliament"}
    assert client.get("/analysis/duplication", params={"kind": "concentration"}).json()["total"] == 0


def test_focus_outside_the_day_is_404(client: TestClient) -> None:
    response = client.get("/render/map.html", params={
        "focus": "minister-for-children-young-people-and-the-promise", "as_at": "2020-01-01"})
    assert response.status_code == 404 and "not in the map" in response.text


def test_search_forgives_a_misspelling_and_relations_read_both_ways(client: TestClient) -> None:
    found = client.get("/entities", params={"q": "Promise Programe Bord"}).json()
    assert [e["id"] for e in found["items"]] == ["promise-programme-board"]
    detail = client.get("/entities/the-promise-scotland").json()
    reads = {(r["direction"], r["reads"]) for r in detail["relations"]}
    assert ("in", "is funded by") in reads and ("out", "is accountable to") in reads


def test_a_map_filter_reads_priority_areas_by_name_and_refuses_what_is_not_one(
        real_client: TestClient) -> None:
    by_name = real_client.get("/render/graph.json", params={"priority": "Planning", "layout": "free"})
    assert by_name.status_code == 200
    by_id = real_client.get("/render/graph.json", params={"priority": "priority-planning", "layout": "free"})
    assert by_name.json()["nodes"] == by_id.json()["nodes"] and by_id.json()["nodes"]
    unknown = real_client.get("/render/graph.json", params={"priority": "Planing and stuff"})
    assert unknown.status_code == 404
    body = real_client.get("/render/graph.json", params={"priority": "Scottish Government"})
    assert body.status_code == 404  # a body is not a priority area, whatever its name
