"""Writes through the API: by named editors, each saying why and which version it is
based on; one transaction each, recorded in the history, refused whole on error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from govmap.editors import Role, add_editor, token_hash
from govmap.stores import SqliteStore, export_dataset
from tests.conftest import AUTH, TOKEN, make_client

CREATE = {**AUTH, "If-None-Match": "*"}
WHY = {"comment": "a test edit"}
BOARD = {"id": "new-board", "kind": "body", "type": "board", "name": "New Board"}


def based_on(tag: str) -> dict[str, str]:
    return {**AUTH, "If-Match": f'"{tag}"'}


def test_writes_need_the_token(client: TestClient) -> None:
    assert client.put("/entities/new-board", json=BOARD, params=WHY).status_code == 401
    wrong = client.put("/entities/new-board", json=BOARD, params=WHY,
                       headers={"Authorization": "Bearer nope", "If-None-Match": "*"})
    assert wrong.status_code == 401 and "bearer token" in wrong.text


def test_read_only_without_a_configured_token(tiny_store: SqliteStore) -> None:
    with make_client(tiny_store, None) as read_only:
        response = read_only.put("/entities/new-board", json=BOARD, headers=CREATE, params=WHY)
    assert response.status_code == 403 and "read-only" in response.text


def test_a_write_says_why_and_what_it_is_based_on(client: TestClient, tiny_store: SqliteStore) -> None:
    unbased = client.put("/entities/new-board", json=BOARD, headers=AUTH, params=WHY)
    assert unbased.status_code == 428 and "If-Match" in unbased.text
    silent = client.put("/entities/new-board", json=BOARD, headers=CREATE)
    assert silent.status_code == 422 and "comment" in silent.text
    blank = client.put("/entities/new-board", json=BOARD, headers=CREATE, params={"comment": "  "})
    assert blank.status_code == 422
    assert tiny_store.get_entity("new-board") is None


def test_edit_round_trip(client: TestClient, tiny_store: SqliteStore) -> None:
    before = tiny_store.revision()
    created = client.put("/entities/new-board", json=BOARD, headers=CREATE, params=WHY)
    assert created.status_code == 200 and created.json()["revision"] == before + 1
    tag = client.get("/entities/new-board").headers["ETag"].strip('"')
    assert created.json()["etag"] == tag
    relation = {"source": "new-board", "type": "REPORTS_TO", "target": "scottish-government",
                "strength": "soft", "sources": [{"document": "000_1501bad59c68be6a.txt", "excerpt": "x"}]}
    assert client.put("/relations", json=relation, headers=CREATE, params=WHY).status_code == 200
    detail = client.get("/entities/new-board").json()
    assert [r["other"]["id"] for r in detail["relations"]] == ["scottish-government"]
    line_tag = detail["relations"][0]["relation"]["etag"]
    assert client.delete("/relations/new-board/REPORTS_TO/scottish-government",
                         headers=based_on(line_tag), params=WHY).status_code == 200
    assert client.delete("/entities/new-board", headers=based_on(tag), params=WHY).status_code == 200
    assert client.get("/entities/new-board").status_code == 404


def test_a_lost_update_is_refused_with_what_changed_since(client: TestClient,
                                                          tiny_store: SqliteStore) -> None:
    """Two editors start from the same copy: the second gets 409 and writes nothing."""
    copy = client.get("/entities/the-promise-scotland").json()["etag"]
    first = client.patch("/entities/the-promise-scotland", json={"description": "First editor's"},
                         headers=based_on(copy), params={"comment": "first"})
    assert first.status_code == 200
    revision = tiny_store.revision()
    second = client.patch("/entities/the-promise-scotland", json={"description": "Second editor's"},
                          headers=based_on(copy), params={"comment": "second"})
    assert second.status_code == 409, second.text
    assert "has changed since it was read" in second.json()["detail"]
    assert [c["comment"] for c in second.json()["changed_since"]] == ["first"]
    kept = tiny_store.get_entity("the-promise-scotland")
    assert kept is not None and kept.description == "First editor's"
    assert tiny_store.revision() == revision
    exists = client.put("/entities/the-promise-scotland", json=kept.model_dump(mode="json"),
                        headers=CREATE, params=WHY)
    assert exists.status_code == 409 and "not to exist yet" in exists.text


def test_patch_changes_only_the_fields_given(client: TestClient, tiny_store: SqliteStore) -> None:
    before = tiny_store.get_entity("the-promise-scotland")
    assert before is not None and before.aliases
    tag = client.get("/entities/the-promise-scotland").json()["etag"]
    patched = client.patch("/entities/the-promise-scotland", headers=based_on(tag), params=WHY,
                           json={"valid_to": "2030-12-31", "aliases": None})
    assert patched.status_code == 200, patched.text
    after = tiny_store.get_entity("the-promise-scotland")
    assert after is not None and str(after.valid_to) == "2030-12-31" and after.aliases == []
    assert after.name == before.name and after.sources == before.sources
    renamed = client.patch("/entities/the-promise-scotland", json={"id": "other"},
                           headers=based_on(patched.json()["etag"]), params=WHY)
    assert renamed.status_code == 422


def test_named_editors_are_recorded_in_the_history(tiny_store: SqliteStore, tmp_path: Path) -> None:
    editors = tmp_path / "editors.yaml"
    alice, bob = add_editor(editors, "Alice", Role.REVIEWER), add_editor(editors, "Bob", Role.EDITOR)
    assert alice not in editors.read_text() and token_hash(alice) in editors.read_text()
    with make_client(tiny_store, None, editors) as client:
        for token, name in ((alice, "Alice"), (bob, "Bob")):
            board = {**BOARD, "id": f"{name.lower()}-board", "name": f"{name}'s Board"}
            response = client.put(f"/entities/{board['id']}", json=board, params={
                "comment": f"{name} adds a board", "evidence": "a minute of 2025"},
                headers={"Authorization": f"Bearer {token}", "If-None-Match": "*"})
            assert response.status_code == 200, response.text
        entries = client.get("/history").json()["items"]
        assert [(e["editor"], e["comment"]) for e in entries[:2]] == [
            ("Bob", "Bob adds a board"), ("Alice", "Alice adds a board")]
        assert entries[0]["changes"][0] == {"kind": "entity", "key": "bob-board", "what": "created",
                                            "before": None, "after": entries[0]["changes"][0]["after"]}
        assert client.get("/history", params={"editor": "Alice"}).json()["total"] == 1
        assert client.get("/history", params={"entity": "Bob's Board"}).json()["total"] == 1
        assert client.put("/entities/x", json=BOARD, params=WHY, headers={
            "Authorization": f"Bearer {TOKEN}", "If-None-Match": "*"}).status_code == 401


def test_an_entity_and_the_map_as_at_a_past_revision(client: TestClient, tiny_store: SqliteStore) -> None:
    tag = client.get("/entities/the-promise-scotland").json()["etag"]
    old_revision = tiny_store.revision()
    client.patch("/entities/the-promise-scotland", json={"name": "The Promise Scotland (renamed)"},
                 headers=based_on(tag), params=WHY)
    now = client.get("/entities/the-promise-scotland").json()
    then = client.get("/entities/the-promise-scotland", params={"revision": old_revision}).json()
    assert now["entity"]["name"] == "The Promise Scotland (renamed)"
    assert (then["entity"]["name"], then["revision"]) == ("The Promise Scotland", old_revision)
    assert client.get("/entities/the-promise-scotland",
                      params={"revision": old_revision + 5}).status_code == 404
    changed = client.get("/diff", params={"from": old_revision, "to": tiny_store.revision()}).json()
    assert [(c["key"], c["fields"]) for c in changed["changed"]] == [("the-promise-scotland", ["name"])]
    assert client.get("/diff", params={"from": "yesterday", "to": "1"}).status_code == 422


def test_failed_write_is_409_and_changes_nothing(client: TestClient, tiny_store: SqliteStore) -> None:
    before, revision = export_dataset(tiny_store), tiny_store.revision()
    response = client.put("/relations", headers=CREATE, params=WHY, json={
        "source": "scottish-government", "type": "FUNDS", "target": "missing-body"})
    assert response.status_code == 409 and "missing-body" in response.text
    assert export_dataset(tiny_store) == before and tiny_store.revision() == revision


@pytest.mark.parametrize(("method", "url", "body", "status"), [
    ("put", "/entities/other-id", BOARD, 422),
    ("put", "/entities/new-board", {**BOARD, "kind": "bod"}, 422),
    ("put", "/relations", {"source": "a", "type": "REPORT_TO", "target": "b"}, 422),
    ("delete", "/entities/no-such", None, 404),
    ("delete", "/relations/a/REPORTS_TO/b", None, 404),
])
def test_bad_edits_are_4xx(client: TestClient, method: str, url: str, body: object,
                           status: int) -> None:
    response = client.request(method, url, json=body, headers=CREATE, params=WHY)
    assert response.status_code == status, response.text


@pytest.mark.parametrize("body", [
    {"id": "zz-board", "kind": "body", "name": "ZZ"},  # a body needs a type
    {"id": "zz-board", "kind": "plan", "name": "ZZ"},
    {"id": "zz-board", "kind": "fundamental", "name": "ZZ", "facts": [
        {"measure": "m", "value": "Infinity", "sources": [{"document": "d", "excerpt": "e"}]}]},
    {"id": "zz-board", "kind": "fundamental", "name": "ZZ", "aliases": ["\ud800"]},
])
def test_records_that_could_not_be_read_back_are_refused(client: TestClient, tiny_store: SqliteStore,
                                                         body: dict) -> None:
    response = client.put("/entities/zz-board", content=json.dumps(body),  # ASCII-escaped
                          headers={**CREATE, "Content-Type": "application/json"}, params=WHY)
    assert response.status_code == 422, response.text
    assert tiny_store.get_entity("zz-board") is None
    assert client.get("/entities").status_code == 200  # the store still reads


def test_unencodable_input_gets_a_422_not_a_500(client: TestClient) -> None:
    response = client.post("/scenarios", content='{"name": "\\ud800", "operations": []}',
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    nan = client.post("/scenarios", content='{"name": NaN, "operations": []}',
                      headers={"Content-Type": "application/json"})
    assert nan.status_code == 422


def test_names_that_look_like_formulas_render(client: TestClient, tiny_store: SqliteStore) -> None:
    tricky = {"id": "dollar-board", "kind": "body", "type": "board", "name": "Board $\\Capacity$"}
    assert client.put("/entities/dollar-board", json=tricky, headers=CREATE,
                      params=WHY).status_code == 200
    assert client.get("/reports/streamlining", params={"format": "html"}).status_code == 200


def test_if_match_star_means_it_exists_and_a_list_is_refused(client: TestClient) -> None:
    assert client.patch("/entities/the-promise-scotland", json={"description": "Any version."},
                        headers={**AUTH, "If-Match": "*"}, params=WHY).status_code == 200
    missing = client.put("/entities/new-board", json=BOARD, headers={**AUTH, "If-Match": "*"}, params=WHY)
    assert missing.status_code == 409
    listed = client.patch("/entities/the-promise-scotland", json={"description": "x"}, params=WHY,
                          headers={**AUTH, "If-Match": '"abc", "def"'})
    assert listed.status_code == 422 and "the one ETag" in listed.text


def test_a_broken_editors_file_refuses_every_write_and_names_no_path(tiny_store: SqliteStore,
                                                                      tmp_path: Path) -> None:
    broken = tmp_path / "secret-place" / "editors.yaml"
    broken.parent.mkdir()
    broken.write_text("editors: [{name: A, token_sha256: not-a-hash}]\n", encoding="utf-8")
    for editors in (broken, tmp_path / "missing.yaml"):
        with make_client(tiny_store, None, editors) as refusing:
            response = refusing.put("/entities/new-board", json=BOARD, headers=CREATE, params=WHY)
        assert response.status_code == 503 and "secret-place" not in response.text
        assert "editors file" in response.json()["detail"]
    named_twice = tmp_path / "twice.yaml"
    add_editor(named_twice, "editor", Role.EDITOR)  # the name GOVMAP_WRITE_TOKEN's writes go under
    with make_client(tiny_store, TOKEN, named_twice) as ambiguous:
        assert ambiguous.put("/entities/new-board", json=BOARD, headers=CREATE,
                             params=WHY).status_code == 503
