"""Search entities by name or alias: text normalisation and ranking.

The ranking rules are stated in `name_score`. Each store answers a search with
one page and the total (`GraphStore.search`): SQLite scores in SQL over its trigram name
index and parses only the page; Neo4j ranks the matches' names with `ranked`. When
nothing contains the query, `search_entities` looks for near spellings among only the
names of a length that can be near (`spelling_lengths`). A contract test holds every
store to the answers of `rank` over every entity.

>>> normalise("Children’s Services Planning Partnerships (CSPPs)")
'childrens services planning partnerships cspps'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
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


def name_score(name: str, position: int, query: str) -> int:
    """How well one normalised name answers `query` (normalised); 0 when it does not
    contain it. `position` 0 is the entity's name, any other an alias.

    Exact name 100, exact alias 95, name prefix 80, alias prefix 75, a whole word
    inside a name 60 (alias 55), any other substring 50 (alias 45). The stores rank by
    it through `ranked`, except SQLite, which says the same in SQL (run in C, it costs a
    fraction of a call to Python a match; `tests/test_search_index.py` holds the two
    to the same answers).

    >>> name_score("the promise", 0, "promise"), name_score("tps", 1, "tps")
    (60, 95)
    """
    if name == query:
        score = 100
    elif name.startswith(query):
        score = 80
    elif f" {query} " in f" {name} ":
        score = 60
    elif query in name:
        score = 50
    else:
        return 0
    return score - (0 if position == 0 else 5)


def best_score(names: Sequence[str], query: str) -> int:
    """The best `name_score` of any of `names` (normalised, the name first)."""
    return max((name_score(n, i, query) for i, n in enumerate(names)), default=0)


def ranked(candidates: Iterable[tuple[str, str, Sequence[str]]], query: str) -> list[str]:
    """The ids of the (id, name, normalised names) `candidates` that contain `query`
    (normalised), best first, ties broken by name then id."""
    scored = [(-best_score(names, query), name, id) for id, name, names in candidates]
    return [id for score, _, id in sorted(scored) if score < 0]


def rank(entities: Iterable[Entity], query: str) -> list[Entity]:
    """Entities matching `query`, best first, ties broken by name then id."""
    by_id = {e.id: e for e in entities}
    return [by_id[i] for i in ranked(((e.id, e.name, [normalise(n) for n in e.names])
                                      for e in by_id.values()), normalise(query))]


def by_name(name: str, id: str) -> tuple[str, str]:
    """The order of a listing without a query: by name, any case, then id."""
    return name.casefold(), id


def search_entities(
    store: GraphStore, q: str | None = None, *, kind: str | None = None,
    type: str | None = None, limit: int = 50, offset: int = 0,
) -> tuple[int, list[Entity]]:
    """One page of entities matching `q` (ranked) or, without `q`, all by name.

    Returns the total number of matches and the page. When no name contains `q`, the
    page is of its near spellings instead (a misspelling, perhaps), best first.
    """
    total, page = store.search(q, kind=kind, type=type, limit=limit, offset=offset)
    needle = normalise(q or "")
    if total or not needle:
        return total, page
    ordered = near_spellings(_near_spelt(store, needle, kind, type), needle)
    return len(ordered), ordered[offset:offset + limit]


SPELLING_CUTOFF = 80  # the least `fuzz.ratio` of a near spelling


def spelling_lengths(query: str, cutoff: int = SPELLING_CUTOFF) -> tuple[int, int]:
    """The shortest and longest name that can be a near spelling of `query` (normalised).

    `fuzz.ratio` is 100 * (1 - d / (a + b)) for lengths a, b and an edit distance d of
    at least |a - b|, so a ratio of `cutoff` or more needs b within these bounds (in
    whole numbers, so that no rounding drops a name): a store reads only those names.

    >>> spelling_lengths("oversite board")
    (10, 21)
    """
    a = len(query)
    return -(-a * cutoff // (200 - cutoff)), a * (200 - cutoff) // cutoff


def _near_spelt(store: GraphStore, needle: str, kind: str | None, type: str | None
                ) -> list[Entity]:
    """The entities with a name near `needle`, read from the store one by one: only the
    names of a length that can be near are scored, and only the near ones parsed."""
    low, high = spelling_lengths(needle)
    near = {id for id, name in store.names_of_length(low, high, kind=kind, type=type)
            if fuzz.ratio(needle, name, score_cutoff=SPELLING_CUTOFF)}
    return [e for e in map(store.get_entity, sorted(near)) if e is not None]


def near_spellings(entities: Iterable[Entity], query: str,
                  cutoff: float = SPELLING_CUTOFF) -> list[Entity]:
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
