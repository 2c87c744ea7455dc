"""The registry of report formats: each format registers itself here by name, and
every caller (the API, the CLI) takes the list from `FORMATS`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx

from govmap.errors import InvalidRequestError
from govmap.reports.report import StreamliningReport

Renderer = Callable[[StreamliningReport, nx.MultiDiGraph], bytes]


@dataclass(frozen=True)
class ReportFormat:
    name: str
    media_type: str
    extension: str
    render: Renderer


FORMATS: dict[str, ReportFormat] = {}


def register(name: str, media_type: str, extension: str) -> Callable[[Renderer], Renderer]:
    """Decorator: make a renderer available as report format `name`."""
    def add(render: Renderer) -> Renderer:
        FORMATS[name] = ReportFormat(name, media_type, extension, render)
        return render
    return add


def report_format(name: str) -> ReportFormat:
    if name not in FORMATS:
        raise InvalidRequestError(f"{name!r} is not a report format; expected one of "
                                  f"{', '.join(sorted(FORMATS))}")
    return FORMATS[name]


def render_report(report: StreamliningReport, graph: nx.MultiDiGraph, name: str) -> bytes:
    return report_format(name).render(report, graph)
