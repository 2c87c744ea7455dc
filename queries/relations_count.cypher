MATCH (:Entity)-[e]->(:Entity) RETURN count(e) AS relations
