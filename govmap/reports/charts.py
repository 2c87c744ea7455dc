"""Figures for the report, drawn with matplotlib and embedded as PNG data URIs."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")  # no display: draw to memory only
matplotlib.rcParams["text.parse_math"] = False  # names are text: "$…$" is not a formula

import matplotlib.pyplot as plt  # noqa: E402

SEVERITY_COLOURS = {"high": "#c62828", "medium": "#ef6c00", "low": "#9e9e9e"}


def _data_uri(figure: plt.Figure) -> str:
    buffer = io.BytesIO()
    try:
        figure.savefig(buffer, format="png", dpi=120, bbox_inches="tight")
    finally:
        plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def gaps_chart(gaps_by_area: dict[str, dict[str, int]]) -> str:
    """Horizontal stacked bars: gaps by severity for each priority area."""
    areas = list(gaps_by_area)
    figure, axes = plt.subplots(figsize=(7, 0.5 + 0.45 * max(len(areas), 1)))
    left = [0] * len(areas)
    for severity, colour in SEVERITY_COLOURS.items():
        values = [gaps_by_area[a].get(severity, 0) for a in areas]
        axes.barh(areas, values, left=left, color=colour, label=severity)
        left = [x + y for x, y in zip(left, values, strict=True)]
    axes.set_xlabel("gaps")
    axes.invert_yaxis()
    axes.legend(loc="lower right", frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return _data_uri(figure)


STANDING_COLOURS = {"formal": "#1a237e", "soft_only": "#8e24aa", "outside_scope": "#9e9e9e",
                    "broken": "#c62828"}


def standing_chart(standings: dict[str, dict[str, int]]) -> str:
    """Stacked bars: how many actions stand formal, soft only, outside scope or broken,
    once for each kind of evidence."""
    views = list(standings)
    figure, axes = plt.subplots(figsize=(7, 0.6 + 0.55 * max(len(views), 1)))
    left = [0] * len(views)
    for standing, colour in STANDING_COLOURS.items():
        values = [standings[v].get(standing, 0) for v in views]
        axes.barh(views, values, left=left, color=colour, label=standing.replace("_", " "))
        left = [x + y for x, y in zip(left, values, strict=True)]
    axes.set_xlabel("actions")
    axes.invert_yaxis()
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35), ncol=4, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return _data_uri(figure)


def leads_chart(leads: dict[str, dict[str, int]]) -> str:
    """One bar per action: its leads, coloured by how each reaches the top."""
    actions = list(leads)
    figure, axes = plt.subplots(figsize=(7, 0.6 + 0.24 * max(len(actions), 1)))
    left = [0] * len(actions)
    for standing, colour in STANDING_COLOURS.items():
        values = [leads[a].get(standing, 0) for a in actions]
        axes.barh(actions, values, left=left, color=colour, label=standing.replace("_", " "))
        left = [x + y for x, y in zip(left, values, strict=True)]
    axes.set_xlabel("leads")
    axes.tick_params(axis="y", labelsize=7)
    axes.invert_yaxis()
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=4, frameon=False, fontsize=7)
    axes.spines[["top", "right"]].set_visible(False)
    return _data_uri(figure)
