"""The `govmap` command, through typer's test runner against real files."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from govmap import cli
from govmap.analysis.duplication import duplication
from govmap.analysis.recommendations import recommendations
from govmap.analysis.whatif import Scenario, what_if
from govmap.cli import app
from govmap.seed import default_seed_dir, read_seed
from govmap.settings import get_settings
from govmap.stores import ChangeSet, SqliteStore
from tests.conftest import FIXTURES

TINY = str(FIXTURES / "tiny_seed")
SOURCES = str(Path(__file__).parents[2] / "shared" / "seeds")
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
MINISTER = "minister-for-children-young-people-and-the-promise"


def _runner_on(db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """A runner whose `govmap` uses the SQLite file `db`, whatever the environment says,
    and prints as to a terminal 200 columns wide (rich cuts a tree's lines at the width)."""
    monkeypatch.setattr(cli.console, "width", 200)
    monkeypatch.setenv("GOVMAP_DB", str(db))
    monkeypatch.delenv("GOVMAP_NEO4J_URI", raising=False)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    yield from _runner_on(tmp_path / "cli.db", monkeypatch)


@pytest.fixture
def tiny_runner(tiny_store: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """A runner over a store holding the tiny dataset."""
    yield from _runner_on(Path(tiny_store.path), monkeypatch)


@pytest.fixture(scope="module")
def real_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, nx.MultiDiGraph]:
    """A store file holding the real dataset, loaded once, and the graph it holds (for the
    answers the library gives, to compare with what the commands print)."""
    store = SqliteStore(tmp_path_factory.mktemp("cli-real") / "real.db")
    store.write(ChangeSet.replacing_with(read_seed(default_seed_dir())))
    graph = store.snapshot()
    store.close()
    return Path(store.path), graph


@pytest.fixture
def real_runner(real_db: tuple[Path, nx.MultiDiGraph],
                monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """A runner over the real dataset; the commands run with it only read."""
    yield from _runner_on(real_db[0], monkeypatch)


def _ok(runner: CliRunner, *arguments: str) -> str:
    result = runner.invoke(app, list(arguments))
    assert result.exit_code == 0, result.output
    return result.output


def test_validate_ok(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", "--seed", TINY, "--sources", SOURCES])
    assert result.exit_code == 0, result.output
    assert "ok: 8 entities, 5 relations" in result.output
    assert "every document excerpt was found" in result.output


def test_validate_without_sources_says_the_excerpts_were_not_checked(
        runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOVMAP_SOURCES_DIR", raising=False)
    get_settings.cache_clear()
    result = runner.invoke(app, ["validate", "--seed", TINY])
    get_settings.cache_clear()
    assert result.exit_code == 0 and "excerpts were NOT checked" in result.output


def test_validate_reports_problems_and_fails(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "relations:\n  - source: a\n    type: REPORT_TO\n    target: b\n"
        "  - source: a\n    type: REPORTS_TO\n    target: b\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", "--seed", str(tmp_path)])
    assert result.exit_code == 1
    assert "relations[0].type: 'REPORT_TO' is not a relationship type; did you mean REPORTS_TO?" \
        in result.output
    assert "refers to missing entity id 'a'" in result.output


def test_validate_finds_a_bad_excerpt(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "seed.yaml").write_text(
        "entities:\n  - id: x\n    kind: legislation\n    name: X Act\n    sources:\n"
        "      - document: 000_1501bad59c68be6a.txt\n        excerpt: words nowhere in it\n",
        encoding="utf-8")
    result = runner.invoke(app, ["validate", "--seed", str(tmp_path), "--sources", SOURCES])
    assert result.exit_code == 1 and "excerpt not found" in result.output


def test_load_stats_export_round_trip(runner: CliRunner, tmp_path: Path) -> None:
    loaded = runner.invoke(app, ["load", "--seed", TINY])
    assert loaded.exit_code == 0, loaded.output
    assert "loaded 8 entities and 5 relations into the sqlite store" in loaded.output
    figures = json.loads(runner.invoke(app, ["stats", "--json"]).output)
    assert figures["by_kind"] == {"body": 7, "legislation": 1}
    assert figures["by_relation_type"]["FUNDS"] == 1
    assert figures["entities_without_sources"] == [] and figures["relations_without_sources"] == []
    exported = runner.invoke(app, ["export", "-o", str(tmp_path / "out")])
    assert exported.exit_code == 0, exported.output
    again = json.loads(runner.invoke(app, ["stats", "--seed", str(tmp_path / "out"),
                                           "--json"]).output)
    assert again == figures


def test_every_command_has_help_and_an_example(runner: CliRunner) -> None:
    for command in app.registered_commands:
        doc = command.callback.__doc__ or ""
        assert doc.strip(), f"{command.callback.__name__} has no help"
        assert "Example:" in doc, f"{command.callback.__name__} has no example"


def test_an_unknown_filter_value_stops_the_render(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", "--kind", "bogus", "-o", str(tmp_path / "m.html")])
    assert result.exit_code == 2 and "is not an entity kind" in result.output
    assert not (tmp_path / "m.html").exists()


def test_a_busy_port_is_one_clear_message(runner: CliRunner) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 1 and "cannot listen on" in result.output
    assert "serving on" not in result.output


def test_an_unknown_duplication_kind_is_refused(runner: CliRunner) -> None:
    result = runner.invoke(app, ["duplication", "--kind", "merger"])
    assert result.exit_code == 2 and "is not a duplication kind" in result.output


def test_history_and_diff_of_a_scripted_series_of_edits(runner: CliRunner, tmp_path: Path) -> None:
    """Load, then two imports by named editors: the history names each, the diff between
    revisions says what changed."""
    assert runner.invoke(app, ["load", "--seed", TINY, "--editor", "Loader",
                               "--comment", "first load"]).exit_code == 0
    exported = tmp_path / "map.kumu.json"
    assert runner.invoke(app, ["export", "--format", "kumu-json", "-o", str(exported)]).exit_code == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    tps = next(e for e in data["elements"] if e["id"] == "the-promise-scotland")
    tps["description"] = "Changed by Alice."
    exported.write_text(json.dumps(data), encoding="utf-8")
    alice = runner.invoke(app, ["import", str(exported), "--editor", "Alice",
                                "--comment", "describe TPS"])
    assert alice.exit_code == 0 and "1 updated" in alice.output, alice.output
    shown = runner.invoke(app, ["history", "--json"])
    entries = json.loads(shown.output)
    assert [(e["revision"], e["editor"], e["comment"]) for e in entries] == [
        (2, "Alice", "describe TPS"), (1, "Loader", "first load")]
    table = runner.invoke(app, ["history", "--entity", "TPS"])
    assert "Alice" in table.output and "1 entity changed" in table.output
    changed = json.loads(runner.invoke(app, ["diff", "--from", "1", "--to", "2", "--json"]).output)
    assert [(d["key"], d["fields"]) for d in changed["changed"]] == [("the-promise-scotland",
                                                                       ["description"])]
    bad = runner.invoke(app, ["diff", "--from", "yesterday", "--to", "2"])
    assert bad.exit_code == 1 and "neither a revision number nor a day" in bad.output
    folder = tmp_path / "with-history"
    assert runner.invoke(app, ["export", "-o", str(folder), "--with-history"]).exit_code == 0
    assert json.loads((folder / "history.json").read_text(encoding="utf-8")) == entries[::-1]  # oldest first


def test_editors_add_prints_the_token_once_and_keeps_its_hash(runner: CliRunner, tmp_path: Path) -> None:
    file = tmp_path / "editors.yaml"
    added = runner.invoke(app, ["editors", "add", "Alice", "--role", "reviewer", "--file", str(file)])
    assert added.exit_code == 0, added.output
    token = added.stdout.strip().splitlines()[-1]
    assert len(token) >= 40 and token not in file.read_text(encoding="utf-8")
    again = runner.invoke(app, ["editors", "add", "Alice", "--file", str(file)])
    assert again.exit_code == 1 and "already has an editor named 'Alice'" in again.output


def test_accountable_prints_each_hop_with_its_evidence_and_honours_the_options(
        tiny_runner: CliRunner) -> None:
    minister = _ok(tiny_runner, "accountable", "Promise Minister")
    assert minister.startswith("Minister for Children, Young People and The Promise (body): "
                               "does not reach the top")
    assert "reports to First Minister (formal, stated; “reports directly to the First Minister.”)" \
        in minister
    assert "broken_chain: the chain stops at First Minister" in minister
    everything = json.loads(_ok(tiny_runner, "accountable", "TPS", "--json"))
    documents = json.loads(_ok(tiny_runner, "accountable", "TPS", "--evidence", "documents", "--json"))
    assert (everything["standing"], [t["id"] for t in everything["tops"]]) == (
        "formal", ["scottish-parliament"])
    assert (documents["standing"], documents["tops"]) == ("broken", [])  # the Act is a reference
    before_the_post = tiny_runner.invoke(app, ["accountable", "Promise Minister",
                                               "--as-at", "2022-01-01"])
    assert before_the_post.exit_code == 1
    assert "no entity is named 'Promise Minister'" in before_the_post.output


def test_gaps_lists_each_gap_and_filters_by_severity(tiny_runner: CliRunner) -> None:
    table = _ok(tiny_runner, "gaps")
    assert table.startswith("2 gaps") and "First Minister" in table
    found = json.loads(_ok(tiny_runner, "gaps", "--json"))
    assert [(g["id"], g["severity"]) for g in found] == [
        ("body_no_accountability:first-minister", "low"),
        ("body_no_accountability:promise-programme-board", "low")]
    assert json.loads(_ok(tiny_runner, "gaps", "--severity", "high", "--json")) == []
    assert json.loads(_ok(tiny_runner, "gaps", "--severity", "low", "--json")) == found


def test_metrics_prints_the_rankings_and_the_longest_chains(tiny_runner: CliRunner) -> None:
    printed = _ok(tiny_runner, "metrics")
    assert "2 hops: The Promise Scotland → Scottish Government → Scottish Parliament" in printed
    assert "reporting_burden: How many bodies and boards" in printed
    figures = json.loads(_ok(tiny_runner, "metrics", "--json"))
    assert {k: v for k, v in figures["depth_to_top"].items() if v is not None} == {
        "scottish-parliament": 0, "scottish-government": 1, "the-promise-scotland": 2}
    burden = next(m for m in figures["metrics"] if m["name"] == "reporting_burden")
    assert [(r["entity"]["id"], r["value"]) for r in burden["ranking"]][0] == ("the-promise-scotland", 2)
    in_2022 = json.loads(_ok(tiny_runner, "metrics", "--as-at", "2022-01-01", "--json"))
    assert MINISTER in figures["depth_to_top"] and MINISTER not in in_2022["depth_to_top"]


def _rendered(path: Path) -> dict[str, Any]:
    """The vis-network data a rendered page draws (`const data = {...};`)."""
    html = path.read_text(encoding="utf-8")
    start = html.index("const data = ") + len("const data = ")
    return json.JSONDecoder().raw_decode(html, start)[0]


def test_render_writes_the_focused_map_and_a_chain(tiny_runner: CliRunner, tmp_path: Path) -> None:
    focused = _ok(tiny_runner, "render", "-o", str(tmp_path / "map.html"), "--focus", "TPS")
    assert "wrote" in focused and "(Around The Promise Scotland (depth 1))" in focused
    data = _rendered(tmp_path / "map.html")
    assert {n["id"] for n in data["nodes"]} == {"the-promise-scotland", "scottish-government"}
    assert {e["relType"] for e in data["edges"]} == {"FUNDS", "ACCOUNTABLE_TO"}
    _ok(tiny_runner, "render", "-o", str(tmp_path / "chain.html"), "--accountable-for", "Promise Minister")
    chain = _rendered(tmp_path / "chain.html")
    assert {n["id"] for n in chain["nodes"]} == {MINISTER, "first-minister"}
    _ok(tiny_runner, "render", "-o", str(tmp_path / "legislation.html"), "--kind", "legislation")
    assert [n["id"] for n in _rendered(tmp_path / "legislation.html")["nodes"]] == [
        "children-and-young-people-scotland-act-2014"]


def test_duplication_lists_the_findings_the_library_finds(real_runner: CliRunner,
                                                          real_db: tuple[Path, nx.MultiDiGraph]) -> None:
    expected = [f.id for f in duplication(real_db[1]).findings]
    assert "parallel_oversight:monitors:the-promise" in expected
    listed = json.loads(_ok(real_runner, "duplication", "--json"))
    assert [f["id"] for f in listed["findings"]] == expected
    assert _ok(real_runner, "duplication").startswith(f"{len(expected)} duplication findings")
    parallel = json.loads(_ok(real_runner, "duplication", "--kind", "parallel_oversight", "--json"))
    assert [f["id"] for f in parallel["findings"]] == [
        i for i in expected if i.startswith("parallel_oversight:")]


def test_what_if_prints_the_summary_and_each_orphaned_responsibility(
        real_runner: CliRunner, real_db: tuple[Path, nx.MultiDiGraph]) -> None:
    path = SCENARIOS / "abolish-the-promise-scotland.yaml"
    expected = what_if(real_db[1], Scenario.model_validate(YAML(typ="safe").load(path)))
    printed = _ok(real_runner, "what-if", str(path))
    assert printed.splitlines()[0] == expected.summary
    assert "responsibilities left with no owner" in expected.summary and expected.orphaned
    for orphan in expected.orphaned:
        assert f"  no owner: The Promise Scotland {orphan.type} {orphan.target.name}\n" in printed
    assert "  no owner: The Promise Scotland LEADS Investment\n" in printed
    as_json = json.loads(_ok(real_runner, "what-if", str(path), "--json"))
    assert as_json["summary"] == expected.summary
    assert [o["target"]["id"] for o in as_json["orphaned"]] == [o.target.id for o in expected.orphaned]


def test_report_writes_each_recommendation_and_the_scenario(
        real_runner: CliRunner, real_db: tuple[Path, nx.MultiDiGraph], tmp_path: Path) -> None:
    written = _ok(real_runner, "report", "--format", "csv", "-o", str(tmp_path / "r.csv"))
    assert f"wrote {tmp_path / 'r.csv'}" in written
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8"))))
    assert [row["id"] for row in rows] == [r.id for r in recommendations(real_db[1])]
    _ok(real_runner, "report", "--format", "md", "-o", str(tmp_path / "s.md"),
        "--scenario", str(SCENARIOS / "abolish-the-promise-scotland.yaml"))
    markdown = (tmp_path / "s.md").read_text(encoding="utf-8")
    assert "## 7. Recommendations" in markdown and "## Scenario" in markdown
    assert "Responsibilities left with no owner" in markdown
