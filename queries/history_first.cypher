MATCH (c:GovmapChange)
RETURN c.revision AS revision
LIMIT 1
