"""The provenance rule: every excerpt is found in the document it cites.

A document and an excerpt are compared after both have their runs of whitespace
collapsed to one space; nothing else may differ (case, quotes and typos included).

>>> collapse_whitespace("line one\\n  line   two ")
'line one line two'
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from govmap.model import Dataset, Source


def collapse_whitespace(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class UnfoundExcerpt:
    """A source whose excerpt is not in its document (or whose document is missing)."""

    owner: str
    source: Source
    reason: str

    def __str__(self) -> str:
        return f"{self.owner}: {self.source.document}: {self.reason}: {self.source.excerpt[:80]!r}"


def dataset_sources(dataset: Dataset) -> Iterator[tuple[str, Source]]:
    """Every source in the dataset, with the id or key of what it supports."""
    for entity in dataset.entities:
        for source in entity.sources:
            yield entity.id, source
        for fact in entity.facts:
            for source in fact.sources:
                yield f"{entity.id} fact {fact.measure!r}", source
        for i, commitment in enumerate(entity.commitments):
            for source in commitment.sources:
                yield f"{entity.id} commitment {i}", source
    for relation in dataset.relations:
        for source in relation.sources:
            yield relation.key, source


@cache
def _document_text(path: Path) -> str:
    return collapse_whitespace(path.read_text(encoding="utf-8"))


def unfound_excerpts(dataset: Dataset, documents_dir: Path) -> list[UnfoundExcerpt]:
    """The sources of `dataset` that break the provenance rule."""
    problems = []
    for owner, source in dataset_sources(dataset):
        if source.is_reference:  # a citation, checked by its own rule (tests/test_dataset.py)
            continue
        path = documents_dir / source.document
        if not path.is_file():
            problems.append(UnfoundExcerpt(owner, source, "no such document"))
        elif collapse_whitespace(source.excerpt) not in _document_text(path):
            problems.append(UnfoundExcerpt(owner, source, "excerpt not found"))
    return problems
