MATCH (n:Entity)
WHERE n.id IN $ids
RETURN n.id AS id, n.data AS data
