"""SQLite's name index: its ranking in SQL is `govmap.search`'s, it is kept in step with
every write, and a file from before it gets it when opened."""

from __future__ import annotations

import sqlite3
from itertools import product
from pathlib import Path

from govmap.model import Dataset, Entity
from govmap.search import by_name, normalise, rank, search_text
from govmap.stores import ChangeSet, SqliteStore
from govmap.stores.sqlite import MIGRATIONS, SCHEMA_VERSION

WORDS = ["ab", "abc", "b", "abc d", "d abc", "xabc", "abcab"]


def entities() -> list[Entity]:
    """Every name-and-alias pair of short words, so that each rule of `name_score` (and
    each tie) is met, for the name and for an alias."""
    pairs = product([" ".join(p) for p in product(WORDS, repeat=2)], [None, *WORDS])
    return [Entity(id=f"e{i:03}", kind="body", type="board", name=name,
                   aliases=[] if alias is None else [alias.upper()])
            for i, (name, alias) in enumerate(pairs)]


def test_sql_ranks_as_python_does(tmp_path: Path) -> None:
    records = entities()
    store = SqliteStore(tmp_path / "s.db")
    store.write(ChangeSet(upsert_entities=records))
    for q in [*WORDS, "a", "c d", "ab ab", "abc-d", "zz"]:
        expected = rank([e for e in records if normalise(q) in search_text(e)], q)
        for offset in (0, 30):
            total, page = store.search(q, limit=25, offset=offset)
            assert (total, page) == (len(expected), expected[offset:offset + 25]), q


def test_the_index_stays_whole_through_writes(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.db")
    records = entities()
    store.write(ChangeSet(upsert_entities=records))
    store.write(ChangeSet(upsert_entities=[e.model_copy(update={"aliases": ["renamed"]})
                                           for e in records[::3]], delete_entities=["e001", "e002"]))
    assert store.search("renamed")[0] == len(records[::3])
    store.write(ChangeSet.replacing_with(Dataset(entities=records[:50], relations=[])))
    store.write(ChangeSet(delete_entities=[e.id for e in records[:10]]))
    # FTS5's own check that the trigram index holds exactly the rows of its content table
    store._db.execute("INSERT INTO entity_names_trigrams (entity_names_trigrams, rank) "
                      "VALUES ('integrity-check', 1)")
    assert store._db.execute("SELECT count(*) FROM entity_names").fetchone()[0] == sum(
        len(e.names) for e in records[10:50])
    assert store.search("renamed")[0] == 0


def test_a_file_from_before_the_index_gets_it(tmp_path: Path) -> None:
    """A schema-2 file (no name index) is migrated when opened, and searches as a new one."""
    path = tmp_path / "old.db"
    records = sorted(entities()[:60], key=lambda e: e.id)
    with sqlite3.connect(path) as db:
        for migration in MIGRATIONS[:2]:
            db.executescript(migration)
        db.executemany("INSERT INTO entities (id, kind, type, name, search_text, data) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       [(e.id, str(e.kind), e.type, e.name, search_text(e), e.model_dump_json())
                        for e in records])
        db.execute("UPDATE meta SET value = 1 WHERE key = 'revision'")
        db.execute("PRAGMA user_version = 2")
    store = SqliteStore(path)
    assert store._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    assert store.search("abc d", limit=100) == (
        len(expected := rank([e for e in records if "abc d" in search_text(e)], "abc d")), expected)
    assert store.search(None, limit=5)[1] == sorted(records, key=lambda e: by_name(e.name, e.id))[:5]
    store.write(ChangeSet(delete_entities=[records[0].id]))  # the migrated index is written to
    assert store.search("abc d", limit=100)[0] == len(expected) - (records[0] in expected)
