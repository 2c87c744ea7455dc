"""What a store is: the `GraphStore` protocol every backend implements.

A store keeps entities and relations, applies each `ChangeSet` as one transaction
(all of it or none of it), and counts its writes in a revision number. Everything
above the store reads the graph through `snapshot()`, so the meaning of every query
is the same whichever backend holds the data. The contract suite in
`tests/test_store_contract.py` is the full definition.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import networkx as nx

from govmap.history import Authorship, HistoryEntry
from govmap.model import Dataset, Entity, Relation


@dataclass(frozen=True)
class ChangeSet:
    """One write: applied as a single transaction, or not at all.

    Deleting an entity deletes its relations too. With `replace`, the graph is
    emptied first, so the change set becomes the whole graph.

    `by` says who writes and why; the store records it in its history with the before
    and after of every record the write touches. `expect` maps an entity id or a
    relation key to the ETag (`govmap.history.etag`) of the copy the writer started
    from, or to None for a record the writer expects not to exist yet: the store checks
    it inside the transaction and refuses a stale write (`StaleWriteError`).
    """

    upsert_entities: Sequence[Entity] = ()
    upsert_relations: Sequence[Relation] = ()
    delete_entities: Sequence[str] = ()
    delete_relations: Sequence[str] = ()  # relation keys, "source|TYPE|target"
    replace: bool = False
    by: Authorship = field(default_factory=Authorship)
    expect: Mapping[str, str | None] = field(default_factory=dict)

    @classmethod
    def replacing_with(cls, dataset: Dataset, by: Authorship | None = None) -> ChangeSet:
        return cls(upsert_entities=dataset.entities, upsert_relations=dataset.relations,
                   replace=True, by=by or Authorship())


@dataclass(frozen=True)
class StoreCounts:
    entities: int
    relations: int
    by_kind: dict[str, int] = field(default_factory=dict)


@runtime_checkable
class GraphStore(Protocol):
    """The operations every backend provides, with the same meaning."""

    kind: str  # "sqlite" or "neo4j"

    def revision(self) -> int:
        """A number that changes on every committed write (0 for a new store)."""
        ...

    def write(self, change: ChangeSet) -> int:
        """Apply `change` in one transaction, with its history entry, and return the new
        revision.

        Raises `StoreWriteError` (and applies nothing) when a relation names a
        missing entity or an id would be duplicated, and `StaleWriteError` when a
        record is not at the version `change.expect` names.
        """
        ...

    def history(self) -> list[HistoryEntry]:
        """Every recorded write, oldest first (`govmap.history.select` filters them)."""
        ...

    def get_entity(self, entity_id: str) -> Entity | None: ...

    def search(
        self, text: str | None = None, *, kind: str | None = None, type: str | None = None,
        limit: int = 50, offset: int = 0,
    ) -> tuple[int, list[Entity]]:
        """The number of entities whose normalised names contain `text`, and one page of
        them ranked by `govmap.search.best_score`, ties by name then id; without `text`
        (or with nothing left of it once normalised), every entity by
        `govmap.search.by_name`. Only the page is read in full, so that a search costs
        what its page does, not what its matches do (`govmap.search.search_entities`
        adds the near spellings when nothing matches).
        """
        ...

    def names_of_length(
        self, low: int, high: int, *, kind: str | None = None, type: str | None = None
    ) -> list[tuple[str, str]]:
        """(entity id, normalised name or alias) for every name between `low` and `high`
        characters long: the only names that can be near spellings of a query
        (`govmap.search.spelling_lengths`)."""
        ...

    def entities(self) -> list[Entity]: ...

    def relations(
        self, *, type: str | None = None, source: str | None = None, target: str | None = None
    ) -> list[Relation]: ...

    def counts(self) -> StoreCounts: ...

    def snapshot(self) -> nx.MultiDiGraph:
        """The graph as networkx, cached until the revision changes. Do not mutate it."""
        ...

    def close(self) -> None: ...


def export_dataset(store: GraphStore) -> Dataset:
    """Everything in `store`, in the seed's shape."""
    return Dataset(entities=sorted(store.entities(), key=lambda e: e.id),
                   relations=sorted(store.relations(), key=lambda r: r.key))


def is_empty(store: GraphStore) -> bool:
    return store.counts().entities == 0
