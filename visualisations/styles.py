"""How the map looks: colour and shape by entity kind (and body type), line style by
relationship type. One table each, so the legend and the render never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from govmap.model import Entity, RelType


@dataclass(frozen=True)
class NodeStyle:
    label: str
    colour: str
    shape: str


@dataclass(frozen=True)
class EdgeStyle:
    colour: str
    dashes: bool
    width: float


BODY_GROUPS: dict[str, tuple[str, ...]] = {
    "Parliament and ministers": ("parliament", "ministerial_post"),
    "Government and directorates": ("government", "directorate", "post"),
    "Boards, committees and groups": ("board", "committee", "group"),
    "Public bodies": ("public_body",),
    "Local partnerships and councils": ("local_authority", "health_board", "ijb", "cspp",
                                        "partnership", "network"),
    "Third sector and research": ("third_sector", "research_organisation", "collective"),
    "Funds and programmes": ("fund", "programme"),
}
BODY_STYLES: dict[str, NodeStyle] = {
    "Parliament and ministers": NodeStyle("Parliament and ministers", "#6a1b9a", "star"),
    "Government and directorates": NodeStyle("Government and directorates", "#1565c0", "dot"),
    "Boards, committees and groups": NodeStyle("Boards, committees and groups", "#00897b", "dot"),
    "Public bodies": NodeStyle("Public bodies", "#2e7d32", "dot"),
    "Local partnerships and councils": NodeStyle("Local partnerships and councils", "#f9a825", "dot"),
    "Third sector and research": NodeStyle("Third sector and research", "#8d6e63", "dot"),
    "Funds and programmes": NodeStyle("Funds and programmes", "#ef6c00", "diamond"),
}
KIND_STYLES: dict[str, NodeStyle] = {
    "action": NodeStyle("Plan 21-24 actions", "#c62828", "square"),
    "priority_area": NodeStyle("Priority areas", "#ad1457", "hexagon"),
    "plan": NodeStyle("Plans and frameworks", "#4527a0", "box"),
    "policy_area": NodeStyle("Policy areas", "#0277bd", "ellipse"),
    "legislation": NodeStyle("Legislation", "#37474f", "triangle"),
    "fundamental": NodeStyle("Fundamentals", "#558b2f", "triangleDown"),
    "source_document": NodeStyle("Source documents", "#9e9e9e", "text"),
}
_GROUP_OF_TYPE = {t: group for group, types in BODY_GROUPS.items() for t in types}

ACCOUNTABILITY = ("REPORTS_TO", "ACCOUNTABLE_TO", "PART_OF", "HOLDS_TO_ACCOUNT")
OVERSIGHT = ("OVERSEES", "SCRUTINISES", "MONITORS", "ESCALATES_TO")
LEADERSHIP = ("LEADS", "CHAIRS", "RESPONSIBLE_FOR")


def edge_style(rel_type: str) -> EdgeStyle:
    if rel_type in ACCOUNTABILITY:
        return EdgeStyle("#1a237e", False, 2.5)
    if rel_type in OVERSIGHT:
        return EdgeStyle("#6a1b9a", True, 1.8)
    if rel_type in LEADERSHIP:
        return EdgeStyle("#c62828", False, 1.8)
    if rel_type == "LINKS_TO":
        return EdgeStyle("#bdbdbd", True, 1.0)
    return EdgeStyle("#78909c", True, 1.0)


def node_style(entity: Entity) -> NodeStyle:
    if entity.kind == "body":
        return BODY_STYLES[_GROUP_OF_TYPE.get(entity.type or "", "Public bodies")]
    return KIND_STYLES[str(entity.kind)]


EDGE_LEGEND = [
    ("Accountability (reports to, accountable to, part of, held to account by)",
     edge_style("REPORTS_TO")),
    ("Oversight and scrutiny", edge_style("OVERSEES")),
    ("Leads, chairs, responsible for", edge_style("LEADS")),
    ("Links between actions", edge_style("LINKS_TO")),
    ("Other (funds, supports, contributes to…)", edge_style(str(RelType.FUNDS))),
]
NODE_LEGEND = [*BODY_STYLES.values(), *KIND_STYLES.values()]
