"""The streamlining report's model: built once from the graph, rendered by every format.

`build_report` gathers the figures, the recommendations (and, for a scenario, the
diff and the recommendations after it).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import networkx as nx
from pydantic import BaseModel

from govmap.analysis.duplication import DuplicationFinding, duplication
from govmap.analysis.gaps import Gap, gaps
from govmap.analysis.passes import GraphPass
from govmap.analysis.recommendations import Recommendation, counts_by_category, recommendations
from govmap.analysis.whatif import Scenario, ScenarioDiff, apply_scenario, what_if
from govmap.model import RELATIONSHIPS, RESPONSIBILITY_TYPES, Confidence, NodeKind, RelType
from govmap.queries.accountability import Standing, UpwardMemo, accountability_chain
from govmap.queries.common import documents_only, entity


class KeyMessage(BaseModel):
    """One key message, and the section of the report that backs it."""

    text: str
    section: str


class ActionChain(BaseModel):
    """An action's accountability, as the appendix table shows it."""

    action: str
    priority_area: str
    leads: str
    with_documents: Standing
    with_reference: Standing
    leads_by_standing: dict[str, int]
    explanation: str


class EndingBody(BaseModel):
    body: str
    ends: dt.date
    responsibilities: int
    stated: int


class SourceEntry(BaseModel):
    """One entry of the sources list: a document of the evidence base, or a citation."""

    citation: str
    locator: str
    kind: str
    url: str | None = None


class Limitations(BaseModel):
    relations: int
    inferred: int
    reference_only: int
    documents_from: int
    documents_to: int


class StreamliningReport(BaseModel):
    title: str
    generated: dt.date
    revision: int | None
    figures: dict[str, int]
    key_messages: list[KeyMessage]
    recommendations_by_category: dict[str, int]
    recommendations_by_priority: dict[str, int]
    gaps_by_priority_area: dict[str, dict[str, int]]
    gaps_by_kind: dict[str, dict[str, int]]
    recommendations: list[Recommendation]
    duplication: list[DuplicationFinding]
    chains: list[ActionChain]
    ending: list[EndingBody]
    stated_findings: list[Gap]
    sources: list[SourceEntry]
    limitations: Limitations
    scenario: ScenarioDiff | None = None
    scenario_changes: dict[str, list[str]] = {}
    recommendations_before: int | None = None


CHAIN_CHANGES = {"breaks": "its chain breaks", "heals": "its chain now reaches the top",
                 "loses_all_leads": "it loses every lead", "flags_changed": "its warnings change"}


def scenario_changes(before: nx.MultiDiGraph, after: nx.MultiDiGraph,
                     diff: ScenarioDiff) -> dict[str, list[str]]:
    """The diff of a scenario in sentences a reader follows: names, never ids."""
    said = {g.id: g.message for g in [*gaps(before), *gaps(after)]}
    found = {f.id: f.title for f in [*duplication(before).findings, *duplication(after).findings]}
    return {
        "Responsibilities left with no owner": [
            f"{o.holder.name} {RELATIONSHIPS[RelType(o.type)].reads} {o.target.name}"
            for o in diff.orphaned],
        "Chains that change": [f"{c.subject.name}: {CHAIN_CHANGES[c.change]}" for c in diff.chains],
        "Gaps that open": [said.get(g, g) for g in diff.gaps_opened],
        "Gaps that close": [said.get(g, g) for g in diff.gaps_closed],
        "Duplication that ends": [found.get(f, f) for f in diff.duplication_removed],
        "Duplication that begins": [found.get(f, f) for f in diff.duplication_added],
    }


def gaps_by_priority_area(graph: nx.MultiDiGraph, gap_list: list[Gap]) -> dict[str, dict[str, int]]:
    """Gap counts by severity for each priority area (actions), and for bodies."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for gap in gap_list:
        subject = entity(graph, gap.entity.id)
        if subject.kind == NodeKind.ACTION and subject.priority_area in graph:
            area = entity(graph, subject.priority_area).name
        else:
            area = "Bodies and other entities"
        table[area][gap.severity] += 1
    return {area: dict(counts) for area, counts in sorted(table.items())}


def action_chains(graph: nx.MultiDiGraph, full_memo: UpwardMemo) -> list[ActionChain]:
    """Each action's standing on the documents alone and with the reference layer
    (`full_memo` is the pass's memo of `graph`)."""
    documents = documents_only(graph)
    documents_memo = full_memo if documents is graph else UpwardMemo.whole(documents)
    rows = []
    for node in sorted(graph, key=lambda n: entity(graph, n).name):
        action = entity(graph, node)
        if action.kind != NodeKind.ACTION:
            continue
        full = accountability_chain(graph, node, memo=full_memo)
        area = entity(graph, action.priority_area).name if action.priority_area in graph else ""
        rows.append(ActionChain(
            action=action.name, priority_area=area,
            leads=", ".join(s.body.name + (" (primary)" if s.rank else "") for s in full.starts),
            with_documents=accountability_chain(documents, node, memo=documents_memo).standing,
            with_reference=full.standing,
            leads_by_standing=dict(Counter(str(st.standing) for st in full.starts)),
            explanation=full.explanation))
    return rows


def ending_bodies(graph: nx.MultiDiGraph) -> list[EndingBody]:
    """Bodies with an end date still ahead, and what they hold."""
    found = []
    for node in sorted(graph):
        body = entity(graph, node)
        if body.kind != NodeKind.BODY or body.valid_to is None or body.valid_to < dt.date.today():
            continue
        held = [d["relation"] for _, _, k, d in graph.out_edges(node, keys=True, data=True)
                if k in RESPONSIBILITY_TYPES]
        found.append(EndingBody(body=body.name, ends=body.valid_to, responsibilities=len(held),
                                stated=sum(r.confidence == Confidence.STATED for r in held)))
    return found


def sources_list(graph: nx.MultiDiGraph) -> list[SourceEntry]:
    """The documents of the evidence base, then every reference citation, once each."""
    entries = [SourceEntry(citation=e.citation, locator=e.file or "", kind=str(e.document_kind),
                           url=e.url)
               for _, d in sorted(graph.nodes(data=True), key=lambda p: p[0])
               if (e := d["entity"]).kind == NodeKind.SOURCE_DOCUMENT]
    cited = {s.citation: s for _, _, d in graph.edges(data=True) for s in d["relation"].sources
             if s.is_reference and s.citation}
    cited.update({s.citation: s for _, d in graph.nodes(data=True) for s in d["entity"].sources
                  if s.is_reference and s.citation})
    entries += [SourceEntry(citation=c, locator="", kind="reference", url=s.url)
                for c, s in sorted(cited.items())]
    return entries


def limitations(graph: nx.MultiDiGraph) -> Limitations:
    relations = [d["relation"] for _, _, d in graph.edges(data=True)]
    years = [d["entity"].year for _, d in graph.nodes(data=True)
             if d["entity"].kind == NodeKind.SOURCE_DOCUMENT and d["entity"].year]
    return Limitations(relations=len(relations),
                       inferred=sum(r.confidence == Confidence.INFERRED for r in relations),
                       reference_only=sum(r.is_reference_only for r in relations),
                       documents_from=min(years, default=0), documents_to=max(years, default=0))


DUPLICATION_READS = {
    "parallel_oversight": "the same oversight job done by several bodies",
    "parallel_frameworks": "frameworks covering the same ground",
    "repeated_commitment": "one commitment counted under several actions",
    "concentration": "one body leading a large share of the actions",
    "role_overlap": "roles the documents find unclear or overlapping",
    "same_body_two_names": "bodies that may be recorded twice",
}


def key_messages(chains: list[ActionChain], gap_list: list[Gap], found: list[Recommendation],
                 dup: list[DuplicationFinding], ending: list[EndingBody]) -> list[KeyMessage]:
    """Five to seven messages, each a count drawn from the sections that follow."""
    formal_all = sum(c.with_reference == "formal" for c in chains)
    formal_docs = sum(c.with_documents == "formal" for c in chains)
    broken = [c.action for c in chains if c.with_reference == "broken"]
    stated = [g for g in gap_list if g.basis == "stated"]
    kinds = Counter(g.kind.replace("_", " ") for g in stated).most_common(3)
    audit = [g for g in stated if {"audit-scotland", "accounts-commission"} & {a.id for a in g.assessed_by}]
    high = [r for r in found if r.priority == "high"]
    messages = [
        KeyMessage(section="accountability", text=(
            f"{formal_all} of {len(chains)} actions reach the Scottish Parliament (or an elected "
            f"council) through formal lines once the statutory background is included; on the "
            f"five documents alone {formal_docs or 'none'} do. The documents take the formal "
            "lines for granted, and rely on soft oversight.")),
        KeyMessage(section="accountability", text=(
            f"{len(broken)} actions have a lead with no line of accountability stated anywhere: "
            + ", ".join(broken) + ".") if broken else "Every action's leads have a stated line."),
        KeyMessage(section="gaps", text=(
            f"The documents themselves state {len(stated)} gaps; the commonest are "
            + ", ".join(f"{k} ({n})" for k, n in kinds) + ".")),
        KeyMessage(section="dependency", text=(
            f"{len(ending)} bodies end by {max((e.ends for e in ending), default=dt.date.today()).year}"
            f" holding {sum(e.responsibilities for e in ending)} responsibilities between them "
            f"({sum(e.stated for e in ending)} stated in the documents): "
            f"{', '.join(e.body for e in ending)}. No successor is named.")),
        KeyMessage(section="duplication", text=(
            f"{len(dup)} duplication findings: " + "; ".join(
                f"{DUPLICATION_READS[k]} ({n})" for k, n in Counter(f.kind for f in dup).items())
            + ".")),
    ]
    if audit:
        messages.append(KeyMessage(section="recommendations", text=(
            f"Audit Scotland and the Accounts Commission made {len(audit)} findings in 2025 that "
            "the report gathers into one high-priority recommendation.")))
    messages.append(KeyMessage(section="recommendations", text=(
        f"{len(found)} recommendations, {len(high)} of them high priority, each with who should "
        "act, by when, how sure the evidence is and the evidence itself.")))
    return messages


def build_report(graph: nx.MultiDiGraph, scenario: Scenario | None = None) -> StreamliningReport:
    """The streamlining report for `graph`, or for `graph` changed by `scenario`."""
    diff = what_if(graph, scenario) if scenario else None
    before = recommendations(graph) if scenario else None
    subject = apply_scenario(graph, scenario)[0] if scenario else graph
    once = GraphPass(subject)
    found = recommendations(subject, once)
    kinds = Counter(str(d["entity"].kind) for _, d in subject.nodes(data=True))
    gap_list, dup = once.gaps, once.duplication
    chains = action_chains(subject, once.memo)
    ending = ending_bodies(subject)
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for gap in gap_list:
        by_kind[gap.basis][gap.kind] += 1
    return StreamliningReport(
        title="Streamlining the governance of The Promise" + (
            f" — scenario: {scenario.name}" if scenario else ""),
        generated=dt.date.today(),
        revision=graph.graph.get("revision"),
        figures={"entities": subject.number_of_nodes(), "relations": subject.number_of_edges(),
                 "bodies": kinds.get("body", 0), "actions": kinds.get("action", 0),
                 "stated findings": kinds.get("finding", 0), "gaps": len(gap_list),
                 "high_severity_gaps": sum(g.severity == "high" for g in gap_list)},
        key_messages=key_messages(chains, gap_list, found, dup, ending),
        recommendations_by_category=counts_by_category(found),
        recommendations_by_priority=dict(Counter(r.priority for r in found)),
        gaps_by_priority_area=gaps_by_priority_area(subject, gap_list),
        gaps_by_kind={basis: dict(c.most_common()) for basis, c in sorted(by_kind.items())},
        recommendations=found,
        duplication=dup,
        chains=chains,
        ending=ending,
        stated_findings=[g for g in gap_list if g.basis == "stated"],
        sources=sources_list(subject),
        limitations=limitations(subject),
        scenario=diff,
        scenario_changes=scenario_changes(graph, subject, diff) if diff else {},
        recommendations_before=len(before) if before is not None else None,
    )
