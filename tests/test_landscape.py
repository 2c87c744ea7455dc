"""The synthetic landscapes the benchmarks measure: reproducible, shaped like the real
sector (every standing and the flags a review looks for), and a seed `govmap load` takes."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmarks import scale
from benchmarks.landscape import landscape, landscape_graph
from govmap.cli import app
from govmap.model import completeness_problems
from govmap.queries.accountability import all_chains
from govmap.seed import read_seed, write_seed
from govmap.settings import get_settings


def test_same_seed_same_landscape_other_seed_other() -> None:
    assert landscape(400, seed=3) == landscape(400, seed=3)
    assert landscape(400, seed=3) != landscape(400, seed=4)


def test_every_record_passes_the_seeds_completeness_checks() -> None:
    data = landscape(1000)
    assert len(data.entities) == 1000
    assert [r for r in [*data.entities, *data.relations] if completeness_problems(r)] == []


def test_the_shape_has_every_standing_and_the_flags_a_review_looks_for() -> None:
    chains = all_chains(landscape_graph(1000))
    standings = Counter(c.standing for c in chains)
    flags = Counter(f.code for c in chains for f in c.flags)
    assert set(standings) == {"formal", "soft_only", "outside_scope", "broken"}
    for code in ("no_lead", "shared_lead", "broken_chain", "circular", "soft_oversight_only",
                 "several_principals"):
        assert flags[code] > 0, code
    kinds = Counter(str(e.kind) for e in landscape(1000).entities)
    assert kinds["finding"] > 0 and kinds["priority_area"] > 0 and kinds["action"] > 300


def test_names_share_acronyms() -> None:
    aliases = Counter(a for e in landscape(1000).entities for a in e.aliases)
    assert max(aliases.values()) > 1


def test_written_as_a_seed_it_reads_back_and_govmap_loads_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = landscape(500)
    write_seed(data, tmp_path / "seed")
    back = read_seed(tmp_path / "seed")
    assert sorted(back.entities, key=lambda e: e.id) == sorted(data.entities, key=lambda e: e.id)
    assert sorted(back.relations, key=lambda r: r.key) == sorted(data.relations, key=lambda r: r.key)
    monkeypatch.setenv("GOVMAP_DB", str(tmp_path / "load.db"))
    monkeypatch.delenv("GOVMAP_NEO4J_URI", raising=False)
    get_settings.cache_clear()
    try:
        loaded = CliRunner().invoke(app, ["load", "--seed", str(tmp_path / "seed")])
    finally:
        get_settings.cache_clear()
    assert loaded.exit_code == 0, loaded.output
    assert f"loaded 500 entities and {len(data.relations)} relations" in loaded.output


def test_the_scale_benchmark_writes_every_figure_with_its_baseline_and_ratio(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "results.json"
    monkeypatch.setattr("sys.argv", ["scale", "--sizes", "300", "--out", str(out)])
    scale.main()
    figures = json.loads(out.read_text(encoding="utf-8"))["figures"]
    assert {f["figure"] for f in figures} >= {"YAML load (read_seed)", "all chains", "report (build)",
                                              "one chain by name, p99", "search (broad, limit 50)"}
    for figure in figures:
        assert figure["entities"] == 300
        assert figure["ratio"] == pytest.approx(figure["seconds"] / figure["baseline_seconds"])
