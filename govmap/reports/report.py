"""The streamlining report's model: built once from the graph, rendered by every format.

`build_report` gathers the figures, the recommendations (and, for a scenario, the
diff and the recommendations after it).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import networkx as nx
from pydantic import BaseModel

from govmap.analysis.gaps import gaps
from govmap.analysis.recommendations import Recommendation, counts_by_category, recommendations
from govmap.analysis.whatif import Scenario, ScenarioDiff, apply_scenario, what_if
from govmap.model import NodeKind
from govmap.queries.common import entity


class StreamliningReport(BaseModel):
    title: str
    generated: dt.date
    revision: int | None
    figures: dict[str, int]
    recommendations_by_category: dict[str, int]
    recommendations_by_priority: dict[str, int]
    gaps_by_priority_area: dict[str, dict[str, int]]
    recommendations: list[Recommendation]
    scenario: ScenarioDiff | None = None
    recommendations_before: int | None = None


def gaps_by_priority_area(graph: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """Gap counts by severity for each priority area (actions), and for bodies."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for gap in gaps(graph):
        subject = entity(graph, gap.entity.id)
        if subject.kind == NodeKind.ACTION and subject.priority_area in graph:
            area = entity(graph, subject.priority_area).name
        else:
            area = "Bodies and other entities"
        table[area][gap.severity] += 1
    return {area: dict(counts) for area, counts in sorted(table.items())}


def build_report(graph: nx.MultiDiGraph, scenario: Scenario | None = None) -> StreamliningReport:
    """The streamlining report for `graph`, or for `graph` changed by `scenario`."""
    diff = what_if(graph, scenario) if scenario else None
    before = recommendations(graph) if scenario else None
    subject = apply_scenario(graph, scenario)[0] if scenario else graph
    found = recommendations(subject)
    kinds = Counter(str(d["entity"].kind) for _, d in subject.nodes(data=True))
    gap_list = gaps(subject)
    return StreamliningReport(
        title="Streamlining the governance of The Promise" + (
            f" — scenario: {scenario.name}" if scenario else ""),
        generated=dt.date.today(),
        revision=graph.graph.get("revision"),
        figures={"entities": subject.number_of_nodes(), "relations": subject.number_of_edges(),
                 "bodies": kinds.get("body", 0), "actions": kinds.get("action", 0),
                 "gaps": len(gap_list),
                 "high_severity_gaps": sum(g.severity == "high" for g in gap_list)},
        recommendations_by_category=counts_by_category(found),
        recommendations_by_priority=dict(Counter(r.priority for r in found)),
        gaps_by_priority_area=gaps_by_priority_area(subject),
        recommendations=found,
        scenario=diff,
        recommendations_before=len(before) if before is not None else None,
    )
