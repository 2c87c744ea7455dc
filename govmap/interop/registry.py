"""The registry of interchange formats: each format module registers a writer (and,
when the format can be read back, a reader) here by name; the CLI and the API take
the list from `FORMATS`, as the report formats do.

A writer turns a `Dataset` into bytes. A reader turns bytes into `Row`s — plain
records located by file and line (or sheet and row) — and never builds models
itself: `read_dataset` and `govmap.interop.importing` put every row through the
seed's own checks, so an import is held to exactly the rules a seed file is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Literal

from govmap.errors import InvalidRequestError, SeedProblem, SeedValidationError
from govmap.model import Dataset, Entity, Relation, not_one_of
from govmap.seed import checked_dataset, validate_record

Section = Literal["entities", "relations"]


@dataclass(frozen=True)
class Row:
    """One record as another format holds it, before any check: the seed's fields as
    plain values, and where it was read (for messages: "elements.csv:12: …")."""

    section: Section
    data: dict[str, Any]
    file: str
    line: int | None
    index: int = 0
    # the line of one of the record's fields, where the format knows it (YAML does)
    locate: Callable[[tuple[Any, ...]], int | None] | None = None


Writer = Callable[[Dataset], bytes]
Reader = Callable[[bytes, str], Iterable[Row]]  # (content, file name for messages) -> rows
Projection = Callable[[Dataset], Dataset]


def whole(dataset: Dataset) -> Dataset:
    """What a lossless format keeps: everything."""
    return dataset


@dataclass(frozen=True)
class InteropFormat:
    name: str
    media_type: str
    extension: str
    description: str
    write: Writer
    read: Reader | None = None  # None: export only
    # What the format cannot carry, in words, and the dataset cut down to what it can:
    # a round trip gives back exactly `keeps(dataset)` (tested on the real dataset).
    cannot_hold: tuple[str, ...] = field(default=())
    keeps: Projection = whole


FORMATS: dict[str, InteropFormat] = {}


def register(name: str, *, media_type: str, extension: str, description: str,
             read: Reader | None = None, cannot_hold: tuple[str, ...] = (),
             keeps: Projection = whole) -> Callable[[Writer], Writer]:
    """Decorator: make a writer (and its reader) available as format `name`."""
    def add(write: Writer) -> Writer:
        FORMATS[name] = InteropFormat(name, media_type, extension, description, write, read,
                                      cannot_hold, keeps)
        return write
    return add


def interop_format(name: str, *, readable: bool = False) -> InteropFormat:
    """The format called `name`; with `readable`, one that can be imported."""
    choices = sorted(n for n, f in FORMATS.items() if f.read is not None or not readable)
    if name not in choices:
        raise InvalidRequestError(not_one_of(name, choices, "an import format" if readable
                                             else "an export format"))
    return FORMATS[name]


def format_for_file(file: str) -> InteropFormat:
    """The readable format whose extension ends `file`'s name (the longest that does:
    "map.kumu.json" is Kumu's, "map.json" node-link's).

    >>> import govmap.interop
    >>> format_for_file("export/govmap.graphml").name
    'graphml'
    """
    readable = sorted((f for f in FORMATS.values() if f.read is not None),
                      key=lambda f: len(f.extension), reverse=True)
    found = next((f for f in readable if file.lower().endswith("." + f.extension)), None)
    if found is None:
        raise InvalidRequestError(f"cannot tell the format of {file!r} from its name; name one of "
                                  f"{', '.join(sorted(f.name for f in readable))}")
    return found


def export_as(dataset: Dataset, name: str) -> bytes:
    """`dataset` written in format `name`."""
    return interop_format(name).write(dataset)


def records_from_rows(rows: Iterable[Row], problems: list[SeedProblem]
                      ) -> tuple[list[tuple[Entity, str, int | None]],
                                 list[tuple[Relation, str, int | None]]]:
    """Each row checked as a seed record; faults go to `problems`."""
    entities: list[tuple[Entity, str, int | None]] = []
    relations: list[tuple[Relation, str, int | None]] = []
    for row in rows:
        record = validate_record(row.section, row.data, where=(row.file, row.line, row.index),
                                 problems=problems, locate=row.locate or (lambda loc: None))
        if isinstance(record, Entity):
            entities.append((record, row.file, row.line))
        elif isinstance(record, Relation):
            relations.append((record, row.file, row.line))
    return entities, relations


MAX_RECORDS = 200_000  # an import of more is refused: larger maps are loaded as a seed
MAX_PROBLEMS = 200  # reported of a refused import; the rest are counted


def read_rows(content: bytes, name: str, file: str) -> list[Row]:
    """The rows of `content` in format `name`; a file that cannot be parsed at all is a
    `SeedValidationError` naming the file, whatever the parser raised."""
    reader = interop_format(name, readable=True).read
    assert reader is not None  # interop_format(readable=True) returns only readable ones
    try:
        rows = list(islice(reader(content, file), MAX_RECORDS + 1))
    except SeedValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 — parsers raise anything on hostile input (RecursionError, TypeError…)
        raise unreadable(file, f"cannot be read as {name}: {type(exc).__name__}: {exc}"[:500]) from None
    if len(rows) > MAX_RECORDS:
        raise unreadable(file, f"holds more than {MAX_RECORDS:,} records; load a map that large "
                               "as a seed (govmap load)")
    return rows


def at_most(error: SeedValidationError, where: str) -> SeedValidationError:
    """`error` for `where`, with its first `MAX_PROBLEMS` problems and a count of the rest."""
    problems = error.problems[:MAX_PROBLEMS]
    if len(error.problems) > MAX_PROBLEMS:
        problems.append(SeedProblem(where, None, "", f"and {len(error.problems) - MAX_PROBLEMS:,} "
                                    "more problems"))
    return SeedValidationError(problems, where=where)


def read_dataset(content: bytes, name: str, file: str = "import") -> Dataset:
    """`content` in format `name` as a whole, validated `Dataset` (every seed check).

    Raises `SeedValidationError` listing every problem, located by file and line or row.
    """
    problems: list[SeedProblem] = []
    try:
        entities, relations = records_from_rows(read_rows(content, name, file), problems)
        return checked_dataset(entities, relations, problems)
    except SeedValidationError as exc:
        raise at_most(exc, file) from None


def unreadable(file: str, message: str, line: int | None = None) -> SeedValidationError:
    """The error for content a reader cannot parse at all."""
    return SeedValidationError([SeedProblem(file, line, "", message)])
