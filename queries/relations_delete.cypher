UNWIND $rows AS r
MATCH (a:Entity {id: r.source})-[e]->(b:Entity {id: r.target})
WHERE type(e) = r.type
DELETE e
