"""The errors govmap raises; the API and the CLI each map them in one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class GovmapError(Exception):
    """Base class of every error govmap raises on purpose."""


class NotFoundError(GovmapError):
    """An id or name that resolves to nothing; `candidates` are near matches."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


class InvalidRequestError(GovmapError):
    """A request that is well-formed but asks for something that cannot be."""


class StoreWriteError(GovmapError):
    """A write the store refused; nothing of it was applied."""


class StaleWriteError(StoreWriteError):
    """A write based on a copy of a record that has changed since; nothing was written."""

    def __init__(self, key: str, expected: str | None, current: str | None) -> None:
        now = "no longer exists" if current is None else f"is now version {current}"
        was = "not to exist yet" if expected is None else f"to be version {expected}"
        super().__init__(f"{key} has changed since it was read: the write expected it {was}, "
                         f"and it {now}; read it again and reapply the change")
        self.key, self.expected, self.current = key, expected, current
        self.since: list[Any] = []  # the history entries since the copy (filled by the caller)


@dataclass(frozen=True)
class SeedProblem:
    """One thing wrong with a seed file, located by file, line and field."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class SeedValidationError(GovmapError):
    """A seed that cannot be loaded; `problems` lists every fault found, not just the first."""

    def __init__(self, problems: list[SeedProblem], where: str = "the seed") -> None:
        self.problems = problems
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"{len(problems)} problem(s) in {where}; nothing was loaded:\n{lines}")
