"""Records as flat, scalar attributes, for formats whose attributes are scalars
(GraphML, GEXF, spreadsheets): a field that holds a list or objects — aliases,
sources, facts, commitments — becomes one JSON text, and is read back from it.

>>> from govmap.model import Entity
>>> board = Entity(id="b", kind="body", type="board", name="B", aliases=["The B"],
...                scope="scottish_public_sector")
>>> flat(board)["aliases"]
'["The B"]'
>>> Entity.model_validate(unflat("entities", flat(board))) == board
True
"""

from __future__ import annotations

import contextlib
import json
from typing import Any, get_origin

from pydantic import BaseModel

from govmap.interop.registry import Section
from govmap.model import Entity, Relation

Scalar = str | int | float | bool

MODELS: dict[Section, type[BaseModel]] = {"entities": Entity, "relations": Relation}
STRUCTURED: dict[Section, frozenset[str]] = {
    section: frozenset(name for name, info in model.model_fields.items()
                       if get_origin(info.annotation) is list)
    for section, model in MODELS.items()
}


def fields(record: BaseModel) -> dict[str, Any]:
    """The record as the seed writes it: only the fields it sets, as JSON values."""
    return record.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


def flat(record: Entity | Relation) -> dict[str, Scalar]:
    """The record's fields as scalars; structured fields as JSON text."""
    section: Section = "entities" if isinstance(record, Entity) else "relations"
    return {key: json.dumps(value, ensure_ascii=False) if key in STRUCTURED[section] else value
            for key, value in fields(record).items()}


def unflat(section: Section, data: dict[str, Any]) -> dict[str, Any]:
    """The seed fields of a flat record: JSON text parsed back, empty cells dropped.

    Text that is not JSON is left as it is, so the model names the field in its error.
    """
    plain: dict[str, Any] = {}
    for key, value in data.items():
        if value is None or value == "":
            continue
        if key in STRUCTURED[section] and isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        plain[key] = value
    return plain
