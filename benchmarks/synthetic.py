"""A synthetic governance graph of any size, shaped like the real one: a parliament and
ministers at the top, layers of bodies reporting upwards, actions with shared leads."""

from __future__ import annotations

import random

import networkx as nx

from govmap.model import Entity, Relation, Source
from govmap.snapshot import build_snapshot

EVIDENCE = [Source(document="synthetic.txt", locator="generated", excerpt="synthetic")]
BODY_TYPES = ["board", "group", "public_body", "partnership", "network", "third_sector"]


def synthetic_graph(nodes: int, seed: int = 7) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    entities = [Entity(id="parliament", kind="body", type="parliament", name="Parliament",
                       sources=EVIDENCE)]
    relations: list[Relation] = []
    bodies = ["parliament"]
    actions = []
    for i in range(1, nodes):
        if i % 4 == 0:
            action = f"action-{i}"
            actions.append(action)
            entities.append(Entity(id=action, kind="action", name=f"Action {i}", sources=EVIDENCE,
                                   status=rng.choice(["underway", "underway_not_sufficient",
                                                      "little_or_no_work"])))
            for lead in rng.sample(bodies, min(len(bodies), rng.randint(1, 4))):
                relations.append(Relation(source=lead, type="LEADS", target=action, sources=EVIDENCE))
            continue
        body = f"body-{i}"
        entities.append(Entity(id=body, kind="body", type=rng.choice(BODY_TYPES),
                               name=f"Body {i}", sources=EVIDENCE))
        for upper in {rng.choice(bodies[-60:]) for _ in range(rng.choice([1, 1, 1, 2]))}:
            relations.append(Relation(source=body, type=rng.choice(["REPORTS_TO", "ACCOUNTABLE_TO"]),
                                      target=upper, sources=EVIDENCE))
        if actions and rng.random() < 0.5:
            relations.append(Relation(source=body, type="CONTRIBUTES_TO", target=rng.choice(actions),
                                      sources=EVIDENCE))
        bodies.append(body)
    return build_snapshot(entities, relations)
