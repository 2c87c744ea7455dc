"""FollowTheMoney export: the `followthemoney` package itself reads every line back
as a valid entity of the expected schema, what the seed requires survives in the
documented FtM properties, and a broken line is refused by file and line number."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from followthemoney import model
from followthemoney.proxy import EntityProxy

from govmap.errors import SeedValidationError
from govmap.interop import export_as, read_dataset
from govmap.interop.ftm import ENDS
from govmap.model import Dataset
from govmap.seed import default_seed_dir, read_seed
from govmap.vocabulary import RELATIONSHIPS


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return read_seed(default_seed_dir())


@pytest.fixture(scope="module")
def lines(dataset: Dataset) -> list[str]:
    return export_as(dataset, "ftm").decode("utf-8").splitlines()


@pytest.fixture(scope="module")
def proxies(lines: list[str]) -> dict[str, EntityProxy]:
    """Every line read back by FtM as untrusted input (all values re-cleaned)."""
    read = [model.get_proxy(json.loads(line), cleaned=False) for line in lines]
    return {str(p.id): p for p in read}


def line_of(proxies: dict[str, EntityProxy], source: str, role: str, target: str) -> EntityProxy:
    """The edge entity saying "`source` `role` `target`" (ends as the module names them)."""
    found = [p for p in proxies.values() if p.schema.name in ENDS and p.get("role") == [role]
             and p.get(ENDS[p.schema.name][0]) == [source] and p.get(ENDS[p.schema.name][1]) == [target]]
    assert len(found) == 1, (source, target, found)
    return found[0]


def test_every_line_is_a_valid_ftm_entity_that_cleans_to_itself(lines: list[str]) -> None:
    for line in lines:
        data = json.loads(line)
        proxy = model.get_proxy(data, cleaned=False)
        assert proxy.schema.validate(data) is None, (data["id"], proxy.schema.validate(data))
        assert proxy.to_dict()["properties"] == data["properties"], data["id"]


def test_one_line_per_entity_and_relation(dataset: Dataset, lines: list[str]) -> None:
    assert len(lines) == len(dataset.entities) + len(dataset.relations)


def test_bodies_become_public_bodies_organisations_or_positions(proxies: dict[str, EntityProxy]) -> None:
    assert proxies["scottish-government"].schema.name == "PublicBody"
    assert proxies["association-of-directors-of-education-services"].schema.name == "Organization"
    assert proxies["first-minister"].schema.name == "Position"
    assert "scope: scottish_public_sector" in proxies["scottish-government"].get("keywords")


def test_other_entities_take_the_nearest_schema(dataset: Dataset, proxies: dict[str, EntityProxy]) -> None:
    expected = {"action": "Project", "plan": "Project", "source_document": "Document",
                "finding": "Note", "legislation": "Note", "policy_area": "Note"}
    for entity in dataset.entities:
        if str(entity.kind) in expected:
            assert proxies[entity.id].schema.name == expected[str(entity.kind)], entity.id
    document = proxies["doc-002"]
    assert document.get("fileName") == ["002_9f6e7a63684db722.txt"]
    assert document.get("publishedAt") == ["2021"]


def test_member_of_is_a_membership(proxies: dict[str, EntityProxy]) -> None:
    membership = line_of(proxies, "dumfries-and-galloway-council", "is a member of", "local-authorities")
    assert membership.schema.name == "Membership"
    assert membership.get("member") == ["dumfries-and-galloway-council"]
    assert membership.get("organization") == ["local-authorities"]


def test_chairs_is_a_directorship_only_between_legal_entities(proxies: dict[str, EntityProxy]) -> None:
    by_government = line_of(proxies, "scottish-government", "chairs",
                            "collective-leadership-group-for-vulnerable-children-and-young-people")
    assert by_government.schema.name == "Directorship"
    by_post = line_of(proxies, "chair-of-the-promise-scotland", "chairs", "the-promise-scotland")
    assert by_post.schema.name == "UnknownLink"  # a Position is not a LegalEntity: FtM's range


def test_other_lines_are_unknown_links_with_their_reading_and_strength(
        dataset: Dataset, proxies: dict[str, EntityProxy]) -> None:
    relation = next(r for r in dataset.relations if r.type == "ACCOUNTABLE_TO" and r.strength)
    line = line_of(proxies, relation.source, "is accountable to", relation.target)
    assert line.schema.name == "UnknownLink"
    assert f"strength: {relation.strength}" in line.get("status")


def test_evidence_is_in_summary_with_proof_pointing_at_the_document(
        dataset: Dataset, proxies: dict[str, EntityProxy]) -> None:
    cited = "000_1501bad59c68be6a.txt"
    relation = next(r for r in dataset.relations if r.sources and r.sources[0].document == cited)
    line = line_of(proxies, relation.source, RELATIONSHIPS[relation.type].reads, relation.target)
    first = json.loads(line.get("summary")[0])
    assert first["document"] == relation.sources[0].document
    assert first["excerpt"] == relation.sources[0].excerpt
    assert "doc-000" in line.get("proof")


def test_the_round_trip_keeps_scope_strength_and_sources(dataset: Dataset) -> None:
    back = read_dataset(export_as(dataset, "ftm"), "ftm", "govmap.ftm.json")
    original = {r.key: r for r in dataset.relations}
    assert all(r.strength == original[r.key].strength and r.sources == original[r.key].sources
               for r in back.relations)
    scopes = {e.id: e.scope for e in dataset.entities}
    assert all(e.scope == scopes[e.id] for e in back.entities)


def test_a_malformed_line_is_refused_by_file_and_line(lines: list[str]) -> None:
    broken = [*lines[:2], '{"id": "x", "schema": "PublicBody", "properties": ', *lines[3:]]
    with pytest.raises(SeedValidationError) as caught:
        read_dataset("\n".join(broken).encode(), "ftm", "mine.ftm.json")
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == ("mine.ftm.json", 3)
    assert "line 3 is not an FtM entity" in problem.message


def test_an_entity_the_map_has_no_place_for_is_refused_by_line(lines: list[str]) -> None:
    person = json.dumps({"id": "jane", "schema": "Person", "properties": {"name": ["Jane"]}})
    with pytest.raises(SeedValidationError) as caught:
        read_dataset("\n".join([lines[0], person]).encode(), "ftm", "mine.ftm.json")
    [problem] = caught.value.problems
    assert problem.line == 2 and "Person has no counterpart" in problem.message


def test_a_body_without_its_scope_fails_the_seed_check_at_its_line(lines: list[str]) -> None:
    number = next(i for i, line in enumerate(lines) if '"id":"scottish-government"' in line)
    data = json.loads(lines[number])
    data["properties"]["keywords"] = [k for k in data["properties"]["keywords"] if not k.startswith("scope")]
    edited = [*lines[:number], json.dumps(data), *lines[number + 1:]]
    with pytest.raises(SeedValidationError) as caught:
        read_dataset("\n".join(edited).encode(), "ftm", "mine.ftm.json")
    assert any(p.file == "mine.ftm.json" and p.line == number + 1 and "scope" in p.field
               for p in caught.value.problems)


def test_the_ftm_tool_validates_the_export_and_its_output_reads_back_the_same(
        dataset: Dataset, tmp_path: Path) -> None:
    from click.testing import CliRunner
    from followthemoney.cli.cli import cli

    exported, validated = tmp_path / "govmap.ftm.json", tmp_path / "validated.ftm.json"
    exported.write_bytes(export_as(dataset, "ftm"))
    result = CliRunner().invoke(cli, ["validate", "-i", str(exported), "-o", str(validated)])
    assert result.exit_code == 0, result.output
    again = read_dataset(validated.read_bytes(), "ftm", validated.name)
    first = read_dataset(exported.read_bytes(), "ftm", exported.name)
    assert sorted(again.entities, key=lambda e: e.id) == sorted(first.entities, key=lambda e: e.id)
    assert sorted(again.relations, key=lambda r: r.key) == sorted(first.relations, key=lambda r: r.key)
