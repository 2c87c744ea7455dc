MATCH (n:Entity) RETURN n.data AS data ORDER BY n.id
