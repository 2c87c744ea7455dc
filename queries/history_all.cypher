// Entries written before they were split into pieces have no `part`: one piece each.
MATCH (c:GovmapChange)
RETURN c.revision AS revision, c.at AS at, c.editor AS editor, c.comment AS comment,
       c.evidence AS evidence, c.changes AS changes
ORDER BY c.revision, coalesce(c.part, 0)
