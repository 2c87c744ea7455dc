// One level of the upward walk: the lines going up from each of $ids along types walked
// against their direction (the holder or convener is above). {types} is filled from the
// vocabulary's upward column, each type checked against the closed vocabulary.
MATCH (upper:Entity)-[r:{types}]->(lower:Entity)
WHERE lower.id IN $ids
RETURN lower.id AS lower, upper.id AS upper, upper.id + '|' + type(r) + '|' + lower.id AS key
