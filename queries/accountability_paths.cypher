MATCH (start:Entity {id: $start})
MATCH p = (start)-[:REPORTS_TO|ACCOUNTABLE_TO|PART_OF|HOLDS_TO_ACCOUNT*1..12]-(:Entity)
WHERE all(i IN range(0, size(relationships(p)) - 1) WHERE
        CASE type(relationships(p)[i])
          WHEN 'HOLDS_TO_ACCOUNT' THEN endNode(relationships(p)[i]) = nodes(p)[i]
          ELSE startNode(relationships(p)[i]) = nodes(p)[i]
        END)
RETURN [r IN relationships(p) | startNode(r).id + '|' + type(r) + '|' + endNode(r).id] AS hops,
       [n IN nodes(p) | n.id] AS ids
