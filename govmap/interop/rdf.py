"""The map as linked data: RDF in the W3C Organization Ontology (ORG), as Turtle and
JSON-LD, written and read with rdflib — for triple stores, SPARQL, and registers of
public bodies that speak ORG.

Each record is written twice over: in terms RDF tools know (ORG, SKOS, Dublin Core,
PROV, OWL-Time), and as a node of the small `govmap:` vocabulary, which every file
defines itself (each term with rdfs:label and rdfs:comment). The reader rebuilds the
records from the `govmap:` nodes alone, so a round trip gives back the same dataset.

IRIs are URNs, not web addresses, so none pretends to be looked up on the web:
`urn:govmap:entity/<id>`, `urn:govmap:relation/<source>/<TYPE>/<target>`, their
sources, facts and commitments below them (`…/source/1`), the vocabulary `urn:govmap:vocab:`.

- body: govmap:Body, and by type org:FormalOrganization (government, public body,
  council, health board, IJB, parliament, charity, research organisation),
  org:OrganizationalUnit (directorate, committee), org:Organization (board, group,
  network, partnership, CSPP), org:Post (post, ministerial post) or foaf:Group
  (collective); funds and programmes stay govmap:Body. Other kinds: govmap:Action,
  govmap:Plan… (a source document also a foaf:Document).
- id dct:identifier, name skos:prefLabel, aliases skos:altLabel (and in order in
  govmap:aliases, an rdf:List), description dct:description, the rest govmap: terms.
- relation: a govmap:Relation node (govmap:source, govmap:relationType, govmap:target,
  strength, confidence, rank, skos:note, dates, sources); the triple `<a> govmap:leads
  <b>` (a property per type, from `RELATIONSHIPS`); and where ORG has the term: PART_OF
  org:subOrganizationOf (org:unitOf from a unit to a formal organisation, org:postIn
  from a post); REPORTS_TO, ACCOUNTABLE_TO org:reportsTo; CHAIRS org:headOf; MEMBER_OF
  org:memberOf, its node an org:Membership (org:member, org:organization,
  org:memberDuring); SUCCEEDS, its node an org:ChangeEvent.
- dates: govmap:validDuring a time:Interval (time:hasBeginning, time:hasEnd); an
  entity's valid_to is also an org:ChangeEvent that ends it. A change event names
  org:originalOrganization / org:resultingOrganization between organisations, and
  their PROV parents prov:used / prov:generated for anything else.
- sources: prov:wasDerivedFrom a govmap:Excerpt (govmap:excerpt, govmap:document,
  govmap:locator; dct:isPartOf its source document) or a govmap:Reference
  (dct:bibliographicCitation, schema:url). Facts and commitments are govmap: nodes.
  List order is govmap:position (RDF keeps none). Numbers are xsd:decimal: rdflib
  writes an xsd:double in Turtle to 7 digits (RDFLib/rdflib#1852).

Nothing is lost. The same dataset always gives the same Turtle; JSON-LD's node order
and blank-node labels vary, its graph does not. RDF has no lines, so problems are
located by IRI ("govmap.ttl (<urn:govmap:entity/x>)"). A JSON-LD file naming a remote
@context is refused: an import never fetches from the network.

>>> from govmap.interop.registry import read_dataset
>>> sg = Entity(id="sg", kind="body", type="government", name="Scottish Government",
...             scope="scottish_public_sector")
>>> (ENTITY["sg"], RDF.type, ORG.FormalOrganization) in to_graph(Dataset(entities=[sg]))
True
>>> read_dataset(write_turtle(Dataset(entities=[sg])), "turtle").entities == [sg]
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from enum import StrEnum
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, XSD
from rdflib.term import Node

from govmap.interop.registry import Row, register, unreadable
from govmap.model import Dataset, Entity, Relation, Source
from govmap.vocabulary import (
    RELATIONSHIPS,
    AssessmentStatus,
    Confidence,
    DocumentKind,
    LeadRank,
    NodeKind,
    RelType,
    Scope,
    Strength,
)

GOVMAP = Namespace("urn:govmap:vocab:")
ENTITY = Namespace("urn:govmap:entity/")
RELATION = Namespace("urn:govmap:relation/")
PREFIXES = {"govmap": GOVMAP, "entity": ENTITY, "org": ORG, "skos": SKOS, "dct": DCTERMS, "prov": PROV,
            "time": TIME, "foaf": FOAF, "schema": SDO, "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD}


def _camel(words: str) -> str:
    """'REPORTS_TO' -> 'reportsTo'; 'policy_area' -> 'policyArea'."""
    first, *rest = words.lower().split("_")
    return first + "".join(word.title() for word in rest)


def _words(camel: str, joiner: str = " ") -> str:
    """'policyArea' -> 'policy area' (with joiner "_": 'policy_area')."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", joiner, camel).lower()


KIND_CLASS = {kind: GOVMAP[kind.title().replace("_", "")] for kind in NodeKind}
TYPE_TERM = {rel_type: GOVMAP[_camel(rel_type)] for rel_type in RelType}
ORG_CLASS = {**dict.fromkeys(["government", "public_body", "local_authority", "health_board", "ijb",
                              "parliament", "third_sector", "research_organisation"],
                             ORG.FormalOrganization),
             **dict.fromkeys(["directorate", "committee"], ORG.OrganizationalUnit),
             **dict.fromkeys(["board", "group", "network", "partnership", "cspp"], ORG.Organization),
             **dict.fromkeys(["post", "ministerial_post"], ORG.Post), "collective": FOAF.Group}
ORGANISATIONS = {ORG.Organization, ORG.FormalOrganization, ORG.OrganizationalUnit}
AGENTS = ORGANISATIONS | {FOAF.Group}
# (type, classes of its source, classes of its target, the ORG property that says it)
ORG_LINES = [
    (RelType.PART_OF, ORGANISATIONS, ORGANISATIONS, ORG.subOrganizationOf),
    (RelType.PART_OF, {ORG.OrganizationalUnit}, {ORG.FormalOrganization}, ORG.unitOf),
    (RelType.PART_OF, {ORG.Post}, ORGANISATIONS, ORG.postIn),
    (RelType.REPORTS_TO, AGENTS | {ORG.Post}, AGENTS | {ORG.Post}, ORG.reportsTo),
    (RelType.ACCOUNTABLE_TO, AGENTS | {ORG.Post}, AGENTS | {ORG.Post}, ORG.reportsTo),
    (RelType.MEMBER_OF, AGENTS, ORGANISATIONS, ORG.memberOf),
    (RelType.CHAIRS, AGENTS, ORGANISATIONS, ORG.headOf),
]

# Fields held as one literal each: field -> property.
ENTITY_FIELDS = {"id": DCTERMS.identifier, "type": GOVMAP.entityType, "name": SKOS.prefLabel,
                 "description": DCTERMS.description, "scope": GOVMAP.scope, "requires": GOVMAP.requires,
                 "status": GOVMAP.assessmentStatus, "commitment_received": GOVMAP.commitmentReceived,
                 "assessed_on": GOVMAP.assessedOn, "file": GOVMAP.file, "publisher": DCTERMS.publisher,
                 "year": GOVMAP.year, "published": DCTERMS.issued, "document_kind": GOVMAP.documentKind,
                 "url": SDO.url}
RELATION_FIELDS = {"confidence": GOVMAP.confidence, "strength": GOVMAP.strength, "rank": GOVMAP.rank,
                   "note": SKOS.note}
SOURCE_FIELDS = {"document": GOVMAP.document, "title": DCTERMS.title, "locator": GOVMAP.locator,
                 "excerpt": GOVMAP.excerpt, "citation": DCTERMS.bibliographicCitation, "url": SDO.url,
                 "checked": GOVMAP.checkedOn}
FACT_FIELDS = {"measure": GOVMAP.measure, "value": RDF.value, "total": GOVMAP.total, "unit": GOVMAP.unit}
COMMITMENT_FIELDS = {"text": DCTERMS.description, "due": GOVMAP.due}


def _one_of(values: type[StrEnum]) -> str:
    return "one of " + ", ".join(values)


# The govmap: terms besides one property per relationship type; labels come from the names.
TERMS = {
    **{str(cls).removeprefix(GOVMAP): f"An entity of kind {kind}." for kind, cls in KIND_CLASS.items()},
    "Relation": "A typed, sourced relation: govmap:source govmap:relationType govmap:target.",
    "Excerpt": "Evidence: an exact excerpt quoted from a source document.",
    "Reference": "Background evidence: the citation of an Act or official page, and its URL.",
    "Fact": "A count a document states about an entity.",
    "Commitment": "A commitment made towards an action by the entities in govmap:by.",
    "relationType": "The type of a relation: one of the relationship properties.",
    "source": "The entity a relation reads from.", "target": "The entity a relation reads to.",
    "strength": f"How strong a line of accountability is, {_one_of(Strength)}: formal is a duty to "
                "answer, with consequences; soft is monitoring or convening, with no power to compel.",
    "confidence": f"Whether a source states the relation or it is inferred, {_one_of(Confidence)}.",
    "rank": f"Where the text ranks a lead, {_one_of(LeadRank)} (overall responsibility).",
    "scope": f"Where a body sits, {_one_of(Scope)}.", "entityType": "The entity's type within its kind.",
    "validDuring": "The time:Interval a record holds for.",
    "position": "The place of an item in its list, from 1.",
    "aliases": "The entity's other names, in order (each is also a skos:altLabel).",
    "priorityArea": "The priority area an action belongs to.", "requires": "What an action requires.",
    "assessmentStatus": f"The assessment of an action's progress, {_one_of(AssessmentStatus)}.",
    "commitmentReceived": "Whether an action has received a commitment.",
    "assessedOn": "When a document made a finding.", "year": "The year a document appeared.",
    "file": "The file name a source document is cited by.",
    "documentKind": f"What kind of publication a document is, {_one_of(DocumentKind)}.",
    "document": "The file name of the document an excerpt is quoted from.",
    "excerpt": "The exact words quoted.", "locator": "Where in the document an excerpt is.",
    "checkedOn": "When a reference was last checked.", "fact": "A fact stated about the entity.",
    "measure": "What a fact counts.", "total": "The whole a count is out of.",
    "unit": "What a count counts in.",
    "commitment": "A commitment made towards the action.",
    "by": "The entities a commitment is made by (an rdf:List).", "due": "When a commitment is due.",
}


def _vocabulary(graph: Graph) -> None:
    graph.add((URIRef(GOVMAP), RDF.type, OWL.Ontology))
    graph.add((URIRef(GOVMAP), RDFS.comment, Literal("govmap's terms for what ORG lacks.")))
    terms = {name: (_words(name), comment) for name, comment in TERMS.items()}
    terms |= {_camel(t): (meaning.reads, meaning.rule) for t, meaning in RELATIONSHIPS.items()}
    for name, (label, comment) in terms.items():
        graph.add((GOVMAP[name], RDF.type, RDFS.Class if name[0].isupper() else RDF.Property))
        graph.add((GOVMAP[name], RDFS.label, Literal(label)))
        graph.add((GOVMAP[name], RDFS.comment, Literal(comment)))


# Writing

def _literal(value: Any) -> Literal:
    """A typed literal; floats as exact decimals, which Turtle keeps to the last digit."""
    if isinstance(value, float):
        return Literal(format(Decimal(repr(value)), "f"), datatype=XSD.decimal)
    return Literal(str(value) if isinstance(value, StrEnum) else value)


def _put(graph: Graph, node: Node, record: Any, table: dict[str, URIRef]) -> None:
    for name, predicate in table.items():
        value = getattr(record, name)
        if value is not None and value != "":
            graph.add((node, predicate, _literal(value)))


def _item(graph: Graph, parent: URIRef, link: URIRef, kind: URIRef, path: str, position: int) -> URIRef:
    """The node of the `position`th item of one of `parent`'s lists."""
    item = URIRef(f"{parent}/{path}/{position}")
    graph.add((parent, link, item))
    graph.add((item, RDF.type, kind))
    graph.add((item, GOVMAP.position, Literal(position)))
    return item


def _list(graph: Graph, node: URIRef, link: URIRef, items: list[Node]) -> None:
    if items:
        head = BNode()
        Collection(graph, head, items)
        graph.add((node, link, head))


def _sources(graph: Graph, node: URIRef, sources: list[Source], documents: dict[str, URIRef]) -> None:
    for position, source in enumerate(sources, 1):
        kind = GOVMAP.Reference if source.is_reference else GOVMAP.Excerpt
        item = _item(graph, node, PROV.wasDerivedFrom, kind, "source", position)
        _put(graph, item, source, SOURCE_FIELDS)
        if source.document in documents:
            graph.add((item, DCTERMS.isPartOf, documents[source.document]))


def _interval(graph: Graph, node: URIRef, record: Entity | Relation) -> BNode | None:
    if record.valid_from is None and record.valid_to is None:
        return None
    interval = BNode()
    graph.add((node, GOVMAP.validDuring, interval))
    graph.add((interval, RDF.type, TIME.Interval))
    for link, day in ((TIME.hasBeginning, record.valid_from), (TIME.hasEnd, record.valid_to)):
        if day is not None:
            instant = BNode()
            graph.add((interval, link, instant))
            graph.add((instant, RDF.type, TIME.Instant))
            graph.add((instant, TIME.inXSDDate, Literal(day)))
    return interval


def _change(graph: Graph, event: URIRef, original: URIRef, resulting: URIRef | None, in_org: bool) -> None:
    """`event` an org:ChangeEvent: in ORG's terms between organisations, in PROV's otherwise."""
    graph.add((event, RDF.type, ORG.ChangeEvent))
    graph.add((event, ORG.originalOrganization if in_org else PROV.used, original))
    if resulting is not None:
        graph.add((event, ORG.resultingOrganization if in_org else PROV.generated, resulting))


def _entity(graph: Graph, entity: Entity, position: int, documents: dict[str, URIRef]) -> None:
    node = ENTITY[entity.id]
    org_class = ORG_CLASS.get(str(entity.type)) if entity.kind == NodeKind.BODY else None
    for cls in (KIND_CLASS[entity.kind], org_class,
                FOAF.Document if entity.kind == NodeKind.SOURCE_DOCUMENT else None):
        if cls is not None:
            graph.add((node, RDF.type, cls))
    graph.add((node, GOVMAP.position, Literal(position)))
    _put(graph, node, entity, ENTITY_FIELDS)
    for alias in entity.aliases:
        graph.add((node, SKOS.altLabel, Literal(alias)))
    _list(graph, node, GOVMAP.aliases, [Literal(alias) for alias in entity.aliases])
    if entity.priority_area:
        graph.add((node, GOVMAP.priorityArea, ENTITY[entity.priority_area]))
    _interval(graph, node, entity)
    if entity.valid_to is not None:
        _change(graph, URIRef(f"{node}/end"), node, None, org_class in ORGANISATIONS)
        graph.add((URIRef(f"{node}/end"), DCTERMS.date, Literal(entity.valid_to)))
    _sources(graph, node, entity.sources, documents)
    for number, fact in enumerate(entity.facts, 1):
        item = _item(graph, node, GOVMAP.fact, GOVMAP.Fact, "fact", number)
        _put(graph, item, fact, FACT_FIELDS)
        _sources(graph, item, fact.sources, documents)
    for number, commitment in enumerate(entity.commitments, 1):
        item = _item(graph, node, GOVMAP.commitment, GOVMAP.Commitment, "commitment", number)
        _put(graph, item, commitment, COMMITMENT_FIELDS)
        _list(graph, item, GOVMAP.by, [ENTITY[by] for by in commitment.by])
        _sources(graph, item, commitment.sources, documents)


def _relation(graph: Graph, relation: Relation, position: int, classes: dict[str, URIRef],
              documents: dict[str, URIRef]) -> None:
    node = RELATION[f"{relation.source}/{relation.type}/{relation.target}"]
    source, target, term = ENTITY[relation.source], ENTITY[relation.target], TYPE_TERM[relation.type]
    for predicate, value in ((RDF.type, GOVMAP.Relation), (GOVMAP.position, Literal(position)),
                             (GOVMAP.source, source), (GOVMAP.relationType, term), (GOVMAP.target, target)):
        graph.add((node, predicate, value))
    _put(graph, node, relation, RELATION_FIELDS)
    interval = _interval(graph, node, relation)
    _sources(graph, node, relation.sources, documents)
    graph.add((source, term, target))
    source_class, target_class = classes.get(relation.source), classes.get(relation.target)
    for rel_type, sources, targets, predicate in ORG_LINES:
        if relation.type == rel_type and source_class in sources and target_class in targets:
            graph.add((source, predicate, target))
    if relation.type == RelType.MEMBER_OF and (source, ORG.memberOf, target) in graph:
        for predicate, value in ((RDF.type, ORG.Membership), (ORG.member, source),
                                 (ORG.organization, target), (ORG.memberDuring, interval)):
            if value is not None:
                graph.add((node, predicate, value))
    if relation.type == RelType.SUCCEEDS:
        _change(graph, node, target, source, {source_class, target_class} <= ORGANISATIONS)


def to_graph(dataset: Dataset) -> Graph:
    """The dataset, with the govmap: vocabulary it uses, as one RDF graph."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    _vocabulary(graph)
    classes = {e.id: ORG_CLASS[str(e.type)] for e in dataset.entities
               if e.kind == NodeKind.BODY and e.type in ORG_CLASS}
    documents = {str(e.file): ENTITY[e.id] for e in dataset.entities if e.kind == NodeKind.SOURCE_DOCUMENT}
    for position, entity in enumerate(dataset.entities, 1):
        _entity(graph, entity, position, documents)
    for position, relation in enumerate(dataset.relations, 1):
        _relation(graph, relation, position, classes, documents)
    return graph


# Reading: from the govmap: nodes only; what is not as written is left for the seed checks.

def _python(term: Node) -> Any:
    """A literal's value (decimals as floats); anything else as text, for the model to refuse."""
    value = term.toPython() if isinstance(term, Literal) else str(term)
    if isinstance(value, Decimal):
        return float(value)
    return str(value) if isinstance(value, Literal) else value  # an ill-typed literal


def _id(term: Node) -> str:
    return str(term).removeprefix(ENTITY)


def _type(term: Node) -> str:
    """'REPORTS_TO' from govmap:reportsTo; any other term as its text."""
    name = str(term)
    return _words(name.removeprefix(GOVMAP), "_").upper() if name.startswith(GOVMAP) else name


def _fields(graph: Graph, node: Node, table: dict[str, URIRef]) -> dict[str, Any]:
    return {name: _python(value) for name, predicate in table.items()
            if (value := graph.value(node, predicate)) is not None}


def _ordered(graph: Graph, nodes: Iterable[Node]) -> list[Node]:
    """`nodes` by their govmap:position (those without one last, by IRI)."""
    def key(node: Node) -> tuple[bool, int, str]:
        position = graph.value(node, GOVMAP.position)
        value = position.toPython() if isinstance(position, Literal) else None
        return (False, value, str(node)) if isinstance(value, int) else (True, 0, str(node))
    return sorted(nodes, key=key)


def _listed(graph: Graph, node: Node, link: URIRef) -> list[Node]:
    head = graph.value(node, link)
    return list(Collection(graph, head)) if head is not None else []


def _dates(graph: Graph, node: Node) -> dict[str, Any]:
    interval = graph.value(node, GOVMAP.validDuring)
    dates = {}
    for name, link in (("valid_from", TIME.hasBeginning), ("valid_to", TIME.hasEnd)):
        instant = graph.value(interval, link) if interval is not None else None
        day = graph.value(instant, TIME.inXSDDate) if instant is not None else None
        if day is not None:
            dates[name] = _python(day)
    return dates


def _sources_of(graph: Graph, node: Node) -> list[dict[str, Any]]:
    return [{"kind": "reference" if (item, RDF.type, GOVMAP.Reference) in graph else "document",
             **_fields(graph, item, SOURCE_FIELDS)}
            for item in _ordered(graph, graph.objects(node, PROV.wasDerivedFrom))]


def _entity_data(graph: Graph, node: Node, kind: NodeKind) -> dict[str, Any]:
    data = {**_fields(graph, node, ENTITY_FIELDS), "id": _id(node), "kind": str(kind),
            **_dates(graph, node), "sources": _sources_of(graph, node),
            "aliases": [str(alias) for alias in _listed(graph, node, GOVMAP.aliases)],
            "facts": [{**_fields(graph, f, FACT_FIELDS), "sources": _sources_of(graph, f)}
                      for f in _ordered(graph, graph.objects(node, GOVMAP.fact))],
            "commitments": [{**_fields(graph, c, COMMITMENT_FIELDS), "sources": _sources_of(graph, c),
                             "by": [_id(by) for by in _listed(graph, c, GOVMAP.by)]}
                            for c in _ordered(graph, graph.objects(node, GOVMAP.commitment))]}
    if (priority_area := graph.value(node, GOVMAP.priorityArea)) is not None:
        data["priority_area"] = _id(priority_area)
    return data


def _relation_data(graph: Graph, node: Node) -> dict[str, Any]:
    ends = {name: read(value) for name, link, read in (("source", GOVMAP.source, _id),
                                                        ("type", GOVMAP.relationType, _type),
                                                        ("target", GOVMAP.target, _id))
            if (value := graph.value(node, link)) is not None}
    return {**ends, **_fields(graph, node, RELATION_FIELDS), **_dates(graph, node),
            "sources": _sources_of(graph, node)}


def _remote_contexts(node: Any) -> list[str]:
    """The remote contexts a JSON-LD document names (rdflib would fetch them)."""
    if isinstance(node, list):
        return [url for item in node for url in _remote_contexts(item)]
    if not isinstance(node, dict):
        return []
    named = [value for key in ("@context", "@import") if key in node
             for value in (node[key] if isinstance(node[key], list) else [node[key]])
             if isinstance(value, str)]
    return named + [url for value in node.values() for url in _remote_contexts(value)]


def _check_json_ld(document: Any) -> None:
    if not isinstance(document, dict | list):
        raise ValueError("expected a JSON object or array")
    if remote := _remote_contexts(document):
        raise ValueError(f"it names a remote @context ({remote[0]}), which is not fetched")


def _parse(content: bytes, file: str, syntax: str, what: str) -> Graph:
    try:
        if syntax == "json-ld":
            _check_json_ld(json.loads(content))
        graph = Graph().parse(data=content, format=syntax)
    except Exception as exc:  # rdflib's parsers fail on broken input with many kinds of error
        raise unreadable(file, f"not {what}: {exc}") from None
    if (URIRef(GOVMAP), RDF.type, OWL.Ontology) not in graph and not any(
            (None, RDF.type, cls) in graph for cls in [GOVMAP.Relation, *KIND_CLASS.values()]):
        raise unreadable(file, f"{what} with no govmap records (this reads the RDF govmap writes)")
    return graph


def _rows(graph: Graph, file: str) -> Iterator[Row]:
    """The graph's entities and relations as rows, each located by its IRI."""
    kinds = {node: kind for kind, cls in KIND_CLASS.items() for node in graph.subjects(RDF.type, cls)}
    for index, node in enumerate(_ordered(graph, kinds)):
        yield Row("entities", _entity_data(graph, node, kinds[node]), f"{file} (<{node}>)", None, index)
    for index, node in enumerate(_ordered(graph, graph.subjects(RDF.type, GOVMAP.Relation))):
        yield Row("relations", _relation_data(graph, node), f"{file} (<{node}>)", None, index)


def read_turtle(content: bytes, file: str) -> Iterator[Row]:
    return _rows(_parse(content, file, "turtle", "Turtle"), file)


def read_jsonld(content: bytes, file: str) -> Iterator[Row]:
    return _rows(_parse(content, file, "json-ld", "JSON-LD"), file)


@register("turtle", media_type="text/turtle", extension="ttl",
          description="RDF Turtle in the W3C Organization Ontology (ORG), for triple stores and SPARQL",
          read=read_turtle)
def write_turtle(dataset: Dataset) -> bytes:
    return to_graph(dataset).serialize(format="turtle", encoding="utf-8")


@register("jsonld", media_type="application/ld+json", extension="jsonld",
          description="JSON-LD in the W3C Organization Ontology (ORG), for linked-data web tools",
          read=read_jsonld)
def write_jsonld(dataset: Dataset) -> bytes:
    context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    return to_graph(dataset).serialize(format="json-ld", context=context, indent=1, encoding="utf-8")
