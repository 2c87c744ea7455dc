"""A write's history entry is spliced from the records' JSON, each record serialised
once, and reads as the entries the older write path (every record parsed, then the
whole entry dumped again) recorded for the same writes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govmap.errors import StoreWriteError
from govmap.history import Authorship, HistoryRow, changed_since, etag, parse_changes, replay
from govmap.model import Dataset, Entity, Relation
from govmap.stores import ChangeSet, SqliteStore
from govmap.stores.base import export_dataset

# the history rows `write_the_scenario` left when govmap at d1368ab wrote them (each
# record's JSON parsed, then the whole entry dumped again)
OLD_HISTORY = Path(__file__).parent / "fixtures" / "history_before_splicing.json"


def body(id: str, name: str, **extra: object) -> Entity:
    return Entity(id=id, kind="body", type="board", name=name, **extra)


def write_the_scenario(store: SqliteStore) -> list[list[object]]:
    """Created, changed, unchanged, removed (a relation with its entity), replaced, and a
    baseline: the writes behind `OLD_HISTORY`, made again by the code under test. The
    history rows they leave, those forgotten before the baseline included."""
    alice = Authorship("Alice", "Create the boards", "000_1501bad59c68be6a.txt")
    store.write(ChangeSet(upsert_entities=[body("a", "Alpha Board"), body("b", "Bòrd na Gàidhlig — “Beta”")],
                          upsert_relations=[Relation(source="a", type="SUPPORTS", target="b")], by=alice))
    store.write(ChangeSet(upsert_entities=[body("a", "Alpha Board renamed", aliases=["Alpha"]),
                                           body("b", "Bòrd na Gàidhlig — “Beta”")],
                          by=Authorship("Bob", "Rename it; b unchanged")))
    store.write(ChangeSet(delete_entities=["b"], by=Authorship("Bob", "Beta abolished")))
    store.write(ChangeSet.replacing_with(Dataset(
        entities=[body("a", "Alpha Board renamed", aliases=["Alpha"]), body("c", "Gamma\tBoard \\ x")],
        relations=[Relation(source="c", type="SUPPORTS", target="a", note="a \"quoted\" note")]),
        Authorship("Carol", "Replace the map")))
    forgotten = history_rows(store)
    store._db.execute("DELETE FROM history")  # as a file from before the history was kept
    store.write(ChangeSet(upsert_entities=[body("d", "Delta Board")], by=Authorship("Dan", "after the gap")))
    return forgotten + history_rows(store)


def history_rows(store: SqliteStore) -> list[list[object]]:
    return [list(row) for row in store._db.execute(
        "SELECT revision, at, editor, comment, evidence, changes FROM history ORDER BY revision")]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "govmap.db")
    yield store
    store.close()


def old_rows() -> list[HistoryRow]:
    return [HistoryRow(*row) for row in json.loads(OLD_HISTORY.read_text(encoding="utf-8"))]


def test_the_spliced_history_parses_to_the_entries_the_old_path_wrote(store: SqliteStore) -> None:
    new = [HistoryRow(*row) for row in write_the_scenario(store)]
    old = old_rows()
    assert [(r.revision, r.editor, r.comment, r.evidence) for r in new] == \
        [(r.revision, r.editor, r.comment, r.evidence) for r in old]
    assert [parse_changes(r.changes_json) for r in new] == [parse_changes(r.changes_json) for r in old]
    assert [json.loads(r.changes_json) for r in new] == [json.loads(r.changes_json) for r in old]


def test_an_old_files_history_still_reads(store: SqliteStore, tmp_path: Path) -> None:
    """The rows the old path wrote, in a store: read, replayed and asked for the writes
    since a version, as the same writes recorded now are."""
    now = SqliteStore(tmp_path / "now.db")
    new = [HistoryRow(*row).entry() for row in write_the_scenario(now)]
    written_before_the_gap, since_the_baseline = old_rows()[:4], old_rows()[4:]
    store._db.executemany("INSERT INTO history (revision, at, editor, comment, evidence, changes) "
                          "VALUES (?, ?, ?, ?, ?, ?)", written_before_the_gap)
    old = store.history()
    assert [e.changes for e in old] == [e.changes for e in new[:4]]
    assert replay(old, 4) == replay(now.history(), 4)
    assert replay([row.entry() for row in since_the_baseline], 5) == export_dataset(now)
    assert [e.name for e in replay(old, 1).entities] == ["Alpha Board", "Bòrd na Gàidhlig — “Beta”"]
    first = etag(replay(old, 1).entities[0])
    assert [e.revision for e in changed_since(old, "a", first)] == [2]
    now.close()


def test_each_record_is_serialised_once_and_spliced_as_stored(store: SqliteStore,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    for model in (Entity, Relation):
        dump = model.model_dump_json

        def counted(self: Any, *args: Any, dump: Any = dump, **kwargs: Any) -> str:
            calls.append(self.key if isinstance(self, Relation) else self.id)
            return dump(self, *args, **kwargs)
        monkeypatch.setattr(model, "model_dump_json", counted)
    store.write(ChangeSet(upsert_entities=[body("a", "A Board"), body("b", "B Board")],
                          upsert_relations=[Relation(source="a", type="SUPPORTS", target="b")]))
    assert sorted(calls) == ["a", "a|SUPPORTS|b", "b"]
    (text,), = store._db.execute("SELECT changes FROM history")
    for (data,) in store._db.execute("SELECT data FROM entities UNION ALL SELECT data FROM relations"):
        assert f'"after": {data}}}' in text


def test_a_record_named_twice_is_written_and_recorded_as_its_last_copy(store: SqliteStore) -> None:
    store.write(ChangeSet(upsert_entities=[body("a", "First"), body("b", "B Board"), body("a", "Last")],
                          upsert_relations=[Relation(source="a", type="SUPPORTS", target="b", note="1"),
                                            Relation(source="a", type="SUPPORTS", target="b", note="2")]))
    (entry,) = store.history()
    assert [(c.key, c.after.get("name") or c.after["note"]) for c in entry.changes] == [  # type: ignore[union-attr]
        ("a", "Last"), ("b", "B Board"), ("a|SUPPORTS|b", "2")]
    assert store.get_entity("a") == body("a", "Last")
    assert [r.note for r in store.relations()] == ["2"]


def test_a_stored_record_that_is_not_json_is_refused_before_it_reaches_the_history(
        store: SqliteStore) -> None:
    store.write(ChangeSet(upsert_entities=[body("a", "A Board"), body("b", "B Board")]))
    store._db.execute("UPDATE entities SET data = '{\"id\": \"a\",' WHERE id = 'a'")
    for change in (ChangeSet(delete_entities=["a"]), ChangeSet.replacing_with(Dataset())):
        with pytest.raises(StoreWriteError, match="stored records are not valid JSON: a$"):
            store.write(change)
    assert len(store.history()) == 1 and store.revision() == 1
