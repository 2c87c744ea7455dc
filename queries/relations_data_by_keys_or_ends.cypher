MATCH (a:Entity)-[e]->(b:Entity)
WHERE e.key IN $keys OR a.id IN $ends OR b.id IN $ends
RETURN e.key AS key, e.data AS data
