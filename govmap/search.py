"""Search entities by name or alias: text normalisation and ranking.

Stores find candidates whose normalised names contain the query; this module ranks
them the same way for every store, so results agree whichever store answers.

>>> normalise("Children’s Services Planning Partnerships (CSPPs)")
'childrens services planning partnerships cspps'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from govmap.model import Entity

if TYPE_CHECKING:  # the stores import this module for `normalise`
    from govmap.stores.base import GraphStore

_APOSTROPHES = re.compile(r"['’‘`]")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped, every other run of punctuation one space."""
    return _NON_WORD.sub(" ", _APOSTROPHES.sub("", text.casefold())).strip()


def search_text(entity: Entity) -> str:
    """What stores match a query against: every normalised name between bars."""
    return "|" + "|".join(normalise(n) for n in entity.names) + "|"


def match_score(entity: Entity, query: str) -> int:
    """How well `entity` answers `query` (already normalised); 0 when it does not.

    Exact name 100, exact alias 95, name prefix 80, alias prefix 75, a whole word
    inside a name 60, any substring 50.
    """
    best = 0
    for position, name in enumerate(normalise(n) for n in entity.names):
        alias_penalty = 0 if position == 0 else 5
        if name == query:
            score = 100
        elif name.startswith(query):
            score = 80
        elif f" {query} " in f" {name} ":
            score = 60
        elif query in name:
            score = 50
        else:
            continue
        best = max(best, score - alias_penalty)
    return best


def rank(entities: Iterable[Entity], query: str) -> list[Entity]:
    """Entities matching `query`, best first, ties broken by name then id."""
    q = normalise(query)
    scored = [(match_score(e, q), e) for e in entities]
    return [e for s, e in sorted(scored, key=lambda p: (-p[0], p[1].name, p[1].id)) if s > 0]


def search_entities(
    store: GraphStore, q: str | None = None, *, kind: str | None = None,
    type: str | None = None, limit: int = 50, offset: int = 0,
) -> tuple[int, list[Entity]]:
    """One page of entities matching `q` (ranked) or, without `q`, all by name.

    Returns the total number of matches and the page.
    """
    candidates = store.find_entities(q, kind=kind, type=type)
    ordered = rank(candidates, q) if q and normalise(q) else sorted(
        candidates, key=lambda e: (e.name.casefold(), e.id))
    if q and normalise(q) and not ordered:  # no name contains it: a misspelling, perhaps
        graph = store.snapshot()  # the cached snapshot: no second read of the store
        ordered = near_spellings((graph.nodes[n]["entity"] for n in graph
                                  if (kind is None or graph.nodes[n]["kind"] == kind)
                                  and (type is None or graph.nodes[n]["type"] == type)), q)
    return len(ordered), ordered[offset:offset + limit]


def near_spellings(entities: Iterable[Entity], query: str, cutoff: float = 80) -> list[Entity]:
    """Entities whose name or alias is a near spelling of `query`, best first
    ("Oversite board" finds the Oversight Board).

    >>> board = Entity(id="b", kind="body", type="board", name="The Promise Oversight Board",
    ...                aliases=["Oversight Board"])
    >>> [e.id for e in near_spellings([board], "Oversite board")]
    ['b']
    """
    q = normalise(query)
    scored = []
    for e in entities:
        best = max(fuzz.ratio(q, normalise(name)) for name in e.names)
        if best >= cutoff:
            scored.append((best, e))
    return [e for _, e in sorted(scored, key=lambda p: (-p[0], p[1].name, p[1].id))]
