"""`Neo4jStore`: the shared store, any Bolt server speaking Neo4j 5 Cypher.

Every statement is a named file in `queries/` (`cypher("entities_upsert")`) and
takes parameters only. The one thing formatted into a statement is a relationship
type, and only after it is checked against the closed vocabulary `RelType`. Each
`write` runs in one managed transaction (`execute_write`), so a failure part-way
rolls everything back and transient conflicts are retried by the driver.

Nodes are `(:Entity {id, kind, type, name, search_text, data})`, relationships carry
`{key, data}`, and `data` is the record as JSON: property values stay scalars, which
every Neo4j-compatible server stores the same way.

A write sends its rows in batches (`BATCH_ROWS`) and a long history entry in pieces
(`HISTORY_PIECE_CHARS`), all inside the one transaction: a Bolt server may refuse a
message past a size (ArcadeDB: 16 MiB, and its client then waits for an answer that
never comes), and one statement of 10^4 entities' history is 23 MB.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from functools import cache
from importlib import resources
from itertools import groupby
from typing import Any

import networkx as nx
from neo4j import Driver, GraphDatabase, ManagedTransaction
from neo4j.exceptions import ClientError, ConstraintError

from govmap.errors import StoreWriteError
from govmap.history import (
    HistoryEntry,
    HistoryRow,
    baseline_row,
    check_expected,
    history_row,
    parse_changes,
    serialised,
    wanted,
)
from govmap.model import RELATIONSHIPS, Entity, Relation, RelType
from govmap.search import by_name, normalise, ranked, search_text
from govmap.snapshot import SnapshotCache, build_snapshot
from govmap.stores.base import ChangeSet, StoreCounts


@cache
def cypher(name: str) -> str:
    """The text of `queries/<name>.cypher`."""
    return (resources.files("govmap.queries") / f"{name}.cypher").read_text(encoding="utf-8")


def relation_upsert_statement(rel_type: str, name: str = "relations_upsert") -> str:
    """The statement `name` (`relations_upsert`, `relations_create`) for one relationship
    type of the closed vocabulary."""
    checked = RelType(rel_type)  # raises ValueError for anything outside the vocabulary
    return cypher(name).replace("{rel_type}", checked.value)


def upward_hop_statements() -> list[str]:
    """The two one-level statements of the push-down walk (forwards, backwards), their
    relationship types taken from the vocabulary's upward column, each checked against
    the closed vocabulary before it is written into the Cypher text."""
    statements = []
    for direction in ("forward", "backward"):
        types = sorted(RelType(t).value for t, m in RELATIONSHIPS.items() if m.upward == direction)
        statements.append(cypher(f"upward_hops_{direction}").replace("{types}", "|".join(types)))
    return statements


MAX_UPWARD_DEPTH = 12

# Rows per statement of a write. Measured on the test ArcadeDB (-Xmx512m, 2 shared cores),
# replacing writes, a raw `UNWIND … CREATE` of the same rows alongside: at 3*10^3 the
# statements took 1.6-2.1 s in batches of 500, 1.2-1.6 s of 2000, 0.7-1.0 s of 10000;
# at 10^4 the whole write took (median of 3) 6.8 s in batches of 1000, 6.8 of 2500,
# 7.1 of 5000, 6.6 of 10000, as alike as the raw baseline's 2.1-3.0 s. Past a few
# thousand rows size no longer counts; 5000 entity rows are about 4.5 MB (relation rows
# 2.5 MB), a third of the 16 MiB a message may hold on ArcadeDB.
BATCH_ROWS = 5_000
# Characters of a history entry's changes JSON per node: 2 Mi characters are at most
# 8 MiB of UTF-8, half of ArcadeDB's message limit; a replacing write of 10^4 entities
# records 23 MB of changes, so 12 pieces.
HISTORY_PIECE_CHARS = 2 ** 21


def batches(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """`rows` in slices of at most `size`."""
    return (rows[start:start + size] for start in range(0, len(rows), size))


class Neo4jStore:
    """A `GraphStore` in a Neo4j (or Bolt-compatible) database."""

    kind = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str | None = None) -> None:
        self.uri = uri
        self.database = database
        self._driver: Driver = GraphDatabase.driver(uri, auth=(user, password))
        self._snapshots = SnapshotCache()
        self._unique_ids_enforced = self._ensure_schema()

    def _ensure_schema(self) -> bool:
        """Create the id constraint and kind index; False if the server refuses the constraint."""
        enforced = True
        with self._driver.session(database=self.database) as session:
            try:
                session.run(cypher("schema_entity_id")).consume()
            except ClientError:
                enforced = False  # uniqueness is then checked inside every write instead
            session.run(cypher("schema_entity_kind")).consume()
        return enforced

    def _read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            return [record.data() for record in tx.run(cypher(name), params)]

        with self._driver.session(database=self.database) as session:
            return session.execute_read(work)

    # -- GraphStore ---------------------------------------------------------------
    def revision(self) -> int:
        return int(self._read("revision_get")[0]["revision"])

    def write(self, change: ChangeSet) -> int:
        try:
            with self._driver.session(database=self.database) as session:
                revision = session.execute_write(self._apply, change)
        except ConstraintError as exc:
            raise StoreWriteError(f"the write breaks a constraint: {exc.message}") from exc
        self._snapshots.refresh(revision, self._read_graph, change)  # the writer reads back its write
        return revision

    @staticmethod
    def _before(tx: ManagedTransaction, change: ChangeSet) -> tuple[dict[str, str], dict[str, str]]:
        """The stored JSON of the records `change` touches (all of them for `replace`)."""
        if change.replace:
            entities = tx.run(cypher("entities_data_all"))
            relations = tx.run(cypher("relations_data_all"))
        else:
            ids, keys, deleted = wanted(change)
            entities = tx.run(cypher("entities_data_by_ids"), ids=ids)
            relations = tx.run(cypher("relations_data_by_keys_or_ends"), keys=keys, ends=deleted)
        return (_stored_json({r["id"]: r["data"] for r in entities}),
                _stored_json({r["key"]: r["data"] for r in relations}))

    def _apply(self, tx: ManagedTransaction, change: ChangeSet) -> int:
        # The revision is bumped first: that takes the write lock on the one meta node, so
        # writers queue here (as SQLite's BEGIN IMMEDIATE makes them) and each reads the
        # records it checks and records only after the write before it has committed.
        revision = int(tx.run(cypher("revision_bump")).single(strict=True)["revision"])
        entries = self._baseline(tx, revision - 1)
        before_entities, before_relations = self._before(tx, change)
        check_expected(change.expect, {**before_entities, **before_relations})
        if change.replace:
            tx.run(cypher("graph_clear")).consume()
        if change.delete_relations:
            rows = [dict(zip(("source", "type", "target"), k.split("|"), strict=True))
                    for k in change.delete_relations]
            tx.run(cypher("relations_delete"), rows=rows).consume()
        if change.delete_entities:
            tx.run(cypher("entities_delete"), ids=list(change.delete_entities)).consume()
        # Into a graph just emptied, CREATE gives what MERGE would: the rows hold each id
        # and key once, the last copy of it in the change (the one MERGE and SET would keep).
        verb = "create" if change.replace else "upsert"
        upserts = serialised(change)  # each record's JSON made once, for its node and the history
        if change.upsert_entities:
            rows = [{"id": e.id, **entity_props(e, data)} for e, data in upserts[0].values()]
            for batch in batches(rows, BATCH_ROWS):
                tx.run(cypher(f"entities_{verb}"), rows=batch).consume()
        if change.upsert_relations:
            missing = self._missing_ends(tx, change)
            if missing:
                raise StoreWriteError(
                    f"relations refer to missing entity ids: {', '.join(missing)}")
            by_type: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
            for r, data in upserts[1].values():
                by_type[str(r.type)][r.key] = {"source": r.source, "target": r.target,
                                               **relation_props(r, data)}
            for rel_type, by_key in sorted(by_type.items()):
                statement = relation_upsert_statement(rel_type, f"relations_{verb}")
                for batch in batches(list(by_key.values()), BATCH_ROWS):
                    tx.run(statement, rows=batch).consume()
        if not self._unique_ids_enforced:
            duplicated = [r["id"] for r in tx.run(cypher("entities_duplicate_ids"))]
            if duplicated:
                raise StoreWriteError(f"duplicate entity ids: {', '.join(duplicated)}")
        for entry in (*entries, history_row(change, revision, before_entities, before_relations,
                                                      upserts)):
            for part, piece in enumerate(batches(entry.changes_json, HISTORY_PIECE_CHARS)):
                tx.run(cypher("history_append"), revision=entry.revision, part=part, at=entry.at,
                       editor=entry.editor, comment=entry.comment, evidence=entry.evidence,
                       changes=piece).consume()
        return revision

    @staticmethod
    def _missing_ends(tx: ManagedTransaction, change: ChangeSet) -> list[str]:
        """The ids, sorted, that relations of `change` end on and no entity has."""
        ends = sorted({x for r in change.upsert_relations for x in (r.source, r.target)})
        if change.replace:  # the graph holds the change's entities and nothing else
            present = {e.id for e in change.upsert_entities}
            return [x for x in ends if x not in present]
        return [r["id"] for batch in batches(ends, BATCH_ROWS)
                for r in tx.run(cypher("entities_missing"), ids=batch)]

    @staticmethod
    def _baseline(tx: ManagedTransaction, revision: int) -> list[HistoryRow]:
        """[the baseline entry] when the database holds data but no history yet (written
        before the history was kept, or loaded from a Cypher script), else []."""
        if revision == 0 or list(tx.run(cypher("history_first"))):
            return []
        return [baseline_row(
            revision, _stored_json({r["id"]: r["data"] for r in tx.run(cypher("entities_data_all"))}),
            _stored_json({r["key"]: r["data"] for r in tx.run(cypher("relations_data_all"))}))]

    def history(self) -> list[HistoryEntry]:
        entries = []
        for _, group in groupby(self._read("history_all"), key=lambda r: r["revision"]):
            pieces = list(group)  # one entry's nodes, in `part` order
            r = pieces[0]
            entries.append(HistoryEntry(r["revision"], r["at"], r["editor"], r["comment"], r["evidence"],
                                        parse_changes("".join(p["changes"] for p in pieces))))
        return entries

    def get_entity(self, entity_id: str) -> Entity | None:
        rows = self._read("entity_get", id=entity_id)
        return Entity.model_validate_json(rows[0]["data"]) if rows else None

    def search(
        self, text: str | None = None, *, kind: str | None = None, type: str | None = None,
        limit: int = 50, offset: int = 0,
    ) -> tuple[int, list[Entity]]:
        # The database finds the matches and sends their names only; they are ranked here
        # by the shared rules, and only the page's records are read and parsed.
        needle = normalise(text or "")

        def work(tx: ManagedTransaction) -> tuple[int, list[Entity]]:
            rows = [(r["id"], r["name"], r["search_text"][1:-1].split("|")) for r in tx.run(
                cypher("entities_search"), text=needle, kind=kind, type=type)]
            ids = ranked(rows, needle) if needle else [
                id for _, id in sorted(by_name(name, id) for id, name, _ in rows)]
            page = ids[offset:offset + limit]
            data = {r["id"]: r["data"] for r in tx.run(cypher("entities_data_by_ids"), ids=page)}
            return len(ids), [Entity.model_validate_json(data[id]) for id in page]

        with self._driver.session(database=self.database) as session:
            return session.execute_read(work)

    def names_of_length(
        self, low: int, high: int, *, kind: str | None = None, type: str | None = None
    ) -> list[tuple[str, str]]:
        rows = self._read("entities_search", text="", kind=kind, type=type)
        return [(r["id"], name) for r in rows for name in r["search_text"][1:-1].split("|")
                if low <= len(name) <= high]

    def entities(self) -> list[Entity]:
        return [Entity.model_validate_json(r["data"]) for r in self._read("entities_all")]

    def relations(
        self, *, type: str | None = None, source: str | None = None, target: str | None = None
    ) -> list[Relation]:
        rows = self._read("relations_match", type=type, source=source, target=target)
        return [Relation.model_validate_json(r["data"]) for r in rows]

    def counts(self) -> StoreCounts:
        by_kind = {r["kind"]: int(r["entities"]) for r in self._read("entities_count")}
        relations = int(self._read("relations_count")[0]["relations"])
        return StoreCounts(entities=sum(by_kind.values()), relations=relations, by_kind=by_kind)

    def snapshot(self) -> nx.MultiDiGraph:
        return self._snapshots.get(self.revision(), self._read_graph)

    def _read_graph(self) -> nx.MultiDiGraph:
        # One read transaction, so that entities and relations come from the same state.
        def work(tx: ManagedTransaction) -> nx.MultiDiGraph:
            entities = [Entity.model_validate_json(r["data"]) for r in tx.run(cypher("entities_all"))]
            relations = [Relation.model_validate_json(r["data"]) for r in tx.run(
                cypher("relations_match"), type=None, source=None, target=None)]
            return build_snapshot(entities, relations)

        with self._driver.session(database=self.database) as session:
            return session.execute_read(work)

    def upward_paths(self, start: str) -> list[tuple[list[str], list[str]]]:
        """Every path up from `start`, with its hops read from the database one level at a
        time (a breadth-first walk of at most 12 levels, each level one query per
        direction): (entity ids, relation keys). Every prefix of a path is itself a path;
        a path may end on a body already on it (a cycle). "Up" has the meaning of
        `govmap.queries.accountability`; a contract test checks the answer against the
        NetworkX chain.
        """
        statements = upward_hop_statements()
        ups: dict[str, list[tuple[str, str]]] = {}

        def work(tx: ManagedTransaction) -> None:
            frontier, seen = {start}, set()
            for _ in range(MAX_UPWARD_DEPTH):
                level = sorted(frontier - seen)
                if not level:
                    return
                seen.update(level)
                frontier = set()
                for statement in statements:
                    for r in tx.run(statement, ids=level):
                        ups.setdefault(r["lower"], []).append((r["upper"], r["key"]))
                        frontier.add(r["upper"])

        with self._driver.session(database=self.database) as session:
            session.execute_read(work)
        paths: list[tuple[list[str], list[str]]] = []

        def walk(ids: list[str], keys: list[str]) -> None:
            for upper, key in sorted(ups.get(ids[-1], [])):
                paths.append(([*ids, upper], [*keys, key]))
                if upper not in ids and len(keys) + 1 < MAX_UPWARD_DEPTH:
                    walk([*ids, upper], [*keys, key])

        walk([start], [])
        return paths

    def close(self) -> None:
        self._driver.close()


def _stored_json(records: dict[str, str]) -> dict[str, str]:
    """`records` (stored JSON by id or key), refused if any is not JSON: the history
    entry splices the stored text in as it is (another tool may have written it)."""
    broken = []
    for key, data in records.items():
        try:
            json.loads(data)
        except (TypeError, ValueError):
            broken.append(key)
    if broken:
        raise StoreWriteError(f"stored records are not valid JSON: {', '.join(sorted(broken))}")
    return records


def entity_props(entity: Entity, data: str | None = None) -> dict[str, Any]:
    """The properties of an entity's node besides `id` (also used by the Cypher script export,
    so that a graph loaded from it is one this store reads back); `data` is its JSON, when
    made already."""
    return {"kind": str(entity.kind), "type": entity.type, "name": entity.name,
            "search_text": search_text(entity), "data": data or entity.model_dump_json()}


def relation_props(relation: Relation, data: str | None = None) -> dict[str, str]:
    """The properties of a relation's relationship: its key and the record as JSON."""
    return {"key": relation.key, "data": data or relation.model_dump_json()}
