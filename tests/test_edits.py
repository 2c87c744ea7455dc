"""Writes through the API: token-protected, one transaction each, refused whole on error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from govmap.api.deps import get_store
from govmap.api.main import create_app
from govmap.model import Dataset
from govmap.settings import Settings, get_settings
from govmap.stores import ChangeSet, SqliteStore, export_dataset

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BOARD = {"id": "new-board", "kind": "body", "type": "board", "name": "New Board"}


@pytest.fixture
def store(tmp_path: Path, tiny_dataset: Dataset) -> SqliteStore:
    opened = SqliteStore(tmp_path / "edits.db")
    opened.write(ChangeSet.replacing_with(tiny_dataset))
    return opened


def make_client(store: SqliteStore, token: str | None) -> TestClient:
    app = create_app(Settings(db=":memory:"))  # type: ignore[arg-type]
    app.dependency_overrides[get_store] = lambda: store
    app.dependency_overrides[get_settings] = lambda: Settings(
        db=":memory:", write_token=SecretStr(token) if token else None)  # type: ignore[arg-type]
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client(store: SqliteStore) -> Iterator[TestClient]:
    with make_client(store, TOKEN) as test_client:
        yield test_client


def test_writes_need_the_token(client: TestClient) -> None:
    assert client.put("/entities/new-board", json=BOARD).status_code == 401
    wrong = client.put("/entities/new-board", json=BOARD, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and "bearer token" in wrong.text


def test_read_only_without_a_configured_token(store: SqliteStore) -> None:
    with make_client(store, None) as read_only:
        response = read_only.put("/entities/new-board", json=BOARD, headers=AUTH)
    assert response.status_code == 403 and "read-only" in response.text


def test_edit_round_trip(client: TestClient, store: SqliteStore) -> None:
    before = store.revision()
    assert client.put("/entities/new-board", json=BOARD, headers=AUTH).json() == {
        "revision": before + 1}
    relation = {"source": "new-board", "type": "REPORTS_TO", "target": "scottish-government",
                "sources": [{"document": "000_1501bad59c68be6a.txt", "excerpt": "x"}]}
    assert client.put("/relations", json=relation, headers=AUTH).status_code == 200
    detail = client.get("/entities/new-board").json()
    assert [r["other"]["id"] for r in detail["relations"]] == ["scottish-government"]
    assert client.delete("/relations/new-board/REPORTS_TO/scottish-government",
                         headers=AUTH).status_code == 200
    assert client.delete("/entities/new-board", headers=AUTH).status_code == 200
    assert client.get("/entities/new-board").status_code == 404


def test_failed_write_is_409_and_changes_nothing(client: TestClient, store: SqliteStore) -> None:
    before, revision = export_dataset(store), store.revision()
    response = client.put("/relations", headers=AUTH, json={
        "source": "scottish-government", "type": "FUNDS", "target": "missing-body"})
    assert response.status_code == 409 and "missing-body" in response.text
    assert export_dataset(store) == before and store.revision() == revision


@pytest.mark.parametrize(("method", "url", "body", "status"), [
    ("put", "/entities/other-id", BOARD, 422),
    ("put", "/entities/new-board", {**BOARD, "kind": "bod"}, 422),
    ("put", "/relations", {"source": "a", "type": "REPORT_TO", "target": "b"}, 422),
    ("delete", "/entities/no-such", None, 404),
    ("delete", "/relations/a/REPORTS_TO/b", None, 404),
])
def test_bad_edits_are_4xx(client: TestClient, method: str, url: str, body: object,
                           status: int) -> None:
    response = client.request(method, url, json=body, headers=AUTH)
    assert response.status_code == status, response.text


@pytest.mark.parametrize("body", [
    {"id": "zz-board", "kind": "body", "name": "ZZ"},  # a body needs a type
    {"id": "zz-board", "kind": "plan", "name": "ZZ"},
    {"id": "zz-board", "kind": "fundamental", "name": "ZZ", "facts": [
        {"measure": "m", "value": "Infinity", "sources": [{"document": "d", "excerpt": "e"}]}]},
    {"id": "zz-board", "kind": "fundamental", "name": "ZZ", "aliases": ["\ud800"]},
])
def test_records_that_could_not_be_read_back_are_refused(client: TestClient, store: SqliteStore,
                                                         body: dict) -> None:
    response = client.put("/entities/zz-board", content=json.dumps(body),  # ASCII-escaped
                          headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert store.get_entity("zz-board") is None
    assert client.get("/entities").status_code == 200  # the store still reads


def test_unencodable_input_gets_a_422_not_a_500(client: TestClient) -> None:
    response = client.post("/scenarios", content='{"name": "\\ud800", "operations": []}',
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    nan = client.post("/scenarios", content='{"name": NaN, "operations": []}',
                      headers={"Content-Type": "application/json"})
    assert nan.status_code == 422


def test_names_that_look_like_formulas_render(client: TestClient, store: SqliteStore) -> None:
    tricky = {"id": "dollar-board", "kind": "body", "type": "board", "name": "Board $\\Capacity$"}
    assert client.put("/entities/dollar-board", json=tricky, headers=AUTH).status_code == 200
    assert client.get("/reports/streamlining", params={"format": "html"}).status_code == 200
