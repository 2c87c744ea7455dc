"""Fixtures: a fresh store per test on every backend, the Bolt server started once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from govmap.model import Dataset
from govmap.seed import read_seed
from govmap.stores import ChangeSet, GraphStore, SqliteStore
from govmap.stores.neo4j import Neo4jStore
from tests.bolt_server import BoltServer, external_neo4j, start_arcadedb, wipe

FIXTURES = Path(__file__).parent / "fixtures"
STORE_KINDS = ["sqlite", "arcadedb-bolt", "neo4j"]


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
