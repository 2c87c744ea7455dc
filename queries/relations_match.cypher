MATCH (a:Entity)-[e]->(b:Entity)
WHERE ($type IS NULL OR type(e) = $type)
  AND ($source IS NULL OR a.id = $source)
  AND ($target IS NULL OR b.id = $target)
RETURN e.data AS data
ORDER BY e.key
