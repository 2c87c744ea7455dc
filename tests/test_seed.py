"""Reading the seed: located errors, all of them at once, and nothing loaded on error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govmap.cli import app
from govmap.errors import SeedValidationError
from govmap.model import Dataset
from govmap.seed import read_seed, write_seed
from govmap.settings import get_settings
from govmap.stores import ChangeSet, SqliteStore, export_dataset
from tests.conftest import FIXTURES

BROKEN = """\
entities:
  - id: good-board
    kind: body
    type: board
    scope: scottish_public_sector
    name: Good Board
  - id: bad-kind
    kind: boddy
    name: Bad Kind
  - id: Bad Id!
    kind: body
    type: bord
    name: Bad
relations:
  - source: good-board
    type: REPORT_TO
    target: scottish-government
  - source: good-board
    type: LEADS
    target: missing-action
  - source: good-board
    type: ADVISES
    target: scottish-government
    confidence: inferred
  - source: good-board
    type: ACCOUNTABLE_TO
    target: scottish-government
"""


@pytest.fixture
def broken_seed(tmp_path: Path) -> Path:
    folder = tmp_path / "seed"
    shutil.copytree(FIXTURES / "tiny_seed", folder)
    (folder / "zz_broken.yaml").write_text(BROKEN, encoding="utf-8")
    return folder


def test_every_problem_is_reported_with_file_line_and_field(broken_seed: Path) -> None:
    with pytest.raises(SeedValidationError) as caught:
        read_seed(broken_seed, display_root=broken_seed.parent)
    messages = [str(p) for p in caught.value.problems]
    assert "seed/zz_broken.yaml:8: entities[1].kind: 'boddy' is not a node kind; did you mean body?" \
        in messages
    assert any(m.startswith("seed/zz_broken.yaml:10: entities[2].id: String should match pattern")
               for m in messages)
    assert ("seed/zz_broken.yaml:12: entities[2].type: 'bord' is not a body type; "
            "did you mean board?") in messages
    assert ("seed/zz_broken.yaml:16: relations[0].type: 'REPORT_TO' is not a relationship type; "
            "did you mean REPORTS_TO?") in messages
    assert ("seed/zz_broken.yaml:18: good-board|LEADS|missing-action.target: "
            "refers to missing entity id 'missing-action'") in messages
    assert any("inferred relation needs a note" in m and ":21:" in m for m in messages), messages
    assert ("seed/zz_broken.yaml:25: relations[3].strength: ACCOUNTABLE_TO is a line of "
            "accountability; say whether it is formal") in " ".join(messages)
    assert len(messages) == 7


def test_nothing_is_loaded_from_a_broken_seed(broken_seed: Path, tmp_path: Path,
                                              tiny_dataset: Dataset,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The real path a reviewer takes: `govmap load` on a broken seed, over a store that
    holds the previous graph, fails with the problems and leaves that graph as it was."""
    db = tmp_path / "kept.db"
    store = SqliteStore(db)
    store.write(ChangeSet.replacing_with(tiny_dataset))
    before, revision = export_dataset(store), store.revision()
    store.close()
    monkeypatch.setenv("GOVMAP_DB", str(db))
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["load", "--seed", str(broken_seed)])
    get_settings.cache_clear()
    assert result.exit_code == 1 and "nothing was loaded" in result.output
    reopened = SqliteStore(db)
    assert export_dataset(reopened) == before and reopened.revision() == revision
    assert len(before.entities) == len(tiny_dataset.entities) > 0


@pytest.mark.parametrize(("text", "expected"), [
    ("entities: [\n  - id: x\n", ":2: not valid YAML"),
    ("- just\n- a list\n", ":1: expected a mapping"),
    ("nodes: []\n", ":1: nodes: unknown section"),
    ("entities:\n  id: x\n", ":1: entities: expected a list"),
])
def test_malformed_files(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SeedValidationError) as caught:
        read_seed(tmp_path, display_root=tmp_path)
    assert expected in str(caught.value)


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    entity = "entities:\n  - id: same\n    kind: legislation\n    name: Same Act\n"
    (tmp_path / "a.yaml").write_text(entity, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(entity, encoding="utf-8")
    with pytest.raises(SeedValidationError, match=r"b.yaml:2: id: duplicate id 'same' "
                       r"\(first defined at a.yaml:2\)"):
        read_seed(tmp_path, display_root=tmp_path)


def test_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(SeedValidationError, match="no \\*.yaml seed files"):
        read_seed(tmp_path)


def test_export_then_read_reproduces_the_graph(tmp_path: Path, tiny_dataset: Dataset) -> None:
    store = SqliteStore(tmp_path / "a.db")
    store.write(ChangeSet.replacing_with(tiny_dataset))
    write_seed(export_dataset(store), tmp_path / "exported")
    again = SqliteStore(tmp_path / "b.db")
    again.write(ChangeSet.replacing_with(read_seed(tmp_path / "exported")))
    assert export_dataset(again) == export_dataset(store)
