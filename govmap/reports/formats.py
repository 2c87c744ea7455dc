"""The report formats: HTML, PDF, Markdown, CSV and JSON, each registered by name."""

from __future__ import annotations

import csv
import html
import io
from collections import Counter
from functools import cache

import networkx as nx
from jinja2 import Environment, PackageLoader, select_autoescape

from govmap.reports.charts import gaps_chart, leads_chart, standing_chart
from govmap.reports.registry import register
from govmap.reports.report import StreamliningReport


@cache
def _templates() -> Environment:
    return Environment(loader=PackageLoader("govmap.reports", "templates"),
                       autoescape=select_autoescape(["html", "j2"]))


@register("html", "text/html; charset=utf-8", "html")
def to_html(report: StreamliningReport, graph: nx.MultiDiGraph) -> bytes:
    standings = {"documents alone": Counter(c.with_documents for c in report.chains),
                 "with the background": Counter(c.with_reference for c in report.chains)}
    page = _templates().get_template("report.html.j2").render(
        report=report, gaps_chart=gaps_chart(report.gaps_by_priority_area),
        standing_chart=standing_chart(standings),
        leads_chart=leads_chart({c.action: c.leads_by_standing for c in report.chains}))
    return page.encode("utf-8")


@register("pdf", "application/pdf", "pdf")
def to_pdf(report: StreamliningReport, graph: nx.MultiDiGraph) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only PDFs need

    return HTML(string=to_html(report, graph).decode("utf-8")).write_pdf()


@register("md", "text/markdown; charset=utf-8", "md")
def to_markdown(report: StreamliningReport, graph: nx.MultiDiGraph) -> bytes:
    """The report's sections in the HTML's order, for reading in a repository or a wiki."""
    lim = report.limitations
    lines = [f"# {report.title}", "", f"Generated {report.generated.isoformat()}"
             + (f" from data revision {report.revision}" if report.revision is not None else "")
             + f". Documents of {lim.documents_from}–{lim.documents_to}.", "",
             "## 1. Key messages", ""]
    lines += [f"{i}. {m.text}" for i, m in enumerate(report.key_messages, 1)]
    lines += ["", "## 2. Scope and method", "",
              "Five public documents and a small, cited statutory background; every line cites "
              "its excerpt or its Act. A chain runs from each lead of an action up formal lines "
              "(a duty to answer, with consequences) or soft ones (monitoring with no power to "
              "compel) to the Scottish Parliament or an elected council; an action stands as its "
              "weakest accountable lead. Gaps are stated by the documents or derived by written "
              "rules; duplication is by function, not partnership; recommendations come only "
              "from findings, under written guards.",
              "", "## 3. Findings: accountability", "",
              "| action | documents alone | with the background | leads |", "|---|---|---|---|"]
    lines += [f"| {_cell(c.action)} | {c.with_documents.replace('_', ' ')} | "
              f"{c.with_reference.replace('_', ' ')} | {_cell(c.leads)} |" for c in report.chains]
    lines += ["", "## 4. Findings: duplication", ""]
    lines += [f"- **{f.title}**: {f.explanation} ({f.kind.replace('_', ' ')}, {f.basis})"
              for f in report.duplication]
    lines += ["", "## 5. Findings: gaps", "", "| basis | kind | count |", "|---|---|---|"]
    lines += [f"| {basis} | {kind.replace('_', ' ')} | {n} |"
              for basis, kinds in report.gaps_by_kind.items() for kind, n in kinds.items()]
    lines += ["", "## 6. Findings: dependency on bodies that end", ""]
    lines += [f"- {e.body} ends {e.ends.isoformat()}, holding {e.responsibilities} "
              f"responsibilities ({e.stated} stated)" for e in report.ending]
    if report.scenario:
        lines += ["", f"## Scenario: {report.scenario.scenario.name}", "", report.scenario.summary]
        for heading, changes in report.scenario_changes.items():
            if changes:
                lines += ["", f"### {heading} ({len(changes)})", ""] + [f"- {c}" for c in changes]
    lines += ["", "## 7. Recommendations"]
    for rec in report.recommendations:
        lines += ["", f"### 7.{rec.number} {rec.title}", "",
                  f"Priority {rec.priority} · confidence: {rec.confidence} · "
                  f"from {rec.priority_rule.split(': from ')[-1].replace('_', ' ')}", "",
                  f"**Who should act:** {rec.who_acts()}. "
                  f"**By when:** {rec.timescale}. **What:** {rec.action}.", "", rec.rationale,
                  "", "| about | finding | candidate owner(s) |", "|---|---|---|"]
        lines += [f"| {_cell(row.subject.name)} | {_cell(row.detail)} | "
                  f"{_cell(', '.join(o.name for o in row.owners))} |" for row in rec.rows]
        quoted = rec.quotations()
        lines += ["", "Evidence:", ""] + [f"- {q.text} — {q.origin}" for q in quoted[:QUOTED]]
        if len(quoted) > QUOTED:
            lines.append(f"- and {len(quoted) - QUOTED} more source(s) (every one is in the JSON "
                         "and CSV formats)")
    lines += ["", "## 8. Limitations", "",
              f"- {lim.inferred} of {lim.relations} lines are a reviewer's inference; "
              f"{lim.reference_only} rest on the cited statutory background alone.",
              f"- The documents date from {lim.documents_from} to {lim.documents_to}; most stated "
              "findings are of 2021 and concern Plan 21-24.", "",
              "## Appendix A: every stated finding", ""]
    for g in report.stated_findings:
        who = ", ".join(a.name for a in g.assessed_by)
        year = f", {g.assessed_on.year}" if g.assessed_on else ""
        lines += [f"- **{g.kind.replace('_', ' ')}** ({', '.join(e.name for e in g.entities)}): "
                  f"{g.message} ({who}{year})"]
        lines += [f"  - {source.text} — {source.origin}" for source in g.sources]
    lines += ["", "## Appendix B: the accountability of each action", ""]
    lines += [f"- **{c.action}**: {c.explanation}" for c in report.chains]
    lines += ["", "## Appendix C: sources", ""]
    lines += [f"- {s.citation} ({s.kind.replace('_', ' ')}): {s.locator or s.url}"
              for s in report.sources]
    # Names and quotes are text: raw HTML in them must not reach a Markdown renderer.
    return ("\n".join(html.escape(line, quote=False) for line in lines) + "\n").encode("utf-8")


def _cell(text: str) -> str:
    """Text for a Markdown table cell: a pipe would end the cell."""
    return text.replace("|", "\\|")


QUOTED = 8  # sources quoted per recommendation in the reading formats; the rest are counted
CSV_COLUMNS = ["number", "id", "category", "priority", "priority_rule", "title", "action",
               "addressees", "addressee_ids", "timescale", "confidence", "entities", "rows",
               "rationale", "findings", "evidence_count", "first_evidence",
               "first_evidence_document"]


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
            "number": rec.number, "id": rec.id, "category": rec.category,
            "priority": rec.priority, "priority_rule": rec.priority_rule, "title": rec.title,
            "action": rec.action, "addressees": "; ".join(a.name for a in rec.addressees),
            "addressee_ids": ";".join(a.id for a in rec.addressees), "timescale": rec.timescale,
            "confidence": rec.confidence, "entities": ";".join(e.id for e in rec.entities),
            "rows": " | ".join(f"{r.subject.name}: {r.detail}" for r in rec.rows),
            "rationale": rec.rationale,
            "findings": ";".join(f"{f.source}:{f.code}" for f in rec.findings),
            "evidence_count": rec.evidence_count,
            "first_evidence": sources[0].text if sources else "",
            "first_evidence_document": sources[0].origin if sources else "",
        }.items()})
    return out.getvalue().encode("utf-8")


@register("json", "application/json", "json")
def to_json(report: StreamliningReport, graph: nx.MultiDiGraph) -> bytes:
    return report.model_dump_json(indent=2).encode("utf-8")
