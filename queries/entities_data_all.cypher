MATCH (n:Entity)
RETURN n.id AS id, n.data AS data
