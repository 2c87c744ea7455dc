"""Fixtures: a fresh store per test on every backend, the Bolt server started once, and
the service over a given store (`make_client`, `client`, `real_client`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from govmap.api.deps import get_store
from govmap.api.main import create_app
from govmap.model import Dataset
from govmap.seed import default_seed_dir, read_seed
from govmap.settings import Settings, get_settings
from govmap.stores import ChangeSet, GraphStore, SqliteStore
from govmap.stores.neo4j import Neo4jStore
from tests.bolt_server import BoltServer, external_neo4j, start_arcadedb, wipe

FIXTURES = Path(__file__).parent / "fixtures"
STORE_KINDS = ["sqlite", "arcadedb-bolt", "neo4j"]
TOKEN = "s3cret-token"  # the one editor's bearer token of a `make_client` service
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="session")
def arcadedb() -> Iterator[BoltServer]:
    server = start_arcadedb()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def tiny_dataset() -> Dataset:
    return read_seed(FIXTURES / "tiny_seed")


@pytest.fixture(params=STORE_KINDS)
def open_same_store(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], GraphStore]:
    """Opens a store of each kind on one fresh, empty database; called again, it opens a
    second store object on the same data (what a restarted service sees)."""
    if request.param == "sqlite":
        return lambda: SqliteStore(tmp_path / "govmap.db")
    if request.param == "arcadedb-bolt":
        server = request.getfixturevalue("arcadedb")
    else:
        server = external_neo4j()
        if server is None:
            pytest.skip("GOVMAP_TEST_NEO4J_URI is not set (a real Neo4j 5 is optional)")
    wipe(server)
    return lambda: Neo4jStore(server.uri, server.user, server.password, server.database)


@pytest.fixture
def store(open_same_store: Callable[[], GraphStore]) -> Iterator[GraphStore]:
    """An empty store of each kind."""
    opened = open_same_store()
    yield opened
    opened.close()


@pytest.fixture
def loaded_store(store: GraphStore, tiny_dataset: Dataset) -> GraphStore:
    store.write(ChangeSet.replacing_with(tiny_dataset))
    return store


def service_settings(token: str | None = TOKEN, editors_file: Path | None = None,
                     **limits: int) -> Settings:
    """A test service's settings, every one that matters given here, so that no GOVMAP_*
    variable of the environment running the tests can open another store or let in
    another editor; `limits` sets max_body_bytes or max_import_bytes."""
    return Settings(db=Path(":memory:"), neo4j_uri=None, editors_file=editors_file,
                    write_token=SecretStr(token) if token else None, **limits)


def make_app(store: GraphStore, settings: Settings) -> FastAPI:
    """The service answering from `store` (not the store `settings` names) and reading
    `settings` wherever a route asks for them."""
    app = create_app(settings)
    app.dependency_overrides[get_store] = lambda: store
    app.dependency_overrides[get_settings] = lambda: settings
    return app


def make_client(store: GraphStore, token: str | None = TOKEN, editors_file: Path | None = None,
                **limits: int) -> TestClient:
    """A TestClient of the service over `store`: writes need `token` (None: read-only,
    unless `editors_file` names editors); a server error comes back as a 500 response."""
    app = make_app(store, service_settings(token, editors_file, **limits))
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def tiny_store(tmp_path: Path, tiny_dataset: Dataset) -> Iterator[SqliteStore]:
    """A SQLite store holding the tiny dataset, at revision 1."""
    opened = SqliteStore(tmp_path / "tiny.db")
    opened.write(ChangeSet.replacing_with(tiny_dataset))
    yield opened
    opened.close()


@pytest.fixture
def client(tiny_store: SqliteStore) -> Iterator[TestClient]:
    """The service over the tiny dataset; `AUTH` is its one editor's token."""
    with make_client(tiny_store) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def real_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The service over the real dataset, loaded once for every test that reads it; it is
    read-only, so that no test can change what the others read."""
    store = SqliteStore(tmp_path_factory.mktemp("real") / "real.db")
    store.write(ChangeSet.replacing_with(read_seed(default_seed_dir())))
    with make_client(store, token=None) as test_client:
        yield test_client
    store.close()
