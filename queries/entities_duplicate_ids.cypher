MATCH (n:Entity)
WITH n.id AS id, count(*) AS copies
WHERE copies > 1
RETURN id
