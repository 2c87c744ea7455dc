r"""Cypher script: the whole map as a script that rebuilds it in any Neo4j 5 database —
run `cypher-shell -f govmap.cypher` against an empty database, or paste it into Neo4j
Browser. Export only: the graph is read back by pointing govmap (its `Neo4jStore`) at
the database.

The graph has exactly the shape `govmap.stores.neo4j.Neo4jStore` writes, built by the
store's own functions (`entity_props`, `relation_props`), so the store reads back the
same dataset:

- first the store's own id constraint and kind index (`queries/schema_entity_*.cypher`);
- entities, up to `BATCH` a statement: `UNWIND [{id, kind, type, name, search_text,
  data}, ...] AS p CREATE (n:Entity) SET n = p`, where `data` is the whole record as
  JSON and `search_text` what name search matches;
- relations, one type and up to `BATCH` a statement: `UNWIND [{source, target, key,
  data}, ...] AS r MATCH` both ends by id `CREATE (a)-[:TYPE {key, data}]->(b)`; the type
  is checked against the closed vocabulary `RelType`, never taken from data as it is;
- last, the store's revision counter is bumped (`queries/revision_bump.cypher`), as
  after any write of the store, so a govmap already serving the database sees the change.

One record a line, and every statement ends with `;` at the end of its line. Values
are single-quoted Cypher strings with backslash, quote and every line-breaking or
control character escaped, so no value can end a string, a line or a statement: a line
ending in `;` always ends a statement (`statements` below is the whole splitter). Lines
starting `//` are comments.

Nothing is lost: every field of every record is in `data`. The script creates, never
merges, so load it into an empty database (on Neo4j the id constraint then makes a
second load fail rather than duplicate the graph).

>>> print(cypher_string("it's C:\\temp\n"))
'it\'s C:\\temp\n'
>>> statements("// a comment\nUNWIND [\n{a: 'x;'},\n{a: 'y'}\n] AS p RETURN p.a;\nRETURN 2;\n")
["UNWIND [\n{a: 'x;'},\n{a: 'y'}\n] AS p RETURN p.a", 'RETURN 2']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import groupby, islice
from typing import Any, TypeVar

from govmap.interop.registry import register
from govmap.model import Dataset, Entity, Relation, RelType

BATCH = 100  # records a statement: ~3x faster to load than one a statement, still small

# Escapes every Neo4j 5 string literal understands. Other control characters, and the
# characters some tools take for a line break (NEL, LINE and PARAGRAPH SEPARATOR), become
# \uXXXX; everything else is written as it is, in UTF-8.
_NAMED_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t",
                  "\b": "\\b", "\f": "\\f"}
_UNICODE_ESCAPED = [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]
_ESCAPES = str.maketrans({**{chr(c): f"\\u{c:04x}" for c in _UNICODE_ESCAPED}, **_NAMED_ESCAPES})
_PROPERTY_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

T = TypeVar("T")


def cypher_string(text: str) -> str:
    """`text` as a Cypher string literal that cannot be broken out of."""
    return "'" + text.translate(_ESCAPES) + "'"


def cypher_map(properties: Mapping[str, Any]) -> str:
    """A map literal of string properties; a None is left out (a node never stores null)."""
    entries = []
    for key, value in properties.items():
        if not _PROPERTY_KEY.match(key):
            raise ValueError(f"not a plain property key: {key!r}")
        if value is not None:
            entries.append(f"{key}: {cypher_string(value)}")
    return "{" + ", ".join(entries) + "}"


def unwind(rows: Iterable[Mapping[str, Any]], name: str, body: str) -> str:
    """`UNWIND` over the rows written as a literal list, one row a line, then `body`."""
    listed = ",\n".join(cypher_map(row) for row in rows)
    return f"UNWIND [\n{listed}\n] AS {name} {body}"


def batches(records: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    records = iter(records)
    while batch := list(islice(records, size)):
        yield batch


def one_line(statement: str) -> str:
    """A statement of `queries/` on one line (none holds a string with spaces or breaks)."""
    return " ".join(statement.split())


def node_statements(entities: Sequence[Entity]) -> Iterator[str]:
    from govmap.stores.neo4j import entity_props  # the driver loads only when this format is used

    for batch in batches(sorted(entities, key=lambda e: e.id)):
        rows = ({"id": e.id, **entity_props(e)} for e in batch)
        yield unwind(rows, "p", "CREATE (n:Entity) SET n = p")


def relationship_statements(relations: Sequence[Relation]) -> Iterator[str]:
    """One statement per relationship type (and batch): a type cannot be a parameter, so
    it is written into the statement, and only as a member of the closed vocabulary."""
    from govmap.stores.neo4j import relation_props

    ordered = sorted(relations, key=lambda r: (str(r.type), r.key))
    for rel_type, same_type in groupby(ordered, key=lambda r: RelType(str(r.type)).value):
        for batch in batches(same_type):
            rows = ({"source": r.source, "target": r.target, **relation_props(r)} for r in batch)
            yield unwind(rows, "r", "MATCH (a:Entity {id: r.source}) MATCH (b:Entity {id: r.target}) "
                                    f"CREATE (a)-[:{rel_type} {{key: r.key, data: r.data}}]->(b)")


def script_statements(dataset: Dataset) -> Iterator[str]:
    """Schema, nodes, relationships, revision: in the order a load needs them."""
    from govmap.stores.neo4j import cypher

    yield from (one_line(cypher(name)) for name in ("schema_entity_id", "schema_entity_kind"))
    yield from node_statements(dataset.entities)
    yield from relationship_statements(dataset.relations)
    yield one_line(cypher("revision_bump"))


def header(dataset: Dataset) -> list[str]:
    return [
        f"// govmap: {len(dataset.entities)} entities and {len(dataset.relations)} relations.",
        "// Load into an EMPTY Neo4j 5 database: cypher-shell -f <this file>, or Neo4j Browser.",
        "// The graph is the one govmap's Neo4j store keeps: point govmap at the database to use it.",
    ]


def statements(script: str) -> list[str]:
    """The statements of a script written here, ready for a driver's `run`: comments and
    blank lines dropped, split after each line that ends in `;` (never inside a value)."""
    found: list[str] = []
    lines: list[str] = []
    for line in script.splitlines():
        if not lines and (not line.strip() or line.startswith("//")):
            continue
        lines.append(line)
        if line.endswith(";"):
            found.append("\n".join(lines).removesuffix(";"))
            lines = []
    if lines:  # a last statement without its `;`
        found.append("\n".join(lines))
    return found


@register("cypher", media_type="application/x-cypher-query", extension="cypher",
          description="Cypher script that recreates the graph in Neo4j 5 (Browser or cypher-shell),"
                      " in the shape govmap's Neo4j store reads")
def write_cypher(dataset: Dataset) -> bytes:
    lines = [*header(dataset), *(f"{s};" for s in script_statements(dataset))]
    return ("\n".join(lines) + "\n").encode("utf-8")
