"""Every operation of the OpenAPI schema, fuzzed by schemathesis: no answer is a 5xx, and
every answer's status and body are ones the schema declares for that operation.

The app runs in-process on a SQLite store loaded with the tiny seed, with an editor's
token, so generated writes are made (and change what later operations read). The seed
is fixed and generation deterministic: a failure in CI is the same failure on a laptop.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import TypeAdapter, ValidationError
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from govmap.api.main import create_app
from govmap.history import etag
from govmap.model import Dataset, EntityId, relation_key
from govmap.stores import ChangeSet, SqliteStore
from tests.conftest import AUTH, make_app, service_settings

# About 6,300 cases in about 90 s on 2 cores: the coverage phase adds its boundary cases
# (most of them) to the `max-examples` generated per operation. A slower machine takes
# longer but generates the same cases, so Hypothesis is not to fail it for being slow.
CONFIG = schemathesis.Config.from_dict({
    "seed": 14,
    "suppress-health-check": ["too_slow"],
    "generation": {"max-examples": 100, "deterministic": True, "database": "none"},
})
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
PRECONDITIONS = ("if-match", "if-none-match")
ENTITY_ID: TypeAdapter[str] = TypeAdapter(EntityId)

# The schema does not depend on the store, so it is read once, at collection.
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(service_settings()), config=CONFIG)
# Fuzzed names reach the report's charts in scripts DejaVu Sans does not have
pytestmark = pytest.mark.filterwarnings("ignore:Glyph .* missing from font")


@pytest.fixture(scope="module")
def fuzzed_store(tmp_path_factory: pytest.TempPathFactory, tiny_dataset: Dataset) -> Iterator[SqliteStore]:
    """One store for the whole run: what a generated write makes, later operations read."""
    opened = SqliteStore(tmp_path_factory.mktemp("schemathesis") / "fuzzed.db")
    opened.write(ChangeSet.replacing_with(tiny_dataset))
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def fuzzed_app(fuzzed_store: SqliteStore) -> FastAPI:
    return make_app(fuzzed_store, service_settings())


def named_record(case: Case) -> str | None:
    """The entity id or relation key a write names (in its path, or a relation's body)."""
    path = case.path_parameters or {}
    if "entity_id" in path:
        return str(path["entity_id"])
    ends = path if "source" in path else case.body if isinstance(case.body, dict) else {}
    if all(isinstance(ends.get(name), str) for name in ("source", "type", "target")):
        return relation_key(ends["source"], ends["type"], ends["target"])
    return None


def stored_version(store: SqliteStore, key: str) -> str | None:
    """The ETag of the stored entity or relation `key`, or None when there is none."""
    if "|" not in key:
        entity = store.get_entity(key)
        return etag(entity) if entity else None
    source, type, target = key.split("|", 2)
    found = store.relations(type=type, source=source, target=target)
    return etag(found[0]) if found else None


def is_entity_id(value: object) -> bool:
    """Whether `value` can be an entity's id (and so a path segment of /entities/{id})."""
    try:
        ENTITY_ID.validate_python(value)
    except ValidationError:
        return False
    return True


def as_careful_editor(case: Case, store: SqliteStore) -> None:
    """Make a generated write one an editor who read the record first would send: with
    If-Match naming the stored version, or If-None-Match: * for a new record (the generated
    values name no version, so they would only ever test the refusals, 409 and 428, which
    tests/test_edits.py covers). A PUT's path id follows its body's, so entities are made."""
    if case.method.upper() not in {"PUT", "PATCH", "DELETE"}:
        return
    body_id = case.body.get("id") if isinstance(case.body, dict) else None
    if is_entity_id(body_id) and "entity_id" in (case.path_parameters or {}):
        case.path_parameters["entity_id"] = body_id
    key = named_record(case)
    version = stored_version(store, key) if key else None
    case.headers = {name: value for name, value in (case.headers or {}).items()
                    if name.lower() not in PRECONDITIONS}
    case.headers.update({"If-Match": f'"{version}"'} if version else {"If-None-Match": "*"})


@schema.parametrize()
def test_every_operation_keeps_to_the_schema(case: Case, fuzzed_app: FastAPI,
                                             fuzzed_store: SqliteStore) -> None:
    as_careful_editor(case, fuzzed_store)
    case.call_and_validate(app=fuzzed_app, headers=AUTH, checks=CHECKS)


def test_found_by_fuzzing_a_report_on_actions_with_no_accountable_lead(client: TestClient) -> None:
    """An action written with no lead, or led only by a body answering to no one, made the
    report a 500: their derived gaps (action_no_lead, action_leads_unanchored) had no
    recommendation rule. Pinned here, whatever the generator does next."""
    create = {"params": {"comment": "fuzzing found it"}, "headers": {**AUTH, "If-None-Match": "*"}}
    writes = [("/entities/new-action", {"id": "new-action", "kind": "action", "name": "A new action"}),
              ("/entities/new-board", {"id": "new-board", "kind": "body", "type": "board",
                                       "scope": "scottish_public_sector", "name": "New Board"})]
    for url, body in writes:
        assert client.put(url, json=body, **create).status_code == 200
        assert client.get("/reports/streamlining", params={"format": "md"}).status_code == 200
    lead = {"source": "new-board", "type": "LEADS", "target": "new-action"}
    assert client.put("/relations", json=lead, **create).status_code == 200
    assert client.get("/reports/streamlining", params={"format": "md"}).status_code == 200
