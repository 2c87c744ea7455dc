"""Import a file in any readable format into a store: every row through the seed's
checks, matched to what the store already holds, written as one transaction.

Matching is what makes a re-import safe: an imported entity whose id the store
already has *updates* it; one with a new id whose name or alias is, once normalised,
the name or alias of exactly one stored entity of the same kind is taken to *be*
that entity (its relations are re-pointed to the stored id) and the match is
reported; anything else is created. Importing an export therefore changes nothing.
A format that cannot hold every field (FollowTheMoney, Popolo) patches: it changes
only the fields it carries, and never erases the rest.
The merged graph — the store with the file's records upserted — must pass every
check across records before anything is written; then the file's records go to the
store in one `ChangeSet`, all or nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Literal

from pydantic import ValidationError

from govmap.errors import SeedProblem, SeedValidationError
from govmap.history import Authorship, etag
from govmap.interop.registry import Row, at_most, interop_format, read_rows, records_from_rows
from govmap.model import Dataset, Entity, Relation
from govmap.search import normalise
from govmap.seed import checked_dataset
from govmap.stores import ChangeSet, GraphStore, export_dataset

STORE = "the store"  # where a stored record "was read", in messages
Record = Entity | Relation


@dataclass(frozen=True)
class Match:
    """An imported entity taken to be a stored one with another id."""

    imported_id: str
    stored_id: str
    by: Literal["name", "alias"]
    name: str


@dataclass(frozen=True)
class ImportPlan:
    """What an import does to the store, before (or without) doing it."""

    change: ChangeSet
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    relations_created: int = 0
    relations_updated: int = 0
    relations_unchanged: int = 0

    @property
    def changes_anything(self) -> bool:
        return bool(self.change.upsert_entities or self.change.upsert_relations)


def _name_index(stored: list[Entity]) -> tuple[dict[tuple[str, str], set[str]],
                                               dict[tuple[str, str], set[str]]]:
    """(kind, normalised name or alias) -> the stored ids that carry it, and (kind,
    normalised name) -> the stored ids with that canonical name."""
    any_name: dict[tuple[str, str], set[str]] = defaultdict(set)
    canonical: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entity in stored:
        canonical[(str(entity.kind), normalise(entity.name))].add(entity.id)
        for name in entity.names:
            any_name[(str(entity.kind), normalise(name))].add(entity.id)
    return any_name, canonical


def match_entities(imported: list[tuple[Entity, str, int | None]], stored: list[Entity],
                   problems: list[SeedProblem]) -> list[Match]:
    """The imported entities (with new ids) that are stored entities under another id.

    An imported entity matches a stored one of its kind when its name is the stored
    name or an alias, or one of its aliases is the stored *name*; an alias never
    matches an alias (two bodies may share an acronym). Every candidate of the name and
    aliases together must be the same entity, of the same type: otherwise nothing is
    matched and it is a problem — the file must give the id it means.
    """
    by_id = {e.id: e for e in stored}
    any_name, canonical = _name_index(stored)
    matches = []
    for entity, file, line in imported:
        if entity.id in by_id:
            continue
        kind = str(entity.kind)
        found = [("name", entity.name, i) for i in any_name.get((kind, normalise(entity.name)), ())]
        found += [("alias", alias, i) for alias in entity.aliases
                  for i in canonical.get((kind, normalise(alias)), ())]
        ids = sorted({i for _, _, i in found})
        if len(ids) > 1:
            problems.append(SeedProblem(file, line, "name", f"{entity.name!r} and its aliases name "
                                        f"{len(ids)} stored entities ({', '.join(ids)}); give the id "
                                        "of the one it is"))
        elif ids and by_id[ids[0]].type != entity.type:
            problems.append(SeedProblem(file, line, "type", f"{entity.name!r} names the stored "
                                        f"{ids[0]}, a {by_id[ids[0]].type}, not a {entity.type}; "
                                        "give its id to change its type"))
        elif ids:
            by, name, _ = found[0]
            matches.append(Match(entity.id, ids[0], by, name))  # type: ignore[arg-type]
    return matches


def _repointed(record: Entity | Relation, ids: dict[str, str]) -> Entity | Relation:
    """`record` with every entity id it names changed by `ids`; the fields it was read
    with stay the fields it sets (so that a patch changes only those)."""
    if isinstance(record, Relation):
        update: dict[str, object] = {"source": ids.get(record.source, record.source),
                                     "target": ids.get(record.target, record.target)}
    else:
        update = {"id": ids.get(record.id, record.id),
                  "priority_area": ids.get(record.priority_area or "", record.priority_area),
                  "commitments": [c.model_copy(update={"by": [ids.get(b, b) for b in c.by]})
                                  for c in record.commitments]}
    changed = {k: v for k, v in update.items() if v != getattr(record, k)}
    if not changed:
        return record
    moved = record.model_copy(update=changed)
    object.__setattr__(moved, "__pydantic_fields_set__", set(record.model_fields_set))
    return moved


def _patched(record: Record, stored: dict[str, Record], problems: list[SeedProblem],
             file: str, line: int | None) -> Record:
    """The stored record with only the fields the imported `record` sets replaced."""
    key = record.id if isinstance(record, Entity) else record.key
    if key not in stored:
        return record
    given = record.model_dump(include=record.model_fields_set)
    try:
        return type(record).model_validate({**stored[key].model_dump(), **given})
    except ValidationError as exc:
        problems += [SeedProblem(file, line, ".".join(map(str, e["loc"])),
                                 e["msg"].removeprefix("Value error, ") + " (with the stored fields)")
                     for e in exc.errors()]
        return record


def _version(record: Entity | Relation | None) -> str | None:
    return None if record is None else etag(record)


def plan_import(rows: list[Row], stored: Dataset, *, patch: bool = False) -> ImportPlan:
    """What importing `rows` into a store holding `stored` would do.

    With `patch` (for a format that cannot hold every field), an imported record
    changes only the fields it gives, so a lossy format never erases what it cannot
    carry; otherwise it replaces the stored record.

    Raises `SeedValidationError` with every problem, located by file and row (or "the
    store" for a stored record the import would break), when anything is wrong.
    """
    problems: list[SeedProblem] = []
    entities, relations = records_from_rows(rows, problems)
    matches = match_entities(entities, stored.entities, problems)
    ids = {m.imported_id: m.stored_id for m in matches}
    entities = [(_repointed(e, ids), f, n) for e, f, n in entities]  # type: ignore[misc]
    relations = [(_repointed(r, ids), f, n) for r, f, n in relations]  # type: ignore[misc]
    if patch:
        by_key: dict[str, Record] = {**{e.id: e for e in stored.entities},
                                     **{r.key: r for r in stored.relations}}
        entities = [(_patched(e, by_key, problems, f, n), f, n) for e, f, n in entities]  # type: ignore[misc]
        relations = [(_patched(r, by_key, problems, f, n), f, n) for r, f, n in relations]  # type: ignore[misc]
    new_ids = {e.id for e, _, _ in entities}
    new_keys = {r.key for r, _, _ in relations}
    merged = checked_dataset(
        [*((e, STORE, None) for e in stored.entities if e.id not in new_ids), *entities],
        [*((r, STORE, None) for r in stored.relations if r.key not in new_keys), *relations],
        problems)
    before_entities = {e.id: e for e in stored.entities}
    before_relations = {r.key: r for r in stored.relations}
    # the merged records are the checked ones (sources titled from the registry)
    after_entities = [e for e in merged.entities if e.id in new_ids]
    after_relations = [r for r in merged.relations if r.key in new_keys]
    created = [e.id for e in after_entities if e.id not in before_entities]
    updated = [e.id for e in after_entities
               if e.id in before_entities and before_entities[e.id] != e]
    changed_relations = [r for r in after_relations if before_relations.get(r.key) != r]
    changed_entities = [e for e in after_entities if before_entities.get(e.id) != e]
    # Each record is written only if it is still as this plan read it: an edit made
    # meanwhile makes the import a stale write (409), never a silent overwrite.
    expect = {**{e.id: _version(before_entities.get(e.id)) for e in changed_entities},
              **{r.key: _version(before_relations.get(r.key)) for r in changed_relations}}
    return ImportPlan(
        change=ChangeSet(upsert_entities=changed_entities, upsert_relations=changed_relations,
                         expect=expect),
        created=created, updated=updated,
        unchanged=[e.id for e in after_entities if before_entities.get(e.id) == e],
        matches=matches,
        relations_created=sum(r.key not in before_relations for r in changed_relations),
        relations_updated=sum(r.key in before_relations for r in changed_relations),
        relations_unchanged=len(after_relations) - len(changed_relations),
    )


@dataclass(frozen=True)
class ImportResult:
    plan: ImportPlan
    revision: int
    written: bool


def import_into(store: GraphStore, content: bytes, format: str, file: str, *,
                by: Authorship | None = None, dry_run: bool = False) -> ImportResult:
    """Import `content` (format `format`, called `file` in messages) into `store`, as
    one write that the history records as one entry, made `by` its editor.

    Nothing is written when anything is wrong (`SeedValidationError`), when `dry_run`,
    or when the file changes nothing.
    """
    try:
        rows = read_rows(content, format, file)
        if not rows:
            raise SeedValidationError([SeedProblem(file, None, "", "holds no entities or relations")])
        plan = plan_import(rows, export_dataset(store),
                           patch=bool(interop_format(format).cannot_hold))
    except SeedValidationError as exc:
        raise at_most(exc, file) from None
    if dry_run or not plan.changes_anything:
        return ImportResult(plan, store.revision(), written=False)
    change = replace(plan.change, by=by or Authorship(comment=f"imported {file}"))
    return ImportResult(plan, store.write(change), written=True)
