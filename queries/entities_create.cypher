// The entities of a replacing write, into a graph this transaction has just emptied:
// CREATE, not MERGE, as no node with the id can exist (the rows hold each id once).
UNWIND $rows AS r
CREATE (n:Entity)
SET n = r
