"""Settings from the environment (`GOVMAP_*`), shared by the CLI and the API."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where the graph lives and how the service runs.

    With `GOVMAP_NEO4J_URI` set, the Neo4j store is used; otherwise the embedded
    SQLite file at `GOVMAP_DB`.
    """

    model_config = SettingsConfigDict(env_prefix="GOVMAP_", extra="ignore")

    db: Path = Path("govmap.db")
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("")
    neo4j_database: str | None = None
    seed_dir: Path | None = None  # defaults to the dataset shipped with govmap
    sources_dir: Path | None = None  # the source documents, for evidence checks
    write_token: SecretStr | None = None  # one editor's bearer token (see editors_file for more)
    write_token_name: str = "editor"  # the name the history gives that token's writes
    editors_file: Path | None = None  # named editors and reviewers, by token hash (govmap.editors)
    max_body_bytes: int = 1_000_000  # larger request bodies are refused (413) unread
    max_import_bytes: int = 20_000_000  # the same, for a whole map sent to POST /import

    @field_validator("write_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        """An empty GOVMAP_WRITE_TOKEN means no token (a read-only service), never ''."""
        return None if value is None or str(value).strip() == "" else value

    @property
    def store_kind(self) -> str:
        return "neo4j" if self.neo4j_uri else "sqlite"


@lru_cache
def get_settings() -> Settings:
    return Settings()
