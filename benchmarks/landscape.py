"""Synthetic landscapes in the seed format: 10^3 to 10^5 entities shaped like the real
public sector, reproducible from a seed number, for measuring what a review of the whole
sector would ask of govmap.

The shape: the Parliament and the councils at the top; ministers answering to the
Parliament; directorates part of the government; public bodies (NDPBs) and health boards
answering to ministers (a few to two of them); boards and groups answering to those,
some only through soft lines, some convened by a body (FACILITATES), with members;
partnerships answering to a council and a health board; bodies outside the Scottish
public sector; actions with several leads, ranked primary about half the time; stated
findings about actions and bodies; a few broken and circular chains; names that
share acronyms across areas, as real names do ("CSB" in every council area); and a few
bodies recorded twice, the second time misspelt.

Every record passes the seed's own checks (a body's scope, the strength of every upward
line); most cite an excerpt of a synthetic document, and 3% cite nothing.

>>> data = landscape(300, seed=1)
>>> len(data.entities), data == landscape(300, seed=1)
(300, True)
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from govmap.model import Dataset, Entity, Relation, Source
from govmap.seed import checked_dataset, write_seed
from govmap.snapshot import build_snapshot
from govmap.vocabulary import AssessmentStatus, FindingType

AREAS = ["Aberdeen", "Angus", "Argyll", "Ayrshire", "Borders", "Clackmannan", "Dumfries", "Dundee",
         "Edinburgh", "Falkirk", "Fife", "Glasgow", "Highland", "Inverclyde", "Lothian", "Moray",
         "Orkney", "Perth", "Renfrew", "Shetland", "Stirling", "Lanark", "Tayside", "Western Isles"]
TOPICS = ["Children's Services", "Care Standards", "Family Support", "Youth Justice", "Mental Health",
          "Corporate Parenting", "Child Protection", "Kinship Care", "Workforce Development",
          "Education Recovery", "Housing Support", "Data and Evidence", "Early Years", "Health and Care"]
BOARD_WORDS = {"board": "Board", "group": "Group", "committee": "Committee", "network": "Network"}
VERBS = ["Develop", "Review", "Publish", "Deliver", "Implement", "Fund", "Evaluate", "Embed"]
THINGS = ["a national framework for", "guidance on", "a workforce plan for", "data standards for",
          "a shared approach to", "an improvement programme for", "local plans for"]

# Shares of the bodies, by role; actions, findings and areas are shares of all entities.
SHARES = {"minister": 0.004, "directorate": 0.02, "ndpb": 0.08, "health_board": 0.01,
          "council": 0.01, "partnership": 0.04, "board": 0.35, "group": 0.35, "outside": 0.05}
BODY_SHARE, FINDING_SHARE, AREA_SHARE = 0.5, 0.03, 0.002
UNSOURCED_SHARE = 0.03  # records that cite nothing, as a few real ones do (a no_sources gap)
TWIN_SHARE = 0.002  # boards and groups recorded twice under near spellings of one name


@dataclass
class Builder:
    """The records of one landscape as they are drawn, each relation once."""

    rng: random.Random
    entities: list[Entity] = field(default_factory=list)
    relations: dict[str, Relation] = field(default_factory=dict)
    by_role: dict[str, list[str]] = field(default_factory=dict)

    def sources(self) -> list[Source]:
        """One excerpt of a synthetic document, or none for a few records."""
        if self.rng.random() < UNSOURCED_SHARE:
            return []
        page = self.rng.randrange(1, 400)
        return [Source(document=f"synthetic-{page % 40:02d}.txt", locator=f"page {page}",
                       excerpt="The text that states this line, as a reviewer quoted it.")]

    def body(self, role: str, body_type: str, name: str, scope: str = "scottish_public_sector",
             aliases: tuple[str, ...] = ()) -> str:
        node = f"{role.replace('_', '-')}-{len(self.by_role.get(role, [])) + 1}"
        self.entities.append(Entity(id=node, kind="body", type=body_type, name=name, scope=scope,
                                    aliases=list(aliases), sources=self.sources()))
        self.by_role.setdefault(role, []).append(node)
        return node

    def relate(self, source: str, rel_type: str, target: str, **extra: object) -> None:
        relation = Relation(source=source, type=rel_type, target=target, sources=self.sources(),
                            **extra)
        self.relations.setdefault(relation.key, relation)

    def up(self, lower: str, rel_type: str, upper: str, soft_share: float = 0.0) -> None:
        """An upward line, soft with probability `soft_share`."""
        strength = "soft" if self.rng.random() < soft_share else "formal"
        self.relate(lower, rel_type, upper, strength=strength)

    def pick(self, *roles: str) -> str:
        """One body of `roles`, as `rng.choice` of their lists joined would pick it (the
        same draw), without joining them: joining on every pick made 10^5 quadratic."""
        index = self.rng.randrange(sum(len(self.by_role.get(role, [])) for role in roles))
        for role in roles:
            members = self.by_role.get(role, [])
            if index < len(members):
                return members[index]
            index -= len(members)
        raise AssertionError("unreachable: the index is below the total")


def acronym(name: str) -> str:
    """The initials of a name's capitalised words: "Family Support Board" -> "FSB"."""
    return "".join(word[0] for word in name.replace("'s", "").split() if word[0].isupper())


def _counts(entities: int) -> dict[str, int]:
    bodies = int(entities * BODY_SHARE)
    counts = {role: max(2, round(bodies * share)) for role, share in SHARES.items()}
    counts["area"] = max(2, round(entities * AREA_SHARE))
    counts["finding"] = max(1, round(entities * FINDING_SHARE))
    counts["action"] = entities - 2 - sum(counts.values())  # the Parliament and the government
    if counts["action"] < 1:
        raise ValueError(f"{entities} entities are too few for a landscape")
    return counts


def _top(b: Builder, counts: dict[str, int]) -> None:
    """The Parliament, the government, ministers, directorates and councils."""
    parliament = b.body("parliament", "parliament", "The Scottish Parliament")
    government = b.body("government", "government", "Scottish Government", aliases=("SG",))
    b.up(government, "ACCOUNTABLE_TO", parliament)
    for i in range(counts["minister"]):
        minister = b.body("minister", "ministerial_post", f"Minister for {TOPICS[i % len(TOPICS)]} {i + 1}")
        b.up(minister, "ACCOUNTABLE_TO", parliament)
    for i in range(counts["directorate"]):
        name = f"{TOPICS[i % len(TOPICS)]} Directorate {i + 1}"
        directorate = b.body("directorate", "directorate", name, aliases=(acronym(name),))
        b.up(directorate, "PART_OF", government)
        b.relate(b.pick("minister"), "SUPPORTS", directorate)
    for i in range(counts["council"]):
        b.body("council", "local_authority", f"{AREAS[i % len(AREAS)]} Council {i + 1}")


def _public_bodies(b: Builder, counts: dict[str, int]) -> None:
    """NDPBs and health boards under ministers, a few with two principals; partnerships
    under a council and a health board."""
    for i in range(counts["ndpb"]):
        name = f"{TOPICS[i % len(TOPICS)]} Scotland {i + 1}"
        ndpb = b.body("ndpb", "public_body", name, aliases=(acronym(name),))
        b.up(ndpb, "ACCOUNTABLE_TO", b.pick("minister"))
        if b.rng.random() < 0.05:
            b.up(ndpb, "ACCOUNTABLE_TO", b.pick("minister"))
    for i in range(counts["health_board"]):
        board = b.body("health_board", "health_board", f"NHS {AREAS[i % len(AREAS)]} {i + 1}")
        b.up(board, "ACCOUNTABLE_TO", b.pick("minister"))
    for i in range(counts["partnership"]):
        area = AREAS[i % len(AREAS)]
        kind = b.rng.choice(["ijb", "cspp", "partnership"])
        name = f"{area} {TOPICS[i % len(TOPICS)]} Partnership {i + 1}"
        partnership = b.body("partnership", kind, name, aliases=(acronym(name),))
        b.up(partnership, "ACCOUNTABLE_TO", b.pick("council"), soft_share=0.2)
        b.up(partnership, "REPORTS_TO", b.pick("health_board"), soft_share=0.5)
        for _ in range(b.rng.randint(2, 5)):
            b.relate(b.pick("council", "health_board", "ndpb"), "MEMBER_OF", partnership)


def _boards_and_groups(b: Builder, counts: dict[str, int]) -> None:
    """Boards and groups below the public bodies, some soft, some convened, some nested;
    2% answer to no one (broken), and 1% of groups report to each other in pairs (circular)."""
    for role in ("board", "group"):
        for i in range(counts[role]):
            body_type = b.rng.choice(["board", "committee"] if role == "board" else ["group", "network"])
            area = AREAS[b.rng.randrange(len(AREAS))]
            name = f"{area} {TOPICS[i % len(TOPICS)]} {BOARD_WORDS[body_type]}"
            full = f"{name} {i + 1}"
            if i and b.rng.random() < TWIN_SHARE:  # the body before, recorded again, misspelt
                twin = b.entities[-1]  # and, half the time, without its number
                body_type, full = str(twin.type), twin.name.replace("e", "", 1)
                if b.rng.random() < 0.5:
                    full = full.rsplit(" ", 1)[0]
            node = b.body(role, body_type, full, aliases=(acronym(name),))
            chance = b.rng.random()
            if chance < 0.02:
                continue  # a broken chain: answers to no one in the map
            if role == "group" and chance < 0.03 and len(b.by_role["group"]) > 1:
                b.up(node, "REPORTS_TO", b.by_role["group"][-2], soft_share=1.0)
                b.up(b.by_role["group"][-2], "REPORTS_TO", node, soft_share=1.0)
                continue
            upper_roles = ("ndpb", "directorate", "health_board", "council", "partnership")
            if role == "group" and len(b.by_role["board"]) > 0:
                upper_roles = ("board", *upper_roles)
            if role == "group" and b.rng.random() < 0.3:
                b.up(b.pick(*upper_roles), "FACILITATES", node, soft_share=1.0)
            else:
                b.up(node, "REPORTS_TO", b.pick(*upper_roles), soft_share=0.3)
            if b.rng.random() < 0.1:
                b.up(b.pick("ndpb"), "HOLDS_TO_ACCOUNT", node, soft_share=0.8)
            for _ in range(b.rng.randint(0, 6)):
                member = b.pick("ndpb", "council", "health_board", "partnership", "board", "outside")
                if member != node:
                    b.relate(member, "MEMBER_OF", node)


def _outside(b: Builder, counts: dict[str, int]) -> None:
    """Third-sector, UK-wide and academic bodies: outside the Scottish public sector."""
    kinds = [("third_sector", "third_sector"), ("uk_wide", "public_body"),
             ("academic", "research_organisation")]
    for i in range(counts["outside"]):
        scope, body_type = kinds[i % len(kinds)]
        b.body("outside", body_type, f"{TOPICS[i % len(TOPICS)]} Trust {i + 1}", scope=scope)


def _actions_and_findings(b: Builder, counts: dict[str, int]) -> None:
    """Areas, actions with ranked leads and contributors, and findings about them."""
    for i in range(counts["area"]):
        b.entities.append(Entity(id=f"area-{i + 1}", kind="priority_area",
                                 name=f"Priority area {i + 1}: {TOPICS[i % len(TOPICS)]}"))
    leaders = ("ndpb", "directorate", "council", "health_board", "partnership", "board", "group",
               "outside")
    statuses = [s.value for s in AssessmentStatus]
    for i in range(counts["action"]):
        node = f"action-{i + 1}"
        b.entities.append(Entity(
            id=node, kind="action", sources=b.sources(),
            priority_area=f"area-{b.rng.randrange(counts['area']) + 1}",
            name=f"{b.rng.choice(VERBS)} {b.rng.choice(THINGS)} {TOPICS[i % len(TOPICS)].lower()} {i + 1}",
            status=b.rng.choice(statuses) if b.rng.random() < 0.7 else None))
        leads = {b.pick(*leaders) for _ in range(b.rng.choice([0, 1, 1, 1, 2, 2, 3, 4]))}
        primary = b.rng.choice(sorted(leads)) if leads and b.rng.random() < 0.5 else None
        for lead in sorted(leads):
            b.relate(lead, "LEADS", node, rank="primary" if lead == primary else None)
        for _ in range(b.rng.randint(0, 3)):
            b.relate(b.pick(*leaders), "CONTRIBUTES_TO", node)
    types = [t.value for t in FindingType]
    for i in range(counts["finding"]):
        node = f"finding-{i + 1}"
        b.entities.append(Entity(id=node, kind="finding", type=b.rng.choice(types), sources=b.sources(),
                                 name=f"Finding {i + 1}: progress is too slow",
                                 assessed_on=dt.date(2021 + i % 4, 1 + i % 12, 1)))
        about = f"action-{b.rng.randrange(counts['action']) + 1}" if b.rng.random() < 0.8 \
            else b.pick("ndpb", "board", "partnership")
        b.relate(node, "CONCERNS", about)
        b.relate(node, "ASSESSED_BY", b.pick("ndpb"))


def landscape(entities: int, seed: int = 7) -> Dataset:
    """A landscape of exactly `entities` entities, the same for the same `seed`, checked
    as the seed is (every problem raises `SeedValidationError`)."""
    counts = _counts(entities)
    b = Builder(random.Random(seed))
    _top(b, counts)
    _public_bodies(b, counts)
    _outside(b, counts)
    _boards_and_groups(b, counts)
    _actions_and_findings(b, counts)
    return checked_dataset([(e, "landscape", None) for e in b.entities],
                           [(r, "landscape", None) for r in b.relations.values()])


def landscape_graph(entities: int, seed: int = 7) -> nx.MultiDiGraph:
    """The landscape as a snapshot graph, as the API would hold it."""
    data = landscape(entities, seed)
    return build_snapshot(data.entities, data.relations)


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic landscape as a seed folder.")
    parser.add_argument("entities", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for path in write_seed(landscape(args.entities, args.seed), args.folder):
        print(path)


if __name__ == "__main__":
    main()
