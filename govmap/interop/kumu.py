"""Kumu and spreadsheets: the map as *elements* and *connections*, for Kumu (kumu.io,
the systems-mapping tool many public-sector and third-sector teams use) and for anyone
who would rather edit the map in Excel, LibreOffice or Google Sheets and import it back.

Three formats hold the same two tables:

* ``kumu-json``: Kumu's JSON import, ``{"elements": [...], "connections": [...]}``;
* ``kumu-xlsx``: one workbook, sheets ``Elements`` and ``Connections`` (header in row 1);
* ``kumu-csv``:  a zip of ``elements.csv`` and ``connections.csv``.

The mapping (Kumu's own fields first, so the map reads well there; then govmap's):

======================  =========================  =====================================
govmap                  element / connection       read back?
======================  =========================  =====================================
id                      ID                         yes: connections name elements by it
name, description       Label, Description         yes
kind, type              govmap kind, govmap type   yes: the exact values
kind and type in words  Type ("Board"), Tags       no: shown by Kumu, derived on export
source, target, type    From, To, Type             yes (Type is the exact ``REPORTS_TO``)
how the type reads      Label ("reports to")       no: derived
(always directed)       Direction                  no
every other field       its own name               yes; lists (aliases, sources, facts,
                                                   commitments) as JSON text
======================  =========================  =====================================

Kumu imports the extra fields as attributes. A column the map does not know is not
dropped on import: the seed's checks name it. Spreadsheet cells are made safe from
formula injection: a text that would start a formula ("=", "+", "-", "@", tab or
carriage return) gets a leading quote, as `govmap.reports.formats.spreadsheet_safe`
does; a text that already looks quoted gets one more. Import removes exactly one, so
the text comes back as it was. In a workbook, the control characters XLSX cannot store
are escaped as Excel does (``_x0001_``).

The formats hold the whole map: a round trip gives back the same dataset. What they
cannot hold is what a spreadsheet cannot: a cell is limited to 32,767 characters in
Excel (no field of the real map comes close), and an empty text ("") reads back as
absent.

>>> from govmap.model import Entity
>>> board = Entity(id="b", kind="body", type="board", name="=B", scope="scottish_public_sector")
>>> row = spreadsheet_row(ELEMENTS, board)
>>> row[:5], row[5:7]
(['b', "'=B", 'Board', None, 'body|board'], ['body', 'board'])
>>> [r.data for r in read_kumu_json(write_kumu_json(Dataset(entities=[board])), "m.kumu.json")]
[{'id': 'b', 'name': '=B', 'kind': 'body', 'type': 'board', 'scope': 'scottish_public_sector'}]
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel

from govmap.interop.flat import flat, unflat
from govmap.interop.registry import Row, Section, register, unreadable
from govmap.model import RELATIONSHIPS, Dataset, Entity, Relation
from govmap.reports.formats import spreadsheet_safe

MAX_UNPACKED = 50_000_000  # bytes a zip may unpack to: more is refused unread (a zip bomb)
MAX_ROWS, MAX_COLUMNS = 100_000, 500  # a sheet larger than this is refused, not read
TAG_SEPARATOR = "|"  # how Kumu's spreadsheet import splits several tags in one cell
ACRONYMS = {"ijb": "IJB", "cspp": "CSPP"}
DATES = ("valid_from", "valid_to")  # last: most records have none


@dataclass(frozen=True)
class Sheet:
    """One of the two tables: Kumu's columns in order, which column holds which govmap
    field (the others of Kumu's are only shown: derived on export, not read back), and
    then every other field of the record under its own name."""

    name: str
    section: Section
    model: type[BaseModel]
    kumu: tuple[str, ...]
    fields: dict[str, str]  # column -> the govmap field it holds, where the names differ
    shown: Callable[[Any], dict[str, Any]]  # the shown-only columns of a record

    @property
    def columns(self) -> list[str]:
        taken = set(self.fields.values())
        own = [c for c in self.fields if c not in self.kumu]
        rest = [f for f in self.model.model_fields if f not in taken and f not in DATES]
        return [*self.kumu, *own, *rest, *DATES]

    @property
    def shown_columns(self) -> list[str]:
        return [c for c in self.kumu if c not in self.fields]

    def field_of(self, column: str) -> str | None:
        """The govmap field a column holds (None: shown only). Kumu's column names are
        matched whatever their case; any other column is taken as a field name, so the
        seed's checks name a column the map does not know."""
        column = column.strip()
        if column.lower() in (c.lower() for c in self.shown_columns):
            return None
        return {c.lower(): f for c, f in self.fields.items()}.get(column.lower(), column)


def words(value: str) -> str:
    """A vocabulary value as a reader says it: "health_board" -> "health board".

    >>> words("health_board"), words("ijb")
    ('health board', 'IJB')
    """
    return ACRONYMS.get(value, value.replace("_", " "))


def entity_shown(entity: Entity) -> dict[str, Any]:
    """Kumu's Type and Tags: what an element is, in words, for its legend and filters."""
    kind = str(entity.kind)
    label = words(entity.type or kind)
    return {"Type": label[0].upper() + label[1:],
            "Tags": [words(kind), *([words(entity.type)] if entity.type else [])]}


def relation_shown(relation: Relation) -> dict[str, Any]:
    """Kumu's Direction and Label: every relation points one way and reads as a phrase."""
    return {"Direction": "directed", "Label": RELATIONSHIPS[relation.type].reads}


ELEMENTS = Sheet("Elements", "entities", Entity, ("ID", "Label", "Type", "Description", "Tags"),
                 {"ID": "id", "Label": "name", "Description": "description",
                  "govmap kind": "kind", "govmap type": "type"}, entity_shown)
CONNECTIONS = Sheet("Connections", "relations", Relation, ("From", "To", "Type", "Direction", "Label"),
                    {"From": "source", "To": "target", "Type": "type"}, relation_shown)
SHEETS = (ELEMENTS, CONNECTIONS)


def cells(sheet: Sheet, record: Entity | Relation) -> dict[str, Any]:
    """The record's non-empty cells by column: shown columns derived, fields as scalars."""
    data = flat(record)
    shown = sheet.shown(record)
    values = {column: shown[column] if column in shown else data.get(sheet.fields.get(column, column))
              for column in sheet.columns}
    return {column: value for column, value in values.items() if value not in (None, "")}


def seed_fields(sheet: Sheet, row: dict[str, Any]) -> dict[str, Any]:
    """The govmap fields of one read row (column -> value): shown columns left out,
    lists parsed from their JSON text, empty cells dropped."""
    data = {}
    for column, value in row.items():
        field = sheet.field_of(column)
        if field is not None:
            data[field] = value
    return unflat(sheet.section, data)


def records(dataset: Dataset, sheet: Sheet) -> list[Entity] | list[Relation]:
    return dataset.entities if sheet.section == "entities" else dataset.relations


# Kumu JSON ---------------------------------------------------------------------------

def json_record(sheet: Sheet, record: Entity | Relation) -> dict[str, Any]:
    """An element or connection as Kumu's JSON import has it: lower-case field names."""
    return {column.lower(): value for column, value in cells(sheet, record).items()}


def read_kumu_json(content: bytes, file: str) -> Iterator[Row]:
    try:
        document = json.loads(content)
        tables = [(sheet, document.get(sheet.name.lower(), [])) for sheet in SHEETS]
    except (ValueError, AttributeError) as exc:
        raise unreadable(file, f"not Kumu JSON (an object of elements and connections): {exc}") from None
    for sheet, items in tables:
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise unreadable(f"{file} [{sheet.name.lower()}]", "expected a list of objects")
    return _json_rows(tables, file)


def _json_rows(tables: list[tuple[Sheet, list[dict[str, Any]]]], file: str) -> Iterator[Row]:
    for sheet, items in tables:
        for index, item in enumerate(items):
            yield Row(sheet.section, seed_fields(sheet, item), f"{file} [{sheet.name.lower()}]",
                      None, index)


@register("kumu-json", media_type="application/json", extension="kumu.json",
          description="Kumu's JSON import (elements and connections), for kumu.io",
          read=read_kumu_json)
def write_kumu_json(dataset: Dataset) -> bytes:
    document = {sheet.name.lower(): [json_record(sheet, r) for r in records(dataset, sheet)]
                for sheet in SHEETS}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


# Spreadsheet cells ----------------------------------------------------------------------

def quoted(value: Any) -> Any:
    """A text a spreadsheet shows as text: `spreadsheet_safe`'s quote, and one more on a
    text that already looks quoted, so that `unquoted` can remove exactly one.

    >>> quoted("=1+1"), quoted("'=1+1"), quoted("'tis"), quoted(3)
    ("'=1+1", "''=1+1", "'tis", 3)
    """
    if not isinstance(value, str):
        return value
    bare = value.lstrip("'")
    return f"'{value}" if spreadsheet_safe(bare) != bare else value


def unquoted(value: Any) -> Any:
    """`quoted` undone.

    >>> all(unquoted(quoted(t)) == t for t in ["=1", "'=1", "''@x", "'tis", "-", "plain"])
    True
    """
    if isinstance(value, str) and value.startswith("'") and quoted(value[1:]) == value:
        return value[1:]
    return value


def spreadsheet_row(sheet: Sheet, record: Entity | Relation) -> list[Any]:
    """The record's cells in column order, safe for a spreadsheet (None: empty)."""
    found = cells(sheet, record)
    if "Tags" in found:
        found["Tags"] = TAG_SEPARATOR.join(found["Tags"])
    return [quoted(found.get(column)) for column in sheet.columns]


def table_rows(sheet: Sheet, table: Iterable[tuple[int, list[Any]]], where: str,
               plain: Callable[[Any], Any] = unquoted) -> Iterator[Row]:
    """The rows of one read table — (row number, cells), the header first — as `Row`s
    located by `where` ("map.xlsx [Connections]") and row number; blank rows skipped."""
    rows = iter(table)
    _, header = next(rows, (0, []))
    index = 0
    for number, values in rows:
        row = {column_name(header, position): plain(value) for position, value in enumerate(values)
               if value not in (None, "")}
        if row:
            yield Row(sheet.section, seed_fields(sheet, row), where, number, index)
            index += 1


def column_name(header: list[Any], position: int) -> str:
    """The header of the column at `position`; a column without one is named by its
    letter, so the seed's checks name a value that has no column rather than drop it."""
    name = header[position] if position < len(header) else None
    return str(name) if name not in (None, "") else f"column {get_column_letter(position + 1)}"


def _check_zip(content: bytes, file: str, what: str) -> zipfile.ZipFile:
    """`content` opened as a zip, refused unread when it is not one or would unpack to
    more than `MAX_UNPACKED` bytes."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise unreadable(file, f"not {what}: {exc}") from None
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
        raise unreadable(file, f"unpacks to more than {MAX_UNPACKED:,} bytes; refused")
    return archive


# Kumu XLSX --------------------------------------------------------------------------------

CONTROL = ILLEGAL_CHARACTERS_RE.pattern  # the characters XLSX cannot store
# A "_" to guard: one that would otherwise read back as the start of an escape.
XSTRING_ESCAPE = re.compile(rf"_(?=x[0-9A-Fa-f]{{4}}(?:_|{CONTROL}))|{CONTROL}")
XSTRING_UNESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def xlsx_text(value: Any) -> Any:
    """A text as a workbook stores it (ECMA-376's escaping, as Excel writes it): each
    control character XLSX cannot hold as ``_xHHHH_``, and a "_" that would read back
    as the start of such an escape as ``_x005F_``.

    >>> xlsx_text("a\\x01b"), xlsx_text("_x0041_")
    ('a_x0001_b', '_x005F_x0041_')
    """
    if not isinstance(value, str):
        return value
    return XSTRING_ESCAPE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", value)


def from_xlsx_text(value: Any) -> Any:
    """`xlsx_text` undone (and the spreadsheet quote removed).

    >>> texts = ["a\\x01b", "_x0041_", "_x005F_", "_x0041_x0042_", "_x0041\\x01", "x"]
    >>> all(from_xlsx_text(xlsx_text(t)) == t for t in texts)
    True
    """
    if isinstance(value, str) and "_x" in value:
        value = XSTRING_UNESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
    return unquoted(value)


def read_kumu_xlsx(content: bytes, file: str) -> Iterator[Row]:
    _check_zip(content, file, "an XLSX workbook").close()
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            return iter(_workbook_rows(book, file))
        finally:
            book.close()
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as exc:
        raise unreadable(file, f"not an XLSX workbook: {exc}") from None


def _workbook_rows(book: Any, file: str) -> list[Row]:
    """The rows of the Elements and Connections sheets (named in any case)."""
    titles = {title.lower(): title for title in book.sheetnames}
    found = [(sheet, book[titles[sheet.name.lower()]]) for sheet in SHEETS if sheet.name.lower() in titles]
    if not found:
        raise unreadable(file, "no sheet named Elements or Connections")
    return [row for sheet, worksheet in found
            for row in table_rows(sheet, _numbered(worksheet, file), f"{file} [{worksheet.title}]",
                                  from_xlsx_text)]


def _numbered(worksheet: Any, file: str) -> Iterator[tuple[int, list[Any]]]:
    """The sheet's rows as they are, not padded to the dimension it declares: one cell
    placed at XFD1048576 would otherwise make minutes of empty rows."""
    worksheet.reset_dimensions()
    for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1):
        if number > MAX_ROWS or len(values) > MAX_COLUMNS:
            raise unreadable(file, f"sheet {worksheet.title!r} is larger than {MAX_ROWS:,} rows "
                                   f"by {MAX_COLUMNS} columns; refused")
        yield number, list(values)


def _style(worksheet: Worksheet) -> None:
    """A header a reader finds: bold, frozen, filterable; columns as wide as their
    content, up to a limit."""
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    worksheet.freeze_panes = "A2"
    worksheet.auto_filter.ref = worksheet.dimensions
    for number, column in enumerate(worksheet.iter_cols(values_only=True), start=1):
        longest = max((len(str(value)) for value in column if value is not None), default=0)
        worksheet.column_dimensions[get_column_letter(number)].width = min(max(longest + 2, 10), 60)


@register("kumu-xlsx", media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          extension="xlsx", read=read_kumu_xlsx,
          description="Excel workbook of Elements and Connections sheets, for Kumu and spreadsheets")
def write_kumu_xlsx(dataset: Dataset) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet in SHEETS:
        worksheet = book.create_sheet(sheet.name)
        worksheet.append(sheet.columns)
        for record in records(dataset, sheet):
            worksheet.append([xlsx_text(value) for value in spreadsheet_row(sheet, record)])
        _style(worksheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Kumu CSV (zip) ---------------------------------------------------------------------------

def csv_name(sheet: Sheet) -> str:
    return f"{sheet.name.lower()}.csv"


def csv_text(sheet: Sheet, dataset: Dataset) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(sheet.columns)
    writer.writerows([("" if v is None else v) for v in spreadsheet_row(sheet, r)]
                     for r in records(dataset, sheet))
    return out.getvalue()


def _csv_table(text: str) -> Iterator[tuple[int, list[Any]]]:
    """Each CSV record with the line it starts on (a cell may hold line breaks)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for values in reader:
        yield start, values
        start = reader.line_num + 1


def read_kumu_csv(content: bytes, file: str) -> Iterator[Row]:
    with _check_zip(content, file, "a zip of elements.csv and connections.csv") as archive:
        members = {name.rsplit("/", 1)[-1].lower(): name for name in archive.namelist()}
        found = [(sheet, members[csv_name(sheet)]) for sheet in SHEETS if csv_name(sheet) in members]
        if not found:
            raise unreadable(file, "holds neither elements.csv nor connections.csv")
        rows: list[Row] = []
        for sheet, member in found:
            where = f"{file} [{member}]"
            try:
                text = archive.read(member).decode("utf-8-sig")
                rows += table_rows(sheet, _csv_table(text), where)
            except (UnicodeDecodeError, csv.Error, zipfile.BadZipFile, OSError) as exc:
                raise unreadable(where, f"not UTF-8 CSV: {exc}") from None
    return iter(rows)


@register("kumu-csv", media_type="application/zip", extension="kumu.zip", read=read_kumu_csv,
          description="zip of elements.csv and connections.csv, for Kumu and spreadsheets")
def write_kumu_csv(dataset: Dataset) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for sheet in SHEETS:
            # A fixed date, so that the same map always gives the same bytes.
            member = zipfile.ZipInfo(csv_name(sheet), date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, csv_text(sheet, dataset))
    return out.getvalue()
