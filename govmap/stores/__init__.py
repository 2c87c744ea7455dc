"""Graph stores: the `GraphStore` protocol and one module per backend."""

from __future__ import annotations

from govmap.settings import Settings
from govmap.stores.base import ChangeSet, GraphStore, StoreCounts, export_dataset, is_empty
from govmap.stores.sqlite import SqliteStore

__all__ = ["ChangeSet", "GraphStore", "StoreCounts", "SqliteStore", "export_dataset",
           "is_empty", "open_store"]


def open_store(settings: Settings) -> GraphStore:
    """The store the settings select: Neo4j when a URI is set, else the SQLite file."""
    if settings.neo4j_uri:
        from govmap.stores.neo4j import Neo4jStore

        return Neo4jStore(settings.neo4j_uri, settings.neo4j_user,
                          settings.neo4j_password.get_secret_value(), settings.neo4j_database)
    return SqliteStore(settings.db)
