MATCH (:Entity)-[e]->(:Entity)
RETURN e.key AS key, e.data AS data
