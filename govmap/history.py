"""The change history: who changed what, when, why and on what evidence.

Every store write records one `HistoryEntry`, in the same transaction as the change:
the editor's name, the time, a comment, the evidence given, and the before and after
of every entity and relation it touched (a relation removed with its entity counts as
touched). The functions here are shared by every store, so the history means the same
whichever backend keeps it: `changes_json` works out what a `ChangeSet` does to the
records it reads first, `check_expected` refuses a write based on a stale copy, and
`replay` rebuilds the graph as it was at any recorded revision.

A store keeps an entry's changes as one JSON text (`HistoryRow`), made by splicing the
records' JSON as the store wrote them (`history_row`): each record is serialised once
per write, and never parsed back to be dumped again. Reading parses it (`parse_changes`),
whichever write path made it.

An *ETag* names one version of a record: a short hash of its JSON. An editor sends
back the ETag of the copy they started from (HTTP `If-Match`); if the record has
changed since, the write is refused and nothing is written.

>>> from govmap.model import Entity
>>> board = Entity(id="b", kind="body", type="board", name="Board", scope="collective")
>>> etag(board) == etag(Entity.model_validate_json(board.model_dump_json()))
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from json.encoder import encode_basestring  # json.dumps(key, ensure_ascii=False), in C
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import networkx as nx

from govmap.errors import NotFoundError, StaleWriteError
from govmap.model import Dataset, Entity, Relation
from govmap.queries.common import resolve

if TYPE_CHECKING:
    from govmap.stores.base import ChangeSet

ANY_VERSION = "*"  # If-Match: * — the record must exist, whatever its version
NOT_NAMED = "(not named)"  # the editor of a write made outside the API (a load, a test)


@dataclass(frozen=True)
class Authorship:
    """Who makes a write, and why: recorded with it in the history."""

    editor: str = NOT_NAMED
    comment: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class RecordChange:
    """One record before and after a write (None: it did not exist / no longer does)."""

    kind: Literal["entity", "relation"]
    key: str  # an entity id or a relation key
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @property
    def what(self) -> Literal["created", "changed", "removed"]:
        return "created" if self.before is None else "removed" if self.after is None else "changed"

    def touches(self, entity_id: str) -> bool:
        """True when this change is to the entity, or to a relation to or from it."""
        if self.kind == "entity":
            return self.key == entity_id
        source, _, target = self.key.split("|")
        return entity_id in (source, target)


@dataclass(frozen=True)
class HistoryEntry:
    revision: int
    at: str  # ISO 8601, UTC
    editor: str
    comment: str
    evidence: str
    changes: tuple[RecordChange, ...] = field(default=())

    def as_json(self) -> str:
        """The changes as stored: a JSON list."""
        return json.dumps([vars(c) for c in self.changes], ensure_ascii=False)


class HistoryRow(NamedTuple):
    """An entry as a store keeps it (the columns of SQLite's `history` table): the
    changes as one JSON text, a list of `{"kind", "key", "before", "after"}`."""

    revision: int
    at: str
    editor: str
    comment: str
    evidence: str
    changes_json: str

    def entry(self) -> HistoryEntry:
        return HistoryEntry(*self[:5], parse_changes(self.changes_json))


# The JSON of each record a write upserts, by id (entities) or key (relations), with the
# record: made once, for the store's rows and the history alike.
Upserts = tuple[dict[str, tuple[Entity, str]], dict[str, tuple[Relation, str]]]


def etag(record: Entity | Relation) -> str:
    """The version name of a record: 16 hex digits of the hash of its JSON."""
    return hashlib.sha256(record.model_dump_json().encode("utf-8")).hexdigest()[:16]


def wanted(change: ChangeSet) -> tuple[list[str], list[str], list[str]]:
    """What a store must read before applying `change` (unless it replaces the whole
    graph): the entity ids and relation keys it names, and the ids it deletes, whose
    relations go with them."""
    ids = {*(e.id for e in change.upsert_entities), *change.delete_entities,
           *(k for k in change.expect if "|" not in k)}
    keys = {*(r.key for r in change.upsert_relations), *change.delete_relations,
            *(k for k in change.expect if "|" in k)}
    return sorted(ids), sorted(keys), sorted(change.delete_entities)


def serialised(change: ChangeSet) -> Upserts:
    """The records `change` upserts, each with its JSON; of a record named twice the last
    copy wins, as upserting them in turn would."""
    return ({e.id: (e, e.model_dump_json()) for e in change.upsert_entities},
            {r.key: (r, r.model_dump_json()) for r in change.upsert_relations})


def after_write(change: ChangeSet, before_entities: Mapping[str, str],
                before_relations: Mapping[str, str], upserts: Upserts | None = None
                ) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """The JSON of every record `change` touches once it is applied (None: gone), the
    upserted ones taken from `upserts` (`serialised(change)` when not given).

    The order is the stores': clear (for `replace`), deletes, then upserts.
    """
    upserted_entities, upserted_relations = serialised(change) if upserts is None else upserts
    entities: dict[str, str | None] = {}
    relations: dict[str, str | None] = {}
    gone = set(change.delete_entities)
    if change.replace:
        entities = dict.fromkeys(before_entities)
        relations = dict.fromkeys(before_relations)
    relations.update(dict.fromkeys(change.delete_relations))
    entities.update(dict.fromkeys(change.delete_entities))
    relations.update({key: None for key in before_relations
                      if {key.split("|")[0], key.split("|")[2]} & gone})
    entities.update({key: text for key, (_, text) in upserted_entities.items()})
    relations.update({key: text for key, (_, text) in upserted_relations.items()})
    return entities, relations


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def history_row(change: ChangeSet, revision: int, before_entities: Mapping[str, str],
                before_relations: Mapping[str, str], upserts: Upserts | None = None) -> HistoryRow:
    """The entry a store records for `change`, applied as `revision`, given the JSON of
    the records it touched as they were before (and of those it upserts, `upserts`, when
    the store has made it already)."""
    changes = changes_json(before_entities, before_relations,
                           *after_write(change, before_entities, before_relations, upserts))
    return HistoryRow(revision, now(), change.by.editor, change.by.comment, change.by.evidence,
                      changes)


def check_expected(expect: Mapping[str, str | None], current: Mapping[str, str]) -> None:
    """Refuse the write unless each expected record is at the expected version.

    `expect` maps an entity id or relation key to the ETag the writer read (None: the
    writer expects it not to exist; `ANY_VERSION`: any version, as long as it exists);
    `current` maps keys to the stored records' JSON.
    """
    for key, expected in expect.items():
        stored = current.get(key)
        # the version of the record as read back, whatever bytes a store or tool wrote
        model = Relation if "|" in key else Entity
        actual = None if stored is None else etag(model.model_validate_json(stored))
        if expected == ANY_VERSION and actual is not None:
            continue
        if actual != expected:
            raise StaleWriteError(key, expected, actual)


def changes_json(before_entities: Mapping[str, str], before_relations: Mapping[str, str],
                 after_entities: Mapping[str, str | None],
                 after_relations: Mapping[str, str | None]) -> str:
    """The records a write changed, as the JSON list a store keeps (`parse_changes`
    reads it): each record's JSON before and after (null for absent) spliced in as it
    is, with unchanged upserts left out. The list's own punctuation is `json.dumps`'s, as
    when the whole entry was dumped. Each record's text must be JSON: the after from
    `model_dump_json`, the before as the store read it (`SqliteStore` checks it).

    >>> changes_json({"a": '{"id":"a"}'}, {}, {"a": '{"id":"a","n":1}', "b": None}, {})
    '[{"kind": "entity", "key": "a", "before": {"id":"a"}, "after": {"id":"a","n":1}}]'
    """
    return "[" + ", ".join(
        f'{{"kind": "{kind}", "key": {encode_basestring(key)}, '
        f'"before": {"null" if old is None else old}, "after": {"null" if new is None else new}}}'
        for kind, key, old, new in _changed(before_entities, before_relations,
                                            after_entities, after_relations)) + "]"


def _changed(before_entities: Mapping[str, str], before_relations: Mapping[str, str],
             after_entities: Mapping[str, str | None], after_relations: Mapping[str, str | None]
             ) -> Iterator[tuple[str, str, str | None, str | None]]:
    """(kind, key, JSON before, JSON after) of each record whose JSON a write changes,
    entities then relations, each by key."""
    for kind, before, after in (("entity", before_entities, after_entities),
                                ("relation", before_relations, after_relations)):
        for key in sorted(after):
            old, new = before.get(key), after[key]
            if old != new:
                yield kind, key, old, new


def parse_changes(text: str) -> tuple[RecordChange, ...]:
    return tuple(RecordChange(**c) for c in json.loads(text))


def select(entries: Iterable[HistoryEntry], *, entity: str | None = None, editor: str | None = None,
           since: str | None = None) -> list[HistoryEntry]:
    """The entries touching `entity`, by `editor`, at or after `since` (an ISO date or time)."""
    return [e for e in entries
            if (entity is None or any(c.touches(entity) for c in e.changes))
            and (editor is None or e.editor == editor)
            and (since is None or e.at >= since)]


BASELINE_EDITOR = "(baseline)"


def baseline_row(revision: int, entities: Mapping[str, str], relations: Mapping[str, str]
                 ) -> HistoryRow:
    """The entry a store records before its first recorded write when it already holds
    data (written before it kept a history, or loaded by another tool): every record,
    as created at `revision`, so that the history can rebuild any later revision."""
    return HistoryRow(revision, now(), BASELINE_EDITOR, "the store as it was when its history began",
                      "", changes_json({}, {}, entities, relations))


def history_json(entries: Iterable[HistoryEntry]) -> str:
    """Entries as one JSON document: what `govmap history --json` prints and
    `govmap export --with-history` writes beside the data."""
    return json.dumps([{**vars(e), "changes": [vars(c) for c in e.changes]} for e in entries],
                      indent=2, ensure_ascii=False)


def newest_first(entries: list[HistoryEntry], graph: nx.MultiDiGraph, *, entity: str | None = None,
                 editor: str | None = None, since: str | None = None) -> list[HistoryEntry]:
    """What `govmap history` and `GET /history` list, newest first. `entity` is an id the
    history knows (so a deleted entity is still found), else an id, name or alias of the
    map as it is (`NotFoundError` with candidates when it names nothing)."""
    known = entity is None or any(c.key == entity for e in entries for c in e.changes)
    entity_id = entity if known else resolve(graph, entity).id  # type: ignore[arg-type]
    return select(entries, entity=entity_id, editor=editor, since=since)[::-1]


def changed_since(entries: Iterable[HistoryEntry], key: str, version: str | None
                  ) -> list[HistoryEntry]:
    """The writes to record `key` (an entity id or relation key) after the one that
    left it at `version` — or every write to it, when none did."""
    touching = [e for e in entries if any(c.key == key for c in e.changes)]
    for index in range(len(touching) - 1, -1, -1):
        change = next(c for c in touching[index].changes if c.key == key)
        if change.after is not None and version is not None:
            model = Entity if change.kind == "entity" else Relation
            if etag(model.model_validate(change.after)) == version:
                return touching[index + 1:]
    return touching


def replay(entries: Iterable[HistoryEntry], revision: int) -> Dataset:
    """The graph as it was just after `revision`, rebuilt from the history.

    The history must begin at revision 1, or with a baseline (`baseline_row`) at or
    before `revision`; otherwise the records written before it are unknown, and this
    refuses rather than give a part of the map.
    """
    entities: dict[str, dict[str, Any]] = {}
    relations: dict[str, dict[str, Any]] = {}
    entries = sorted(entries, key=lambda e: e.revision)
    if not entries or revision < entries[0].revision:
        start = f"starts at revision {entries[0].revision}" if entries else "is empty"
        raise NotFoundError(f"the history {start}: the map as at revision {revision} cannot be "
                            "rebuilt from it")
    for entry in entries:
        if entry.revision > revision:
            break
        for change in entry.changes:
            records = entities if change.kind == "entity" else relations
            if change.after is None:
                records.pop(change.key, None)
            else:
                records[change.key] = change.after
    return Dataset(entities=[Entity.model_validate(d) for _, d in sorted(entities.items())],
                   relations=[Relation.model_validate(d) for _, d in sorted(relations.items())])
