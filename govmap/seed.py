r"""Read and write the curated seed: `graph_seed/*.yaml` <-> a validated `Dataset`.

Reading collects every problem in every file — bad YAML, unknown fields, values
outside the closed vocabularies, duplicate ids, references to missing entities — and
raises them together, each located by file, line and field. Nothing is returned
unless everything is right, so a store is never loaded from half a seed.

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "laws.yaml").write_text(
...     "entities:\n  - {id: an-act, kind: legislation, name: An Act}\n")
>>> [e.id for e in read_seed(folder).entities]
['an-act']
>>> _ = (folder / "laws.yaml").write_text("entities:\n  - {id: an-act, kind: law, name: An Act}\n")
>>> read_seed(folder, display_root=folder)
Traceback (most recent call last):
...
govmap.errors.SeedValidationError: 1 problem(s) in the seed; nothing was loaded:
laws.yaml:2: entities[0].kind: 'law' is not a node kind; expected one of body, ...
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml_rs
from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from govmap.errors import SeedProblem, SeedValidationError
from govmap.model import (
    Dataset,
    Entity,
    NodeKind,
    Relation,
    Source,
    completeness_problems,
    joins_problems,
)
from govmap.queries.common import collector_paused

SECTIONS: dict[str, type[BaseModel]] = {"entities": Entity, "relations": Relation}


def default_seed_dir() -> Path:
    """The dataset shipped with govmap (the repository's `graph_seed/` folder)."""
    return Path(str(resources.files("govmap.graph_seed")))


def seed_files(folder: Path) -> list[Path]:
    """The seed files of `folder`, in a stable order."""
    return sorted(folder.glob("*.yaml"))


def read_seed(
    folder: Path, *, display_root: Path | None = None,
    each_file: Callable[[list[Path]], Iterable[Path]] = iter,
) -> Dataset:
    """Read every seed file in `folder` into one validated `Dataset`.

    `each_file` wraps the list of files, e.g. in a progress bar.

    Raises
    ------
    SeedValidationError
        With every problem found, when anything is wrong; nothing is returned then.
    """
    files = seed_files(folder)
    if not files:
        raise SeedValidationError([SeedProblem(str(folder), None, "", "no *.yaml seed files")])
    return read_seed_files(each_file(files), display_root=display_root)


def read_seed_files(files: Iterable[Path], *, display_root: Path | None = None) -> Dataset:
    """Read the given seed files together; see `read_seed`.

    They are parsed fast first (`_fast_parse`, no line numbers): a seed is read far
    more often than it is wrong. At the first sign of a problem, or of anything the fast
    parse might read differently, they are read again keeping every line, so that each
    problem is reported where it is (and the answer is the located read's).
    """
    files = list(files)
    with collector_paused():  # a read makes millions of small objects, none of them cyclic
        try:
            return _read_fast(files, display_root)
        except _Unsure:
            return _read_located(files, display_root)


class _Unsure(Exception):
    """The fast read found a problem, or something it might read unlike ruamel."""


# What the fast parser could read unlike ruamel, so it steps aside: C0 control
# characters (ruamel refuses them), merge keys (YAML 1.2 has none; ruamel merges),
# tags, and a date with a time after a space (ruamel reads "2021-01-01 10:00" as text).
_NOT_FOR_THE_FAST_PARSE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|<<\s*:|(?:^|[\s\[{,])!|\d{4}-\d\d?-\d\d? +\d")


def _fast_parse(text: str) -> Any:
    """One seed file parsed by `yaml_rs` (a YAML 1.2 parser in Rust, 16x PyYAML's C
    parser), which reads scalars as ruamel does (``yes`` and ``1:20`` are text, ``017``
    is 17, ``2021-01-01`` a date); raises `_Unsure` where it might not (see
    `_NOT_FOR_THE_FAST_PARSE`) and at what ruamel refuses too (a duplicate key)."""
    if _NOT_FOR_THE_FAST_PARSE.search(text):
        raise _Unsure("a merge key, a tag or a control character")
    try:
        return yaml_rs.loads(text)
    except ValueError as exc:  # yaml_rs.YAMLDecodeError, a duplicate key included
        raise _Unsure(exc) from exc


def _read_fast(files: list[Path], display_root: Path | None) -> Dataset:
    """The seed read with the fast parser; raises `_Unsure` at the first problem."""
    entities: list[tuple[Entity, str, int | None]] = []
    relations: list[tuple[Relation, str, int | None]] = []
    problems: list[SeedProblem] = []
    for path in files:
        name = _display_name(path, display_root)
        for section, index, data in _fast_items(path):
            record = validate_record(section, data, where=(name, None, index), problems=problems)
            if problems or record is None:
                raise _Unsure(problems)
            if isinstance(record, Entity):
                entities.append((record, name, None))
            else:
                relations.append((record, name, None))
    try:
        return checked_dataset(entities, relations)
    except SeedValidationError as exc:
        raise _Unsure(exc) from exc


def _fast_items(path: Path) -> Iterator[tuple[str, int, Any]]:
    """(section, index, fields) of every record of one file, parsed fast."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _Unsure(exc) from exc
    document = _fast_parse(text)
    if document is None:
        return
    if not isinstance(document, dict) or set(document) - set(SECTIONS):
        raise _Unsure("not a mapping of the seed's sections")
    for section in SECTIONS:
        items = document.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            raise _Unsure(f"{section} is not a list")
        for index, item in enumerate(items):
            yield section, index, item


def _read_located(files: list[Path], display_root: Path | None) -> Dataset:
    """The seed read keeping the line of every record and field, for its problems."""
    problems: list[SeedProblem] = []
    entities: list[tuple[Entity, str, int | None]] = []
    relations: list[tuple[Relation, str, int | None]] = []
    for path in files:
        name = _display_name(path, display_root)
        for record, line in _read_file(path, name, problems):
            if isinstance(record, Entity):
                entities.append((record, name, line))
            else:
                relations.append((record, name, line))
    return checked_dataset(entities, relations, problems)


def checked_dataset(entities: list[tuple[Entity, str, int | None]],
                    relations: list[tuple[Relation, str, int | None]],
                    problems: list[SeedProblem] | None = None) -> Dataset:
    """The records as one `Dataset`, after the checks across records: duplicate ids,
    missing references, what each relation may join, and registered documents.

    Raises `SeedValidationError` with `problems` and every new one, if there are any.
    """
    problems = [*(problems or []), *_cross_reference_problems(entities, relations)]
    titles = {e.file: e.citation for e, _, _ in entities if e.kind == NodeKind.SOURCE_DOCUMENT}
    problems += _unregistered_documents(entities, relations, titles)
    if problems:
        raise SeedValidationError(problems)
    return Dataset(entities=[_titled(e, titles) for e, _, _ in entities],
                   relations=[_titled(r, titles) for r, _, _ in relations])


def _cited(record: Entity | Relation) -> Iterator[Source]:
    yield from record.sources
    if isinstance(record, Entity):
        for fact in record.facts:
            yield from fact.sources
        for commitment in record.commitments:
            yield from commitment.sources


def _unregistered_documents(entities: list[tuple[Entity, str, int | None]],
                            relations: list[tuple[Relation, str, int | None]],
                            titles: dict[str | None, str]) -> list[SeedProblem]:
    """Document sources whose file has no source_document entry (when the seed has any)."""
    if not titles:
        return []
    return [SeedProblem(file, line, "sources", f"cites {source.document!r}, which no "
                        "source_document entity registers (give it a title, publisher and year)")
            for record, file, line in [*entities, *relations] for source in _cited(record)
            if not source.is_reference and source.document not in titles]


def _titled(record: Any, titles: dict[str | None, str]) -> Any:
    """`record` with every document source named by its registry title."""
    def name(sources: list[Source]) -> list[Source]:
        return [s if s.is_reference or s.document not in titles else s.titled(titles[s.document])
                for s in sources]

    update: dict[str, Any] = {"sources": name(record.sources)}
    if isinstance(record, Entity):
        update["facts"] = [f.model_copy(update={"sources": name(f.sources)}) for f in record.facts]
        update["commitments"] = [c.model_copy(update={"sources": name(c.sources)})
                                 for c in record.commitments]
    return record.model_copy(update=update)


def _display_name(path: Path, root: Path | None) -> str:
    base = root or Path.cwd()
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


def _read_file(
    path: Path, name: str, problems: list[SeedProblem]
) -> Iterator[tuple[Entity | Relation, int | None]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(SeedProblem(name, None, "", f"not UTF-8 text: {exc}"))
        return
    for item in seed_items(text, name, problems):
        record = validate_record(item.section, item.data, where=(name, item.line, item.index),
                                 problems=problems, locate=item.locate)
        if record is not None:
            yield record, item.line


@dataclass(frozen=True)
class SeedItem:
    """One record of a seed file as written, before any check: its section, its fields
    as plain values, its line, and how to find the line of any of its fields."""

    section: str
    data: Any
    line: int
    index: int
    locate: Callable[[tuple[Any, ...]], int | None]


def seed_items(text: str, name: str, problems: list[SeedProblem]) -> Iterator[SeedItem]:
    """The records of one seed file's text, with their lines; faults of the file's
    shape (bad YAML, unknown sections) go to `problems`."""
    try:
        document = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problems.append(SeedProblem(name, line, "", f"not valid YAML: {exc.problem}"))
        return
    if document is None:
        return
    if not isinstance(document, CommentedMap):
        problems.append(SeedProblem(name, 1, "", "expected a mapping with 'entities' and/or 'relations'"))
        return
    for key in document:
        if key not in SECTIONS:
            problems.append(
                SeedProblem(name, _key_line(document, key), str(key), "unknown section; "
                            f"expected {' or '.join(SECTIONS)}")
            )
    for section in SECTIONS:
        items = document.get(section)
        if items is None:
            continue
        if not isinstance(items, CommentedSeq):
            problems.append(SeedProblem(name, _key_line(document, section), section, "expected a list"))
            continue
        for index, item in enumerate(items):
            yield SeedItem(section, _plain(item), items.lc.item(index)[0] + 1, index,
                           lambda loc, item=item: _locate(item, loc))


def validate_record(section: str, data: Any, *, where: tuple[str, int | None, int],
                    problems: list[SeedProblem],
                    locate: Callable[[tuple[Any, ...]], int | None] = lambda loc: None,
                    ) -> Entity | Relation | None:
    """One seed record (`data`, a plain dict) checked by its model and for completeness.

    `where` is (file, line, index in its section); every problem found is appended to
    `problems`, located at the line `locate` finds for its field, or the record's line.
    None when the record could not be built at all.
    Imports from other formats use this too, so they pass the seed's own checks.
    """
    file, line, index = where
    try:
        record: Entity | Relation = SECTIONS[section].model_validate(data)  # type: ignore[assignment]
    except ValidationError as exc:
        for error in exc.errors():
            loc = error["loc"]
            field = f"{section}[{index}]" + "".join(
                f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc
            )
            message = error["msg"].removeprefix("Value error, ")
            problems.append(SeedProblem(file, locate(loc) or line, field, message))
        return None
    for message in completeness_problems(record):
        field, _, text = message.partition(": ")
        problems.append(SeedProblem(file, locate((field,)) or line, f"{section}[{index}].{field}", text))
    # Returned even when incomplete, so that the checks across records still see it.
    return record


def _plain(node: Any) -> Any:
    """ruamel's commented containers as plain dicts and lists."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _key_line(mapping: CommentedMap, key: Any) -> int | None:
    try:
        return mapping.lc.key(key)[0] + 1
    except (KeyError, TypeError, AttributeError):
        return None


def _locate(node: Any, loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest part of `loc` that exists in the parsed YAML."""
    line = None
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = _key_line(node, part) or line
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            break
    return line


def _cross_reference_problems(
    entities: list[tuple[Entity, str, int | None]],
    relations: list[tuple[Relation, str, int | None]],
) -> list[SeedProblem]:
    """Duplicate ids and keys, and references to entities that do not exist."""
    problems: list[SeedProblem] = []
    by_id: dict[str, tuple[Entity, str, int | None]] = {}
    for entity, file, line in entities:
        if entity.id in by_id:
            _, first_file, first_line = by_id[entity.id]
            problems.append(SeedProblem(file, line, "id", f"duplicate id {entity.id!r} "
                                        f"(first defined at {first_file}:{first_line})"))
        else:
            by_id[entity.id] = (entity, file, line)

    def missing(ref: str | None, file: str, line: int | None, field: str) -> None:
        if ref is not None and ref not in by_id:
            problems.append(SeedProblem(file, line, field, f"refers to missing entity id {ref!r}"))

    for entity, file, line in entities:
        missing(entity.priority_area, file, line, f"{entity.id}.priority_area")
        if entity.priority_area in by_id and by_id[entity.priority_area][0].kind != NodeKind.PRIORITY_AREA:
            problems.append(SeedProblem(file, line, f"{entity.id}.priority_area",
                                        f"{entity.priority_area!r} is not a priority area"))
        for i, commitment in enumerate(entity.commitments):
            for ref in commitment.by:
                missing(ref, file, line, f"{entity.id}.commitments[{i}].by")
    seen: dict[str, tuple[str, int | None]] = {}
    for relation, file, line in relations:
        missing(relation.source, file, line, f"{relation.key}.source")
        missing(relation.target, file, line, f"{relation.key}.target")
        ends = (by_id.get(relation.source), by_id.get(relation.target))
        if ends[0] and ends[1]:
            problems += [SeedProblem(file, line, f"{relation.key}.type", message)
                         for message in joins_problems(relation, ends[0][0], ends[1][0])]
        if relation.key in seen:
            first_file, first_line = seen[relation.key]
            problems.append(SeedProblem(file, line, "relation", f"duplicate relation {relation.key} "
                                        f"(first at {first_file}:{first_line}); merge their sources"))
        seen.setdefault(relation.key, (file, line))
    return problems


FILE_BY_KIND = {
    NodeKind.BODY: "bodies.yaml",
    NodeKind.ACTION: "actions.yaml",
    NodeKind.SOURCE_DOCUMENT: "documents.yaml",
}


def write_seed(dataset: Dataset, folder: Path) -> list[Path]:
    """Write `dataset` to `folder` in the seed shape; `read_seed` reads it back unchanged.

    Entities go to one file per kind (bodies, actions, plans…), relations to
    `relations.yaml`. Returns the files written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    groups: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for entity in sorted(dataset.entities, key=lambda e: (e.kind, e.id)):
        file = FILE_BY_KIND.get(entity.kind, f"{entity.kind}s.yaml")
        groups.setdefault(file, {}).setdefault("entities", []).append(_dump(entity))
    for relation in sorted(dataset.relations, key=lambda r: r.key):
        groups.setdefault("relations.yaml", {}).setdefault("relations", []).append(_dump(relation))
    yaml = YAML()
    yaml.width = 4096
    written = []
    for file, content in sorted(groups.items()):
        path = folder / file
        with path.open("w", encoding="utf-8") as out:
            yaml.dump(content, out)
        written.append(path)
    return written


def _dump(record: BaseModel) -> dict[str, Any]:
    return record.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
