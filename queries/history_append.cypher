CREATE (:GovmapChange {revision: $revision, at: $at, editor: $editor, comment: $comment,
                       evidence: $evidence, changes: $changes})
