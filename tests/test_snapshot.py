"""The snapshot cache under threads: a rebuild holds up no reader, one build runs at a
time, and a writer reads back its own write, in the cache and through a real store.
Each build here is made slow on purpose (it waits for the test to release it), and
every wait is bounded."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from threading import Event, Thread

import networkx as nx
import pytest

from govmap.model import Dataset, Entity, Relation
from govmap.snapshot import SnapshotCache, build_snapshot
from govmap.stores import ChangeSet, GraphStore, SqliteStore

WAIT = 10.0  # seconds: the most any thread here waits for another


def board(entity_id: str) -> Entity:
    return Entity(id=entity_id, kind="body", type="board", name=entity_id.title())


def graph_of(*ids: str) -> nx.MultiDiGraph:
    return build_snapshot([board(i) for i in ids], [])


class SlowBuild:
    """A build that starts, then waits for `release`; it counts how often it ran."""

    def __init__(self, *ids: str) -> None:
        self.ids = ids
        self.started = Event()
        self.release = Event()
        self.calls = 0

    def __call__(self) -> nx.MultiDiGraph:
        self.calls += 1
        self.started.set()
        self.release.wait(WAIT)
        return graph_of(*self.ids)


def never() -> nx.MultiDiGraph:
    raise AssertionError("this read must not build")


@contextmanager
def in_thread(work: Callable[[], object]) -> Iterator[tuple[Thread, list[object]]]:
    """Run `work` in a thread; its result lands in the list. Joined on the way out."""
    result: list[object] = []
    thread = Thread(target=lambda: result.append(work()), daemon=True)
    thread.start()
    try:
        yield thread, result
    finally:
        thread.join(WAIT)


def test_a_reader_is_not_held_up_while_another_thread_builds() -> None:
    cache = SnapshotCache()
    cache.get(1, lambda: graph_of("a"))
    slow = SlowBuild("a", "b")
    with in_thread(lambda: cache.get(2, slow)) as (builder, built):
        try:
            assert slow.started.wait(WAIT)
            readers = [Thread(target=lambda: cache.get(2, never), daemon=True) for _ in range(3)]
            for reader in readers:
                reader.start()
            for reader in readers:
                reader.join(2.0)
            assert not any(r.is_alive() for r in readers), "a reader waited for the build"
            assert cache.get(2, never).graph["revision"] == 1  # the last graph built, meanwhile
        finally:
            slow.release.set()
    assert not builder.is_alive() and slow.calls == 1
    assert built[0].graph["revision"] == 2 and cache.get(2, never) is built[0]


def test_the_first_reader_waits_for_the_first_build_and_nobody_builds_twice() -> None:
    cache = SnapshotCache()
    slow = SlowBuild("a")
    with in_thread(lambda: cache.get(1, slow)) as (_, first):
        assert slow.started.wait(WAIT)
        with in_thread(lambda: cache.get(1, never)) as (second_reader, second):
            second_reader.join(0.3)
            assert second_reader.is_alive(), "with no graph yet there is nothing to read but the build"
            slow.release.set()
    assert slow.calls == 1 and second == first


def test_a_writer_reads_back_its_own_write() -> None:
    cache = SnapshotCache()
    cache.get(1, lambda: graph_of("a"))
    slow = SlowBuild("a", "b")  # a reader's build of revision 2, under way when 3 is written
    with in_thread(lambda: cache.get(2, slow)):
        assert slow.started.wait(WAIT)
        with in_thread(lambda: cache.refresh(3, lambda: graph_of("a", "b", "c"))) as (writer, _):
            writer.join(0.3)
            assert writer.is_alive(), "the writer must wait for the build under way"
            slow.release.set()
    after_write = cache.get(3, never)
    assert after_write.graph["revision"] == 3 and "c" in after_write


def test_refresh_builds_nothing_before_anyone_reads() -> None:
    cache = SnapshotCache()
    cache.refresh(1, never)
    assert "a" in cache.get(1, lambda: graph_of("a"))


def test_a_store_write_is_read_back_while_another_thread_rebuilds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = SqliteStore(tmp_path / "map.db")
    store.write(ChangeSet(upsert_entities=[board("a")]))
    store.snapshot()
    other_process = SqliteStore(tmp_path / "map.db")
    other_process.write(ChangeSet(upsert_entities=[board("b")]))
    other_process.close()
    started, release = Event(), Event()
    read_graph = store._read_graph

    def slow_read_graph() -> nx.MultiDiGraph:
        started.set()
        release.wait(WAIT)
        return read_graph()

    def write_then_read() -> bool:
        store.write(ChangeSet(upsert_entities=[board("c")]))
        return "c" in store.snapshot()

    monkeypatch.setattr(store, "_read_graph", slow_read_graph)
    with in_thread(store.snapshot):  # a reader rebuilds for the other process's write
        assert started.wait(WAIT)
        with in_thread(write_then_read) as (writer, seen):
            writer.join(0.5)
            release.set()
    assert seen == [True], "the writer read the map without its own write"


def _as_read(graph: nx.MultiDiGraph) -> tuple[list[object], list[object]]:
    """A graph as comparable data, in its own order: nodes with their data, then edges."""
    return ([(n, d["entity"].model_dump(), d["kind"], d["type"], d["name"])
             for n, d in graph.nodes(data=True)],
            [(u, v, k, d["relation"].model_dump()) for u, v, k, d in graph.edges(keys=True, data=True)])


def test_a_single_write_is_applied_to_the_cached_graph_as_a_rebuild_would_read_it(
        store: GraphStore, tiny_dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    store.write(ChangeSet.replacing_with(tiny_dataset))
    store.snapshot()
    first, *_, last = sorted(e.id for e in tiny_dataset.entities)
    relation = tiny_dataset.relations[0]
    changes = [
        ChangeSet(upsert_entities=[board("new-board")]),
        ChangeSet(upsert_relations=[Relation(source="new-board", type="REPORTS_TO", target=first)]),
        ChangeSet(upsert_entities=[store.get_entity(last).model_copy(update={"name": "Renamed"})]),
        ChangeSet(delete_relations=[relation.key]),
        ChangeSet(delete_entities=[first]),  # and its lines, new-board's included
    ]
    reads = 0
    read_graph = store._read_graph

    def counted() -> nx.MultiDiGraph:
        nonlocal reads
        reads += 1
        return read_graph()

    monkeypatch.setattr(store, "_read_graph", counted)
    for change in changes:
        store.write(change)
        assert _as_read(store.snapshot()) == _as_read(read_graph()), change
    assert reads == 0, "each single write was applied to the cached graph, not read afresh"
    store.write(ChangeSet.replacing_with(tiny_dataset))
    assert reads == 1  # a whole new graph is read


def test_the_graph_before_is_freed_when_a_new_one_is_built() -> None:
    """Snapshots are frozen out of the collector's passes; the one replaced must still go
    (its cached views hold it in a cycle), and without a full collection."""
    cache = SnapshotCache()
    first = cache.get(1, lambda: graph_of("a"))
    assert list(first.nodes) == ["a"]  # a view made: the graph is now in a cycle
    gone = weakref.ref(first)
    del first
    collections = gc.get_stats()[2]["collections"]
    cache.get(2, lambda: graph_of("a", "b"))
    assert gone() is None
    assert gc.get_stats()[2]["collections"] == collections
