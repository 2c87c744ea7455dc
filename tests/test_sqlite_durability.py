"""A killed writer leaves the last committed state, its history agreeing with its data
(SQLite, and a Bolt server whose client dies); SQLite's schema migrations."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from govmap.errors import StoreWriteError
from govmap.history import replay
from govmap.stores import GraphStore, SqliteStore, export_dataset
from govmap.stores.neo4j import Neo4jStore
from govmap.stores.sqlite import SCHEMA_VERSION
from tests.bolt_server import BoltServer, wipe

WRITER = textwrap.dedent("""
    import sys
    from govmap.model import Entity, Relation
    from govmap.stores import ChangeSet, SqliteStore
    store = SqliteStore(sys.argv[1])
    i = 0
    while True:
        i += 1
        # each write adds one board and one relation to the previous board
        board = Entity(id=f"board-{i}", kind="body", type="board", name=f"Board {i}")
        links = [Relation(source=f"board-{i}", type="REPORTS_TO", target=f"board-{i - 1}")] if i > 1 else []
        revision = store.write(ChangeSet(upsert_entities=[board], upsert_relations=links))
        print(revision, flush=True)
""")


def test_killed_writer_leaves_last_committed_revision(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE,
                              text=True)
    assert writer.stdout is not None
    last_printed = 0
    while last_printed < 40:  # let it commit a few dozen writes, then kill it mid-loop
        last_printed = int(writer.stdout.readline())
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    # the writer may have printed more than was read before the kill: the last line counts
    last_printed = max([last_printed, *(int(line) for line in writer.stdout.read().split())])

    store = SqliteStore(path)
    assert store.integrity_check() == "ok"
    revision = store.revision()
    # the kill may land after a commit but before its print: at most one write more
    assert last_printed <= revision <= last_printed + 1
    counts = store.counts()
    assert (counts.entities, counts.relations) == (revision, revision - 1)  # no half write
    assert store.snapshot().number_of_edges() == revision - 1


# Each write creates a board, renames the one before and, every fourth write, deletes an
# older one with its relations: created, changed and removed records, as an editor makes.
# It continues from the store's revision, so a restarted writer carries on the series.
EDITING_WRITER = textwrap.dedent("""
    import sys
    from govmap.history import Authorship
    from govmap.model import Entity, Relation
    from govmap.stores import ChangeSet, SqliteStore
    if len(sys.argv) == 2:
        store = SqliteStore(sys.argv[1])
    else:
        from govmap.stores.neo4j import Neo4jStore
        store = Neo4jStore(*sys.argv[1:])
    i = store.revision()
    while True:
        i += 1
        boards = [Entity(id=f"board-{i}", kind="body", type="board", name=f"Board {i}")]
        links = []
        if i > 1:
            boards.append(Entity(id=f"board-{i - 1}", kind="body", type="board",
                                 name=f"Board {i - 1}, superseded"))
            links.append(Relation(source=f"board-{i}", type="REPORTS_TO", target=f"board-{i - 1}"))
        gone = [f"board-{i - 3}"] if i % 4 == 0 else []
        revision = store.write(ChangeSet(upsert_entities=boards, upsert_relations=links,
                                         delete_entities=gone,
                                         by=Authorship(editor="writer", comment=f"write {i}")))
        print(revision, flush=True)
""")


def _writer_arguments(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> list[str]:
    """How the writer process opens the store under test (the Bolt server is the tests' own)."""
    if kind == "sqlite":
        return [str(tmp_path / "history.db")]
    server: BoltServer = request.getfixturevalue("arcadedb")
    wipe(server)
    return [server.uri, server.user, server.password, str(server.database)]


def _open(arguments: list[str]) -> GraphStore:
    return SqliteStore(arguments[0]) if len(arguments) == 1 else Neo4jStore(*arguments)


def _kill_mid_burst(arguments: list[str], writes: int, into_next_write: float) -> int:
    """Start a writer, let it commit `writes` more writes, then SIGKILL it the fraction
    `into_next_write` of one write's time after it printed the last; returns that revision."""
    writer = subprocess.Popen([sys.executable, "-c", EDITING_WRITER, *arguments],
                              stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None
    first = last = int(writer.stdout.readline())
    started = time.monotonic()
    while last < first + writes:
        last = int(writer.stdout.readline())
    time.sleep(into_next_write * (time.monotonic() - started) / writes)
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    return last


@pytest.mark.parametrize("kind", ["sqlite", "arcadedb-bolt"])
def test_after_killed_writers_the_history_and_the_data_agree(
        kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """Eight writers in turn are killed mid-burst, each at another point of a write; after
    each, the store reopens with one history entry per committed revision, in order, and
    replaying the history gives exactly the data (a write is never kept without its entry,
    nor its entry without it). On the Bolt server it is the client that dies: the server
    must roll back the transaction it leaves open."""
    arguments = _writer_arguments(kind, tmp_path, request)
    for into_next_write in (n / 8 for n in range(8)):
        last_printed = _kill_mid_burst(arguments, writes=12, into_next_write=into_next_write)
        store = _open(arguments)
        try:
            revision = store.revision()
            assert revision >= last_printed  # every acknowledged write was kept
            history = store.history()
            assert [(e.revision, e.comment) for e in history] == [
                (n, f"write {n}") for n in range(1, revision + 1)]
            assert replay(history, revision) == export_dataset(store)
        finally:
            store.close()


def test_readers_in_another_process_see_committed_data(tmp_path: Path) -> None:
    from govmap.model import Entity
    from govmap.stores import ChangeSet

    path = tmp_path / "shared.db"
    SqliteStore(path).write(ChangeSet(upsert_entities=[
        Entity(id="a", kind="body", type="board", name="A")]))
    reader = subprocess.run(
        [sys.executable, "-c", "import sys; from govmap.stores import SqliteStore; "
         "print(SqliteStore(sys.argv[1]).counts().entities)", str(path)],
        capture_output=True, text=True, check=True)
    assert reader.stdout.strip() == "1"


def test_new_file_is_at_current_schema_version(tmp_path: Path) -> None:
    SqliteStore(tmp_path / "v.db").close()
    with sqlite3.connect(tmp_path / "v.db") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_file_from_a_newer_govmap_is_refused(tmp_path: Path) -> None:
    SqliteStore(tmp_path / "future.db").close()
    with sqlite3.connect(tmp_path / "future.db") as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreWriteError, match="upgrade govmap"):
        SqliteStore(tmp_path / "future.db")
