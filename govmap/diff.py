"""What changed in the landscape between two points: two revisions of the record (what
editors changed) or two days (what the map says existed then), or one of each.

A *point* is a revision number ("12") or a day ("2021-06-01"). At a revision, the map is
the one the history rebuilds; on a day, it is today's map cut to what is valid that day
(`valid_from` / `valid_to`). The diff lists, for entities and relations, what appeared,
what changed (with the fields that differ) and what ended.

>>> from govmap.model import Entity
>>> old = Dataset(entities=[Entity(id="b", kind="body", type="board", name="Board")])
>>> new = Dataset(entities=[Entity(id="b", kind="body", type="board", name="The Board"),
...                         Entity(id="g", kind="body", type="group", name="Group")])
>>> d = landscape_diff(old, new)
>>> [(c.key, c.fields) for c in d.changed], [a.key for a in d.appeared]
([('b', ['name'])], ['g'])
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

from govmap.errors import InvalidRequestError, NotFoundError
from govmap.history import replay
from govmap.model import Dataset, Entity, Relation, meaning
from govmap.stores.base import GraphStore, export_dataset


@dataclass(frozen=True)
class Point:
    """A revision or a day, as written on the command line or in a query."""

    revision: int | None = None
    day: dt.date | None = None

    @classmethod
    def parse(cls, text: str) -> Point:
        """ "12" is revision 12, "2021-06-01" a day; anything else is refused."""
        if re.fullmatch(r"\d{1,9}", text):
            return cls(revision=int(text))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return cls(day=dt.date.fromisoformat(text))
            except ValueError as exc:
                raise InvalidRequestError(f"{text!r} is not a day: {exc}") from None
        raise InvalidRequestError(f"{text!r} is neither a revision number nor a day (YYYY-MM-DD)")

    def __str__(self) -> str:
        return f"revision {self.revision}" if self.revision is not None else str(self.day)


def map_at(store: GraphStore, point: Point) -> Dataset:
    """The map at `point`: rebuilt from the history, or today's map valid on the day."""
    if point.revision is not None:
        if point.revision > store.revision():
            raise NotFoundError(f"there is no revision {point.revision} yet "
                                f"(the store is at {store.revision()})")
        return replay(store.history(), point.revision)
    current = export_dataset(store)
    return Dataset(entities=[e for e in current.entities if e.valid_on(point.day)],
                   relations=[r for r in current.relations if r.valid_on(point.day)])


@dataclass(frozen=True)
class Difference:
    kind: Literal["entity", "relation"]
    key: str
    name: str  # how a reader knows it: the entity's name, or "A reports to B"
    fields: list[str] = field(default_factory=list)  # for a change: the fields that differ


@dataclass(frozen=True)
class LandscapeDiff:
    appeared: list[Difference]
    changed: list[Difference]
    ended: list[Difference]


def _label(record: Entity | Relation, names: dict[str, str]) -> str:
    if isinstance(record, Entity):
        return record.name
    source, target = (names.get(end, end) for end in (record.source, record.target))
    return f"{source} {meaning(record.type).reads} {target}"


def landscape_diff(before: Dataset, after: Dataset) -> LandscapeDiff:
    """What appeared, changed and ended between two maps."""
    names = {e.id: e.name for e in [*before.entities, *after.entities]}
    appeared, changed, ended = [], [], []
    for kind, old, new in (("entity", {e.id: e for e in before.entities}, {e.id: e for e in after.entities}),
                           ("relation", {r.key: r for r in before.relations},
                            {r.key: r for r in after.relations})):
        for key in sorted(new.keys() - old.keys()):
            appeared.append(Difference(kind, key, _label(new[key], names)))  # type: ignore[arg-type]
        for key in sorted(old.keys() - new.keys()):
            ended.append(Difference(kind, key, _label(old[key], names)))  # type: ignore[arg-type]
        for key in sorted(old.keys() & new.keys()):
            a, b = old[key].model_dump(), new[key].model_dump()
            differing = sorted(f for f in a.keys() | b.keys() if a.get(f) != b.get(f))
            if differing:
                changed.append(Difference(kind, key, _label(new[key], names), differing))  # type: ignore[arg-type]
    return LandscapeDiff(appeared, changed, ended)


def diff_between(store: GraphStore, start: Point, end: Point) -> LandscapeDiff:
    return landscape_diff(map_at(store, start), map_at(store, end))
