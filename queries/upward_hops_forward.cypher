// One level of the upward walk: the lines going up from each of $ids along types whose
// source answers to their target. {types} is filled from the vocabulary's upward column
// (govmap.vocabulary.RELATIONSHIPS), each type checked against the closed vocabulary.
MATCH (lower:Entity)-[r:{types}]->(upper:Entity)
WHERE lower.id IN $ids
RETURN lower.id AS lower, upper.id AS upper, lower.id + '|' + type(r) + '|' + upper.id AS key
