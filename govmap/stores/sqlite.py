"""`SqliteStore`: the embedded default store, one SQLite file in WAL mode.

Each `write` is one `BEGIN IMMEDIATE … COMMIT` that also bumps the revision, so a
process killed mid-write leaves the last committed graph, and readers in other
processes keep reading while one process writes. The schema version lives in
`PRAGMA user_version`; `MIGRATIONS[n]` moves a file from version n to n + 1.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from threading import RLock

import networkx as nx

from govmap.errors import StoreWriteError
from govmap.history import HistoryEntry, baseline_entry, check_expected, history_entry, parse_changes, wanted
from govmap.model import Entity, Relation
from govmap.search import normalise, search_text
from govmap.snapshot import SnapshotCache, build_snapshot
from govmap.stores.base import ChangeSet, StoreCounts

MIGRATIONS: list[str] = [
    # 0 -> 1: the graph and the revision counter
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT INTO meta (key, value) VALUES ('revision', 0);
    CREATE TABLE entities (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        type TEXT,
        name TEXT NOT NULL,
        search_text TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX entities_kind_type ON entities (kind, type);
    CREATE TABLE relations (
        key TEXT PRIMARY KEY,
        source TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        target TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
        data TEXT NOT NULL
    );
    CREATE INDEX relations_source ON relations (source);
    CREATE INDEX relations_target ON relations (target);
    CREATE INDEX relations_type ON relations (type);
    """,
    # 1 -> 2: the change history, one row a write, written in the write's transaction
    """
    CREATE TABLE history (
        revision INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        editor TEXT NOT NULL,
        comment TEXT NOT NULL,
        evidence TEXT NOT NULL,
        changes TEXT NOT NULL
    );
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


class SqliteStore:
    """A `GraphStore` in one SQLite file (`:memory:` works for throwaway use)."""

    kind = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = RLock()
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                   timeout=30)
        self._db.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed write survives a power cut too, not only a killed process.
        self._db.execute("PRAGMA synchronous = FULL")
        self._db.execute("PRAGMA foreign_keys = ON")
        self._snapshots = SnapshotCache()
        self._migrate()

    # -- set-up ---------------------------------------------------------------
    def _migrate(self) -> None:
        with self._transaction() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreWriteError(f"{self.path} has schema version {version}; this govmap "
                                      f"knows up to {SCHEMA_VERSION}: upgrade govmap")
            for step in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {step + 1}")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, params: Iterable[object] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, tuple(params)).fetchall()

    # -- GraphStore ---------------------------------------------------------------
    def revision(self) -> int:
        return self._query("SELECT value FROM meta WHERE key = 'revision'")[0][0]

    def write(self, change: ChangeSet) -> int:
        revision = self._commit(change)
        self._snapshots.refresh(revision, self._read_graph)  # the writer reads back its write
        return revision

    def _commit(self, change: ChangeSet) -> int:
        with self._transaction() as db:
            baseline = self._baseline(db)
            before_entities, before_relations = self._before(db, change)
            check_expected(change.expect, {**before_entities, **before_relations})
            if change.replace:
                db.execute("DELETE FROM relations")
                db.execute("DELETE FROM entities")
            db.executemany("DELETE FROM relations WHERE key = ?",
                           [(k,) for k in change.delete_relations])
            db.executemany("DELETE FROM entities WHERE id = ?",
                           [(i,) for i in change.delete_entities])
            db.executemany(
                "INSERT INTO entities (id, kind, type, name, search_text, data) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, "
                "type = excluded.type, name = excluded.name, "
                "search_text = excluded.search_text, data = excluded.data",
                [(e.id, str(e.kind), e.type, e.name, search_text(e), e.model_dump_json())
                 for e in change.upsert_entities],
            )
            self._check_endpoints(db, change.upsert_relations)
            db.executemany(
                "INSERT INTO relations (key, source, type, target, data) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET data = excluded.data",
                [(r.key, r.source, str(r.type), r.target, r.model_dump_json())
                 for r in change.upsert_relations],
            )
            db.execute("UPDATE meta SET value = value + 1 WHERE key = 'revision'")
            revision = db.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0]
            for entry in (*baseline, history_entry(change, revision, before_entities, before_relations)):
                db.execute("INSERT INTO history (revision, at, editor, comment, evidence, changes) "
                           "VALUES (?, ?, ?, ?, ?, ?)", (entry.revision, entry.at, entry.editor,
                                                         entry.comment, entry.evidence, entry.as_json()))
            return revision

    @staticmethod
    def _baseline(db: sqlite3.Connection) -> list[HistoryEntry]:
        """[the baseline entry] when the store holds data but no history yet (a file from
        before the history was kept), else []."""
        revision = db.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0]
        if revision == 0 or db.execute("SELECT 1 FROM history LIMIT 1").fetchone():
            return []
        return [baseline_entry(revision, dict(db.execute("SELECT id, data FROM entities").fetchall()),
                               dict(db.execute("SELECT key, data FROM relations").fetchall()))]

    @staticmethod
    def _before(db: sqlite3.Connection, change: ChangeSet) -> tuple[dict[str, str], dict[str, str]]:
        """The stored JSON of the records `change` touches (all of them for `replace`)."""
        if change.replace:
            return (dict(db.execute("SELECT id, data FROM entities").fetchall()),
                    dict(db.execute("SELECT key, data FROM relations").fetchall()))
        ids, keys, deleted = (json.dumps(x) for x in wanted(change))
        entities = db.execute("SELECT id, data FROM entities WHERE id IN "
                              "(SELECT value FROM json_each(?))", (ids,)).fetchall()
        relations = db.execute(
            "SELECT key, data FROM relations WHERE key IN (SELECT value FROM json_each(?)) "
            "OR source IN (SELECT value FROM json_each(?)) "
            "OR target IN (SELECT value FROM json_each(?))", (keys, deleted, deleted)).fetchall()
        return dict(entities), dict(relations)

    def history(self) -> list[HistoryEntry]:
        rows = self._query("SELECT revision, at, editor, comment, evidence, changes FROM history "
                           "ORDER BY revision")
        return [HistoryEntry(*row[:5], parse_changes(row[5])) for row in rows]

    @staticmethod
    def _check_endpoints(db: sqlite3.Connection, relations: Iterable[Relation]) -> None:
        wanted = {end for r in relations for end in (r.source, r.target)}
        if not wanted:
            return
        db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted_ids (id TEXT PRIMARY KEY)")
        db.execute("DELETE FROM wanted_ids")
        db.executemany("INSERT INTO wanted_ids (id) VALUES (?)", [(i,) for i in wanted])
        missing = [row[0] for row in db.execute(
            "SELECT w.id FROM wanted_ids w LEFT JOIN entities e ON e.id = w.id "
            "WHERE e.id IS NULL ORDER BY w.id")]
        if missing:
            raise StoreWriteError(f"relations refer to missing entity ids: {', '.join(missing)}")

    def get_entity(self, entity_id: str) -> Entity | None:
        rows = self._query("SELECT data FROM entities WHERE id = ?", [entity_id])
        return Entity.model_validate_json(rows[0][0]) if rows else None

    def find_entities(
        self, text: str | None = None, *, kind: str | None = None, type: str | None = None
    ) -> list[Entity]:
        needle = normalise(text or "")
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._query(
            "SELECT data FROM entities WHERE search_text LIKE ? ESCAPE '\\' "
            "AND (? IS NULL OR kind = ?) AND (? IS NULL OR type = ?) ORDER BY id",
            [f"%{escaped}%", kind, kind, type, type],
        )
        return [Entity.model_validate_json(r[0]) for r in rows]

    def entities(self) -> list[Entity]:
        rows = self._query("SELECT data FROM entities ORDER BY id")
        return [Entity.model_validate_json(r[0]) for r in rows]

    def relations(
        self, *, type: str | None = None, source: str | None = None, target: str | None = None
    ) -> list[Relation]:
        rows = self._query(
            "SELECT data FROM relations WHERE (? IS NULL OR type = ?) "
            "AND (? IS NULL OR source = ?) AND (? IS NULL OR target = ?) ORDER BY key",
            [type, type, source, source, target, target],
        )
        return [Relation.model_validate_json(r[0]) for r in rows]

    def counts(self) -> StoreCounts:
        by_kind = dict(self._query("SELECT kind, count(*) FROM entities GROUP BY kind"))
        relations = self._query("SELECT count(*) FROM relations")[0][0]
        return StoreCounts(entities=sum(by_kind.values()), relations=relations, by_kind=by_kind)

    def snapshot(self) -> nx.MultiDiGraph:
        return self._snapshots.get(self.revision(), self._read_graph)

    def _read_graph(self) -> nx.MultiDiGraph:
        # One read transaction, so a write from another process cannot land between
        # reading the entities and reading the relations. The JSON is parsed after it,
        # outside the lock: parsing is most of the build, and other requests need the lock.
        with self._lock:
            self._db.execute("BEGIN")
            try:
                entities = self._db.execute("SELECT data FROM entities ORDER BY id").fetchall()
                relations = self._db.execute("SELECT data FROM relations ORDER BY key").fetchall()
            finally:
                self._db.execute("COMMIT")
        return build_snapshot((Entity.model_validate_json(row[0]) for row in entities),
                              (Relation.model_validate_json(row[0]) for row in relations))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def integrity_check(self) -> str:
        """SQLite's own verdict on the file ("ok" when sound)."""
        return self._query("PRAGMA integrity_check")[0][0]
