// The relations of a replacing write, the graph emptied and its entities created by this
// transaction: CREATE, not MERGE, as no relationship can exist yet (the rows hold each
// key once). {rel_type} is checked against the closed vocabulary before it is filled in.
UNWIND $rows AS r
MATCH (a:Entity {id: r.source})
MATCH (b:Entity {id: r.target})
CREATE (a)-[:{rel_type} {key: r.key, data: r.data}]->(b)
