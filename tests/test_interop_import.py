"""Importing a file into a store: matched to what the store holds, checked by the
seed's rules, written in one transaction or not at all — through the library, the
CLI and the API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from govmap.cli import app
from govmap.errors import SeedValidationError, StaleWriteError
from govmap.history import Authorship
from govmap.interop import FORMATS, export_as, read_dataset
from govmap.interop.importing import import_into, plan_import
from govmap.interop.registry import read_rows
from govmap.model import Dataset, Entity, Relation
from govmap.seed import default_seed_dir, read_seed
from govmap.settings import get_settings
from govmap.stores import ChangeSet, GraphStore, SqliteStore, export_dataset
from tests.conftest import AUTH

READABLE = sorted(name for name, f in FORMATS.items() if f.read is not None)
DOC = "000_1501bad59c68be6a.txt"


@pytest.fixture(scope="module")
def real_dataset() -> Dataset:
    return read_seed(default_seed_dir())


@pytest.fixture(scope="module")
def real_store(tmp_path_factory: pytest.TempPathFactory, real_dataset: Dataset) -> SqliteStore:
    store = SqliteStore(tmp_path_factory.mktemp("import") / "real.db")
    store.write(ChangeSet.replacing_with(real_dataset))
    return store


@pytest.mark.parametrize("name", READABLE)
def test_reimporting_an_export_changes_nothing(real_store: SqliteStore, real_dataset: Dataset,
                                               name: str) -> None:
    revision = real_store.revision()
    result = import_into(real_store, export_as(real_dataset, name), name, f"map.{name}")
    plan = result.plan
    assert (plan.created, plan.updated, plan.matches) == ([], [], [])
    assert plan.relations_created == plan.relations_updated == 0
    assert not result.written and real_store.revision() == revision
    assert len(plan.unchanged) == len(FORMATS[name].keeps(real_dataset).entities)


def _file(tiny: Dataset, entities: list[Entity], relations: list[Relation]) -> bytes:
    """A node-link file holding `entities` and `relations`, plus the registry entries."""
    documents = [e for e in tiny.entities if e.kind == "source_document"]
    return export_as(Dataset(entities=[*entities, *documents], relations=relations), "node-link")


def test_import_matches_by_name_creates_and_writes_once(loaded_store: GraphStore,
                                                        tiny_dataset: Dataset) -> None:
    """On every backend: a body under a new id but a stored alias is the stored body."""
    source = {"document": DOC, "excerpt": "reports directly to the First Minister."}
    tps = Entity(id="tps-renamed", kind="body", type="public_body", scope="scottish_public_sector",
                 name="TPS", description="Imported again under another id.", sources=[source])
    panel = Entity(id="imported-panel", kind="body", type="group", scope="scottish_public_sector",
                   name="Imported Panel", sources=[source])
    line = Relation(source="imported-panel", type="REPORTS_TO", target="tps-renamed",
                    strength="soft", sources=[source])
    revision = loaded_store.revision()
    result = import_into(loaded_store, _file(tiny_dataset, [tps, panel], [line]), "node-link", "x.json")
    assert [(m.imported_id, m.stored_id, m.by) for m in result.plan.matches] == [
        ("tps-renamed", "the-promise-scotland", "name")]
    assert result.plan.created == ["imported-panel"]
    assert result.plan.updated == ["the-promise-scotland"]
    assert result.written and loaded_store.revision() == revision + 1
    assert loaded_store.relations(source="imported-panel")[0].target == "the-promise-scotland"
    assert loaded_store.get_entity("tps-renamed") is None


def test_a_bad_row_is_named_and_nothing_is_written(loaded_store: GraphStore,
                                                   tiny_dataset: Dataset) -> None:
    before, revision = export_dataset(loaded_store), loaded_store.revision()
    good = Entity(id="good-group", kind="body", type="group", scope="scottish_public_sector",
                  name="Good Group")
    content = json.loads(_file(tiny_dataset, [good], []))
    content["nodes"].append({"id": "bad-group", "kind": "body", "type": "grup", "name": "Bad"})
    content["links"].append({"source": "good-group", "target": "nowhere", "key": "FUNDS",
                             "relationship": "FUNDS"})
    with pytest.raises(SeedValidationError) as caught:
        import_into(loaded_store, json.dumps(content).encode(), "node-link", "bad.json")
    text = str(caught.value)
    assert "in bad.json; nothing was loaded" in text
    assert "bad.json (node bad-group): entities" in text and "did you mean group?" in text
    assert "refers to missing entity id 'nowhere'" in text
    assert export_dataset(loaded_store) == before and loaded_store.revision() == revision


def test_a_name_shared_by_two_stored_entities_must_be_told_by_id(
        tmp_path: Path, tiny_dataset: Dataset) -> None:
    store = SqliteStore(tmp_path / "twins.db")
    twins = [Entity(id=f"twin-{n}", kind="body", type="group", scope="collective", name="Twin",
                    aliases=["Same Name"]) for n in (1, 2)]
    store.write(ChangeSet(upsert_entities=[*tiny_dataset.entities, *twins]))
    third = Entity(id="twin-3", kind="body", type="group", scope="collective", name="Same name")
    with pytest.raises(SeedValidationError, match="name 2 stored entities .twin-1, twin-2.; give the id"):
        import_into(store, _file(tiny_dataset, [third], []), "node-link", "t.json")


def test_a_lossy_format_never_erases_what_it_cannot_hold(
        tmp_path: Path, tiny_dataset: Dataset) -> None:
    lossy = [name for name in READABLE if FORMATS[name].cannot_hold]
    if not lossy:
        pytest.skip("no lossy readable format is registered")
    for name in lossy:
        store = SqliteStore(tmp_path / f"{name}.db")
        store.write(ChangeSet.replacing_with(tiny_dataset))
        before = export_dataset(store)
        result = import_into(store, export_as(tiny_dataset, name), name, f"tiny.{name}")
        assert result.plan.created == [] and result.plan.updated == [], name
        assert export_dataset(store) == before, name


# --- the shells ---------------------------------------------------------------------

def test_api_export_lists_and_downloads_every_format(client: TestClient) -> None:
    formats = client.get("/export/formats").json()
    assert {f["name"] for f in formats} == set(FORMATS)
    for fmt in formats:
        response = client.get("/export", params={"format": fmt["name"]})
        assert response.status_code == 200, fmt["name"]
        assert response.headers["content-type"].startswith(fmt["media_type"])
        assert f'filename="govmap.{fmt["extension"]}"' in response.headers["content-disposition"]
    unknown = client.get("/export", params={"format": "grapml"})
    assert unknown.status_code == 422 and "graphml" in unknown.text


def test_api_import_needs_the_token_and_reports_each_problem(client: TestClient) -> None:
    graphml = client.get("/export", params={"format": "graphml"}).content
    assert client.post("/import", params={"format": "graphml", "comment": "c"},
                       content=graphml).status_code == 401
    dry = client.post("/import", params={"format": "graphml", "dry_run": True, "comment": "c"},
                      content=graphml, headers=AUTH)
    assert dry.status_code == 200 and dry.json()["written"] is False
    assert dry.json()["entities_created"] == [] and dry.json()["entities_unchanged"] > 0
    bad = client.post("/import", params={"format": "graphml", "comment": "c"}, content=b"<graphml",
                      headers=AUTH)
    assert bad.status_code == 422
    assert bad.json()["problems"][0]["file"] == "the uploaded graphml file"


def test_api_import_takes_a_whole_map_larger_than_an_edit(client: TestClient,
                                                          real_dataset: Dataset) -> None:
    """The real dataset as GraphML is about 1 MB: past the edit limit, within the import's."""
    graphml = export_as(real_dataset, "graphml")
    assert len(graphml) > get_settings().max_body_bytes
    response = client.post("/import", params={"format": "graphml", "comment": "the whole map"},
                           content=graphml, headers=AUTH)
    assert response.status_code == 200, response.text[:500]
    assert len(response.json()["entities_created"]) > 300
    entry = client.get("/history", params={"limit": 1}).json()["items"][0]
    assert (entry["editor"], entry["comment"]) == ("editor", "the whole map")
    assert len(entry["changes"]) > 300  # the whole import is one entry of the history
    too_big = client.put("/entities/x", content=graphml, headers=AUTH)
    assert too_big.status_code == 413


def test_cli_export_then_import_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                tiny_dataset: Dataset) -> None:
    monkeypatch.setenv("GOVMAP_DB", str(tmp_path / "cli.db"))
    get_settings.cache_clear()
    SqliteStore(tmp_path / "cli.db").write(ChangeSet.replacing_with(tiny_dataset))
    runner = CliRunner()
    out = tmp_path / "map.graphml"
    exported = runner.invoke(app, ["export", "--format", "graphml", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    imported = runner.invoke(app, ["import", str(out)])
    assert imported.exit_code == 0, imported.output
    assert "changes nothing in the store: entities 0 new, 0 updated" in imported.output
    unknown = runner.invoke(app, ["export", "--format", "grapml"])
    assert unknown.exit_code == 2 and "did you mean graphml" in unknown.output
    get_settings.cache_clear()


def test_a_yaml_change_file_is_one_write_with_its_lines_in_errors(loaded_store: GraphStore) -> None:
    """The bulk change a reviewer writes by hand: the seed's own shape, one transaction,
    one history entry; a fault is named by its line."""
    changes = (
        "entities:\n"
        "  - id: children-and-families-review-panel\n"
        "    kind: body\n"
        "    type: group\n"
        "    scope: scottish_public_sector\n"
        "    name: Children and Families Review Panel\n"
        "relations:\n"
        "  - source: children-and-families-review-panel\n"
        "    type: REPORTS_TO\n"
        "    target: scottish-government\n"
        "    strength: soft\n"
    )
    revision, entries = loaded_store.revision(), len(loaded_store.history())
    broken = changes.replace("strength: soft", "strength: sorta")
    with pytest.raises(SeedValidationError, match=r"changes.yaml:11: relations\[0\].strength: 'sorta'"):
        import_into(loaded_store, broken.encode(), "yaml", "changes.yaml")
    assert loaded_store.revision() == revision and len(loaded_store.history()) == entries
    by = Authorship("Alice", "the panel set up in 2026", "minute of 3 March 2026")
    result = import_into(loaded_store, changes.encode(), "yaml", "changes.yaml", by=by)
    assert result.plan.created == ["children-and-families-review-panel"]
    assert result.plan.relations_created == 1
    entry = loaded_store.history()[-1]
    assert (entry.revision, entry.editor, entry.evidence) == (revision + 1, "Alice", "minute of 3 March 2026")
    assert {c.key for c in entry.changes} == {
        "children-and-families-review-panel",
        "children-and-families-review-panel|REPORTS_TO|scottish-government"}


# --- what a review of hostile and unlucky imports found ------------------------------

def test_a_lossy_import_that_matches_by_name_erases_nothing(tmp_path: Path, real_dataset: Dataset) -> None:
    """An FtM file from a tool with its own ids: matched by name, it patches; the
    actions' commitments and priority areas, which FtM cannot hold, stay."""
    store = SqliteStore(tmp_path / "ftm.db")
    store.write(ChangeSet.replacing_with(real_dataset))
    content = export_as(real_dataset, "ftm").replace(b'"scottish-government"', b'"sg-from-aleph"')
    result = import_into(store, content, "ftm", "aleph.ftm.json")
    assert [(m.imported_id, m.stored_id) for m in result.plan.matches] == [
        ("sg-from-aleph", "scottish-government")]
    assert result.plan.updated == []  # nothing FtM holds differs; nothing it cannot hold is erased
    actions = [e for e in export_dataset(store).entities if e.kind == "action"]
    assert sum(len(a.commitments) for a in actions) == sum(
        len(e.commitments) for e in real_dataset.entities if e.kind == "action") > 0
    assert all(a.priority_area for a in actions)


def test_an_alias_never_matches_an_alias(loaded_store: GraphStore, tiny_dataset: Dataset) -> None:
    """"SG" is the Scottish Government's alias; the Scottish Greens' alias too."""
    greens = Entity(id="scottish-greens", kind="body", type="public_body", name="Scottish Greens",
                    aliases=["SG"], scope="third_sector")
    result = import_into(loaded_store, _file(tiny_dataset, [greens], []), "node-link", "g.json")
    assert result.plan.created == ["scottish-greens"] and result.plan.matches == []
    government = loaded_store.get_entity("scottish-government")
    assert government is not None and government.name == "Scottish Government"
    both = Entity(id="both", kind="body", type="public_body", name="Scottish Government",
                  aliases=["The Promise Scotland"], scope="scottish_public_sector")
    with pytest.raises(SeedValidationError, match="name 2 stored entities"):
        import_into(loaded_store, _file(tiny_dataset, [both], []), "node-link", "b.json")
    retyped = Entity(id="tps-2", kind="body", type="board", name="TPS", scope="scottish_public_sector")
    with pytest.raises(SeedValidationError, match="a public_body, not a board; give its id"):
        import_into(loaded_store, _file(tiny_dataset, [retyped], []), "node-link", "t.json")


def test_an_edit_made_while_an_import_is_checked_is_not_lost(loaded_store: GraphStore,
                                                             tiny_dataset: Dataset) -> None:
    tps = next(e for e in tiny_dataset.entities if e.id == "the-promise-scotland")
    imported = tps.model_copy(update={"description": "From the import."})
    rows = read_rows(_file(tiny_dataset, [imported], []), "node-link", "x.json")
    plan = plan_import(rows, export_dataset(loaded_store))
    loaded_store.write(ChangeSet(upsert_entities=[tps.model_copy(update={"aliases": ["TPS", "Bob's"]})]))
    with pytest.raises(StaleWriteError):
        loaded_store.write(plan.change)
    kept = loaded_store.get_entity("the-promise-scotland")
    assert kept is not None and kept.aliases == ["TPS", "Bob's"]


@pytest.mark.parametrize(("name", "content"), [
    ("node-link", b"[" * 100_000 + b"]" * 100_000),
    ("kumu-json", b'{"elements": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
    ("popolo", b'{"organizations": [{"id": "x", "name": "X", "other_names": 5}]}'),
    ("ftm", b'{"id": "x", "schema": 5, "properties": []}'),
    ("yaml", b"a: &a [1, 1, 1]\nb: &b [*a, *a, *a]\nentities: [*b, *b]\n"),
    ("turtle", b"@prefix : <urn:x:> . :a :b (" + b"(" * 5000 + b")" * 5000 + b") ."),
])
def test_a_hostile_file_is_refused_as_unreadable_never_an_error(name: str, content: bytes) -> None:
    with pytest.raises(SeedValidationError) as caught:
        read_dataset(content, name, "hostile.file")
    assert all(p.file.startswith("hostile.file") for p in caught.value.problems)


def test_a_refusal_lists_at_most_two_hundred_problems(loaded_store: GraphStore) -> None:
    bad = "entities:\n" + "".join(f"  - {{id: bad-{i}, kind: bodyy, name: B}}\n" for i in range(500))
    with pytest.raises(SeedValidationError) as caught:
        import_into(loaded_store, bad.encode(), "yaml", "many.yaml")
    assert len(caught.value.problems) == 201
    assert caught.value.problems[-1].message == "and 300 more problems"
