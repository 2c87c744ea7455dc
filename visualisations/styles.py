"""How the map looks: colour and shape by entity kind (and body type); lines of
accountability by their strength, other lines by their family in the vocabulary's table.
One table each, so the legend and the render never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from govmap.model import RELATIONSHIPS, Entity, Relation, Strength


@dataclass(frozen=True)
class NodeStyle:
    label: str
    colour: str
    shape: str


@dataclass(frozen=True)
class EdgeStyle:
    colour: str
    dashes: bool | list[int]  # vis-network: true for dashed, or a dash pattern
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
    "finding": NodeStyle("Stated findings (what the documents say is missing or weak)", "#ff6f00",
                         "star"),
}
_GROUP_OF_TYPE = {t: group for group, types in BODY_GROUPS.items() for t in types}

FORMAL_LINE = EdgeStyle("#1a237e", False, 2.8)
SOFT_LINE = EdgeStyle("#8e24aa", True, 2.2)
REFERENCE_LINE = EdgeStyle("#5c6bc0", [2, 4], 2.0)  # background layer: a citation, not a document
FAMILY_STYLES: dict[str, EdgeStyle] = {
    "oversight": EdgeStyle("#6a1b9a", True, 1.6),
    "leadership": EdgeStyle("#c62828", False, 1.8),
    "link": EdgeStyle("#bdbdbd", True, 1.0),
}
OTHER_LINE = EdgeStyle("#78909c", True, 1.0)


def edge_style(relation: Relation) -> EdgeStyle:
    """Lines of accountability by strength (formal solid, soft dashed, reference dotted);
    every other line by its family in the vocabulary's table."""
    rule = RELATIONSHIPS[relation.type]
    if rule.upward:
        if relation.is_reference_only:
            return REFERENCE_LINE
        return FORMAL_LINE if relation.strength == Strength.FORMAL else SOFT_LINE
    return FAMILY_STYLES.get(rule.family, OTHER_LINE)


def node_style(entity: Entity) -> NodeStyle:
    if entity.kind == "body":
        return BODY_STYLES[_GROUP_OF_TYPE.get(entity.type or "", "Public bodies")]
    return KIND_STYLES[str(entity.kind)]


EDGE_LEGEND = [
    ("Formal accountability (a duty to answer, with consequences)", FORMAL_LINE),
    ("Soft oversight (monitoring or convening, no power to compel)", SOFT_LINE),
    ("Formal line from the reference layer (a statute or official page)", REFERENCE_LINE),
    ("Oversight, scrutiny, monitoring", FAMILY_STYLES["oversight"]),
    ("Leads, chairs, responsible for", FAMILY_STYLES["leadership"]),
    ("Links between actions", FAMILY_STYLES["link"]),
    ("Other (funds, supports, contributes to…)", OTHER_LINE),
]
NODE_LEGEND = [*BODY_STYLES.values(), *KIND_STYLES.values()]
