MATCH (n:Entity)
WHERE n.search_text CONTAINS $text
  AND ($kind IS NULL OR n.kind = $kind)
  AND ($type IS NULL OR n.type = $type)
RETURN n.data AS data
ORDER BY n.id
