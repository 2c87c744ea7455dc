"""`SqliteStore`: the embedded default store, one SQLite file in WAL mode.

Each `write` is one `BEGIN IMMEDIATE … COMMIT` that also bumps the revision, so a
process killed mid-write leaves the last committed graph, and readers in other
processes keep reading while one process writes. The schema version lives in
`PRAGMA user_version`; `MIGRATIONS[n]` moves a file from version n to n + 1.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from threading import RLock

import networkx as nx

from govmap.errors import StoreWriteError
from govmap.history import (
    HistoryEntry,
    HistoryRow,
    baseline_row,
    check_expected,
    history_row,
    serialised,
    wanted,
)
from govmap.model import Entity, Relation
from govmap.queries.common import collector_paused
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
    # 2 -> 3: the name index. Each normalised name and alias a row (position 0 the name),
    # with what a search orders and filters by (the entity's name, kind and type), and a
    # trigram index over them, so that a search reads the names that contain the query
    # rather than every entity; `sort_name` orders a listing without a query. The
    # govmap_* functions are Python's own (`SqliteStore._define_functions`).
    """
    ALTER TABLE entities ADD COLUMN sort_name TEXT NOT NULL DEFAULT '';
    UPDATE entities SET sort_name = govmap_casefold(name);
    CREATE INDEX entities_sort_name ON entities (sort_name, id);
    CREATE TABLE entity_names (
        id INTEGER PRIMARY KEY,
        entity_id TEXT NOT NULL REFERENCES entities (id),
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        entity_name TEXT NOT NULL,
        kind TEXT NOT NULL,
        type TEXT
    );
    CREATE INDEX entity_names_entity ON entity_names (entity_id);
    CREATE INDEX entity_names_length ON entity_names (length(name));
    CREATE VIRTUAL TABLE entity_names_trigrams USING fts5 (
        name, content = 'entity_names', content_rowid = 'id', tokenize = 'trigram'
    );
    INSERT INTO entity_names (entity_id, position, name, entity_name, kind, type)
        SELECT id, 0, govmap_normalise(name), name, kind, type FROM entities;
    INSERT INTO entity_names (entity_id, position, name, entity_name, kind, type)
        SELECT e.id, a.key + 1, govmap_normalise(a.value), e.name, e.kind, e.type
        FROM entities e, json_each(e.data, '$.aliases') a ORDER BY e.id, a.key;
    INSERT INTO entity_names_trigrams (entity_names_trigrams) VALUES ('rebuild')
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)

# What a search matches. With a query of 3 characters or more the trigram index finds
# the names containing it; a shorter one is looked for in every name.
_NAMES = {
    "trigrams": "SELECT * FROM entity_names WHERE id IN (SELECT rowid FROM entity_names_trigrams "
                "                                        WHERE entity_names_trigrams MATCH :phrase) "
                "AND instr(name, :needle) > 0 "
                "AND (:kind IS NULL OR kind = :kind) AND (:type IS NULL OR type = :type)",
    "scan": "SELECT * FROM entity_names WHERE instr(name, :needle) > 0 "
            "AND (:kind IS NULL OR kind = :kind) AND (:type IS NULL OR type = :type)",
}
# (id, score, the name ties are broken by) of each entity matched: the best
# `govmap.search.name_score` of its names, said again in SQL (a call to Python for each
# match made a search of 2,500 matches twice as slow); tests/test_search_index.py holds
# the two to the same answers. The query is inside the name, so "else" is a substring.
_SCORED = ("matches AS MATERIALIZED (SELECT entity_id AS id, entity_name AS name, "
           "max(CASE WHEN name = :needle THEN 100 WHEN substr(name, 1, :length) = :needle THEN 80 "
           "         WHEN instr(' ' || name || ' ', :word) > 0 THEN 60 ELSE 50 END "
           "    - CASE WHEN position = 0 THEN 0 ELSE 5 END) AS score "
           "FROM names GROUP BY entity_id), ")
# One statement a search: (total, data) rows of the page in order, parsing only the page's
# records; a page past the end is one row (total, NULL). Only the constants above are
# joined into it.
_PAGE = ("page AS (SELECT id, score, name FROM matches ORDER BY score DESC, name, id "
         "LIMIT :limit OFFSET :offset) "
         "SELECT total.n, e.data FROM (SELECT count(*) AS n FROM matches) total "
         "LEFT JOIN page LEFT JOIN entities e ON e.id = page.id "
         "ORDER BY page.score DESC, page.name, page.id")
_SEARCH = {how: f"WITH names AS ({sql}), {_SCORED}{_PAGE}" for how, sql in _NAMES.items()}
# Without a query, every entity by name: the page read along the `sort_name` index.
_SEARCH["by name"] = (
    "WITH page AS (SELECT id, sort_name FROM entities "
    "              WHERE (:kind IS NULL OR kind = :kind) AND (:type IS NULL OR type = :type) "
    "              ORDER BY sort_name, id LIMIT :limit OFFSET :offset) "
    "SELECT total.n, e.data FROM (SELECT count(*) AS n FROM entities "
    "    WHERE (:kind IS NULL OR kind = :kind) AND (:type IS NULL OR type = :type)) total "
    "LEFT JOIN page LEFT JOIN entities e ON e.id = page.id ORDER BY page.sort_name, page.id")


def _as_json(rows: list[tuple[str, str, int]]) -> dict[str, str]:
    """Stored records by id or key, read with SQLite's `json_valid` of each. A record that
    is not JSON (written by another tool) is refused: its text would go into the history
    entry as it is, and leave the history unreadable."""
    broken = [key for key, _, valid in rows if not valid]
    if broken:
        raise StoreWriteError(f"stored records are not valid JSON: {', '.join(broken)}")
    return {key: data for key, data, _ in rows}


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
        # 64 MB of page cache (the default is 2 MB): a write of 10^5 entities touches its
        # indexes all over, and inserting the relations took 5.6-6.5 s instead of 3.4-4.3 s.
        self._db.execute("PRAGMA cache_size = -65536")
        self._define_functions()
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

    def _define_functions(self) -> None:
        """The Python functions the schema migrations call, so that SQL normalises
        exactly as `govmap.search` does."""
        for name, arity, function in (("govmap_normalise", 1, normalise),
                                      ("govmap_casefold", 1, str.casefold)):
            self._db.create_function(name, arity, function, deterministic=True)

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

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: what it reads comes from one committed state, even
        while another process writes."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                yield self._db
            finally:
                self._db.execute("COMMIT")

    def _query(self, sql: str, params: Iterable[object] | Mapping[str, object] = ()
               ) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params if isinstance(params, Mapping) else tuple(params)
                                    ).fetchall()

    # -- GraphStore ---------------------------------------------------------------
    def revision(self) -> int:
        return self._query("SELECT value FROM meta WHERE key = 'revision'")[0][0]

    def write(self, change: ChangeSet) -> int:
        with collector_paused():  # a write's rows and history are many objects, all freed by count
            revision = self._commit(change)
        self._snapshots.refresh(revision, self._read_graph, change)  # the writer reads back its write
        return revision

    def _commit(self, change: ChangeSet) -> int:
        with self._transaction() as db:
            baseline = self._baseline(db)
            before_entities, before_relations = self._before(db, change)
            check_expected(change.expect, {**before_entities, **before_relations})
            self._unindex_names(db, change)
            if change.replace:
                db.execute("DELETE FROM relations")
                db.execute("DELETE FROM entities")
            db.executemany("DELETE FROM relations WHERE key = ?",
                           [(k,) for k in change.delete_relations])
            db.executemany("DELETE FROM entities WHERE id = ?",
                           [(i,) for i in change.delete_entities])
            # each record's JSON made once, for its row and the history entry
            upserts = serialised(change)
            entities, relations = upserts
            named = [(e, search_text(e), data) for e, data in entities.values()]
            db.executemany(
                "INSERT INTO entities (id, kind, type, name, sort_name, search_text, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, "
                "type = excluded.type, name = excluded.name, sort_name = excluded.sort_name, "
                "search_text = excluded.search_text, data = excluded.data",
                [(e.id, str(e.kind), e.type, e.name, e.name.casefold(), text, data)
                 for e, text, data in named],
            )
            self._index_names(db, named)
            self._check_endpoints(db, change.upsert_relations)
            db.executemany(
                "INSERT INTO relations (key, source, type, target, data) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET data = excluded.data",
                [(key, r.source, str(r.type), r.target, data) for key, (r, data) in relations.items()],
            )
            db.execute("UPDATE meta SET value = value + 1 WHERE key = 'revision'")
            revision = db.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0]
            db.executemany("INSERT INTO history (revision, at, editor, comment, evidence, changes) "
                           "VALUES (?, ?, ?, ?, ?, ?)",
                           [*baseline, history_row(change, revision, before_entities, before_relations,
                                                   upserts)])
            return revision

    @staticmethod
    def _unindex_names(db: sqlite3.Connection, change: ChangeSet) -> None:
        """Take the names of every entity `change` upserts or deletes out of the name
        index (all of them for `replace`), before the entities themselves go."""
        if change.replace:
            db.execute("INSERT INTO entity_names_trigrams (entity_names_trigrams) VALUES ('delete-all')")
            db.execute("DELETE FROM entity_names")
            return
        ids = json.dumps([*(e.id for e in change.upsert_entities), *change.delete_entities])
        db.execute("INSERT INTO entity_names_trigrams (entity_names_trigrams, rowid, name) "
                   "SELECT 'delete', id, name FROM entity_names "
                   "WHERE entity_id IN (SELECT value FROM json_each(?))", (ids,))
        db.execute("DELETE FROM entity_names WHERE entity_id IN (SELECT value FROM json_each(?))",
                   (ids,))

    @staticmethod
    def _index_names(db: sqlite3.Connection, upserts: Iterable[tuple[Entity, str, str]]) -> None:
        """Index the names of the entities just written, each with its `search_text`:
        every normalised name between bars, the name first."""
        last = db.execute("SELECT coalesce(max(id), 0) FROM entity_names").fetchone()[0]
        db.executemany(
            "INSERT INTO entity_names (entity_id, position, name, entity_name, kind, type) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(e.id, position, name, e.name, str(e.kind), e.type) for e, text, _ in upserts
             for position, name in enumerate(text[1:-1].split("|"))])
        # new rows take ids above the old largest (INTEGER PRIMARY KEY): index those
        db.execute("INSERT INTO entity_names_trigrams (rowid, name) "
                   "SELECT id, name FROM entity_names WHERE id > ?", (last,))

    @staticmethod
    def _baseline(db: sqlite3.Connection) -> list[HistoryRow]:
        """[the baseline entry] when the store holds data but no history yet (a file from
        before the history was kept), else []."""
        revision = db.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0]
        if revision == 0 or db.execute("SELECT 1 FROM history LIMIT 1").fetchone():
            return []
        return [baseline_row(revision, *SqliteStore._everything(db))]

    @staticmethod
    def _before(db: sqlite3.Connection, change: ChangeSet) -> tuple[dict[str, str], dict[str, str]]:
        """The stored JSON of the records `change` touches (all of them for `replace`)."""
        if change.replace:
            return SqliteStore._everything(db)
        ids, keys, deleted = (json.dumps(x) for x in wanted(change))
        entities = db.execute("SELECT id, data, json_valid(data) FROM entities WHERE id IN "
                              "(SELECT value FROM json_each(?))", (ids,)).fetchall()
        relations = db.execute(
            "SELECT key, data, json_valid(data) FROM relations WHERE key IN (SELECT value FROM json_each(?)) "
            "OR source IN (SELECT value FROM json_each(?)) "
            "OR target IN (SELECT value FROM json_each(?))", (keys, deleted, deleted)).fetchall()
        return _as_json(entities), _as_json(relations)

    @staticmethod
    def _everything(db: sqlite3.Connection) -> tuple[dict[str, str], dict[str, str]]:
        """The stored JSON of every entity and relation, by id and key."""
        return (_as_json(db.execute("SELECT id, data, json_valid(data) FROM entities").fetchall()),
                _as_json(db.execute("SELECT key, data, json_valid(data) FROM relations").fetchall()))

    def history(self) -> list[HistoryEntry]:
        rows = self._query("SELECT revision, at, editor, comment, evidence, changes FROM history "
                           "ORDER BY revision")
        return [HistoryRow(*row).entry() for row in rows]

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

    def search(
        self, text: str | None = None, *, kind: str | None = None, type: str | None = None,
        limit: int = 50, offset: int = 0,
    ) -> tuple[int, list[Entity]]:
        needle = normalise(text or "")
        how = "by name" if not needle else "trigrams" if len(needle) >= 3 else "scan"
        params = {"needle": needle, "phrase": f'"{needle}"',  # a normalised query has no quote
                  "length": len(needle), "word": f" {needle} ",
                  "kind": kind, "type": type, "limit": limit, "offset": offset}
        with self._reading() as db:
            rows = db.execute(_SEARCH[how], params).fetchall()
        return rows[0][0], [Entity.model_validate_json(data) for _, data in rows if data is not None]

    def names_of_length(
        self, low: int, high: int, *, kind: str | None = None, type: str | None = None
    ) -> list[tuple[str, str]]:
        return [tuple(row) for row in self._query(  # type: ignore[misc]
            "SELECT entity_id, name FROM entity_names WHERE length(name) BETWEEN :low AND :high "
            "AND (:kind IS NULL OR kind = :kind) AND (:type IS NULL OR type = :type)",
            {"low": low, "high": high, "kind": kind, "type": type})]

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
        with self._reading() as db:
            entities = db.execute("SELECT data FROM entities ORDER BY id").fetchall()
            relations = db.execute("SELECT data FROM relations ORDER BY key").fetchall()
        return build_snapshot((Entity.model_validate_json(row[0]) for row in entities),
                              (Relation.model_validate_json(row[0]) for row in relations))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def integrity_check(self) -> str:
        """SQLite's own verdict on the file ("ok" when sound)."""
        return self._query("PRAGMA integrity_check")[0][0]
