"""Figures for the report, drawn with matplotlib and embedded as PNG data URIs."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")  # no display: draw to memory only
matplotlib.rcParams["text.parse_math"] = False  # names are text: "$…$" is not a formula

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402

from govmap.visualisations.styles import node_style  # noqa: E402

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


def landscape(graph: nx.MultiDiGraph) -> str:
    """A static picture of the whole map, coloured as in the interactive one."""
    positions = nx.spring_layout(graph, seed=7, k=0.35, iterations=60)
    figure, axes = plt.subplots(figsize=(9, 7))
    nx.draw_networkx_edges(graph, positions, ax=axes, alpha=0.15, arrows=False, width=0.6)
    colours = [node_style(d["entity"]).colour for _, d in graph.nodes(data=True)]
    nx.draw_networkx_nodes(graph, positions, ax=axes, node_color=colours, node_size=28,
                           linewidths=0)
    hubs = sorted(graph.degree, key=lambda p: -p[1])[:12]
    nx.draw_networkx_labels(graph, positions, ax=axes, font_size=7,
                            labels={n: graph.nodes[n]["entity"].name[:28] for n, _ in hubs})
    axes.set_axis_off()
    return _data_uri(figure)
