UNWIND $rows AS r
MERGE (n:Entity {id: r.id})
SET n += r
