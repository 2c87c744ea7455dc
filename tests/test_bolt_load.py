"""A load bigger than one Bolt message, on the ArcadeDB Bolt server: landscape(2000)'s
rows go in batches (made small here, so that each statement takes several) and its
history entry (about 4.6 MB of changes) in pieces, and the store must read back exactly
what it was given. Correctness only; the timings are in `govmap/stores/neo4j.py`, next
to `BATCH_ROWS`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from benchmarks.landscape import landscape
from govmap.errors import StoreWriteError
from govmap.model import Dataset
from govmap.stores import ChangeSet, export_dataset, neo4j
from govmap.stores.neo4j import HISTORY_PIECE_CHARS, Neo4jStore
from tests.bolt_server import BoltServer, wipe


@pytest.fixture
def bolt_store(arcadedb: BoltServer) -> Iterator[Neo4jStore]:
    wipe(arcadedb)
    store = Neo4jStore(arcadedb.uri, arcadedb.user, arcadedb.password, arcadedb.database)
    yield store
    store.close()
    wipe(arcadedb)


def test_a_replacing_write_in_batches_reads_back_exactly(
    bolt_store: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(neo4j, "BATCH_ROWS", 500)  # several batches of entities and of a type
    data = landscape(2_000)
    bolt_store.write(ChangeSet.replacing_with(data))
    expected = Dataset(entities=sorted(data.entities, key=lambda e: e.id),
                       relations=sorted(data.relations, key=lambda r: r.key))
    assert export_dataset(bolt_store) == expected
    (entry,) = bolt_store.history()
    assert len(entry.as_json()) > HISTORY_PIECE_CHARS  # the entry was stored in pieces
    assert len(entry.changes) == len(data.entities) + len(data.relations)


def test_a_second_replacing_write_replaces_the_first(bolt_store: Neo4jStore) -> None:
    bolt_store.write(ChangeSet.replacing_with(landscape(300, seed=1)))
    data = landscape(300, seed=2)
    bolt_store.write(ChangeSet.replacing_with(data))
    assert export_dataset(bolt_store) == Dataset(
        entities=sorted(data.entities, key=lambda e: e.id),
        relations=sorted(data.relations, key=lambda r: r.key))
    assert [e.revision for e in bolt_store.history()] == [1, 2]


def test_a_stored_record_that_is_not_json_refuses_the_write(bolt_store: Neo4jStore) -> None:
    """The history splices stored records in as they are: one another tool wrote that is
    not JSON must refuse the write, not leave the history unreadable."""
    bolt_store.write(ChangeSet.replacing_with(landscape(300)))
    with bolt_store._driver.session(database=bolt_store.database) as session:
        session.run("MATCH (n:Entity {id: 'action-1'}) SET n.data = 'not json'").consume()
    revision = bolt_store.revision()
    with pytest.raises(StoreWriteError, match="not valid JSON: action-1"):
        bolt_store.write(ChangeSet(delete_entities=["action-1"]))
    assert bolt_store.revision() == revision
