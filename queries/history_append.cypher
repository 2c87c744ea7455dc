// One piece of a history entry: an entry whose changes are longer than one piece is
// several nodes of the same revision, their `changes` joined in `part` order.
CREATE (:GovmapChange {revision: $revision, part: $part, at: $at, editor: $editor,
                       comment: $comment, evidence: $evidence, changes: $changes})
