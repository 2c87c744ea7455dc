"""Interchange formats: every readable format gives back, after export and import of
the real dataset, exactly what it says it keeps — the whole dataset for the lossless
ones, `keeps(dataset)` (its documented cut) for the others."""

from __future__ import annotations

import pytest

from govmap.errors import SeedValidationError
from govmap.interop import FORMATS, export_as, interop_format, read_dataset
from govmap.model import Dataset
from govmap.seed import default_seed_dir, read_seed

READABLE = sorted(name for name, f in FORMATS.items() if f.read is not None)


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return read_seed(default_seed_dir())


def same(a: Dataset, b: Dataset) -> bool:
    return (sorted(a.entities, key=lambda e: e.id) == sorted(b.entities, key=lambda e: e.id)
            and sorted(a.relations, key=lambda r: r.key) == sorted(b.relations, key=lambda r: r.key))


@pytest.mark.parametrize("name", READABLE)
def test_round_trip_keeps_what_the_format_can_hold(dataset: Dataset, name: str) -> None:
    fmt = interop_format(name)
    back = read_dataset(export_as(dataset, name), name, f"govmap.{fmt.extension}")
    kept = fmt.keeps(dataset)
    assert len(back.entities) == len(kept.entities) and len(back.relations) == len(kept.relations)
    assert same(back, kept)
    if fmt.cannot_hold:
        assert not same(kept, dataset), f"{name} says it loses {fmt.cannot_hold}, yet keeps all"
    else:
        assert same(back, dataset)


@pytest.mark.parametrize("name", READABLE)
def test_garbage_is_refused_naming_the_file(name: str) -> None:
    with pytest.raises(SeedValidationError) as caught:
        read_dataset(b"\x00\xffnot a map at all <", name, "broken.file")
    assert all(p.file.startswith("broken.file") for p in caught.value.problems)


def test_an_unknown_format_suggests_the_nearest() -> None:
    from govmap.errors import InvalidRequestError
    with pytest.raises(InvalidRequestError, match="did you mean graphml"):
        interop_format("grapml")
