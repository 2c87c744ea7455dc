"""Named editors and reviewers: who may write, known by the hash of their token.

The editors file (`GOVMAP_EDITORS_FILE`) is YAML, one entry per person::

    editors:
      - name: Alice Reviewer
        role: reviewer
        token_sha256: 3f7a…   # `govmap editors add` makes the token and prints it once

Only the SHA-256 of each token is kept (tokens are long random strings, so a fast hash
is enough); a presented token is hashed and compared with every entry in constant
time. The name goes into the history of every write the token makes. A single
`GOVMAP_WRITE_TOKEN` still works, as one editor named by `GOVMAP_WRITE_TOKEN_NAME`.

>>> alice = EditorEntry(name="Alice", role="reviewer", token_sha256=token_hash("open sesame"))
>>> identify("open sesame", [alice])
Editor(name='Alice', role=<Role.REVIEWER: 'reviewer'>)
>>> identify("wrong", [alice]) is None
True
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from ruamel.yaml import YAML, YAMLError

from govmap.errors import InvalidRequestError


class Role(StrEnum):
    EDITOR = "editor"  # writes the map
    REVIEWER = "reviewer"  # writes the map, and is the second pair of eyes for others


@dataclass(frozen=True)
class Editor:
    name: str
    role: Role


class EditorEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    role: Role = Role.EDITOR
    token_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class EditorsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    editors: list[EditorEntry] = Field(default_factory=list)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A fresh token: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(32)


def identify(token: str, entries: list[EditorEntry]) -> Editor | None:
    """The editor whose token this is, or None. Every entry is compared, in constant
    time, so the answer's timing says nothing about which entry came close."""
    presented = token_hash(token).encode()
    found = None
    for entry in entries:
        if hmac.compare_digest(presented, entry.token_sha256.encode()):
            found = Editor(entry.name, entry.role)
    return found


def read_editors(path: Path) -> list[EditorEntry]:
    """The entries of an editors file; a bad file is an error naming it and the fault."""
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
        entries = EditorsFile.model_validate(data).editors
    except (OSError, YAMLError, ValidationError) as exc:
        raise InvalidRequestError(f"{path}: not a valid editors file: {exc}") from None
    names = [e.name for e in entries]
    if len(set(names)) != len(names):
        raise InvalidRequestError(f"{path}: each editor needs a name of their own")
    return entries


def add_editor(path: Path, name: str, role: Role) -> str:
    """Add an editor to the file (created if need be) and return their new token,
    which is stored nowhere: only its hash is written."""
    entries = read_editors(path) if path.exists() else []
    if any(e.name == name for e in entries):
        raise InvalidRequestError(f"{path} already has an editor named {name!r}")
    token = new_token()
    entries.append(EditorEntry(name=name, role=role, token_sha256=token_hash(token)))
    yaml = YAML()
    with path.open("w", encoding="utf-8") as out:
        yaml.dump({"editors": [e.model_dump(mode="json") for e in entries]}, out)
    return token
