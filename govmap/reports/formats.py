"""The report formats: HTML, PDF, Markdown, CSV and JSON, each registered by name."""

from __future__ import annotations

import csv
import html
import io
from functools import cache

import networkx as nx
from jinja2 import Environment, PackageLoader, select_autoescape

from govmap.reports.charts import gaps_chart, landscape
from govmap.reports.registry import register
from govmap.reports.report import StreamliningReport


@cache
def _templates() -> Environment:
    return Environment(loader=PackageLoader("govmap.reports", "templates"),
                       autoescape=select_autoescape(["html", "j2"]))


@register("html", "text/html; charset=utf-8", "html")
def to_html(report: StreamliningReport, graph: nx.MultiDiGraph) -> bytes:
    page = _templates().get_template("report.html.j2").render(
        report=report, gaps_chart=gaps_chart(report.gaps_by_priority_area),
        landscape=landscape(graph))
    return page.encode("utf-8")


@register("pdf", "application/pdf", "pdf")
def to_pdf(report: StreamliningReport, graph: nx.MultiDiGraph) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only PDFs need

    return HTML(string=to_html(report, graph).decode("utf-8")).write_pdf()


@register("md", "text/markdown; charset=utf-8", "md")
def to_markdown(report: StreamliningReport, graph: nx.MultiDiGraph) -> bytes:
    lines = [f"# {report.title}", "", f"Generated {report.generated.isoformat()}.", "",
             "## Summary", ""]
    lines += [f"- {name.replace('_', ' ')}: {value}" for name, value in report.figures.items()]
    lines += ["", "Recommendations by category:", ""]
    lines += [f"- {name.replace('_', ' ')}: {value}"
              for name, value in report.recommendations_by_category.items()]
    if report.scenario:
        lines += ["", "## Scenario", "", report.scenario.summary, ""]
        lines += [f"- {o.holder.name} {o.type.lower().replace('_', ' ')} {o.target.name}: no owner"
                  for o in report.scenario.orphaned]
    for priority in ("high", "medium", "low"):
        chosen = [r for r in report.recommendations if r.priority == priority]
        if not chosen:
            continue
        lines += ["", f"## {priority.title()} priority ({len(chosen)})"]
        for rec in chosen:
            lines += ["", f"### {rec.title}", "", f"`{rec.id}` · {rec.category} · priority "
                      f"{rec.priority_rule} · confidence: {rec.confidence}", "",
                      f"**Who should act:** {', '.join(a.name for a in rec.addressees)} · "
                      f"**by when:** {rec.timescale} · **what:** {rec.action}.", "", rec.rationale,
                      "", "| about | finding | candidate owner(s) |", "|---|---|---|"]
            lines += [f"| {_cell(row.subject.name)} | {_cell(row.detail)} | "
                      f"{_cell(', '.join(o.name for o in row.owners))} |" for row in rec.rows]
            lines += ["", "Evidence:", ""]
            for finding in rec.findings:
                for ev in finding.evidence[:EVIDENCE_SHOWN]:
                    for source in ev.sources[:1]:
                        lines.append(f"- {ev.source} {ev.type} {ev.target} ({ev.confidence}): "
                                     f"{source.text} — {source.origin}")
                for source in finding.sources[:2]:
                    lines.append(f"- {source.text} — {source.origin}")
                if len(finding.evidence) > EVIDENCE_SHOWN:
                    lines.append(f"- and {len(finding.evidence) - EVIDENCE_SHOWN} more line(s) of "
                                 "evidence (every one is in the JSON and CSV formats)")
    # Names and quotes are text: raw HTML in them must not reach a Markdown renderer.
    return ("\n".join(html.escape(line, quote=False) for line in lines) + "\n").encode("utf-8")


def _cell(text: str) -> str:
    """Text for a Markdown table cell: a pipe would end the cell."""
    return text.replace("|", "\\|")


EVIDENCE_SHOWN = 5  # per finding in the reading formats; the rest are counted, never dropped silently
CSV_COLUMNS = ["id", "category", "priority", "priority_rule", "title", "entities", "rationale",
               "findings", "evidence_count", "first_evidence", "first_evidence_document"]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet shows as text: one that would start a formula gets a quote.

    >>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("Board"), spreadsheet_safe(3)
    ("'=HYPERLINK(1)", 'Board', 3)
    """
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_START) else value


@register("csv", "text/csv; charset=utf-8", "csv")
def to_csv(report: StreamliningReport, graph: nx.MultiDiGraph) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for rec in report.recommendations:
        sources = [s for f in rec.findings for ev in f.evidence for s in ev.sources]
        sources += [s for f in rec.findings for s in f.sources]
        writer.writerow({column: spreadsheet_safe(value) for column, value in {
            "id": rec.id, "category": rec.category, "priority": rec.priority,
            "priority_rule": rec.priority_rule, "title": rec.title,
            "entities": ";".join(e.id for e in rec.entities), "rationale": rec.rationale,
            "findings": ";".join(f"{f.source}:{f.code}" for f in rec.findings),
            "evidence_count": rec.evidence_count,
            "first_evidence": sources[0].text if sources else "",
            "first_evidence_document": sources[0].origin if sources else "",
        }.items()})
    return out.getvalue().encode("utf-8")


@register("json", "application/json", "json")
def to_json(report: StreamliningReport, graph: nx.MultiDiGraph) -> bytes:
    return report.model_dump_json(indent=2).encode("utf-8")
