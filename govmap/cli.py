"""The `govmap` command: a thin shell; each command opens the store and calls the library."""

from __future__ import annotations

import getpass
import json
import socket
import sys
import textwrap
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import networkx as nx
import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import track
from rich.table import Table
from rich.tree import Tree
from ruamel.yaml import YAML, YAMLError

from govmap.analysis.duplication import DUPLICATION_KINDS, duplication
from govmap.analysis.gaps import SEVERITY_ORDER, gaps
from govmap.analysis.metrics import structure_metrics
from govmap.analysis.whatif import Scenario, what_if
from govmap.diff import Point, diff_between
from govmap.editors import Role, add_editor
from govmap.errors import GovmapError, InvalidRequestError
from govmap.evidence import unfound_excerpts
from govmap.history import Authorship, RecordChange, history_json, newest_first
from govmap.interop import FORMATS, interop_format
from govmap.interop.importing import import_into
from govmap.interop.registry import format_for_file
from govmap.model import (
    Dataset,
    Source,
    not_one_of,
)
from govmap.queries.accountability import STANDING_READS, accountability_chain
from govmap.queries.common import EvidenceMode, on_evidence
from govmap.reports import build_report, render_report, report_format
from govmap.seed import default_seed_dir, read_seed, write_seed
from govmap.settings import get_settings
from govmap.snapshot import build_snapshot
from govmap.stats import graph_stats
from govmap.stores import ChangeSet, GraphStore, export_dataset, is_empty, open_store
from govmap.visualisations.render import accountability_page, map_filter, map_page

app = typer.Typer(help="govmap: who is accountable for keeping The Promise.",
                  no_args_is_help=True, add_completion=False)
# In a pipe or a file, never cut lines at 80 columns (rich's default without a terminal).
console = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 10_000)
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


EditorOption = Annotated[str, typer.Option(
    "--editor", help="The name the history records for this write (default: your login name).")]


def _login_name() -> str:
    return getpass.getuser()


def load_seed_into(store: GraphStore, dataset: Dataset, by: Authorship) -> int:
    """Replace the store's graph with `dataset` in one transaction; the new revision."""
    return store.write(ChangeSet.replacing_with(dataset, by=by))


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
    if folder is None:
        err.print("the excerpts were NOT checked against the source documents: give --sources "
                  "or set GOVMAP_SOURCES_DIR", markup=False)
    else:
        console.print(f"every document excerpt was found in its document in {folder}", markup=False)


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
def load(seed: SeedOption = None, editor: EditorOption = "",
         comment: Annotated[str, typer.Option(help="Why, for the history (default: which seed).")] = "",
         ) -> None:
    """Replace the configured store's graph with the seed, all or nothing; the history
    records what the load changed.

    Example: GOVMAP_DB=govmap.db govmap load --comment "Councils' corrections of May"
    """
    with _clean_errors():
        dataset = _read(seed, progress=True)
        by = Authorship(editor or _login_name(), comment or f"loaded the seed from {_seed_dir(seed)}")
        with _store() as store, console.status("Writing to the store"):
            revision = load_seed_into(store, dataset, by)
            kind = store.kind
    console.print(f"loaded {len(dataset.entities)} entities and {len(dataset.relations)} "
                  f"relations into the {kind} store (revision {revision})")


EXPORT_FORMATS = ["seed", *FORMATS]


@app.command()
def export(
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Where to write: a folder for seed, a file otherwise "
        "(default: exported_seed, or govmap.<extension>).")] = None,
    format: Annotated[str, typer.Option(
        "--format", "-f", help="seed (YAML that `load` reads back) or an interchange format: "
        + ", ".join(FORMATS))] = "seed",
    with_history: Annotated[bool, typer.Option(
        "--with-history", help="Also write the store's history (history.json, beside the "
        "seed or the file).")] = False,
) -> None:
    """Write the store out: as seed YAML, or in a format other tools read.

    Example: govmap export --format graphml -o map.graphml (or -o /tmp/seed for the seed,
    which `govmap load --seed /tmp/seed` reads back)
    """
    _only_known(format, EXPORT_FORMATS, "an export format")
    with _clean_errors(), _store() as store:
        dataset = export_dataset(store)
        entries = store.history() if with_history else []
        if format == "seed":
            folder = output or Path("exported_seed")
            written = write_seed(dataset, folder)
            console.print(f"wrote {len(written)} files to {folder}")
            if with_history:
                (folder / "history.json").write_text(history_json(entries), encoding="utf-8")
                console.print(f"wrote {len(entries)} history entries to {folder / 'history.json'}")
            return
        fmt = interop_format(format)
        path = output or Path(f"govmap.{fmt.extension}")
        content = fmt.write(dataset)
        path.write_bytes(content)
        if with_history:
            path.with_name("history.json").write_text(history_json(entries), encoding="utf-8")
    console.print(f"wrote {len(dataset.entities)} entities and {len(dataset.relations)} relations "
                  f"to {path} ({fmt.description}; {len(content):,} bytes)", markup=False)
    for loss in fmt.cannot_hold:
        err.print(f"not held by {fmt.name}: {loss}", markup=False, highlight=False)


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The file to import.")],
    format: Annotated[str | None, typer.Option(
        "--format", "-f", help="Its format (default: told by the file name's extension): "
        + ", ".join(n for n, f in FORMATS.items() if f.read))] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and report; write nothing.")] = False,
    editor: EditorOption = "",
    comment: Annotated[str, typer.Option(help="Why, for the history (default: the file's name).")] = "",
) -> None:
    """Import a file into the store: every row checked as the seed is, matched to what the
    store holds (by id, then by name or alias), written all or nothing.

    Example: govmap import map.xlsx --dry-run
    """
    if format is not None:
        _only_known(format, [n for n, f in FORMATS.items() if f.read], "an import format")
    with _clean_errors(), _store() as store:
        name = format or format_for_file(file.name).name
        by = Authorship(editor or _login_name(), comment or f"imported {file.name}")
        result = import_into(store, file.read_bytes(), name, file.name, by=by, dry_run=dry_run)
    plan = result.plan
    for match in plan.matches:
        console.print(f"matched {match.imported_id} to the stored {match.stored_id} by its "
                      f"{match.by} {match.name!r}", markup=False)
    verb = "would change" if dry_run else "changed" if result.written else "changes nothing in"
    console.print(
        f"{file.name} ({name}) {verb} the store: entities {len(plan.created)} new, "
        f"{len(plan.updated)} updated, {len(plan.unchanged)} unchanged; relations "
        f"{plan.relations_created} new, {plan.relations_updated} updated, "
        f"{plan.relations_unchanged} unchanged (revision {result.revision})", markup=False)


def _in_brief(changes: Iterable[RecordChange]) -> str:
    """ "2 entities created, 1 relation removed" """
    counts = Counter((c.kind, c.what) for c in changes)
    plural = {"entity": "entities", "relation": "relations"}
    return ", ".join(f"{n} {kind if n == 1 else plural[kind]} {what}"
                     for (kind, what), n in sorted(counts.items())) or "no record changed"


@app.command()
def history(
    entity: Annotated[str | None, typer.Option(help="Only writes touching this entity (id, "
                                               "name or alias) or its relations.")] = None,
    editor: Annotated[str | None, typer.Option(help="Only this editor's writes.")] = None,
    since: Annotated[str | None, typer.Option(help="Only writes at or after this day (YYYY-MM-DD).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Who changed what, when and why: the store's record of writes, newest first.

    Example: govmap history --entity "Promise Oversight Board"
    """
    with _clean_errors(), _store() as store:
        found = newest_first(store.history(), store.snapshot(), entity=entity, editor=editor, since=since)
    if as_json:
        print(history_json(found))
        return
    table = Table(title=f"{len(found)} write(s)")
    for column in ("revision", "at (UTC)", "editor", "why", "what changed"):
        table.add_column(column)
    for e in found:
        why = e.comment + (f" [evidence: {e.evidence}]" if e.evidence else "")
        table.add_row(str(e.revision), e.at.replace("T", " ").removesuffix("+00:00"), escape(e.editor),
                      escape(why), _in_brief(e.changes))
    console.print(table)


@app.command()
def diff(
    start: Annotated[str, typer.Option("--from", help="A revision number or a day (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--to", help="A revision number or a day (YYYY-MM-DD).")],
    as_json: JsonOption = False,
) -> None:
    """What appeared, changed and ended between two revisions of the record, two days of
    the landscape, or one of each.

    Example: govmap diff --from 2021-06-01 --to 2025-06-01
    """
    with _clean_errors(), _store() as store:
        first, second = Point.parse(start), Point.parse(end)
        found = diff_between(store, first, second)
    if as_json:
        print(json.dumps({part: [vars(d) for d in getattr(found, part)]
                          for part in ("appeared", "changed", "ended")}, indent=2, ensure_ascii=False))
        return
    console.print(f"From {first} to {second}: {len(found.appeared)} appeared, "
                  f"{len(found.changed)} changed, {len(found.ended)} ended", markup=False)
    for part, mark in (("appeared", "+"), ("changed", "~"), ("ended", "-")):
        for d in getattr(found, part):
            fields = f" ({', '.join(d.fields)})" if d.fields else ""
            console.print(f"  {mark} {d.kind}: {d.name}{fields}", markup=False, highlight=False)


editors_app = typer.Typer(help="Named editors and reviewers, known by their token's hash.",
                          no_args_is_help=True)
app.add_typer(editors_app, name="editors")


@editors_app.command("add")
def add_editor_command(
    name: Annotated[str, typer.Argument(help="The editor's name, as the history will show it.")],
    role: Annotated[Role, typer.Option(help="editor, or reviewer.")] = Role.EDITOR,
    file: Annotated[Path | None, typer.Option(
        help="The editors file (default: GOVMAP_EDITORS_FILE, or editors.yaml).")] = None,
) -> None:
    """Add an editor and print their new token, once: only its hash is kept.

    Example: govmap editors add "Alice Reviewer" --role reviewer --file editors.yaml
    """
    path = file or get_settings().editors_file or Path("editors.yaml")
    with _clean_errors():
        token = add_editor(path, name, role)
    err.print(f"added {name} ({role}) to {path}; give them this token, which is not kept:",
              markup=False)
    print(token)


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
            revision = load_seed_into(store, _read(None), Authorship(
                _login_name(), f"seeded the empty store from {_seed_dir(None)}"))
            console.print(f"seeded the empty store at {settings.db} (revision {revision})")
    _port_is_free(host, port)
    console.print(f"govmap is serving on http://{host}:{port}/  (API docs: /docs)")
    sys.stdout.flush()
    uvicorn.run("govmap.api.main:app", host=host, port=port, log_level="warning")


def _port_is_free(host: str, port: int) -> None:
    """Stop with one clear line when the port is taken, before saying we serve on it."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            err.print(f"error: cannot listen on {host}:{port}: {exc.strerror}; "
                      "is govmap already running? (choose another with --port)", markup=False)
            raise typer.Exit(1) from None


AsAtOption = Annotated[datetime | None, typer.Option(
    "--as-at", formats=["%Y-%m-%d"], help="See only what is valid on this day (YYYY-MM-DD).")]
EvidenceOption = Annotated[EvidenceMode, typer.Option(
    "--evidence", help="all: the documents and the cited reference layer; documents: the five "
                       "source documents alone.")]


def _only_known(values: list[str] | str | None, allowed: Iterable[str], what: str) -> None:
    """Stop with a clear message (exit 2) on a value outside a closed vocabulary: an
    unknown filter must not quietly print an empty table or draw an empty map."""
    allowed = [str(a) for a in allowed]
    for value in [values] if isinstance(values, str) else values or ():
        if value not in allowed:
            raise typer.BadParameter(not_one_of(value, allowed, what))


def _graph(store: GraphStore, evidence: EvidenceMode) -> nx.MultiDiGraph:
    return on_evidence(store.snapshot(), evidence)


def _evidence_line(source: Source, width: int = 90) -> str:
    """A source in one line: a quote shortened at a word with an ellipsis, or a citation."""
    if source.is_reference:
        return f"{source.citation} [reference]"
    quote = f"“{textwrap.shorten(source.excerpt or '', width, placeholder=' …')}”"
    return f"{quote} — {source.title}" if source.title else quote


def _day(as_at: datetime | None) -> date | None:
    return as_at.date() if as_at else None


def _print_json(result: BaseModel | list[BaseModel]) -> None:
    if isinstance(result, list):
        print(json.dumps([r.model_dump(mode="json") for r in result], indent=2))
    else:
        print(result.model_dump_json(indent=2))


@app.command()
def accountable(subject: Annotated[str, typer.Argument(help="An action or body: id, name or alias.")],
                as_at: AsAtOption = None, evidence: EvidenceOption = "all",
                as_json: JsonOption = False) -> None:
    """Who is accountable for an action or body, hop by hop to the top, with evidence, and
    whether it gets there through formal lines or only through soft oversight.

    Example: govmap accountable "Advocacy" --evidence documents
    """
    with _clean_errors(), _store() as store:
        chain = accountability_chain(_graph(store, evidence), subject, day=_day(as_at))
    if as_json:
        _print_json(chain)
        return
    tree = Tree(f"[bold]{escape(chain.subject.name)}[/bold] ({chain.subject.kind}): "
                f"{STANDING_READS[chain.standing]}")
    for start in chain.starts:
        lead = tree.add(f"[bold]{escape(start.body.name)}[/bold]"
                        + (" (primary lead)" if start.rank else "")
                        + f": {STANDING_READS[start.standing]}")
        for path in (p for p in chain.paths if p.start.id == start.body.id):
            branch = lead.add(f"[dim]path ({path.standing.replace('_', ' ')}; ends: {path.ends})[/dim]")
            for hop in path.hops:
                quote = _evidence_line(hop.evidence.sources[0]) if hop.evidence.sources else "no source"
                branch = branch.add(f"{hop.reads} [bold]{escape(hop.upper.name)}[/bold] "
                                    f"[dim]({hop.strength}, {hop.evidence.confidence}; "
                                    f"{escape(quote)})[/dim]")
    console.print(tree)
    for flag in chain.flags:
        console.print(f"[yellow]{flag.code}[/yellow]: {escape(flag.message)}")
    console.print(chain.explanation, markup=False)


@app.command("duplication")
def duplication_command(
    kind: Annotated[str | None, typer.Option(help="Only this kind of duplication.")] = None,
    as_at: AsAtOption = None, evidence: EvidenceOption = "all", as_json: JsonOption = False,
) -> None:
    """Bodies doing the same job on the same thing, frameworks covering the same ground,
    a disproportionate share of leads, roles the documents find unclear.

    Example: govmap duplication --kind parallel_oversight
    """
    _only_known(kind, DUPLICATION_KINDS, "a duplication kind")
    with _clean_errors(), _store() as store:
        report = duplication(_graph(store, evidence), kind=kind, day=_day(as_at))
    if as_json:
        _print_json(report)
        return
    table = Table(title=f"{len(report.findings)} duplication findings")
    for column in ("kind", "basis", "what", "why"):
        table.add_column(column)
    for finding in report.findings:
        table.add_row(finding.kind, finding.basis, finding.title, finding.explanation)
    console.print(table)


@app.command("gaps")
def gaps_command(
    severity: Annotated[str | None, typer.Option(help="high, medium or low.")] = None,
    as_at: AsAtOption = None, evidence: EvidenceOption = "all", as_json: JsonOption = False,
) -> None:
    """Actions with no lead or commitment, bodies with no accountability, and more.

    Example: govmap gaps --severity high
    """
    _only_known(severity, SEVERITY_ORDER, "a severity")
    with _clean_errors(), _store() as store:
        found = gaps(_graph(store, evidence), severity=severity, day=_day(as_at))  # type: ignore[arg-type]
    if as_json:
        _print_json(found)
        return
    table = Table(title=f"{len(found)} gaps")
    for column in ("severity", "basis", "gap", "about", "why"):
        table.add_column(column)
    for gap in found:
        table.add_row(gap.severity, gap.basis, gap.kind, ", ".join(e.name for e in gap.entities),
                      gap.message + gap.attribution)
    console.print(table)


@app.command("metrics")
def metrics_command(as_at: AsAtOption = None, evidence: EvidenceOption = "all",
                    as_json: JsonOption = False) -> None:
    """Structure metrics: who sits on most chains, many masters, depth to the top.

    Example: govmap metrics --json
    """
    with _clean_errors(), _store() as store:
        figures = structure_metrics(_graph(store, evidence), day=_day(as_at))
    if as_json:
        _print_json(figures)
        return
    for metric in figures.metrics:
        table = Table(title=f"{metric.name}: {metric.explanation}", title_justify="left")
        table.add_column("entity")
        table.add_column("value", justify="right")
        for row in metric.ranking:
            table.add_row(row.entity.name, f"{row.value:g}")
        console.print(table)
    for chain in figures.longest_chains[:5]:
        console.print(f"{chain.hops} hops: " + " → ".join(e.name for e in chain.path), markup=False)


@app.command()
def render(
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.")] = Path("map.html"),
    kind: Annotated[list[str] | None, typer.Option(help="Entity kinds to keep (repeatable).")] = None,
    body_type: Annotated[list[str] | None, typer.Option(
        "--type", help="Body types to keep (repeatable).")] = None,
    priority: Annotated[list[str] | None, typer.Option(help="Priority area ids (repeatable).")] = None,
    rel: Annotated[list[str] | None, typer.Option(help="Relationship types (repeatable).")] = None,
    status: Annotated[list[str] | None, typer.Option(help="Action statuses (repeatable).")] = None,
    focus: Annotated[str | None, typer.Option(help="Centre the map on this id, name or alias.")] = None,
    depth: Annotated[int, typer.Option(min=1, max=5, help="Hops around the focus.")] = 1,
    accountable_for: Annotated[str | None, typer.Option(
        "--accountable-for", help="Render this action's or body's accountability chain.")] = None,
    as_at: AsAtOption = None,
    evidence: EvidenceOption = "all",
) -> None:
    """Write the interactive map (or a chain) as one offline HTML file.

    Example: govmap render -o map.html --kind body --kind action
    """
    with _clean_errors(), _store() as store:
        graph = _graph(store, evidence)
        if accountable_for:
            page = accountability_page(graph, accountability_chain(graph, accountable_for, day=_day(as_at)))
        else:
            try:
                keep = map_filter(graph, kinds=kind or (), body_types=body_type or (),
                                  priority_areas=priority or (), rel_types=rel or (),
                                  statuses=status or (), focus=focus, depth=depth, day=_day(as_at))
            except InvalidRequestError as exc:  # a value outside a vocabulary: a usage error
                raise typer.BadParameter(str(exc)) from None
            page = map_page(graph, keep)
        page.write(output)
    console.print(f"wrote {output} ({page.title})", markup=False)


def _scenario(path: Path) -> Scenario:
    try:
        return Scenario.model_validate(YAML(typ="safe").load(path.read_text(encoding="utf-8")))
    except (ValidationError, YAMLError) as exc:
        raise InvalidRequestError(f"{path}: not a valid scenario:\n{exc}") from None


ScenarioOption = Annotated[Path | None, typer.Option(
    "--scenario", exists=True, dir_okay=False, help="A scenario YAML file (see what-if).")]


@app.command("what-if")
def what_if_command(scenario: Annotated[Path, typer.Argument(exists=True, dir_okay=False,
                    help="Scenario YAML: name, operations (abolish, merge, reparent, …).")],
                    as_json: JsonOption = False) -> None:
    """Apply a scenario to a copy of the graph and show what changes.

    Example: govmap what-if scenarios/abolish-tps.yaml
    """
    with _clean_errors(), _store() as store:
        diff = what_if(store.snapshot(), _scenario(scenario))
    if as_json:
        _print_json(diff)
        return
    console.print(diff.summary, markup=False)
    for change in diff.chains:
        console.print(f"  {change.subject.name}: {change.change} "
                      f"(+{','.join(change.flags_added)} -{','.join(change.flags_removed)})", markup=False)
    for orphan in diff.orphaned:
        console.print(f"  no owner: {orphan.holder.name} {orphan.type} {orphan.target.name}",
                      markup=False)
    for name, (before, after) in diff.metrics_changed.items():
        console.print(f"  {name}: {before:g} -> {after:g}", markup=False)
    for label, items in [("gap opened", diff.gaps_opened), ("gap closed", diff.gaps_closed),
                         ("overlap removed", diff.duplication_removed),
                         ("overlap added", diff.duplication_added)]:
        for item in items:
            console.print(f"  {label}: {item}", markup=False)


@app.command()
def report(
    format: Annotated[str, typer.Option("--format", "-f", help="html, pdf, md, csv or json.")] = "html",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write.")] = None,
    scenario: ScenarioOption = None,
    evidence: EvidenceOption = "all",
) -> None:
    """Write the streamlining report (optionally for a what-if scenario).

    Example: govmap report --format pdf -o streamlining.pdf
    """
    with _clean_errors(), _store() as store:
        fmt = report_format(format)
        graph = _graph(store, evidence)
        content = render_report(build_report(graph, _scenario(scenario) if scenario else None),
                                graph, format)
    target = output or Path(f"govmap-streamlining.{fmt.extension}")
    target.write_bytes(content)
    console.print(f"wrote {target} ({len(content):,} bytes)", markup=False)


if __name__ == "__main__":
    app()
