"""The actions table: one row per action of the real map, its accountability as the
library's chain reads it, the same rows in CSV and XLSX, and every cell safe to open
in a spreadsheet. (Export only, so the generic round trip does not cover it.)"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from govmap.interop import FORMATS, export_as
from govmap.interop.actions_table import COLUMNS
from govmap.model import Dataset, Entity
from govmap.reports.formats import FORMULA_START
from govmap.seed import default_seed_dir, read_seed


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return read_seed(default_seed_dir())


@pytest.fixture(scope="module")
def csv_rows(dataset: Dataset) -> list[dict[str, str]]:
    text = export_as(dataset, "actions-csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def xlsx_rows(dataset: Dataset) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(export_as(dataset, "actions-xlsx")))
    assert book.sheetnames == ["Actions"]
    return list(book["Actions"].iter_rows(values_only=True))


def test_the_tables_are_export_only() -> None:
    assert FORMATS["actions-csv"].read is None and FORMATS["actions-xlsx"].read is None


def test_one_csv_row_per_action(csv_rows: list[dict[str, str]], dataset: Dataset) -> None:
    actions = {e.id for e in dataset.entities if e.kind == "action"}
    assert len(csv_rows) == len(actions) == 25
    assert {r["Action ID"] for r in csv_rows} == actions
    assert list(csv_rows[0]) == list(COLUMNS)


def test_youth_justice_is_broken_and_led_by_the_sentencing_council(
        csv_rows: list[dict[str, str]]) -> None:
    row = next(r for r in csv_rows if r["Action"] == "Youth Justice")
    assert row["Standing"] == "broken"
    assert "Scottish Sentencing Council (no line to the top)" in row["Leads"]
    assert row["Accountability"].startswith("Youth Justice does not reach the top")
    assert row["Priority area"] == "A Good Childhood"
    assert "broken chain" in row["Flags"]
    assert int(row["Findings"]) > 0


def test_a_primary_lead_says_so(csv_rows: list[dict[str, str]]) -> None:
    assert any("(primary; " in r["Leads"] for r in csv_rows)


def test_the_workbook_holds_the_same_rows(csv_rows: list[dict[str, str]],
                                          xlsx_rows: list[tuple[object, ...]]) -> None:
    header, *rows = xlsx_rows
    assert header == COLUMNS
    as_text = [{c: "" if v is None else str(v) for c, v in zip(COLUMNS, row, strict=True)} for row in rows]
    assert as_text == csv_rows


def test_every_cell_is_spreadsheet_safe(dataset: Dataset) -> None:
    formula = Entity(id="action-formula", kind="action", name="=HYPERLINK(\"https://x\",\"y\")")
    tricky = Dataset(entities=[*dataset.entities, formula], relations=dataset.relations)
    text = export_as(tricky, "actions-csv").decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + formula.name in cells
    assert not any(cell.startswith(FORMULA_START) for cell in cells)
    book = openpyxl.load_workbook(io.BytesIO(export_as(tricky, "actions-xlsx")))
    assert all(cell.data_type != "f" for row in book["Actions"].iter_rows() for cell in row)
