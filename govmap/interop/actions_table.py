"""The actions table: one row per Plan 21-24 action, for people who live in Excel —
who leads it, how its line of accountability stands, and what the documents say
about it. Export only: it is a view of the map, not a copy of it.

The accountability columns are the library's own analysis
(`govmap.queries.accountability.accountability_chain`), not a second reading of the
graph:

=====================  ==============================================================
column                 what it holds
=====================  ==============================================================
Action ID, Action      the action's id and name
Priority area          the name of its priority area
Status                 the Change Programme's assessment ("underway not sufficient")
Commitment received    yes, no, or empty when the documents do not say
Leads                  each lead, "primary" where the text ranks it so, and how that
                       lead stands ("Scottish Government (primary; formal lines)")
Standing               how the action stands: formal, soft only, outside scope, broken
Accountability         the chain's verdict in words
Flags                  the chain's warnings, by name ("shared lead; broken chain")
Findings               how many stated findings concern the action
=====================  ==============================================================

``actions-csv`` is UTF-8 with a byte-order mark, so that Excel shows names with
accents as they are; ``actions-xlsx`` is one sheet, "Actions". Every text cell is made
safe from formula injection (`govmap.reports.formats.spreadsheet_safe`).

>>> from govmap.model import Entity, Relation
>>> es = [Entity(id="x", kind="action", name="X"),
...       Entity(id="lead", kind="body", type="board", name="Lead Board", scope="collective")]
>>> row = action_rows(Dataset(entities=es, relations=[
...     Relation(source="lead", type="LEADS", target="x")]))[0]
>>> row["Leads"], row["Standing"]
('Lead Board (outside the Scottish public sector)', 'outside scope')
"""

from __future__ import annotations

import csv
import io
from typing import Any

import networkx as nx
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from govmap.interop.kumu import xlsx_text
from govmap.interop.registry import register
from govmap.model import Dataset, Entity, LeadRank, NodeKind, RelType
from govmap.queries.accountability import STANDING_LABELS, AccountabilityChain, accountability_chain
from govmap.reports.formats import spreadsheet_safe
from govmap.snapshot import build_snapshot

COLUMNS = ("Action ID", "Action", "Priority area", "Status", "Commitment received", "Leads",
           "Standing", "Accountability", "Flags", "Findings")
WIDTHS = {"Leads": 60, "Accountability": 80}  # the long columns wrap at these widths


def words(value: str | None) -> str:
    """A vocabulary value as a reader says it: "soft_only" -> "soft only"."""
    return (value or "").replace("_", " ")


def leads_cell(chain: AccountabilityChain) -> str:
    """Each lead, its rank when primary, and how it stands, in the chain's order."""
    return "; ".join(
        f"{start.body.name} ("
        + ("primary; " if start.rank == LeadRank.PRIMARY else "")
        + f"{STANDING_LABELS[start.standing]})"
        for start in chain.starts)


def findings_about(graph: nx.MultiDiGraph, node: str) -> int:
    """How many stated findings concern `node` (CONCERNS lines into it)."""
    return sum(1 for _, _, key in graph.in_edges(node, keys=True) if key == str(RelType.CONCERNS))


def commitment_cell(action: Entity) -> str:
    if action.commitment_received is None:
        return ""
    return "yes" if action.commitment_received else "no"


def action_row(graph: nx.MultiDiGraph, action: Entity, names: dict[str, str]) -> dict[str, Any]:
    """One action's row, its accountability read from the library's chain."""
    chain = accountability_chain(graph, action.id)
    return {
        "Action ID": action.id,
        "Action": action.name,
        "Priority area": names.get(action.priority_area or "", action.priority_area or ""),
        "Status": words(action.status),
        "Commitment received": commitment_cell(action),
        "Leads": leads_cell(chain),
        "Standing": words(chain.standing),
        "Accountability": chain.explanation,
        "Flags": "; ".join(dict.fromkeys(words(flag.code) for flag in chain.flags)),
        "Findings": findings_about(graph, action.id),
    }


def action_rows(dataset: Dataset) -> list[dict[str, Any]]:
    """Every action's row, by priority area and then by name."""
    graph = build_snapshot(dataset.entities, dataset.relations)
    names = {e.id: e.name for e in dataset.entities}
    rows = [action_row(graph, e, names) for e in dataset.entities if e.kind == NodeKind.ACTION]
    return sorted(rows, key=lambda r: (r["Priority area"], r["Action"]))


def safe_row(row: dict[str, Any]) -> list[Any]:
    """The row's cells in column order, each shown by a spreadsheet as text."""
    return [spreadsheet_safe(row[column]) for column in COLUMNS]


@register("actions-csv", media_type="text/csv; charset=utf-8", extension="actions.csv",
          description="the actions table (leads, accountability, findings) as CSV, for Excel")
def write_actions_csv(dataset: Dataset) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(safe_row(row) for row in action_rows(dataset))
    return out.getvalue().encode("utf-8-sig")


@register("actions-xlsx", media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          extension="actions.xlsx",
          description="the actions table (leads, accountability, findings) as an Excel workbook")
def write_actions_xlsx(dataset: Dataset) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Actions"
    sheet.append(COLUMNS)
    for row in action_rows(dataset):
        sheet.append([xlsx_text(value) for value in safe_row(row)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2"  # the header and the action's id and name stay in view
    sheet.auto_filter.ref = sheet.dimensions
    for number, column in enumerate(COLUMNS, start=1):
        width = WIDTHS.get(column)
        sheet.column_dimensions[get_column_letter(number)].width = width or max(len(column) + 4, 14)
        if width:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
