"""Hardening: bodies over the limit refused unread, security headers on HTML, the token
read as browsers and clients send it, strict dates, names accepted wherever an id is."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from govmap.settings import Settings
from govmap.stores import SqliteStore
from tests.conftest import AUTH, TOKEN, make_client

LIMIT = 20_000


@pytest.fixture
def limited_client(tiny_store: SqliteStore) -> Iterator[TestClient]:
    """The service over the tiny dataset, refusing request bodies over LIMIT bytes."""
    with make_client(tiny_store, max_body_bytes=LIMIT) as test_client:
        yield test_client


def test_a_body_over_the_limit_is_refused_before_it_is_read(limited_client: TestClient) -> None:
    big = b"x" * (LIMIT + 1)
    declared = limited_client.put("/entities/a", content=big,
                                  headers={"Content-Type": "application/json"})
    assert declared.status_code == 413 and "larger than the limit" in declared.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        for _ in range(5):
            yield b"y" * (LIMIT // 2)

    streamed = limited_client.post("/scenarios", content=chunks(),
                                   headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413


def test_html_pages_carry_security_headers_and_json_does_not_need_them(client: TestClient) -> None:
    page = client.get("/")
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert "content-security-policy" not in client.get("/health").headers
    embed = client.get("/embed", params={"focus": "The Promise Scotland"})
    assert embed.status_code == 200 and "x-frame-options" not in embed.headers
    assert "frame-ancestors *" in embed.headers["content-security-policy"]
    assert "script-src 'self'" in embed.headers["content-security-policy"]  # still no other scripts


def test_the_bearer_scheme_is_read_in_any_case(client: TestClient) -> None:
    board = {"id": "new-board", "kind": "body", "type": "board", "name": "New Board",
             "scope": "scottish_public_sector"}
    why = {"comment": "a test edit"}
    assert client.put("/entities/new-board", json=board, params=why, headers={
        "Authorization": f"bearer {TOKEN}", "If-None-Match": "*"}).status_code == 200
    assert client.put("/entities/new-board", json=board, params=why, headers={
        "Authorization": f"Basic {TOKEN}", "If-None-Match": "*"}).status_code == 401


def test_an_empty_token_setting_means_read_only() -> None:
    assert Settings(db=":memory:", write_token="").write_token is None  # type: ignore[arg-type]
    assert Settings(db=":memory:", write_token="  ").write_token is None  # type: ignore[arg-type]


@pytest.mark.parametrize("url", ["/accountability?for=TPS&as_at=0",
                                 "/accountability?for=TPS&as_at=1700000000",
                                 "/analysis/gaps?assessed_from=2021",
                                 "/render/graph.json?as_at=yesterday"])
def test_a_day_is_written_yyyy_mm_dd_or_refused(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 422 and "YYYY-MM-DD" in response.text


def test_relation_filters_take_names_and_refuse_the_unknown(client: TestClient) -> None:
    by_name = client.get("/relations", params={"target": "First Minister"}).json()
    assert [r["key"] for r in by_name["items"]] == [
        "minister-for-children-young-people-and-the-promise|REPORTS_TO|first-minister"]
    unknown = client.get("/relations", params={"source": "Governance Structures"})
    assert unknown.status_code == 404 and "candidates" in unknown.json()


def test_a_scenario_may_be_posted_as_yaml_like_the_shipped_files(client: TestClient) -> None:
    yaml_body = "name: Close TPS\noperations:\n  - op: abolish\n    body: the-promise-scotland\n"
    answered = client.post("/scenarios", content=yaml_body,
                           headers={"Content-Type": "application/yaml"})
    assert answered.status_code == 200 and answered.json()["scenario"]["name"] == "Close TPS"
    broken = client.post("/scenarios", content="name: [unclosed",
                         headers={"Content-Type": "text/yaml"})
    assert broken.status_code == 422 and "not valid YAML" in broken.text
    assert client.post("/scenarios", content="{", headers={
        "Content-Type": "application/json"}).status_code == 422


def test_a_long_string_is_refused_not_stored(client: TestClient) -> None:
    board = {"id": "long-board", "kind": "body", "type": "board", "name": "Long Board",
             "scope": "scottish_public_sector", "description": "x" * 6000}
    refused = client.put("/entities/long-board", json=board, params={"comment": "a test edit"},
                         headers={**AUTH, "If-None-Match": "*"})
    assert refused.status_code == 422 and "5000" in refused.text
    assert client.get("/entities/long-board").status_code == 404
