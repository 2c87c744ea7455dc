// Every upward path from $start, to 12 hops. {upward_types} is filled from the
// vocabulary's upward column (govmap.vocabulary.RELATIONSHIPS), checked type by type;
// $backward lists the types walked against their direction (the holder is above).
MATCH (start:Entity {id: $start})
MATCH p = (start)-[:{upward_types}*1..12]-(:Entity)
WHERE all(i IN range(0, size(relationships(p)) - 1) WHERE
        CASE WHEN type(relationships(p)[i]) IN $backward
          THEN endNode(relationships(p)[i]) = nodes(p)[i]
          ELSE startNode(relationships(p)[i]) = nodes(p)[i]
        END)
RETURN [r IN relationships(p) | startNode(r).id + '|' + type(r) + '|' + endNode(r).id] AS hops,
       [n IN nodes(p) | n.id] AS ids
