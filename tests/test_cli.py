"""The `govmap` command, through typer's test runner against real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govmap.cli import app
from govmap.settings import get_settings
from tests.conftest import FIXTURES

TINY = str(FIXTURES / "tiny_seed")
SOURCES = str(Path(__file__).parents[2] / "shared" / "seeds")


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("GOVMAP_DB", str(tmp_path / "cli.db"))
    monkeypatch.delenv("GOVMAP_NEO4J_URI", raising=False)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


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
