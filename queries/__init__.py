"""Named queries: the Cypher statements of the Neo4j store (`*.cypher`) and the
query functions that answer reviewers' questions over a graph snapshot."""
