UNWIND $ids AS id
OPTIONAL MATCH (n:Entity {id: id})
WITH id, n
WHERE n IS NULL
RETURN id
ORDER BY id
