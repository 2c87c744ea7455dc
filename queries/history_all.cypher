MATCH (c:GovmapChange)
RETURN c.revision AS revision, c.at AS at, c.editor AS editor, c.comment AS comment,
       c.evidence AS evidence, c.changes AS changes
ORDER BY c.revision
