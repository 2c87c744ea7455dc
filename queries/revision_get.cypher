OPTIONAL MATCH (m:GovmapMeta {id: 'meta'}) RETURN coalesce(m.revision, 0) AS revision
