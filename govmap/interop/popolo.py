"""Popolo JSON: the map's organisations, posts and memberships in the Popolo data
specification, which civic-tech tools (EveryPolitician, django-popolo, Open Civic
Data's pupa) read and write.

Popolo describes who sits where — organisations, the posts within them, who is a
member of what, what is part of what — not lines of accountability, plans or
evidence. So only the bodies of the map and the lines Popolo has a place for are
held:

==========================================  ============================================
govmap                                      Popolo
==========================================  ============================================
body (not a post)                           organization: id, name, other_names [{name}]
                                            = aliases, classification = type,
                                            founding_date / dissolution_date = validity
body of type ministerial_post or post       post: id, label = name, other_label =
                                            aliases, start_date / end_date
a body's first PART_OF to an organisation   the organisation's parent_id, or the post's
                                            organization_id
MEMBER_OF, CHAIRS between organisations     membership: id (the relation's key), member
                                            {"@type": "Organization", id},
                                            organization_id, role "member" or "chair",
                                            start_date, end_date
reference sources (citation and https URL)  sources [{url, note = citation}]
==========================================  ============================================

Popolo allows fields beyond its own, so what a held record says that Popolo has no
field for travels in `govmap_`-prefixed extension fields, in the seed's own shape:
`govmap_scope`, `govmap_description`, `govmap_facts`, a post's `govmap_type`, a
membership's `govmap_note` and `govmap_confidence`; `govmap_sources`, every source
of the record with its document's title, as the documents registry is not held
(Popolo's `sources` are links, so they can carry only the references, and are
derived from these); and `govmap_part_of`, the fields of the PART_OF line
behind a `parent_id` or post's `organization_id` (its strength, sources, note…).
Tools that know only Popolo ignore them; the import reads them back.

Popolo cannot hold: the entities that are not bodies (actions, plans, findings,
laws, policy and priority areas, fundamentals, source documents); every line
other than those above (accountability, oversight, leadership, funding, findings…);
a second PART_OF from the same body (Popolo gives one parent); a post's MEMBER_OF or
CHAIRS (a Popolo member is a person or an organisation); and any line to a post.

>>> from govmap.model import Dataset, Entity
>>> board = Entity(id="board", kind="body", type="board", name="The Board",
...                scope="scottish_public_sector", aliases=["TB"])
>>> org = json.loads(write_popolo(Dataset(entities=[board])))["organizations"][0]
>>> org["classification"], org["other_names"], org["govmap_scope"]
('board', [{'name': 'TB'}], 'scottish_public_sector')
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from govmap.interop.flat import fields
from govmap.interop.registry import Row, register, unreadable
from govmap.model import Dataset, Entity, Relation, Source
from govmap.vocabulary import BodyType, NodeKind, RelType

POSTS = frozenset({BodyType.MINISTERIAL_POST, BodyType.POST})
ROLES = {RelType.MEMBER_OF: "member", RelType.CHAIRS: "chair"}  # relation type -> membership role
TYPE_BY_ROLE = {role: str(rel_type) for rel_type, role in ROLES.items()}
EXTENSION = "govmap_"
# govmap field -> Popolo field, for each kind of record
ORGANIZATION = {"id": "id", "name": "name", "type": "classification", "valid_from": "founding_date",
                "valid_to": "dissolution_date"}
POST = {"id": "id", "name": "label", "valid_from": "start_date", "valid_to": "end_date"}
MEMBERSHIP = {"valid_from": "start_date", "valid_to": "end_date"}
ENDS = ("source", "type", "target")  # a relation's ends, said by where it is written


def is_post(entity: Entity) -> bool:
    return entity.type in POSTS


def is_organization(entity: Entity | None) -> bool:
    return entity is not None and entity.kind == NodeKind.BODY and not is_post(entity)


# --- what Popolo holds -----------------------------------------------------------------

def parent_lines(dataset: Dataset) -> dict[str, Relation]:
    """Each body's first PART_OF line to an organisation: its Popolo parent."""
    by_id = {e.id: e for e in dataset.entities}
    parents: dict[str, Relation] = {}
    for relation in dataset.relations:
        if (relation.type == RelType.PART_OF and by_id[relation.source].kind == NodeKind.BODY
                and is_organization(by_id.get(relation.target))):
            parents.setdefault(relation.source, relation)
    return parents


def membership_lines(dataset: Dataset) -> list[Relation]:
    """The MEMBER_OF and CHAIRS lines from one organisation to another."""
    by_id = {e.id: e for e in dataset.entities}
    return [r for r in dataset.relations if r.type in ROLES
            and is_organization(by_id.get(r.source)) and is_organization(by_id.get(r.target))]


def kept_by_popolo(dataset: Dataset) -> Dataset:
    """The dataset as a Popolo export holds it: the bodies whole, their parent lines
    and the memberships between organisations."""
    return Dataset(entities=[e for e in dataset.entities if e.kind == NodeKind.BODY],
                   relations=[*parent_lines(dataset).values(), *membership_lines(dataset)])


# --- writing ---------------------------------------------------------------------------

def links(sources: list[Source]) -> list[dict[str, str]]:
    """Popolo's `sources`: the references, the only sources with a URL."""
    return [{"url": str(s.url), "note": str(s.citation)} for s in sources if s.is_reference]


def popolo_record(data: dict[str, Any], core: dict[str, str]) -> dict[str, Any]:
    """A record's fields: the `core` ones under their Popolo names, the rest as
    `govmap_` extensions."""
    record = {core[k]: v for k, v in data.items() if k in core}
    record.update({EXTENSION + k: v for k, v in data.items() if k not in core})
    return record


def organization(entity: Entity, parent: Relation | None) -> dict[str, Any]:
    data = {k: v for k, v in fields(entity).items() if k not in ("kind", "aliases")}
    record = popolo_record(data, ORGANIZATION)
    if entity.aliases:
        record["other_names"] = [{"name": alias} for alias in entity.aliases]
    return _with_parent(_with_links(record, entity.sources), parent, "parent_id")


def post(entity: Entity, parent: Relation | None) -> dict[str, Any]:
    data = {k: v for k, v in fields(entity).items() if k not in ("kind", "aliases")}
    record = popolo_record(data, POST)
    if entity.aliases:
        record["other_label"] = list(entity.aliases)
    return _with_parent(_with_links(record, entity.sources), parent, "organization_id")


def membership(relation: Relation) -> dict[str, Any]:
    data = {k: v for k, v in fields(relation).items() if k not in ENDS}
    record = {"id": relation.key, "member": {"@type": "Organization", "id": relation.source},
              "organization_id": relation.target, "role": ROLES[relation.type],
              **popolo_record(data, MEMBERSHIP)}
    return _with_links(record, relation.sources)


def _with_links(record: dict[str, Any], sources: list[Source]) -> dict[str, Any]:
    return {**record, "sources": links(sources)} if links(sources) else record


def _with_parent(record: dict[str, Any], parent: Relation | None, field: str) -> dict[str, Any]:
    """`record` with the organisation it is part of, and that PART_OF line's fields."""
    if parent is None:
        return record
    line = {k: v for k, v in fields(parent).items() if k not in ENDS}
    return {**record, field: parent.target, EXTENSION + "part_of": line}


# --- reading ---------------------------------------------------------------------------

def govmap_fields(record: dict[str, Any], core: dict[str, str]) -> dict[str, Any]:
    """The seed fields of a Popolo record: its core fields by their govmap names and
    its `govmap_` extensions. Popolo's `sources` links are derived, so not read."""
    data = {field: record[name] for field, name in core.items() if name in record}
    data.update({k.removeprefix(EXTENSION): v for k, v in record.items() if k.startswith(EXTENSION)})
    data.pop("part_of", None)
    return data


def entity_fields(record: dict[str, Any], core: dict[str, str], aliases: list[Any]) -> dict[str, Any]:
    data = {"kind": "body", **govmap_fields(record, core)}
    return {**data, "aliases": aliases} if aliases else data


def part_of_fields(record: dict[str, Any], field: str) -> dict[str, Any] | None:
    """The PART_OF line behind a record's `parent_id` or `organization_id`, if any."""
    if record.get(field) is None:
        return None
    line = record.get(EXTENSION + "part_of") or {}
    if not isinstance(line, dict):  # passed on under its own name, for the seed check to refuse
        line = {EXTENSION + "part_of": line}
    return {**line, "source": record.get("id"), "type": str(RelType.PART_OF), "target": record[field]}


def membership_fields(record: dict[str, Any]) -> dict[str, Any]:
    member = record.get("member")
    role = record.get("role")
    return {"source": member.get("id") if isinstance(member, dict) else member,
            "type": TYPE_BY_ROLE.get(role, role) if isinstance(role, str) else role,
            "target": record.get("organization_id"), **govmap_fields(record, MEMBERSHIP)}


def _records(document: Any, key: str, file: str) -> list[tuple[int, dict[str, Any]]]:
    """The objects in the document's `key` list, numbered; anything else is unreadable."""
    items = document.get(key, [])
    if not isinstance(items, list):
        raise unreadable(file, f"{key} is not a list")
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise unreadable(file, f"{key}[{index}] is not an object")
    return list(enumerate(items))


def read_popolo(content: bytes, file: str) -> Iterator[Row]:
    """Rows from a Popolo JSON document, each located as "file (organizations[3])"."""
    try:
        document = json.loads(content)
    except ValueError as exc:
        raise unreadable(file, f"not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise unreadable(file, "not a Popolo document (an object with organizations, posts "
                         "and memberships)")
    organizations = _records(document, "organizations", file)
    posts = _records(document, "posts", file)
    memberships = _records(document, "memberships", file)
    entities, relations = 0, 0
    for key, records, core, parent, names in (
            ("organizations", organizations, ORGANIZATION, "parent_id", "other_names"),
            ("posts", posts, POST, "organization_id", "other_label")):
        for index, record in records:
            where = f"{file} ({key}[{index}])"
            aliases = [n.get("name") if isinstance(n, dict) else n for n in record.get(names) or []]
            yield Row("entities", entity_fields(record, core, aliases), where, None, entities)
            entities += 1
            if (line := part_of_fields(record, parent)) is not None:
                yield Row("relations", line, where, None, relations)
                relations += 1
    for index, record in memberships:
        yield Row("relations", membership_fields(record), f"{file} (memberships[{index}])",
                  None, relations)
        relations += 1


# --- the format -------------------------------------------------------------------------

@register("popolo", media_type="application/json", extension="popolo.json",
          description="Popolo JSON (organizations, posts, memberships), for civic-tech tools",
          read=read_popolo,
          cannot_hold=("entities that are not bodies: actions, plans, findings, laws, policy and "
                       "priority areas, fundamentals, source documents",
                       "every line but PART_OF (as parent_id or a post's organization_id) and "
                       "MEMBER_OF and CHAIRS between organisations (as memberships)",
                       "a body's second PART_OF line (Popolo gives one parent)",
                       "a post's MEMBER_OF and CHAIRS lines, and any line to a post"),
          keeps=kept_by_popolo)
def write_popolo(dataset: Dataset) -> bytes:
    parents = parent_lines(dataset)
    bodies = [e for e in dataset.entities if e.kind == NodeKind.BODY]
    document = {
        "organizations": [organization(e, parents.get(e.id)) for e in bodies if not is_post(e)],
        "posts": [post(e, parents.get(e.id)) for e in bodies if is_post(e)],
        "memberships": [membership(r) for r in membership_lines(dataset)],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
