"""FollowTheMoney (FtM): the map as line-delimited FtM entities, the data model of
OCCRP's Aleph, OpenSanctions and the `ftm` command-line tools, for investigators who
want the care system's bodies and lines beside their other data. Each line is one
entity, made and read with the `followthemoney` package's own model.

What becomes what (an entity's FtM id is its govmap id; a line's id is FtM's
`make_id("govmap", key)` of its govmap key):

=============================================  ===================================
govmap                                         FtM
=============================================  ===================================
body of the Scottish public sector             PublicBody
any other body                                 Organization
body of type ministerial_post or post          Position
action, plan                                   Project (status, goal = requires)
source document                                Document (fileName, publisher,
                                               publishedAt = year, sourceUrl = url)
finding, law, policy area, priority area,      Note (FtM has no schema for a
fundamental                                    finding, statute or topic; a
                                               finding's createdAt = assessed_on)
MEMBER_OF                                      Membership (member, organization)
CHAIRS                                         Directorship (director, organization)
SUCCEEDS                                       Succession (successor, predecessor)
LEADS, CONTRIBUTES_TO, SUPPORTS, PARTY_TO      ProjectParticipant (participant,
  from an organisation to a Project            project)
any other line, or one whose ends are not of   UnknownLink (subject, object)
  the schemata the specific schema joins
=============================================  ===================================

name, aliases and description are FtM's `name`, `alias` and `description`; a body's
validity dates are its incorporation (or inception) and dissolution dates, a plan's
its startDate and endDate. Every line has `role` = how it reads ("reports to"),
which says its type, startDate/endDate, and its note as `description`.

FtM has no property for govmap's closed-vocabulary codes, so they travel as text
of the form ``field: value``: an entity's kind, type, scope and document_kind in
`keywords` ("scope: scottish_public_sector"), a line's confidence, strength and rank
in `status` ("strength: formal"). Evidence travels in `summary`, one value per
source: the source's seed fields as a JSON object (a document source without its
title, which the documents registry gives back on import). For FtM tools each record
also gets `proof`, the Document entities it cites, and `sourceUrl`, the URLs of its
references; these are derived, and ignored on reading.

FtM cannot hold (and an import gives back without them): an entity's facts (the
counts a document states), an action's commitments, commitment_received and
priority area, a source document's free-text `published` date (its year is kept),
and validity dates of the entities that become a Note or Document.

>>> import json
>>> from govmap.model import Dataset, Entity
>>> sg = Entity(id="scottish-government", kind="body", type="government",
...             name="Scottish Government", scope="scottish_public_sector")
>>> line = json.loads(write_ftm(Dataset(entities=[sg])))
>>> line["schema"], line["properties"]["keywords"]
('PublicBody', ['kind: body', 'type: government', 'scope: scottish_public_sector'])
>>> ftm_model().get_proxy(line).caption
'Scottish Government'
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from govmap.interop.flat import fields
from govmap.interop.registry import Row, Section, register, unreadable
from govmap.model import Dataset, Entity, Relation, Source
from govmap.vocabulary import RELATIONSHIPS, BodyType, NodeKind, RelType

if TYPE_CHECKING:
    from followthemoney.model import Model
    from followthemoney.proxy import EntityProxy


@cache
def ftm_model() -> Model:
    """FollowTheMoney's model, imported when a file is first written or read: the package
    takes half a second to import, which every `govmap` command would otherwise pay."""
    from followthemoney import model

    return model

POSTS = frozenset({BodyType.MINISTERIAL_POST, BodyType.POST})
SCHEMA_BY_KIND = {
    NodeKind.ACTION: "Project", NodeKind.PLAN: "Project", NodeKind.SOURCE_DOCUMENT: "Document",
    NodeKind.FINDING: "Note", NodeKind.LEGISLATION: "Note", NodeKind.POLICY_AREA: "Note",
    NodeKind.PRIORITY_AREA: "Note", NodeKind.FUNDAMENTAL: "Note",
}
# govmap entity field -> FtM property: COMMON to every schema, then each schema's own
COMMON = {"name": "name", "aliases": "alias", "description": "description"}
_BODY_DATES = {"valid_from": "incorporationDate", "valid_to": "dissolutionDate"}
PROPERTIES: dict[str, dict[str, str]] = {
    "PublicBody": _BODY_DATES,
    "Organization": _BODY_DATES,
    "Position": {"valid_from": "inceptionDate", "valid_to": "dissolutionDate"},
    "Project": {"valid_from": "startDate", "valid_to": "endDate", "status": "status",
                "requires": "goal"},
    "Note": {"assessed_on": "createdAt"},
    "Document": {"file": "fileName", "publisher": "publisher", "year": "publishedAt",
                 "url": "sourceUrl"},
}
LISTS = frozenset({"aliases"})
ENTITY_CODES = ("kind", "type", "scope", "document_kind")  # in `keywords`, as "field: value"
LINE_CODES = ("confidence", "strength", "rank")  # in `status`, as "field: value"

# relation type -> (FtM schema, property naming the source, property naming the target)
OTHER_LINE = ("UnknownLink", "subject", "object")
_TAKES_PART = ("ProjectParticipant", "participant", "project")
LINE_SCHEMAS: dict[RelType, tuple[str, str, str]] = {
    RelType.MEMBER_OF: ("Membership", "member", "organization"),
    RelType.CHAIRS: ("Directorship", "director", "organization"),
    RelType.SUCCEEDS: ("Succession", "successor", "predecessor"),
    RelType.LEADS: _TAKES_PART, RelType.CONTRIBUTES_TO: _TAKES_PART,
    RelType.SUPPORTS: _TAKES_PART, RelType.PARTY_TO: _TAKES_PART,
}
ENDS = {schema: (source, target) for schema, source, target in [*LINE_SCHEMAS.values(), OTHER_LINE]}
TYPE_BY_READING = {meaning.reads: str(rel_type) for rel_type, meaning in RELATIONSHIPS.items()}


def entity_schema(entity: Entity) -> str:
    """The FtM schema an entity becomes (see the table above)."""
    if entity.kind != NodeKind.BODY:
        return SCHEMA_BY_KIND[entity.kind]
    if entity.type in POSTS:
        return "Position"
    return "PublicBody" if entity.in_scottish_public_sector else "Organization"


def properties(schema: str) -> dict[str, str]:
    """govmap field -> FtM property, for an entity of `schema`."""
    return {**COMMON, **PROPERTIES[schema]}


def line_schema(relation: Relation, schemas: dict[str, str]) -> tuple[str, str, str]:
    """The FtM schema of a line and its two end properties: the specific one for its
    type when both ends are of the schemata that schema joins, else UnknownLink."""
    name, source, target = LINE_SCHEMAS.get(relation.type, OTHER_LINE)
    schema = ftm_model().get(name)
    assert schema is not None
    ranges = (schema.properties[source].range, schema.properties[target].range)
    ends = tuple(ftm_model().get(schemas.get(end, "")) for end in (relation.source, relation.target))
    fits = all(end is not None and wanted is not None and end.is_a(wanted)
               for end, wanted in zip(ends, ranges, strict=True))
    return (name, source, target) if fits else OTHER_LINE


# --- writing ---------------------------------------------------------------------------

def _source_json(source: Source) -> str:
    """A source as JSON text; a document source's title comes back from the registry."""
    data = fields(source)
    if not source.is_reference:
        data.pop("title", None)
    return json.dumps(data, ensure_ascii=False)


def _add_evidence(proxy: EntityProxy, sources: list[Source], documents: dict[str, str]) -> None:
    """Each source in `summary`; the documents cited as `proof` and references'
    URLs as `sourceUrl`, for FtM tools (a Document's own sourceUrl is its URL)."""
    for source in sources:
        proxy.add("summary", _source_json(source))
        if source.is_reference and not proxy.schema.is_a("Document"):
            proxy.add("sourceUrl", source.url)
        elif documents.get(str(source.document), proxy.id) != proxy.id:  # not a self-citation
            proxy.add("proof", documents[str(source.document)])


def _add_codes(proxy: EntityProxy, prop: str, data: dict[str, Any], codes: tuple[str, ...]) -> None:
    for code in codes:
        if code in data:
            proxy.add(prop, f"{code}: {data[code]}")


def entity_proxy(entity: Entity, documents: dict[str, str]) -> EntityProxy:
    """One entity as an FtM entity."""
    proxy = ftm_model().make_entity(entity_schema(entity))
    proxy.id = entity.id
    data = fields(entity)
    for field, prop in properties(proxy.schema.name).items():
        values = data.get(field, [])
        for value in values if isinstance(values, list) else [values]:
            proxy.add(prop, str(value))
    if proxy.schema.is_a("Document"):
        proxy.add("title", entity.name)
    _add_codes(proxy, "keywords", data, ENTITY_CODES)
    _add_evidence(proxy, entity.sources, documents)
    return proxy


def line_proxy(relation: Relation, schemas: dict[str, str], documents: dict[str, str]) -> EntityProxy:
    """One relation as an FtM edge entity."""
    schema, source, target = line_schema(relation, schemas)
    proxy = ftm_model().make_entity(schema)
    proxy.make_id("govmap", relation.key)
    proxy.add(source, relation.source)
    proxy.add(target, relation.target)
    proxy.add("role", RELATIONSHIPS[relation.type].reads)
    data = fields(relation)
    for field, prop in (("valid_from", "startDate"), ("valid_to", "endDate"), ("note", "description")):
        if field in data:
            proxy.add(prop, data[field])
    _add_codes(proxy, "status", data, LINE_CODES)
    _add_evidence(proxy, relation.sources, documents)
    return proxy


def held_fields(entity: Entity) -> set[str]:
    """The fields of `entity` that its FtM entity carries."""
    return {"id", "sources", *ENTITY_CODES, *properties(entity_schema(entity))}


def kept_by_ftm(dataset: Dataset) -> Dataset:
    """The dataset as an FtM export holds it: every relation whole, every entity
    without the fields its schema cannot carry."""
    entities = [Entity.model_validate({k: v for k, v in fields(e).items() if k in held_fields(e)})
                for e in dataset.entities]
    return Dataset(entities=entities, relations=dataset.relations)


# --- reading ---------------------------------------------------------------------------

def _codes(values: list[str], codes: tuple[str, ...]) -> dict[str, str]:
    """The ``field: value`` texts among `values` whose field is one of `codes`."""
    pairs = (value.partition(": ") for value in values)
    return {field: value for field, sep, value in pairs if sep and field in codes}


def _sources(proxy: EntityProxy) -> list[Any]:
    """The sources carried in `summary`; text that is not JSON is passed on as it is,
    so the seed's check names it."""
    sources = []
    for text in proxy.get("summary"):
        try:
            sources.append(json.loads(text))
        except ValueError:
            sources.append(text)
    return sources


def _one_or_all(field: str, values: list[str]) -> Any:
    """A single-valued field's value, or every value (which the seed check refuses)."""
    return values if field in LISTS or len(values) != 1 else values[0]


def entity_row(proxy: EntityProxy) -> dict[str, Any]:
    """The seed fields of an FtM entity that is a govmap entity."""
    data: dict[str, Any] = {"id": proxy.id, **_codes(proxy.get("keywords"), ENTITY_CODES)}
    for field, prop in properties(proxy.schema.name).items():
        if values := proxy.get(prop):
            data[field] = _one_or_all(field, values)
    if sources := _sources(proxy):
        data["sources"] = sources
    return data


def line_row(proxy: EntityProxy) -> dict[str, Any]:
    """The seed fields of an FtM edge that is a govmap relation."""
    source, target = ENDS[proxy.schema.name]
    data: dict[str, Any] = {"source": _one_or_all("source", proxy.get(source)),
                            "target": _one_or_all("target", proxy.get(target)),
                            **_codes(proxy.get("status"), LINE_CODES)}
    if roles := proxy.get("role"):
        role = _one_or_all("type", roles)
        data["type"] = TYPE_BY_READING.get(role, role) if isinstance(role, str) else role
    for field, prop in (("valid_from", "startDate"), ("valid_to", "endDate"), ("note", "description")):
        if values := proxy.get(prop):
            data[field] = _one_or_all(field, values)
    if sources := _sources(proxy):
        data["sources"] = sources
    return data


def _proxy(line: str, file: str, number: int) -> EntityProxy:
    """The FtM entity on one line; a line that is not one is unreadable."""
    from followthemoney.exc import InvalidData

    try:
        data = json.loads(line)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        proxy = ftm_model().get_proxy(data)
    except (ValueError, InvalidData, TypeError) as exc:
        raise unreadable(file, f"line {number} is not an FtM entity: {exc}", number) from None
    if proxy.schema.name not in PROPERTIES and proxy.schema.name not in ENDS:
        raise unreadable(file, f"line {number}: a {proxy.schema.name} has no counterpart in the "
                         f"map (expected one of {', '.join(sorted([*PROPERTIES, *ENDS]))})", number)
    return proxy


def read_ftm(content: bytes, file: str) -> Iterator[Row]:
    """Rows from line-delimited FtM entities, each located by its line number."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise unreadable(file, f"not UTF-8 text: {exc}") from None
    proxies = [(number, _proxy(line, file, number))
               for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    counts: dict[Section, int] = {"entities": 0, "relations": 0}
    for number, proxy in proxies:
        section: Section = "relations" if proxy.schema.name in ENDS else "entities"
        data = line_row(proxy) if section == "relations" else entity_row(proxy)
        yield Row(section, data, file, number, counts[section])
        counts[section] += 1


# --- the format -------------------------------------------------------------------------

@register("ftm", media_type="application/x-ndjson", extension="ftm.json",
          description="FollowTheMoney entities, one JSON object a line, for Aleph, OpenSanctions "
                      "and the ftm tools",
          read=read_ftm,
          cannot_hold=("an entity's facts (the counts a document states)",
                       "an action's commitments, commitment_received and priority_area",
                       "a source document's free-text `published` date (its year is kept)",
                       "valid_from/valid_to of findings, laws, policy and priority areas, "
                       "fundamentals and source documents (FtM's Note and Document have no "
                       "validity dates)"),
          keeps=kept_by_ftm)
def write_ftm(dataset: Dataset) -> bytes:
    from followthemoney.cli.util import write_entity

    documents = {str(e.file): e.id for e in dataset.entities if e.kind == NodeKind.SOURCE_DOCUMENT}
    schemas = {e.id: entity_schema(e) for e in dataset.entities}
    out = io.BytesIO()
    for entity in dataset.entities:
        write_entity(out, entity_proxy(entity, documents))
    for relation in dataset.relations:
        write_entity(out, line_proxy(relation, schemas, documents))
    return out.getvalue()
