"""The streamlining report: one model (`report.py`), rendered by a registry of formats
(`registry.py`, filled by `formats.py` when this package is imported); adding a format
touches `formats.py` only."""

from govmap.reports import formats as _formats  # noqa: F401  (registers every format)
from govmap.reports.registry import FORMATS, ReportFormat, register, render_report, report_format
from govmap.reports.report import StreamliningReport, build_report, gaps_by_priority_area

__all__ = ["FORMATS", "ReportFormat", "StreamliningReport", "build_report", "gaps_by_priority_area",
           "register", "render_report", "report_format"]
