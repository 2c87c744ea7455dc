MATCH (n:Entity)
WHERE n.search_text CONTAINS $text
  AND ($kind IS NULL OR n.kind = $kind)
  AND ($type IS NULL OR n.type = $type)
RETURN n.id AS id, n.name AS name, n.search_text AS search_text
