UNWIND $rows AS r
MATCH (a:Entity {id: r.source})
MATCH (b:Entity {id: r.target})
MERGE (a)-[e:{rel_type}]->(b)
SET e.key = r.key, e.data = r.data
