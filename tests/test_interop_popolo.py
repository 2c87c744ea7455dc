"""Popolo JSON export: it conforms to the Popolo specification for the records it
writes, holds what the module says (bodies, parents, memberships) and reads back
with every problem located by file and record.

No installable package ships the Popolo JSON schemas (django-popolo,
mysociety-django-popolo and everypolitician-popolo hold none; pupa ships Open Civic
Data's own schemas), and third-party schema text is not copied here. So the schema
below is written in this project's own words for the part of the Popolo
specification govmap emits: its field names and types, its date form, that a link
has a URL and an other-name a name, and the specification's rule that a membership
names a member and an organisation.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from govmap.errors import SeedValidationError
from govmap.interop import export_as, read_dataset
from govmap.model import Dataset
from govmap.seed import default_seed_dir, read_seed

TEXT = {"type": ["string", "null"]}
DATE = {"type": ["string", "null"], "pattern": r"^[0-9]{4}(-[0-9]{2}){0,2}$"}
LINK = {"type": "object", "required": ["url"],
        "properties": {"url": {"type": "string", "format": "uri", "pattern": r"^[A-Za-z][A-Za-z0-9+.-]*:"},
                       "note": TEXT}}
LINKS = {"type": "array", "items": {"$ref": "#/$defs/link"}}
POPOLO_SUBSET: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "The part of a Popolo JSON document that govmap writes",
    "type": "object",
    "properties": {
        "organizations": {"type": "array", "items": {"$ref": "#/$defs/organization"}},
        "posts": {"type": "array", "items": {"$ref": "#/$defs/post"}},
        "memberships": {"type": "array", "items": {"$ref": "#/$defs/membership"}},
    },
    "$defs": {
        "link": LINK,
        "other_name": {"type": "object", "required": ["name"],
                       "properties": {"name": {"type": "string"}, "note": TEXT,
                                      "start_date": DATE, "end_date": DATE}},
        "organization": {"type": "object", "properties": {
            "id": TEXT, "name": TEXT, "classification": TEXT, "parent_id": TEXT,
            "other_names": {"type": "array", "items": {"$ref": "#/$defs/other_name"}},
            "founding_date": DATE, "dissolution_date": DATE, "sources": LINKS, "links": LINKS}},
        "post": {"type": "object", "properties": {
            "id": TEXT, "label": TEXT, "role": TEXT, "organization_id": TEXT,
            "other_label": {"type": "array", "items": {"type": "string"}},
            "start_date": DATE, "end_date": DATE, "sources": LINKS, "links": LINKS}},
        "membership": {
            "type": "object",
            "properties": {
                "id": TEXT, "label": TEXT, "role": TEXT, "member": {"type": ["object", "null"]},
                "person_id": TEXT, "organization_id": TEXT, "post_id": TEXT,
                "start_date": DATE, "end_date": DATE, "sources": LINKS, "links": LINKS},
            # the specification: a membership names its member and its organisation
            "allOf": [{"anyOf": [{"required": ["person_id"]}, {"required": ["person"]},
                                 {"required": ["member"]}]},
                      {"anyOf": [{"required": ["organization_id"]}, {"required": ["organization"]}]}],
        },
    },
}
VALIDATOR = Draft202012Validator(POPOLO_SUBSET, format_checker=FormatChecker())


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return read_seed(default_seed_dir())


@pytest.fixture(scope="module")
def document(dataset: Dataset) -> dict[str, Any]:
    return json.loads(export_as(dataset, "popolo"))


def by_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in records}


def test_the_schema_is_a_valid_json_schema_that_refuses_what_popolo_refuses() -> None:
    Draft202012Validator.check_schema(POPOLO_SUBSET)
    assert not VALIDATOR.is_valid({"organizations": [{"name": "A", "sources": [{"note": "no url"}]}]})
    assert not VALIDATOR.is_valid({"organizations": [{"founding_date": "March 2020"}]})
    assert not VALIDATOR.is_valid({"memberships": [{"organization_id": "a"}]})


def test_the_export_conforms_to_popolo(document: dict[str, Any]) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(document)]
    assert errors == []
    assert all(o["id"] and o["name"] for o in document["organizations"])
    assert all(p["id"] and p["label"] for p in document["posts"])


def test_bodies_are_organisations_and_posts(dataset: Dataset, document: dict[str, Any]) -> None:
    bodies = [e for e in dataset.entities if e.kind == "body"]
    assert len(document["organizations"]) + len(document["posts"]) == len(bodies)
    government = by_id(document["organizations"])["scottish-government"]
    assert government["classification"] == "government"
    assert government["govmap_scope"] == "scottish_public_sector"
    assert "first-minister" in by_id(document["posts"])


def test_part_of_is_the_parent_with_its_strength(document: dict[str, Any]) -> None:
    committee = by_id(document["organizations"])["dumfries-and-galloway-social-work-services-committee"]
    assert committee["parent_id"] == "dumfries-and-galloway-council"
    assert committee["govmap_part_of"]["strength"] == "formal"
    minister = by_id(document["posts"])["first-minister"]
    assert minister["organization_id"] == "scottish-government"


def test_member_of_and_chairs_are_memberships(document: dict[str, Any]) -> None:
    memberships = by_id(document["memberships"])
    member = memberships["dumfries-and-galloway-council|MEMBER_OF|local-authorities"]
    assert member["member"] == {"@type": "Organization", "id": "dumfries-and-galloway-council"}
    assert (member["organization_id"], member["role"]) == ("local-authorities", "member")
    chair = memberships["scottish-government|CHAIRS|"
                        "collective-leadership-group-for-vulnerable-children-and-young-people"]
    assert chair["role"] == "chair"


def test_the_round_trip_gives_back_the_bodies_and_their_lines(dataset: Dataset) -> None:
    back = read_dataset(export_as(dataset, "popolo"), "popolo", "govmap.popolo.json")
    assert {e.id for e in back.entities} == {e.id for e in dataset.entities if e.kind == "body"}
    assert {str(r.type) for r in back.relations} == {"PART_OF", "MEMBER_OF", "CHAIRS"}
    original = {e.id: e for e in dataset.entities}
    assert all(e == original[e.id] for e in back.entities)  # bodies whole, facts and sources too


def test_text_that_is_not_json_is_refused_naming_the_file() -> None:
    with pytest.raises(SeedValidationError) as caught:
        read_dataset(b'{"organizations": [', "popolo", "mine.popolo.json")
    assert caught.value.problems[0].file == "mine.popolo.json"


def test_a_faulty_record_is_located_by_its_list_and_index(document: dict[str, Any]) -> None:
    edited = json.loads(json.dumps(document))
    del edited["organizations"][2]["govmap_scope"]
    with pytest.raises(SeedValidationError) as caught:
        read_dataset(json.dumps(edited).encode(), "popolo", "mine.popolo.json")
    assert [p.file for p in caught.value.problems] == ["mine.popolo.json (organizations[2])"]
    assert "scope" in caught.value.problems[0].field
