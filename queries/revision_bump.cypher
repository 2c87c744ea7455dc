MERGE (m:GovmapMeta {id: 'meta'})
ON CREATE SET m.revision = 0
WITH m
SET m.revision = m.revision + 1
RETURN m.revision AS revision
