"""Interchange formats on the real dataset: size, export and import time (each against
writing and reading the same records as plain JSON, in the same process), and what a
round trip keeps."""

from __future__ import annotations

from collections.abc import Callable

from govmap.interop import FORMATS, export_as, read_dataset
from govmap.model import Dataset


def sources(dataset: Dataset) -> int:
    """Every source cited: on records, facts and commitments."""
    return (sum(len(r.sources) for r in [*dataset.entities, *dataset.relations])
            + sum(len(f.sources) for e in dataset.entities for f in e.facts)
            + sum(len(c.sources) for e in dataset.entities for c in e.commitments))


def same(a: Dataset, b: Dataset) -> bool:
    return (sorted(a.entities, key=lambda e: e.id) == sorted(b.entities, key=lambda e: e.id)
            and sorted(a.relations, key=lambda r: r.key) == sorted(b.relations, key=lambda r: r.key))


def interop_table(dataset: Dataset, timed: Callable[[Callable[[], object]], float]) -> list[str]:
    """The table; `timed(work)` gives a median wall time in seconds."""
    as_json = dataset.model_dump_json()
    write_json = timed(dataset.model_dump_json)
    read_json = timed(lambda: Dataset.model_validate_json(as_json))
    counts = f"{len(dataset.entities)}/{len(dataset.relations)}/{sources(dataset)}"
    lines = [f"baseline: plain JSON of the same records: {len(as_json.encode()):,} bytes, write "
             f"{write_json * 1000:.1f} ms, read {read_json * 1000:.1f} ms; before: {counts} "
             "(entities/relations/sources)",
             f"{'format':<14}{'bytes':>11}{'export ms':>11}{'x JSON':>8}{'import ms':>11}"
             f"{'x JSON':>8}  after (e/r/s)"]
    for name, fmt in FORMATS.items():
        content = export_as(dataset, name)
        export = timed(lambda name=name: export_as(dataset, name))  # type: ignore[misc]
        if fmt.read is None:
            lines.append(f"{name:<14}{len(content):>11,}{export * 1000:>11.1f}"
                         f"{export / write_json:>8.1f}{'export only':>19}")
            continue
        back = read_dataset(content, name)
        imported = timed(lambda name=name, content=content: read_dataset(content, name))  # type: ignore[misc]
        kept = f"{len(back.entities)}/{len(back.relations)}/{sources(back)}"
        lines.append(f"{name:<14}{len(content):>11,}{export * 1000:>11.1f}{export / write_json:>8.1f}"
                     f"{imported * 1000:>11.1f}{imported / read_json:>8.1f}  {kept}"
                     + ("" if same(back, dataset) else "  (the format's documented cut)"))
    return lines
