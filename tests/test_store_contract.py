"""The store contract: every backend passes every test here, with the same answers."""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import pytest

from govmap.errors import NotFoundError, StaleWriteError, StoreWriteError
from govmap.history import ANY_VERSION, Authorship, etag, replay, select
from govmap.model import Dataset, Entity, Relation
from govmap.search import near_spellings, normalise, rank, search_entities
from govmap.seed import default_seed_dir, read_seed
from govmap.stores import ChangeSet, GraphStore, SqliteStore, export_dataset
from govmap.stores.neo4j import Neo4jStore, relation_upsert_statement


def body(id: str, name: str, **extra: object) -> Entity:
    return Entity(id=id, kind="body", type="board", name=name, **extra)


def test_new_store_is_empty(store: GraphStore) -> None:
    counts = store.counts()
    assert (counts.entities, counts.relations) == (0, 0)
    assert store.snapshot().number_of_nodes() == 0


def test_load_then_read_back_everything(loaded_store: GraphStore, tiny_dataset: Dataset) -> None:
    exported = export_dataset(loaded_store)
    assert sorted(exported.entities, key=lambda e: e.id) == sorted(
        tiny_dataset.entities, key=lambda e: e.id)
    assert sorted(exported.relations, key=lambda r: r.key) == sorted(
        tiny_dataset.relations, key=lambda r: r.key)
    counts = loaded_store.counts()
    assert counts.entities == 8 and counts.relations == 5
    assert counts.by_kind == {"body": 7, "legislation": 1}


def test_loading_twice_is_idempotent(loaded_store: GraphStore, tiny_dataset: Dataset) -> None:
    before = export_dataset(loaded_store)
    loaded_store.write(ChangeSet(upsert_entities=tiny_dataset.entities,
                                 upsert_relations=tiny_dataset.relations))
    assert export_dataset(loaded_store) == before
    assert loaded_store.counts().relations == 5


def test_revision_moves_on_every_write(store: GraphStore) -> None:
    first = store.revision()
    second = store.write(ChangeSet(upsert_entities=[body("a", "Alpha Board")]))
    third = store.write(ChangeSet(upsert_entities=[body("a", "Alpha Board renamed")]))
    assert first < second < third == store.revision()


def test_get_entity(loaded_store: GraphStore, tiny_dataset: Dataset) -> None:
    expected = next(e for e in tiny_dataset.entities if e.id == "the-promise-scotland")
    assert loaded_store.get_entity("the-promise-scotland") == expected
    assert loaded_store.get_entity("no-such-body") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Promise Scotland", {"the-promise-scotland"}),
    ("tps", {"the-promise-scotland"}),  # alias, case-insensitive
    ("programme board", {"promise-programme-board"}),
    ("(Scotland) Act", {"children-and-young-people-scotland-act-2014"}),  # punctuation
    ("nothing like this", set()),
])
def test_search_by_name_or_alias(loaded_store: GraphStore, text: str,
                                 expected: set[str]) -> None:
    assert _found(loaded_store, text) == expected


def test_search_filters_by_kind_and_type(loaded_store: GraphStore) -> None:
    assert _found(loaded_store, kind="legislation") == {
        "children-and-young-people-scotland-act-2014"}
    assert _found(loaded_store, "minister", type="ministerial_post") == {
        "first-minister", "minister-for-children-young-people-and-the-promise"}


def _found(store: GraphStore, text: str | None = None, **filters: str) -> set[str]:
    """The ids of every entity a search finds (one page holding them all)."""
    return {e.id for e in store.search(text, limit=10_000, **filters)[1]}


def test_relations_filter(loaded_store: GraphStore) -> None:
    assert [r.key for r in loaded_store.relations(type="FUNDS")] == [
        "scottish-government|FUNDS|the-promise-scotland"]
    assert {r.type for r in loaded_store.relations(source="the-promise-scotland")} == {
        "ACCOUNTABLE_TO"}
    assert len(loaded_store.relations(target="scottish-government")) == 1


def test_relation_attributes_round_trip(loaded_store: GraphStore) -> None:
    [inferred] = loaded_store.relations(type="ACCOUNTABLE_TO", source="the-promise-scotland")
    assert inferred.confidence == "inferred" and inferred.note and inferred.strength == "formal"
    [reference] = loaded_store.relations(type="ACCOUNTABLE_TO", source="scottish-government")
    assert reference.is_reference_only and reference.sources[0].url.startswith("https://")
    [dated] = loaded_store.relations(type="REPORTS_TO")
    assert str(dated.valid_from) == "2023-04-01"
    assert dated.sources[0].excerpt == "reports directly to the First Minister."


def test_delete_entity_takes_its_relations(loaded_store: GraphStore) -> None:
    loaded_store.write(ChangeSet(delete_entities=["scottish-government"]))
    assert loaded_store.get_entity("scottish-government") is None
    assert loaded_store.relations(type="FUNDS") == []
    assert loaded_store.counts().relations == 2


def test_delete_relation_by_key(loaded_store: GraphStore) -> None:
    loaded_store.write(ChangeSet(delete_relations=["scottish-government|FUNDS|the-promise-scotland"]))
    assert loaded_store.relations(type="FUNDS") == []
    assert loaded_store.counts().relations == 4


def test_failed_write_leaves_previous_graph(loaded_store: GraphStore) -> None:
    before, revision = export_dataset(loaded_store), loaded_store.revision()
    half_good = ChangeSet(
        upsert_entities=[body("new-board", "New Board")],
        upsert_relations=[Relation(source="new-board", type="REPORTS_TO", target="missing-body")],
        replace=True,
    )
    with pytest.raises(StoreWriteError, match="missing-body"):
        loaded_store.write(half_good)
    assert export_dataset(loaded_store) == before
    assert loaded_store.revision() == revision


def test_snapshot_is_cached_until_a_write(loaded_store: GraphStore) -> None:
    first = loaded_store.snapshot()
    assert loaded_store.snapshot() is first
    loaded_store.write(ChangeSet(upsert_entities=[body("another", "Another Board")]))
    second = loaded_store.snapshot()
    assert second is not first and "another" in second


def test_snapshot_shape(loaded_store: GraphStore) -> None:
    graph = loaded_store.snapshot()
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.number_of_nodes() == 8 and graph.number_of_edges() == 5
    assert graph.has_edge("scottish-government", "the-promise-scotland", key="FUNDS")
    assert graph.nodes["the-promise-scotland"]["entity"].name == "The Promise Scotland"


def test_quotes_and_unicode_survive(store: GraphStore) -> None:
    tricky = body("tricky", "Children’s \"Board\" 'quoted' $param {brace} \\ back",
                  aliases=["O'Neill's", "<script>x</script>"])
    store.write(ChangeSet(upsert_entities=[tricky]))
    assert store.get_entity("tricky") == tricky
    assert [e.id for e in store.search("oneills")[1]] == ["tricky"]


def test_relationship_type_is_checked_before_formatting() -> None:
    assert ":REPORTS_TO]" in relation_upsert_statement("REPORTS_TO")
    with pytest.raises(ValueError):
        relation_upsert_statement("REPORTS_TO]->(x) DETACH DELETE x //")


# --- history and stale writes ---------------------------------------------------------

def test_each_write_is_recorded_with_who_why_and_before_and_after(store: GraphStore) -> None:
    alice = Authorship("Alice", "Create the board", "000_1501bad59c68be6a.txt")
    bob = Authorship("Bob", "Rename it", "")
    store.write(ChangeSet(upsert_entities=[body("a", "Alpha Board"), body("b", "Beta Board")],
                          upsert_relations=[Relation(source="a", type="SUPPORTS", target="b")],
                          by=alice))
    store.write(ChangeSet(upsert_entities=[body("a", "Alpha Board renamed")], by=bob))
    store.write(ChangeSet(delete_entities=["b"], by=Authorship("Bob", "Beta abolished")))
    entries = store.history()
    assert [(e.editor, e.comment) for e in entries] == [
        ("Alice", "Create the board"), ("Bob", "Rename it"), ("Bob", "Beta abolished")]
    assert [e.revision for e in entries] == [1, 2, 3] == [*range(1, store.revision() + 1)]
    created, renamed, deleted = (e.changes for e in entries)
    assert [(c.kind, c.key, c.what) for c in created] == [
        ("entity", "a", "created"), ("entity", "b", "created"), ("relation", "a|SUPPORTS|b", "created")]
    assert entries[0].evidence == "000_1501bad59c68be6a.txt"
    assert [(c.before["name"], c.after["name"]) for c in renamed] == [  # type: ignore[index]
        ("Alpha Board", "Alpha Board renamed")]
    # the relation went with its entity, and the history says so
    assert [(c.key, c.what) for c in deleted] == [("b", "removed"), ("a|SUPPORTS|b", "removed")]
    assert [e.revision for e in select(entries, entity="b")] == [1, 3]


def test_replay_gives_the_graph_as_it_was(store: GraphStore) -> None:
    store.write(ChangeSet(upsert_entities=[body("a", "Alpha Board")]))
    store.write(ChangeSet(upsert_entities=[body("a", "Alpha Board renamed"), body("c", "C Board")]))
    assert [e.name for e in replay(store.history(), 1).entities] == ["Alpha Board"]
    assert replay(store.history(), 2) == export_dataset(store)


def test_a_stale_write_is_refused_whole(store: GraphStore) -> None:
    store.write(ChangeSet(upsert_entities=[body("a", "Alpha Board")]))
    read = store.get_entity("a")
    assert read is not None
    store.write(ChangeSet(upsert_entities=[body("a", "Alpha Board (first editor)")],
                          expect={"a": etag(read)}))
    before, revision, entries = export_dataset(store), store.revision(), len(store.history())
    with pytest.raises(StaleWriteError, match="a has changed since it was read"):
        store.write(ChangeSet(upsert_entities=[body("a", "Alpha Board (second editor)"),
                                               body("z", "Zed Board")],
                              expect={"a": etag(read)}))
    with pytest.raises(StaleWriteError, match="expected it not to exist yet"):
        store.write(ChangeSet(upsert_entities=[body("a", "Alpha again")], expect={"a": None}))
    assert export_dataset(store) == before and store.revision() == revision
    assert len(store.history()) == entries


def test_a_refused_write_leaves_no_history(store: GraphStore) -> None:
    with pytest.raises(StoreWriteError):
        store.write(ChangeSet(upsert_relations=[Relation(source="x", type="FUNDS", target="y")]))
    assert store.history() == [] and store.revision() == 0


def test_history_survives_a_restart(store: GraphStore,
                                    open_same_store: Callable[[], GraphStore]) -> None:
    store.write(ChangeSet(upsert_entities=[body("a", "Alpha Board")], by=Authorship("Alice", "why")))
    store.close()
    again = open_same_store()
    try:
        assert [(e.editor, e.comment, e.revision) for e in again.history()] == [("Alice", "why", 1)]
    finally:
        again.close()


def forget_history(store: GraphStore) -> None:
    """Make `store` one that holds data but no history: written before the history was
    kept, or loaded into Neo4j from a Cypher script."""
    if isinstance(store, SqliteStore):
        store._db.execute("DELETE FROM history")
    else:
        assert isinstance(store, Neo4jStore)
        store._driver.execute_query("MATCH (c:GovmapChange) DETACH DELETE c", database_=store.database)


def test_a_store_without_history_starts_one_with_a_baseline(store: GraphStore) -> None:
    store.write(ChangeSet(upsert_entities=[body("a", "Alpha Board"), body("b", "Beta Board")]))
    store.write(ChangeSet(upsert_entities=[body("a", "Alpha Board renamed")]))
    forget_history(store)
    with pytest.raises(NotFoundError, match="the history is empty"):
        replay(store.history(), 2)
    store.write(ChangeSet(upsert_entities=[body("c", "Gamma Board")], by=Authorship("Alice", "add c")))
    baseline, entry = store.history()
    assert (baseline.revision, baseline.editor, len(baseline.changes)) == (2, "(baseline)", 2)
    assert (entry.revision, entry.editor) == (3, "Alice")
    assert replay(store.history(), 3) == export_dataset(store)
    assert [e.name for e in replay(store.history(), 2).entities] == ["Alpha Board renamed", "Beta Board"]
    with pytest.raises(NotFoundError, match="starts at revision 2"):
        replay(store.history(), 1)


def test_a_version_is_the_record_not_its_bytes(store: GraphStore) -> None:
    """A record stored as other JSON (an older govmap, another tool) can still be edited
    by the ETag it is read with; If-Match: * needs only that it exists."""
    store.write(ChangeSet(upsert_entities=[body("a", "Alpha Board")]))
    compact = body("a", "Alpha Board").model_dump_json(exclude_defaults=True)
    if isinstance(store, SqliteStore):
        store._db.execute("UPDATE entities SET data = ? WHERE id = 'a'", (compact,))
    else:
        assert isinstance(store, Neo4jStore)
        store._driver.execute_query("MATCH (n:Entity {id: 'a'}) SET n.data = $d", d=compact,
                                    database_=store.database)
    read = store.get_entity("a")
    assert read is not None
    store.write(ChangeSet(upsert_entities=[body("a", "Alpha Board, edited")], expect={"a": etag(read)}))
    store.write(ChangeSet(upsert_entities=[body("a", "Alpha Board, again")], expect={"a": ANY_VERSION}))
    with pytest.raises(StaleWriteError, match="no longer exists"):
        store.write(ChangeSet(upsert_entities=[body("z", "Zed")], expect={"z": ANY_VERSION}))


@pytest.fixture(scope="module")
def real_dataset() -> Dataset:
    return read_seed(default_seed_dir())


def reference_search(dataset: Dataset, q: str | None, kind: str | None, type: str | None,
                     limit: int, offset: int) -> tuple[int, list[str]]:
    """What a search answered before stores ranked: every entity parsed, the matches
    ranked by `govmap.search.rank`, the near spellings when nothing matches."""
    candidates = [e for e in dataset.entities
                  if (kind is None or e.kind == kind) and (type is None or e.type == type)]
    needle = normalise(q or "")
    if not needle:
        ordered = sorted(candidates, key=lambda e: (e.name.casefold(), e.id))
    else:
        ordered = rank([e for e in candidates if any(needle in normalise(n) for n in e.names)], needle)
        ordered = ordered or near_spellings(candidates, needle)
    return len(ordered), [e.id for e in ordered[offset:offset + limit]]


SEARCHES = [  # q, kind, type, limit, offset
    ("Care Inspectorate", None, None, 10, 0),  # an exact name
    ("IJB", None, None, 10, 0),  # an exact alias
    ("Promise Partnership", None, None, 10, 0),  # a name and an alias of another, exactly
    ("promise", None, None, 50, 0),  # prefixes, whole words, substrings
    ("health board", None, None, 10, 0),  # words, and an alias "health boards"
    ("ship", None, None, 50, 0),  # substrings only
    ("ch", None, None, 20, 0), ("a", None, None, 20, 300), ("7", None, None, 20, 0),  # 1–2 characters
    ("(Scotland) Act", None, None, 10, 0), ("children’s", None, None, 10, 0),  # punctuation
    ("  --  ", None, None, 5, 0),  # nothing left once normalised: every entity, by name
    ("board", "body", None, 5, 0), ("minister", None, "ministerial_post", 10, 0),  # filters
    ("care", None, None, 10, 10), ("care", None, None, 10, 40), ("care", None, None, 10, 999),
    (None, None, None, 15, 100), (None, "plan", None, 10, 0),  # no query: by name
    ("Promise Programe Bord", None, None, 10, 0), ("Oversite board", "body", None, 10, 0),  # misspelt
    ("nothing like this at all", None, None, 10, 0),
]


def test_search_ranks_and_pages_as_the_reference(store: GraphStore, real_dataset: Dataset) -> None:
    """Every store gives the reference's totals and pages (so the same as each other),
    reading and parsing only the page."""
    store.write(ChangeSet.replacing_with(real_dataset))
    answers = [(q, kind, type, limit, offset,
                (lambda total, page: (total, [e.id for e in page]))(
                    *search_entities(store, q, kind=kind, type=type, limit=limit, offset=offset)))
               for q, kind, type, limit, offset in SEARCHES]
    assert answers == [
        (q, kind, type, limit, offset, reference_search(real_dataset, q, kind, type, limit, offset))
        for q, kind, type, limit, offset in SEARCHES]
    assert all(total for *_, (total, _) in answers[:-1])  # each query but the last finds something


def test_search_follows_every_write(store: GraphStore) -> None:
    """The name index changes in the write's transaction: renames, new aliases, deletes
    and a replacing write show at once, and a refused write changes nothing."""
    store.write(ChangeSet(upsert_entities=[body("a", "Alpha Board"), body("b", "Beta Board")]))
    store.write(ChangeSet(upsert_entities=[body("a", "Gamma Board", aliases=["Old Alpha"])],
                          delete_entities=["b"]))
    assert search_entities(store, "alpha") == (1, [body("a", "Gamma Board", aliases=["Old Alpha"])])
    assert search_entities(store, "beta board")[0] == 0
    with pytest.raises(StoreWriteError):
        store.write(ChangeSet(upsert_entities=[body("c", "Alpha Centauri")],
                              upsert_relations=[Relation(source="c", type="FUNDS", target="zz")]))
    assert [e.id for e in search_entities(store, "alpha")[1]] == ["a"]
    store.write(ChangeSet.replacing_with(Dataset(entities=[body("d", "Delta Board")], relations=[])))
    assert [(total, [e.id for e in page]) for total, page in (
        search_entities(store, "board"), search_entities(store, "gamma"))] == [(1, ["d"]), (0, [])]
