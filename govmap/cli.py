"""The `govmap` command: a thin shell; each command opens the store and calls the library."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import track
from rich.table import Table

from govmap.errors import GovmapError
from govmap.evidence import unfound_excerpts
from govmap.model import Dataset
from govmap.seed import default_seed_dir, read_seed, write_seed
from govmap.settings import get_settings
from govmap.snapshot import build_snapshot
from govmap.stats import graph_stats
from govmap.stores import ChangeSet, GraphStore, export_dataset, is_empty, open_store

app = typer.Typer(help="govmap: who is accountable for keeping The Promise.",
                  no_args_is_help=True, add_completion=False)
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

SeedOption = Annotated[Path | None, typer.Option(
    "--seed", help="Seed folder (default: GOVMAP_SEED_DIR or the dataset shipped with govmap).",
    exists=True, file_okay=False)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


@contextmanager
def _clean_errors() -> Iterator[None]:
    """Turn govmap errors into a message and exit status 1, never a traceback."""
    try:
        yield
    except GovmapError as exc:
        err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
        raise typer.Exit(1) from None


def _seed_dir(seed: Path | None) -> Path:
    return seed or get_settings().seed_dir or default_seed_dir()


def _read(seed: Path | None, *, progress: bool = False) -> Dataset:
    if not progress:
        return read_seed(_seed_dir(seed))
    return read_seed(_seed_dir(seed), each_file=lambda files: track(
        files, description="Reading seed files", console=err))


@contextmanager
def _store() -> Iterator[GraphStore]:
    store = open_store(get_settings())
    try:
        yield store
    finally:
        store.close()


def load_seed_into(store: GraphStore, dataset: Dataset) -> int:
    """Replace the store's graph with `dataset` in one transaction; the new revision."""
    return store.write(ChangeSet.replacing_with(dataset))


@app.command()
def validate(
    seed: SeedOption = None,
    sources: Annotated[Path | None, typer.Option(
        help="Folder of source documents: also check every excerpt is found in its document "
        "(default: GOVMAP_SOURCES_DIR).", exists=True, file_okay=False)] = None,
) -> None:
    """Check the seed: every field, every reference, and (with --sources) every excerpt.

    Example: govmap validate --sources ../shared/seeds
    """
    with _clean_errors():
        dataset = _read(seed)
        folder = sources or get_settings().sources_dir
        if folder is not None:
            unfound = unfound_excerpts(dataset, folder)
            for problem in unfound:
                err.print(str(problem), markup=False, highlight=False)
            if unfound:
                err.print(f"[red]{len(unfound)} excerpt(s) not found in their documents[/red]")
                raise typer.Exit(1)
    console.print(f"ok: {len(dataset.entities)} entities, {len(dataset.relations)} relations")


@app.command()
def stats(seed: SeedOption = None, from_seed: Annotated[bool, typer.Option(
        "--from-seed", help="Count the seed files instead of the store.")] = False,
        as_json: JsonOption = False) -> None:
    """Counts by kind, body type and relationship type, and what lacks a source.

    Example: govmap stats --from-seed --json
    """
    with _clean_errors():
        if from_seed or seed is not None:
            dataset = _read(seed)
            figures = graph_stats(build_snapshot(dataset.entities, dataset.relations))
        else:
            with _store() as store:
                figures = graph_stats(store.snapshot())
    if as_json:
        print(json.dumps(figures.as_dict(), indent=2))
        return
    table = Table(title=f"{figures.entities} entities, {figures.relations} relations, "
                  f"{figures.facts} facts")
    table.add_column("count of")
    table.add_column("value")
    table.add_column("n", justify="right")
    for label, counts in [("kind", figures.by_kind), ("body type", figures.by_body_type),
                          ("relation type", figures.by_relation_type),
                          ("confidence", figures.by_confidence)]:
        for value, n in counts.items():
            table.add_row(label, value, str(n))
    table.add_row("no sources", "entities", str(len(figures.entities_without_sources)))
    table.add_row("no sources", "relations", str(len(figures.relations_without_sources)))
    console.print(table)


@app.command()
def load(seed: SeedOption = None) -> None:
    """Replace the configured store's graph with the seed, all or nothing.

    Example: GOVMAP_DB=govmap.db govmap load
    """
    with _clean_errors():
        dataset = _read(seed, progress=True)
        with _store() as store, console.status("Writing to the store"):
            revision = load_seed_into(store, dataset)
            kind = store.kind
    console.print(f"loaded {len(dataset.entities)} entities and {len(dataset.relations)} "
                  f"relations into the {kind} store (revision {revision})")


@app.command()
def export(output: Annotated[Path, typer.Option("-o", "--output", help="Folder to write to.",
                                                file_okay=False)] = Path("exported_seed")) -> None:
    """Write the store back out in the seed's YAML shape (so `load` reads it back).

    Example: govmap export -o /tmp/seed && govmap load --seed /tmp/seed
    """
    with _clean_errors(), _store() as store:
        written = write_seed(export_dataset(store), output)
    console.print(f"wrote {len(written)} files to {output}")


@app.command()
def serve(host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000) -> None:
    """Serve the API and the map; an empty embedded store is seeded first.

    Example: govmap serve --port 8000
    """
    import uvicorn

    settings = get_settings()
    with _clean_errors(), _store() as store:
        if store.kind == "sqlite" and is_empty(store):
            revision = load_seed_into(store, _read(None))
            console.print(f"seeded the empty store at {settings.db} (revision {revision})")
    console.print(f"govmap is serving on http://{host}:{port}/  (API docs: /docs)")
    sys.stdout.flush()
    uvicorn.run("govmap.api.main:app", host=host, port=port, log_level="warning")


if __name__ == "__main__":
    app()
