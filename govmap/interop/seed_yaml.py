"""The seed's own YAML as one file: the format a reviewer writes a *change file* in —
a few entities and relations to add or correct, in exactly the shape of the files in
`graph_seed/`, imported in one transaction with its lines in every error
(`changes.yaml:12: relations[3].strength: …`).

The whole map written this way is one file with `entities:` and `relations:`; it holds
everything, so a round trip gives back the same dataset.

>>> from govmap.model import Entity
>>> board = Entity(id="b", kind="body", type="board", name="Board", scope="collective")
>>> print(write_seed_yaml(Dataset(entities=[board])).decode())
entities:
- id: b
  kind: body
  type: board
  name: Board
  scope: collective
<BLANKLINE>
>>> [r.line for r in read_seed_yaml(b"entities:\\n  - {id: b}\\n  - {id: c}\\n", "changes.yaml")]
[2, 3]
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from ruamel.yaml import YAML
from ruamel.yaml.events import AliasEvent

from govmap.errors import SeedProblem, SeedValidationError
from govmap.interop.flat import fields
from govmap.interop.registry import Row, register, unreadable
from govmap.model import Dataset
from govmap.seed import seed_items


def _has_aliases(text: str) -> bool:
    """True when the YAML refers back to an anchor, read as events, before anything is built."""
    return any(isinstance(event, AliasEvent) for event in YAML(typ="safe").parse(text))


def read_seed_yaml(content: bytes, file: str) -> Iterator[Row]:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise unreadable(file, f"not UTF-8 text: {exc}") from None
    if _has_aliases(text):
        raise unreadable(file, "uses YAML aliases (*name); an imported file spells each record "
                               "out (aliases can make a small file expand without end)")
    problems: list[SeedProblem] = []
    items = list(seed_items(text, file, problems))
    if problems:
        raise SeedValidationError(problems)
    for item in items:
        yield Row(item.section, item.data, file, item.line, item.index, item.locate)  # type: ignore[arg-type]


@register("yaml", media_type="application/yaml", extension="yaml", read=read_seed_yaml,
          description="the seed's own YAML in one file: entities and relations, as a change file "
                      "to import or the whole map")
def write_seed_yaml(dataset: Dataset) -> bytes:
    content: dict[str, list[dict[str, object]]] = {}
    if dataset.entities:
        content["entities"] = [fields(e) for e in dataset.entities]
    if dataset.relations:
        content["relations"] = [fields(r) for r in dataset.relations]
    yaml = YAML()
    yaml.width = 4096
    out = io.StringIO()
    yaml.dump(content, out)
    return out.getvalue().encode("utf-8")
