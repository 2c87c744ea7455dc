"""The seed's fast read (yaml_rs, no line numbers) gives what the located read (ruamel, every
line kept) gives, and a problem is still reported at its file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from govmap import seed
from govmap.errors import SeedValidationError
from govmap.seed import default_seed_dir, read_seed, seed_files

BODY = "  - {id: a, kind: body, type: board, scope: scottish_public_sector, name: %s}\n"


def test_the_fast_and_the_located_read_give_the_same_dataset_of_the_real_seed() -> None:
    files = seed_files(default_seed_dir())
    assert seed._read_fast(files, None) == seed._read_located(files, None)


def test_a_problem_found_fast_is_reported_at_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bodies.yaml").write_text(
        "entities:\n" + BODY % "A" + "  - id: b\n    kind: body\n    type: boardd\n"
        "    scope: scottish_public_sector\n    name: B\n", encoding="utf-8")
    with pytest.raises(SeedValidationError) as raised:
        read_seed(tmp_path, display_root=tmp_path)
    assert [(p.file, p.line) for p in raised.value.problems] == [("bodies.yaml", 5)]


def test_a_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    (tmp_path / "bodies.yaml").write_text("entities:\n" + BODY % "A" + BODY % "B", encoding="utf-8")
    with pytest.raises(SeedValidationError, match=r"bodies.yaml:3: id: duplicate id 'a' "
                       r"\(first defined at bodies.yaml:2\)"):
        read_seed(tmp_path, display_root=tmp_path)


def test_a_duplicate_key_is_refused_as_ruamel_refuses_it(tmp_path: Path) -> None:
    (tmp_path / "bodies.yaml").write_text(
        "entities:\n  - id: a\n    id: b\n    kind: body\n    type: board\n"
        "    scope: scottish_public_sector\n    name: A\n", encoding="utf-8")
    with pytest.raises(SeedValidationError, match="bodies.yaml:3: not valid YAML"):
        read_seed(tmp_path, display_root=tmp_path)


@pytest.mark.parametrize("written", ["yes", "No", "on", "1:20", "1_000", "017", "0o17", "0x1f", "1e3",
                                     "-.5", ".inf", "2021-01-01", "~", "null", "''", "<<: {b: 1}",
                                     "0b101", "1.", "!!str 5", "2021-01-01 10:00", "TRUE",
                                     "2001-12-14t21:59:43.10-05:00"])
def test_scalars_are_read_as_yaml_1_2_as_ruamel_reads_them(written: str) -> None:
    """YAML 1.1 reads `yes` as true and `1:20` as 80; the seed is YAML 1.2 as ruamel
    reads it, so the fast parse must agree or step aside."""
    text = f"a:\n  {written}\n" if written.startswith("<<") else f"a: {written}\n"
    located = seed._plain(YAML(typ="rt").load(text))
    try:
        fast = seed._fast_parse(text)
    except seed._Unsure:
        return  # it stepped aside, and the located read answers
    assert fast == located
    assert [_base(v) for v in fast.values()] == [_base(v) for v in located.values()]


def _base(value: object) -> type:
    """The plain type of a parsed value (ruamel's are subclasses: ScalarInt, ScalarFloat)."""
    return next(t for t in (bool, int, float, str, dt.date, dict, type(None)) if isinstance(value, t))


def test_what_ruamel_refuses_outright_is_left_to_the_located_read() -> None:
    with pytest.raises(seed._Unsure):
        seed._fast_parse("a: 'a\x01b'\n")  # a control character
