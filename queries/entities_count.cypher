MATCH (n:Entity) RETURN n.kind AS kind, count(n) AS entities
