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


STANDING_COLOURS = {"formal": "#1a237e", "soft_only": "#8e24aa", "outside_scope": "#9e9e9e",
                    "broken": "#c62828"}


def stacked_bars(rows: dict[str, dict[str, int]], colours: dict[str, str], unit: str, *,
                 bar_height: float = 0.45, small: bool = False) -> str:
    """Horizontal bars, one per row, stacked by part in the order of `colours`, with the
    legend below the axis so it never covers a bar."""
    labels = list(rows)
    figure, axes = plt.subplots(figsize=(7, 0.7 + bar_height * max(len(labels), 1)))
    left = [0] * len(labels)
    for part, colour in colours.items():
        values = [rows[label].get(part, 0) for label in labels]
        axes.barh(labels, values, left=left, color=colour, label=part.replace("_", " "))
        left = [x + y for x, y in zip(left, values, strict=True)]
    axes.set_xlabel(unit)
    if small:
        axes.tick_params(axis="y", labelsize=7)
    axes.invert_yaxis()
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.5 / max(len(labels), 1) - 0.1),
                ncol=len(colours), frameon=False, fontsize=7 if small else 9)
    axes.spines[["top", "right"]].set_visible(False)
    return _data_uri(figure)


def gaps_chart(gaps_by_area: dict[str, dict[str, int]]) -> str:
    """Gaps by severity for each priority area."""
    return stacked_bars(gaps_by_area, SEVERITY_COLOURS, "gaps")


def standing_chart(standings: dict[str, dict[str, int]]) -> str:
    """How many actions stand formal, soft only, outside scope or broken, once for each
    kind of evidence."""
    return stacked_bars(standings, STANDING_COLOURS, "actions", bar_height=0.55)


def leads_chart(leads: dict[str, dict[str, int]]) -> str:
    """One bar per action: its leads, coloured by how each reaches the top."""
    return stacked_bars(leads, STANDING_COLOURS, "leads", bar_height=0.24, small=True)
