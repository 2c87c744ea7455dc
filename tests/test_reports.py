"""Recommendations, what-if scenarios and the exported reports: content, not existence."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from govmap.analysis.recommendations import RULES, Recommendation, Row, guard_problems, recommendations
from govmap.analysis.whatif import Scenario, apply_scenario, what_if
from govmap.errors import InvalidRequestError
from govmap.queries.accountability import accountability_chain
from govmap.queries.common import EntityRef
from govmap.reports import build_report, render_report
from govmap.seed import default_seed_dir, read_seed
from govmap.snapshot import build_snapshot
from tests.test_queries import graph as small_graph

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ABOLISH_TPS = Scenario(name="Abolish The Promise Scotland",
                       operations=[{"op": "abolish", "body": "the-promise-scotland"}])


@pytest.fixture(scope="module")
def real() -> nx.MultiDiGraph:
    dataset = read_seed(default_seed_dir())
    return build_snapshot(dataset.entities, dataset.relations)


def test_each_rule_fires_on_a_purpose_built_graph() -> None:
    g = small_graph(
        {"a": "board", "b": "board", "ending": "public_body", "dutied": "public_body",
         "p": "parliament", "lone": "group", "lead": "public_body"},
        ["shared", "stalled", "mine"],
        ["a LEADS shared", "b LEADS shared", "a REPORTS_TO p", "b REPORTS_TO p",
         "ending LEADS stalled", "a LEADS stalled", "ending REPORTS_TO p", "lone OVERSEES a",
         "lead LEADS mine", "lead REPORTS_TO p",
         "dutied HAS_DUTY_UNDER mine", "dutied REPORTS_TO p"],
        shared={"status": "underway_not_sufficient", "commitment_received": True},
        mine={"commitment_received": True},
        stalled={"status": "little_or_no_work", "commitment_received": False},
        ending={"valid_to": dt.date(2030, 12, 31)})
    found = {r.category: r for r in recommendations(g)}
    assert set(found) == {"single_accountable_owner", "establish_accountability",
                          "secure_commitments", "restart_stalled_actions", "plan_succession",
                          "establish_scrutiny", "act_on_pace"}  # "not yet sufficient"
    owners = found["single_accountable_owner"]
    assert [(row.subject.id, [o.id for o in row.owners]) for row in owners.rows] == [
        ("shared", ["a", "b"]), ("stalled", ["a"])]  # an ending body is never named owner
    assert found["secure_commitments"].confidence == "stated"  # the document's own verdict
    assert [a.id for a in found["plan_succession"].addressees] == ["p"]  # whom it answers to
    assert [a.id for a in found["establish_accountability"].addressees] == ["lone"]
    for rec in found.values():
        assert rec.findings and rec.addressees and rec.timescale
        assert rec.priority_rule.startswith(RULES[rec.category].priority)


def test_the_guards_refuse_what_an_expert_would_reject() -> None:
    g = small_graph({"sg": "government", "ofsted": "public_body", "old": "board"}, [], [],
                    ofsted={"scope": "england"}, old={"valid_to": dt.date(2020, 1, 1)})
    rec = recommendations(small_graph({}, [], []))  # nothing to recommend on an empty map
    assert rec == []
    merge = Recommendation(
        id="x", category="spread_the_load", priority="low", priority_rule="", title="Merge SG and Ofsted",
        action="merge them", addressees=[EntityRef(id="ofsted", name="Ofsted", kind="body")],
        timescale="", confidence="derived", entities=[], rows=[Row(
            subject=EntityRef(id="sg", name="SG", kind="body"), detail="",
            owners=[EntityRef(id="old", name="Old", kind="body")])], rationale="", findings=[])
    problems = " ".join(guard_problems(g, merge))
    assert "merging" in problems and "outside scope" in problems and "ends" in problems


def test_real_dataset_recommendations_cite_evidence(real: nx.MultiDiGraph) -> None:
    found = recommendations(real)
    categories = {r.category for r in found}
    assert {"single_accountable_owner", "establish_accountability", "secure_commitments",
            "plan_succession", "clarify_roles"} <= categories
    assert all(r.evidence_count > 0 for r in found), [r.id for r in found if not r.evidence_count]
    assert all(r.addressees and r.rows for r in found)
    ids = [r.id for r in found]
    assert len(ids) == len(set(ids)) == len(categories)  # one recommendation per problem
    commitments = next(r for r in found if r.category == "secure_commitments")
    assert "action-governance-structures" in {row.subject.id for row in commitments.rows}


def test_abolishing_the_promise_scotland_orphans_its_responsibilities(real: nx.MultiDiGraph) -> None:
    diff = what_if(real, ABOLISH_TPS)
    orphaned = {(o.type, o.target.id) for o in diff.orphaned}
    assert ("LEADS", "action-childrens-hearing-system") in orphaned
    assert ("LEADS", "action-investment") in orphaned
    assert all(o.holder.id == "the-promise-scotland" and o.evidence.sources for o in diff.orphaned)
    assert diff.metrics_changed["entities"] == (real.number_of_nodes(), real.number_of_nodes() - 1)
    assert "the-promise-scotland" in real  # the snapshot itself is untouched


def test_merge_removes_the_overlap_it_resolves(real: nx.MultiDiGraph) -> None:
    diff = what_if(real, Scenario(name="merge", operations=[
        {"op": "merge", "source": "cabinet-sub-committee-on-the-promise",
         "into": "promise-oversight-board"}]))
    assert "parallel_oversight:monitors:the-promise" in diff.duplication_removed


def test_reparent_heals_a_broken_chain() -> None:
    g = small_graph({"lead": "board", "p": "parliament"}, ["act"], ["lead LEADS act"])
    diff = what_if(g, Scenario(name="give it a line", operations=[
        {"op": "reparent", "body": "lead", "to": "p"}]))
    assert [(c.subject.id, c.change) for c in diff.chains] == [("act", "heals")]
    assert "body_no_accountability:lead" in diff.gaps_closed


def test_cutting_the_government_s_line_to_parliament_leaves_its_actions_on_soft_oversight(
        real: nx.MultiDiGraph) -> None:
    """Without the Scottish Government's formal line to the Parliament, every action it
    leads that reached the top formally reaches it only through the Oversight Board."""
    diff = what_if(real, Scenario(name="cut", operations=[
        {"op": "remove_relation", "source": "scottish-government", "type": "ACCOUNTABLE_TO",
         "target": "scottish-parliament"}]))
    led_formally = {action for _, action, rel in real.out_edges("scottish-government", keys=True)
                    if rel == "LEADS" and accountability_chain(real, action).standing == "formal"}
    assert {"action-governance-structures", "action-legislation"} <= led_formally
    now_soft = {c.subject.id for c in diff.chains if c.flags_added == ["soft_oversight_only"]}
    assert led_formally <= now_soft
    assert all(c.change == "flags_changed" and not c.flags_removed for c in diff.chains)
    assert "action_soft_oversight_only:action-governance-structures" in diff.gaps_opened
    assert all(g.startswith("action_soft_oversight_only:") for g in diff.gaps_opened)
    assert diff.gaps_closed == [] and diff.orphaned == []  # a line is no responsibility
    assert diff.metrics_changed["relations"] == (real.number_of_edges(), real.number_of_edges() - 1)


def test_removing_a_relation_that_is_not_there_is_refused(real: nx.MultiDiGraph) -> None:
    with pytest.raises(InvalidRequestError, match="no relation scottish-parliament REPORTS_TO cosla"):
        what_if(real, Scenario(name="x", operations=[
            {"op": "remove_relation", "source": "scottish-parliament", "type": "REPORTS_TO",
             "target": "cosla"}]))


def test_adding_a_line_above_the_joint_inspection_programme_mends_the_chains_it_broke(
        real: nx.MultiDiGraph) -> None:
    """The Joint Inspection Programme answers to no one in the map, so chains through it
    stop there; a line to the Government mends them, and is marked a scenario's guess."""
    add = Scenario(name="JIP answers to SG", operations=[
        {"op": "add_relation", "source": "joint-inspection-programme", "type": "REPORTS_TO",
         "target": "scottish-government"}])
    diff = what_if(real, add)
    mended = {c.subject.id for c in diff.chains if "broken_chain" in c.flags_removed}
    assert "action-advocacy" in mended
    assert all("broken_chain" not in c.flags_added for c in diff.chains)
    assert "no_sources:joint-inspection-programme|REPORTS_TO|scottish-government" in diff.gaps_opened
    assert diff.metrics_changed["relations"] == (real.number_of_edges(), real.number_of_edges() + 1)
    changed, _ = apply_scenario(real, add)
    added = changed.edges["joint-inspection-programme", "scottish-government", "REPORTS_TO"]["relation"]
    assert (added.confidence, added.note) == ("inferred", "what-if scenario: JIP answers to SG")


def test_abolishing_with_a_successor_leaves_nothing_without_an_owner(real: nx.MultiDiGraph) -> None:
    hand_on = Scenario(name="SG takes over", operations=[
        {"op": "abolish", "body": "the-promise-scotland", "reassign_to": "scottish-government"}])
    diff = what_if(real, hand_on)
    assert what_if(real, ABOLISH_TPS).orphaned and diff.orphaned == []
    assert "ends_without_successor:the-promise-scotland" in diff.gaps_closed
    assert not any(c.change in ("breaks", "loses_all_leads") for c in diff.chains)
    changed, dropped = apply_scenario(real, hand_on)
    led_by_tps = {t for _, t, rel in real.out_edges("the-promise-scotland", keys=True) if rel == "LEADS"}
    led_by_sg = {t for _, t, rel in changed.out_edges("scottish-government", keys=True) if rel == "LEADS"}
    assert dropped == [] and led_by_tps and led_by_tps <= led_by_sg


def test_unknown_ids_are_refused(real: nx.MultiDiGraph) -> None:
    with pytest.raises(InvalidRequestError, match=r"operations\[0\].body: no entity with id 'nobody'"):
        what_if(real, Scenario(name="x", operations=[{"op": "abolish", "body": "nobody"}]))


def test_pdf_reads_as_a_report_and_renders(real: nx.MultiDiGraph, tmp_path: Path) -> None:
    report = build_report(real)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_report(report, real, "pdf"))
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    assert len(pages) > 10
    flat = [" ".join(text.split()) for text in pages]
    assert "Streamlining the governance of The Promise" in flat[0]
    contents = next(i for i, text in enumerate(flat) if "Contents" in text)
    for entry in ("Key messages", "Scope and method", "Findings: accountability", "Recommendations",
                  "Limitations", "Appendix A: every stated finding", "Appendix C: sources"):
        assert entry in flat[contents], entry
    key = next(text for text in flat if text.startswith("1. Key messages"))
    assert report.key_messages[0].text[:60] in key
    everything = " ".join(flat)
    assert "7.1 " in everything and "Who should act:" in everything
    assert "Change Programme ONE: the published report (The Promise Scotland, 2021)" in everything
    assert "single_accountable_owner" not in everything  # no internal ids in the prose
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "4", str(pdf),
                    str(ARTIFACTS / "report-page")], check=True)
    rendered = sorted(ARTIFACTS.glob("report-page-*.png"))
    assert len(rendered) >= 4 and all(p.stat().st_size > 5_000 for p in rendered[:4])

def test_csv_and_json_match_the_api(real_client: TestClient, real: nx.MultiDiGraph) -> None:
    expected = [r.id for r in recommendations(real)]
    as_csv = real_client.get("/reports/streamlining", params={"format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert 'filename="govmap-streamlining.csv"' in as_csv.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [row["id"] for row in rows] == expected
    assert all(row["first_evidence"] for row in rows)
    as_json = real_client.get("/reports/streamlining", params={"format": "json"}).json()
    assert [r["id"] for r in as_json["recommendations"]] == expected
    # the same numbers in every format: CSV, JSON, Markdown (and the HTML/PDF, 7.N)
    numbers = [int(row["number"]) for row in rows]
    assert numbers == [r["number"] for r in as_json["recommendations"]] == list(
        range(1, len(expected) + 1))
    markdown = real_client.get("/reports/streamlining", params={"format": "md"}).text
    first = as_json["recommendations"][0]
    assert f"### 7.1 {first['title']}" in markdown
    assert all(row["addressees"] and row["timescale"] and row["confidence"] for row in rows)
    assert as_json["recommendations_by_category"] == json.loads(
        build_report(real).model_dump_json())["recommendations_by_category"]


@pytest.mark.parametrize(("fmt", "media", "marker"), [
    ("html", "text/html", b"<h2"), ("md", "text/markdown", b"## 7. Recommendations"),
    ("pdf", "application/pdf", b"%PDF"),
])
def test_formats_have_the_right_content_types(real_client: TestClient, fmt: str, media: str,
                                              marker: bytes) -> None:
    response = real_client.get("/reports/streamlining", params={"format": fmt})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert marker in response.content


def test_scenario_endpoints(real_client: TestClient) -> None:
    body = ABOLISH_TPS.model_dump(mode="json")
    diff = real_client.post("/scenarios", json=body).json()
    assert diff["orphaned"] and "responsibilities left with no owner" in diff["summary"]
    report = real_client.post("/reports/streamlining", params={"format": "md"}, json=body)
    assert report.status_code == 200 and "## Scenario" in report.text
    assert 'filename="govmap-streamlining-scenario.md"' in report.headers["content-disposition"]


@pytest.mark.parametrize(("body", "fragment"), [
    ({"name": "x", "operations": [{"op": "abolish", "body": "nobody"}]}, "no entity with id"),
    ({"name": "x", "operations": [{"op": "explode", "body": "cosla"}]}, "abolish"),
    ({"name": "x", "operations": []}, "at least 1"),
    ({"operations": [{"op": "abolish", "body": "cosla"}]}, "name"),
    ({"name": "x", "operations": [{"op": "add_relation", "source": "cosla", "type": "OWNS",
                                    "target": "scottish-government"}]}, "relationship type"),
])
def test_bad_scenarios_are_4xx(real_client: TestClient, body: dict[str, object], fragment: str) -> None:
    response = real_client.post("/scenarios", json=body)
    assert response.status_code == 422, response.text
    assert fragment in response.text


def test_bad_report_format_is_422(real_client: TestClient) -> None:
    response = real_client.get("/reports/streamlining", params={"format": "docx"})
    assert response.status_code == 422 and "pdf" in response.text


@pytest.mark.parametrize("operation", [
    {"op": "add_relation", "source": "cosla", "type": "REPORTS_TO", "target": "cosla"},
    {"op": "merge", "source": "cosla", "into": "cosla"},
    {"op": "abolish", "body": "cosla", "reassign_to": "cosla"},
])
def test_self_referencing_operations_are_refused(real_client: TestClient, operation: dict) -> None:
    response = real_client.post("/scenarios", json={"name": "x", "operations": [operation]})
    assert response.status_code == 422 and "itself" in response.text


def test_evidence_is_quoted_once_and_never_cut_silently(real: nx.MultiDiGraph) -> None:
    report = build_report(real)
    long = next(r for r in report.recommendations if len(r.quotations()) > 8)
    quoted = long.quotations()
    assert len({(q.text, q.origin) for q in quoted}) == len(quoted)  # each source once
    markdown = render_report(report, real, "md").decode()
    html = render_report(report, real, "html").decode()
    expected = f"and {len(quoted) - 8} more source(s)"
    assert expected in markdown and expected in html


def test_machine_and_markdown_formats_are_safe_with_hostile_names() -> None:
    g = small_graph({"a": "board", "b": "board", "p": "parliament"}, ["act"],
                    ["a LEADS act", "b LEADS act", "a REPORTS_TO p", "b REPORTS_TO p"])
    for node, name in (("a", '=HYPERLINK("http://x")'), ("b", "<script>alert(1)</script> | B")):
        g.nodes[node]["entity"] = g.nodes[node]["entity"].model_copy(update={"name": name})
    report = build_report(g)
    rows = list(csv.reader(io.StringIO(render_report(report, g, "csv").decode())))
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    markdown = render_report(report, g, "md").decode()
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    assert "\\| B" in markdown  # a pipe in a name does not break the table


def test_a_scenario_reads_in_names_not_ids(real: nx.MultiDiGraph) -> None:
    report = build_report(real, ABOLISH_TPS)
    changes = report.scenario_changes
    assert changes["Responsibilities left with no owner"]
    assert any(line.startswith("The Promise Scotland leads ")
               for line in changes["Responsibilities left with no owner"])
    everything = " ".join(line for lines in changes.values() for line in lines)
    assert ":the-promise-scotland" not in everything and "_" not in everything
    html = render_report(report, real, "html").decode()
    assert "Responsibilities left with no owner" in html and "Recommendations before:" in html


def test_who_should_act_reads_in_one_breath(real: nx.MultiDiGraph) -> None:
    for rec in recommendations(real):
        said = rec.who_acts()
        assert said.count(",") <= 3, said  # never a list of a dozen bodies
        if len(rec.addressees) > 3:
            assert " others" in said and str(len(rec.rows)) in said or "each body" in said


def test_every_derived_gap_kind_has_a_recommendation_category() -> None:
    """A derived gap with no category was a 500 on an edited map (found by fuzzing)."""
    from govmap.analysis.gaps import DERIVED_KINDS
    from govmap.analysis.recommendations import DERIVED_BY_CATEGORY
    assert set(DERIVED_KINDS) - {"no_sources"} <= DERIVED_BY_CATEGORY.keys()
