"""SQLite-only guarantees: a killed writer leaves the last committed state; schema migrations."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from govmap.errors import StoreWriteError
from govmap.stores import SqliteStore
from govmap.stores.sqlite import SCHEMA_VERSION

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

    store = SqliteStore(path)
    assert store.integrity_check() == "ok"
    revision = store.revision()
    # the kill may land after a commit but before its print: at most one write more
    assert last_printed <= revision <= last_printed + 1
    counts = store.counts()
    assert (counts.entities, counts.relations) == (revision, revision - 1)  # no half write
    assert store.snapshot().number_of_edges() == revision - 1


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
