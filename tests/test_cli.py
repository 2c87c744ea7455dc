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
