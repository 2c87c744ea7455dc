"""The Cypher script export, run against the real test Bolt server (ArcadeDB): the
loaded graph is the one `Neo4jStore` writes, reads back as the same dataset, and no
value, however nasty, runs as code.

The script is run statement by statement with the `neo4j` driver, as `cypher-shell`
does. A server that refuses the uniqueness constraint is tolerated exactly as
`Neo4jStore._ensure_schema` tolerates it (ArcadeDB 26.10 accepts and enforces it).
"""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import ClientError

from govmap.interop import FORMATS, export_as
from govmap.interop.cypher_script import (
    cypher_map,
    cypher_string,
    relationship_statements,
    statements,
)
from govmap.model import Dataset, Entity, Relation
from govmap.seed import default_seed_dir, read_seed
from govmap.stores import ChangeSet
from govmap.stores.base import export_dataset
from govmap.stores.neo4j import Neo4jStore
from tests.bolt_server import BoltServer, wipe

NASTY = ("It's \"quoted\" C:\\temp\\u0041 \\' \n second line\r\n\ttab \x00\x07\x1c\x85\u2028 "
         "*/ /* // ; ` $x {}'}) DETACH DELETE n // 😀")


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return read_seed(default_seed_dir())


@pytest.fixture
def server(arcadedb: BoltServer) -> BoltServer:
    wipe(arcadedb)
    return arcadedb


def run(server: BoltServer, query: str) -> list[dict[str, Any]]:
    with GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as driver:
        return [r.data() for r in driver.execute_query(query, database_=server.database).records]


def load(server: BoltServer, script: bytes) -> int:
    """Run every statement of `script`, each in its own transaction as `cypher-shell -f`
    does; a refused uniqueness constraint is tolerated, as `Neo4jStore` tolerates it."""
    found = statements(script.decode("utf-8"))
    with (GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as driver,
          driver.session(database=server.database) as session):
        for statement in found:
            try:
                session.run(statement).consume()
            except ClientError:
                if not statement.startswith("CREATE CONSTRAINT"):
                    raise
    return len(found)


def graph_state(server: BoltServer) -> tuple[list[Any], list[Any]]:
    """Every node (labels, properties) and relationship (ends, type, properties), sorted;
    the store's change history aside (the script carries the graph, not its history)."""
    nodes = run(server, "MATCH (n) WHERE NOT n:GovmapChange "
                        "RETURN labels(n) AS labels, properties(n) AS props")
    edges = run(server, "MATCH (a)-[e]->(b) RETURN a.id AS a, type(e) AS type, b.id AS b,"
                        " properties(e) AS props")
    return (sorted(nodes, key=lambda n: (n["labels"], str(n["props"].get("id")))),
            sorted(edges, key=lambda e: e["props"]["key"]))


def same(a: Dataset, b: Dataset) -> bool:
    return (sorted(a.entities, key=lambda e: e.id) == sorted(b.entities, key=lambda e: e.id)
            and sorted(a.relations, key=lambda r: r.key) == sorted(b.relations, key=lambda r: r.key))


def read_back(server: BoltServer) -> Dataset:
    store = Neo4jStore(server.uri, server.user, server.password, server.database)
    try:
        return export_dataset(store)
    finally:
        store.close()


def test_registered_as_export_only() -> None:
    fmt = FORMATS["cypher"]
    assert (fmt.read, fmt.extension, fmt.media_type) == (None, "cypher", "application/x-cypher-query")


def test_the_store_reads_the_loaded_script_back_as_the_dataset(server: BoltServer,
                                                                dataset: Dataset) -> None:
    load(server, export_as(dataset, "cypher"))
    back = read_back(server)
    assert (len(back.entities), len(back.relations)) == (len(dataset.entities), len(dataset.relations))
    assert sum(len(r.sources) for r in [*back.entities, *back.relations]) == sum(
        len(r.sources) for r in [*dataset.entities, *dataset.relations])
    assert same(back, dataset)


def test_the_script_builds_exactly_the_graph_the_store_writes(server: BoltServer,
                                                              dataset: Dataset) -> None:
    store = Neo4jStore(server.uri, server.user, server.password, server.database)
    try:
        store.write(ChangeSet.replacing_with(dataset))
    finally:
        store.close()
    written = graph_state(server)
    wipe(server)
    load(server, export_as(dataset, "cypher"))
    assert graph_state(server) == written  # same labels, properties and revision node


def nasty_dataset() -> Dataset:
    def body(id: str) -> Entity:
        return Entity(id=id, kind="body", type="board", name=NASTY, aliases=[NASTY[::-1]],
                      description=NASTY, scope="scottish_public_sector")
    return Dataset(entities=[body("nasty-a"), body("nasty-b")],
                   relations=[Relation(source="nasty-a", type="SUPPORTS", target="nasty-b", note=NASTY)])


def test_a_nasty_string_round_trips_and_never_runs_as_code(server: BoltServer) -> None:
    run(server, "CREATE (:Sentinel {id: 'keep me'})")
    nasty = nasty_dataset()
    script = export_as(nasty, "cypher")
    assert load(server, script) == 5  # constraint, index, one node batch, one relation batch, revision
    assert run(server, "MATCH (s:Sentinel) RETURN s.id AS id") == [{"id": "keep me"}]
    back = read_back(server)
    assert same(back, nasty)
    assert back.entities[0].name == NASTY and back.relations[0].note == NASTY


def test_every_character_survives_a_string_literal(server: BoltServer) -> None:
    text = "".join(chr(c) for c in range(0x3000) if not 0xD800 <= c < 0xE000) + "😀𝄞\U0010ffff"
    assert run(server, f"RETURN {cypher_string(text)} AS v") == [{"v": text}]


def test_a_literal_never_breaks_a_line() -> None:
    literal = cypher_string(NASTY)
    assert len(literal.splitlines()) == 1 and literal.count("'") == 2 + literal.count("\\'")


def test_a_relationship_type_outside_the_vocabulary_is_refused() -> None:
    forged = Relation.model_construct(source="a", type="X]->() DETACH DELETE a //", target="b")
    with pytest.raises(ValueError):
        list(relationship_statements([forged]))


def test_a_property_key_must_be_plain() -> None:
    with pytest.raises(ValueError, match="property key"):
        cypher_map({"id}) DETACH DELETE n //": "x"})
