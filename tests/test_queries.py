"""The reviewer's questions on small purpose-built graphs: one test per rule and flag."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from govmap.analysis.duplication import duplication
from govmap.analysis.gaps import gaps
from govmap.analysis.metrics import structure_metrics
from govmap.errors import NotFoundError
from govmap.model import RELATIONSHIPS, Entity, Relation, RelType, Source
from govmap.queries.accountability import accountability_chain
from govmap.queries.common import resolve
from govmap.snapshot import build_snapshot

SRC = [Source(document="000_1501bad59c68be6a.txt", excerpt="test")]


def graph(bodies: dict[str, str], actions: list[str], edges: list[str],
          **entity_extra: dict[str, object]) -> nx.MultiDiGraph:
    """bodies: id -> body type (scope: Scottish public sector unless given);
    edges: 'a REPORTS_TO b', with '~' appended for a soft line, '?' for an inferred one,
    '*' for a lead ranked primary; upward lines are formal unless soft."""
    entities = [Entity(id=i, kind="body", type=t, name=i.replace("-", " ").title(), sources=SRC,
                       **{"scope": "scottish_public_sector", **entity_extra.get(i, {})})
                for i, t in bodies.items()]
    entities += [Entity(id=a, kind="action", name=a.replace("-", " ").title(), sources=SRC,
                        **entity_extra.get(a, {})) for a in actions]
    relations = []
    for edge in edges:
        source, type_, target = edge.rstrip("?~*").split()
        marks = edge[len(edge.rstrip("?~*")):]
        upward = RELATIONSHIPS[RelType(type_)].upward is not None
        relations.append(Relation(
            source=source, type=type_, target=target, sources=SRC,
            confidence="inferred" if "?" in marks else "stated",
            note="a reviewer's reading" if "?" in marks else None,
            strength=("soft" if "~" in marks else "formal") if upward else None,
            rank="primary" if "*" in marks else None))
    return build_snapshot(entities, relations)


def codes(chain) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(f.code for f in chain.flags)


LADDER = {"board": "board", "gov": "government", "fm": "ministerial_post", "parl": "parliament"}


def test_chain_reaches_the_top_with_evidence_on_every_hop() -> None:
    g = graph(LADDER, ["act"], ["board LEADS act", "board REPORTS_TO gov", "gov ACCOUNTABLE_TO fm",
                                "parl HOLDS_TO_ACCOUNT fm"])
    chain = accountability_chain(g, "act")
    assert [lead.id for lead in chain.leads] == ["board"]
    [path] = chain.paths
    assert [h.upper.id for h in path.hops] == ["gov", "fm", "parl"]
    assert [h.reads for h in path.hops] == ["reports to", "is accountable to", "is held to account by"]
    assert all(h.evidence.sources for h in path.hops) and path.ends == "top"
    assert [t.id for t in chain.tops] == ["parl"] and chain.flags == []
    assert path.standing == chain.standing == "formal" and not chain.soft_oversight_only
    assert "reaches the top through formal lines" in chain.explanation


def test_a_chain_through_soft_oversight_only_is_flagged_not_counted_formal() -> None:
    g = graph({"lead": "public_body", "board": "board", "parl": "parliament"}, ["act"],
              ["lead LEADS act", "lead REPORTS_TO board~", "board REPORTS_TO parl~"])
    chain = accountability_chain(g, "act")
    assert chain.paths[0].ends == "top" and chain.paths[0].standing == "soft_only"
    assert chain.standing == "soft_only" and chain.soft_oversight_only
    assert codes(chain) == ["soft_oversight_only"] and "Board" in chain.flags[0].message
    assert "only through soft oversight" in chain.explanation


def test_one_formal_path_makes_the_start_formal() -> None:
    g = graph({"lead": "public_body", "board": "board", "sg": "government", "parl": "parliament"},
              [], ["lead REPORTS_TO board~", "board REPORTS_TO parl~", "lead ACCOUNTABLE_TO sg",
                   "sg ACCOUNTABLE_TO parl"])
    chain = accountability_chain(g, "lead")
    assert sorted(p.standing for p in chain.paths) == ["formal", "soft_only"]
    assert chain.standing == "formal" and "soft_oversight_only" not in codes(chain)


def test_a_line_without_a_strength_counts_as_soft() -> None:
    lead = Entity(id="lead", kind="body", type="board", name="Lead", scope="scottish_public_sector")
    parl = Entity(id="parl", kind="body", type="parliament", name="Parl", scope="scottish_public_sector")
    g = build_snapshot([lead, parl], [Relation(source="lead", type="REPORTS_TO", target="parl")])
    assert accountability_chain(g, "lead").standing == "soft_only"


def test_a_council_is_a_top_and_an_english_body_is_outside_scope() -> None:
    g = graph({"cttee": "committee", "council": "local_authority", "ofsted": "public_body"}, [],
              ["cttee PART_OF council"], ofsted={"scope": "england"})
    assert accountability_chain(g, "cttee").standing == "formal"
    outside = accountability_chain(g, "ofsted")
    assert outside.paths[0].ends == "outside_scope" and outside.standing == "outside_scope"
    assert codes(outside) == []  # not asked to answer upwards, so not a broken chain


def test_facilitation_is_walked_from_the_group_to_the_convener() -> None:
    g = graph({"group": "group", "sg": "government", "parl": "parliament"}, [],
              ["sg FACILITATES group~", "sg ACCOUNTABLE_TO parl"])
    [path] = accountability_chain(g, "group").paths
    assert [h.reads for h in path.hops] == ["is facilitated by", "is accountable to"]
    assert path.standing == "soft_only"


def test_a_primary_lead_is_a_single_owner() -> None:
    g = graph({"a": "board", "b": "board", "p": "parliament"}, ["act"],
              ["a LEADS act*", "b LEADS act", "a REPORTS_TO p", "b REPORTS_TO p"])
    chain = accountability_chain(g, "act")
    assert "shared_lead" not in codes(chain)
    assert [(s.body.id, s.rank) for s in chain.starts] == [("a", "primary"), ("b", None)]


def test_no_lead() -> None:
    assert codes(accountability_chain(graph({}, ["act"], []), "act")) == ["no_lead"]


def test_broken_chain_names_where_it_stops() -> None:
    chain = accountability_chain(graph({"board": "board", "group": "group"}, ["act"],
                                       ["board LEADS act", "board REPORTS_TO group"]), "act")
    assert codes(chain) == ["broken_chain"] and chain.flags[0].entities == ["group"]


def test_circular() -> None:
    g = graph({"a": "board", "b": "board"}, [], ["a REPORTS_TO b", "b REPORTS_TO a"])
    chain = accountability_chain(g, "a")
    assert codes(chain) == ["circular"] and chain.flags[0].entities == ["a", "b", "a"]


def test_several_principals() -> None:
    g = graph({"a": "board", "p": "parliament", "q": "parliament"}, [],
              ["a REPORTS_TO p", "a ACCOUNTABLE_TO q"])
    chain = accountability_chain(g, "a")
    assert codes(chain) == ["several_principals"] and len(chain.paths) == 2


def test_shared_lead() -> None:
    g = graph({"a": "board", "b": "board", "p": "parliament"}, ["act"],
              ["a LEADS act", "b LEADS act", "a REPORTS_TO p", "b REPORTS_TO p"])
    assert codes(accountability_chain(g, "act")) == ["shared_lead"]


def test_ends_and_as_at() -> None:
    g = graph({"a": "board", "p": "parliament"}, ["act"], ["a LEADS act", "a REPORTS_TO p"],
              a={"valid_to": dt.date(2030, 12, 31)})
    assert codes(accountability_chain(g, "act")) == ["ends"]
    after = accountability_chain(g, "act", day=dt.date(2031, 1, 1))
    assert codes(after) == ["no_lead"]  # the lead is gone once it has ended


def test_inferred_hop() -> None:
    g = graph({"a": "board", "p": "parliament"}, [], ["a REPORTS_TO p?"])
    chain = accountability_chain(g, "a")
    assert codes(chain) == ["inferred_hop"] and "a reviewer's reading" in chain.flags[0].message


def test_part_of_counts_as_upward() -> None:
    g = graph({"dir": "directorate", "sg": "government", "parl": "parliament"}, [],
              ["dir PART_OF sg", "sg ACCOUNTABLE_TO parl"])
    assert accountability_chain(g, "dir").paths[0].ends == "top"


def test_a_minister_with_no_line_up_is_not_the_top() -> None:
    chain = accountability_chain(graph({"fm": "ministerial_post"}, [], []), "fm")
    assert chain.standing == "broken" and codes(chain) == ["broken_chain"]


def test_resolve_by_alias_punctuation_and_ambiguity() -> None:
    g = build_snapshot([
        Entity(id="chs", kind="body", type="public_body", name="Children’s Hearings Scotland",
               aliases=["CHS"]),
        Entity(id="board-one", kind="body", type="board", name="Programme Board"),
        Entity(id="board-two", kind="body", type="board", name="Programme Board"),
    ], [])
    assert resolve(g, "childrens-hearings scotland").id == "chs"
    assert resolve(g, "Chs").id == "chs"
    with pytest.raises(NotFoundError) as ambiguous:
        resolve(g, "programme board")
    assert ambiguous.value.candidates == ["board-one", "board-two"]
    with pytest.raises(NotFoundError) as unknown:
        resolve(g, "Programme Bored")
    assert set(unknown.value.candidates) >= {"board-one", "board-two"}


def test_co_leads_are_partners_and_the_same_job_done_twice_is_duplication() -> None:
    def said(text: str) -> list[Source]:
        return [Source(document="000_1501bad59c68be6a.txt", excerpt=text)]
    body = {"kind": "body", "type": "board", "scope": "scottish_public_sector"}
    es = [Entity(id=i, name=i.title(), sources=SRC, **body) for i in ("x", "y", "z")]
    es.append(Entity(id="prog", kind="plan", type="programme", name="Programme", sources=SRC))
    es.append(Entity(id="act", kind="action", name="Act", sources=SRC))
    rs = [Relation(source="x", type="LEADS", target="act", sources=said("x and y lead")),
          Relation(source="y", type="LEADS", target="act", sources=said("x and y lead")),
          Relation(source="x", type="MONITORS", target="prog", sources=said("x monitors it")),
          Relation(source="y", type="MONITORS", target="prog", sources=said("y tracks it")),
          Relation(source="z", type="OVERSEES", target="prog", sources=said("z oversees it"))]
    report = duplication(build_snapshot(es, rs))
    [finding] = report.findings
    assert finding.kind == "parallel_oversight" and finding.object.id == "prog"
    assert [e.id for e in finding.entities] == ["x", "y"]  # z does another job; co-leads not paired
    assert "each monitors Programme" in finding.explanation and len(finding.evidence) == 2
    # named together in one sentence, they monitor jointly: partners again
    rs[3] = Relation(source="y", type="MONITORS", target="prog", sources=said("x monitors it"))
    assert duplication(build_snapshot(es, rs)).findings == []


def test_two_different_things_sharing_a_name_are_never_paired() -> None:
    fund = Entity(id="fund", kind="body", type="fund", name="The Promise Partnership",
                  scope="scottish_public_sector")
    local = Entity(id="local", kind="body", type="partnership", name="Promise Partnership",
                   scope="scottish_public_sector")
    twin = Entity(id="twin", kind="body", type="fund", name="Promise Partnership Fund",
                  aliases=["The Promise Partnership"], scope="scottish_public_sector")
    found = duplication(build_snapshot([fund, local, twin], [])).findings
    assert [(f.kind, [e.id for e in f.entities]) for f in found] == [
        ("same_body_two_names", ["fund", "twin"])]


def test_numbered_siblings_are_not_one_body_twice_and_a_shared_acronym_is_one_finding() -> None:
    def board(i: str, name: str, *aliases: str) -> Entity:
        return Entity(id=i, kind="body", type="board", name=name, aliases=list(aliases),
                      scope="scottish_public_sector")
    found = duplication(build_snapshot([
        board("a2", "Area 2 Committee"), board("a12", "Area 12 Committee"),  # numbered siblings
        board("f1", "Fife Children's Services Board", "CSB"),  # an acronym three areas use
        board("g1", "Glasgow Children's Services Board", "CSB"),
        board("h1", "Highland Children's Services Board", "CSB"),
        board("t1", "Tayside Family Support Board 7"),  # one board recorded twice, misspelt
        board("t2", "Tayside Family Suport Board 7"),
        board("r1", "Independent Review 2017-2020", "The Review"),  # once with dates, once not
        board("r2", "Independent Review")], [])).findings
    assert [(f.title, [e.id for e in f.entities]) for f in found] == [
        ("3 bodies share the name “csb”", ["f1", "g1", "h1"]),
        ("Independent Review 2017-2020 and Independent Review may be one body", ["r1", "r2"]),
        ("Tayside Family Support Board 7 and Tayside Family Suport Board 7 may be one body",
         ["t1", "t2"])]
    assert "naming habit" in found[0].explanation
    assert "names shared (numbers aside)" in found[1].explanation
    assert "98% alike" in found[2].explanation


def test_gaps_rules() -> None:
    g = graph({"lead": "board", "dutied": "public_body", "ending": "public_body",
               "p": "parliament"},
              ["no-lead", "no-work", "no-commit"],
              ["lead LEADS no-work", "lead LEADS no-commit", "ending LEADS no-work",
               "ending REPORTS_TO p", "dutied REPORTS_TO p"],
              **{"no-work": {"status": "little_or_no_work", "commitment_received": True},
                 "no-commit": {"commitment_received": False},
                 "ending": {"valid_to": dt.date(2030, 12, 31)}})
    found = {(x.kind, x.entity.id, x.severity) for x in gaps(g)}
    assert ("action_no_lead", "no-lead", "high") in found
    assert ("little_or_no_work", "no-work", "high") in found  # the document's own verdict
    assert ("no_commitment", "no-commit", "high") in found
    assert ("action_leads_unanchored", "no-commit", "high") in found
    assert ("body_no_accountability", "lead", "medium") in found
    assert ("ends_without_successor", "ending", "high") in found
    assert not any(c == "body_no_accountability" and e == "p" for c, e, _ in found)


def test_duty_with_no_scrutiny_and_no_sources() -> None:
    law = Entity(id="act-2014", kind="legislation", name="Act 2014", sources=SRC)
    body = Entity(id="council", kind="body", type="local_authority", name="Council")
    g = build_snapshot([law, body], [Relation(source="council", type="HAS_DUTY_UNDER",
                                              target="act-2014", sources=SRC)])
    found = {(x.kind, x.entity.id) for x in gaps(g)}
    assert ("duty_no_scrutiny", "council") in found and ("no_sources", "council") in found


def test_metrics_depth_masters_and_betweenness() -> None:
    g = graph({"a": "board", "b": "board", "mid": "board", "p": "parliament", "q": "parliament"},
              [], ["a REPORTS_TO mid", "b REPORTS_TO mid", "mid REPORTS_TO p", "mid REPORTS_TO q"])
    figures = structure_metrics(g)
    assert figures.depth_to_top == {"a": 2, "b": 2, "mid": 1, "p": 0, "q": 0}
    by_name = {m.name: m for m in figures.metrics}
    assert by_name["betweenness"].ranking[0].entity.id == "mid"
    assert [(r.entity.id, r.value) for r in by_name["many_masters"].ranking] == [("mid", 2.0)]
    assert figures.longest_chains[0].hops == 2


def test_bodies_outside_the_scottish_public_sector_or_ended_are_not_asked_to_answer() -> None:
    g = graph({"ofsted": "public_body", "charity": "third_sector", "review": "group",
               "orphan": "board"}, [], [],
              ofsted={"scope": "england"}, charity={"scope": "third_sector"},
              review={"valid_to": dt.date(2020, 2, 5)})
    found = {x.entity.id for x in gaps(g) if x.kind == "body_no_accountability"}
    assert found == {"orphan"}


def test_an_action_led_only_through_soft_oversight_is_a_gap() -> None:
    g = graph({"lead": "public_body", "board": "board", "parl": "parliament"}, ["act"],
              ["lead LEADS act", "lead REPORTS_TO board~", "board REPORTS_TO parl~"],
              act={"commitment_received": True})
    assert {x.kind for x in gaps(g) if x.entity.id == "act"} == {"action_soft_oversight_only"}
