"""RDF export in the W3C Organization Ontology: the ORG terms are really there for a
linked-data tool to find, Turtle and JSON-LD say the same, and bad files are refused
naming the file (and the record's IRI)."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import ORG, PROV, RDF, RDFS

from govmap.errors import SeedValidationError
from govmap.interop import export_as, read_dataset
from govmap.interop.rdf import ENTITY, GOVMAP, RELATION, TERMS, TYPE_TERM
from govmap.model import Dataset, Entity, Fact, Relation, Source
from govmap.seed import default_seed_dir, read_seed
from govmap.vocabulary import RELATIONSHIPS


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return read_seed(default_seed_dir())


@pytest.fixture(scope="module")
def turtle(dataset: Dataset) -> Graph:
    return Graph().parse(data=export_as(dataset, "turtle"), format="turtle")


def node(relation: Relation) -> URIRef:
    return RELATION[f"{relation.source}/{relation.type}/{relation.target}"]


def first(dataset: Dataset, rel_type: str, **where: str) -> Relation:
    return next(r for r in dataset.relations
                if r.type == rel_type and all(getattr(r, k) == v for k, v in where.items()))


def test_bodies_take_their_org_class(turtle: Graph) -> None:
    assert (ENTITY["scottish-government"], RDF.type, ORG.FormalOrganization) in turtle
    assert (ENTITY["scottish-government"], RDF.type, GOVMAP.Body) in turtle
    assert (ENTITY["first-minister"], RDF.type, ORG.Post) in turtle


def test_structure_and_reporting_lines_in_org_terms(dataset: Dataset, turtle: Graph) -> None:
    types = {e.id: e.type for e in dataset.entities}
    unit = next(r for r in dataset.relations if r.type == "PART_OF"
                and (types[r.source], types[r.target]) == ("directorate", "government"))
    assert (ENTITY[unit.source], ORG.unitOf, ENTITY[unit.target]) in turtle
    assert (ENTITY[unit.source], ORG.subOrganizationOf, ENTITY[unit.target]) in turtle
    assert (ENTITY["first-minister"], ORG.postIn, ENTITY["scottish-government"]) in turtle
    line = first(dataset, "REPORTS_TO", source="minister-for-children-young-people-and-the-promise")
    assert (ENTITY[line.source], ORG.reportsTo, ENTITY[line.target]) in turtle
    assert (ENTITY[line.source], GOVMAP.reportsTo, ENTITY[line.target]) in turtle


def test_member_of_is_an_org_membership(dataset: Dataset, turtle: Graph) -> None:
    membership = first(dataset, "MEMBER_OF", source="scottish-government")
    assert (node(membership), RDF.type, ORG.Membership) in turtle
    assert (node(membership), ORG.member, ENTITY[membership.source]) in turtle
    assert (node(membership), ORG.organization, ENTITY[membership.target]) in turtle
    assert (ENTITY[membership.source], ORG.memberOf, ENTITY[membership.target]) in turtle


def test_succession_is_a_change_event(dataset: Dataset, turtle: Graph) -> None:
    succession = first(dataset, "SUCCEEDS")
    event = node(succession)
    assert (event, RDF.type, ORG.ChangeEvent) in turtle
    # between plans, ORG's properties give way to their PROV parents
    assert (event, PROV.used, ENTITY[succession.target]) in turtle
    assert (event, PROV.generated, ENTITY[succession.source]) in turtle


def test_evidence_is_reached_by_prov(dataset: Dataset, turtle: Graph) -> None:
    relation = next(r for r in dataset.relations if r.sources and not r.sources[0].is_reference)
    excerpts = {turtle.value(source, GOVMAP.excerpt)
                for source in turtle.objects(node(relation), PROV.wasDerivedFrom)}
    assert Literal(relation.sources[0].excerpt) in excerpts


def test_a_relation_keeps_its_strength(dataset: Dataset, turtle: Graph) -> None:
    formal = next(r for r in dataset.relations if r.strength == "formal")
    assert (node(formal), GOVMAP.strength, Literal("formal")) in turtle
    assert (node(formal), GOVMAP.relationType, TYPE_TERM[formal.type]) in turtle


def test_the_file_documents_its_own_terms(turtle: Graph) -> None:
    used = {term for triple in turtle for term in triple
            if isinstance(term, URIRef) and term.startswith(GOVMAP) and term != URIRef(GOVMAP)}
    assert used and all(turtle.value(term, RDFS.label) and turtle.value(term, RDFS.comment)
                        for term in used)
    assert turtle.value(GOVMAP.holdsToAccount, RDFS.label) == Literal(RELATIONSHIPS["HOLDS_TO_ACCOUNT"].reads)
    assert not set(TERMS) & {term.removeprefix(GOVMAP) for term in TYPE_TERM.values()}  # no clash


def test_json_ld_and_turtle_hold_the_same_graph(dataset: Dataset, turtle: Graph) -> None:
    assert isomorphic(Graph().parse(data=export_as(dataset, "jsonld"), format="json-ld"), turtle)


def test_numbers_keep_every_digit() -> None:
    cited = [Source(document="a.txt", excerpt="a third")]
    board = Entity(id="b", kind="body", type="board", name="B", scope="scottish_public_sector",
                   facts=[Fact(measure="share", value=1 / 3, total=123456.789, sources=cited)])
    for name in ("turtle", "jsonld"):
        assert read_dataset(export_as(Dataset(entities=[board]), name), name).entities == [board]


def test_malformed_turtle_is_refused_naming_the_file() -> None:
    with pytest.raises(SeedValidationError) as caught:
        read_dataset(b"@prefix govmap: <urn:govmap:vocab:> .\n<urn:govmap:entity/x> a govmap:Body ;",
                     "turtle", "govmap.ttl")
    assert [p.file for p in caught.value.problems] == ["govmap.ttl"]
    assert "not Turtle" in caught.value.problems[0].message


def test_problems_are_located_by_iri(dataset: Dataset) -> None:
    line = first(dataset, "REPORTS_TO")
    content = export_as(dataset, "turtle").replace(b'govmap:strength "', b'govmap:strengthless "')
    with pytest.raises(SeedValidationError) as caught:
        read_dataset(content, "turtle", "govmap.ttl")
    assert f"govmap.ttl (<{node(line)}>)" in {p.file for p in caught.value.problems}


def test_a_remote_context_is_refused_not_fetched() -> None:
    with pytest.raises(SeedValidationError, match="remote @context"):
        read_dataset(b'{"@context": "https://example.invalid/context.jsonld", "@id": "urn:x"}',
                     "jsonld", "remote.jsonld")


def test_rdf_with_no_govmap_records_is_refused() -> None:
    with pytest.raises(SeedValidationError, match="no govmap records"):
        read_dataset(b"<urn:a> <http://www.w3.org/ns/org#memberOf> <urn:b> .", "turtle", "other.ttl")
