"""Reading and writing the units and people spreadsheets (.xlsx).

An upload is checked by content before openpyxl sees it: a real xlsx is a zip holding
``[Content_Types].xml`` and ``xl/workbook.xml``; the entry count and the declared uncompressed
size are capped (a zip bomb is refused from its central directory, in milliseconds), and Python's
zipfile never inflates an entry past its declared size, so a lying header fails its CRC check.
Exported text cells go through ``safe_cell`` so that none can be read as a formula.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from xiaoneng.core.xlsx import (
    FORMULA_PREFIXES,
    XLSX_CONTENT_TYPE,  # noqa: F401 - re-exported for org callers
    safe_cell,
)

MAX_ENTRIES = 200
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 40


class SpreadsheetError(Exception):
    """The file as a whole cannot be read: not an xlsx, too large, a zip bomb, no header."""


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # lazy translation: the header text in the spreadsheet
    required: bool = False
    width: int = 16

    def header_aliases(self) -> set[str]:
        """The header may be written in Chinese or English, or as the field key."""
        aliases = {self.key.lower(), str(self.label).lower()}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                aliases.add(str(self.label).lower())
        return aliases


UNIT_COLUMNS = [
    Column("name", gettext_lazy("Unit name"), required=True, width=32),
    Column("short_name", gettext_lazy("Short name")),
    Column("kind", gettext_lazy("Kind"), width=24),
    Column("parent", gettext_lazy("Parent unit"), width=32),
    Column("ranking_group", gettext_lazy("Ranking group"), width=20),
    Column("order", gettext_lazy("Order"), width=8),
    Column("is_active", gettext_lazy("Active"), width=8),
]

PERSON_COLUMNS = [
    Column("username", gettext_lazy("User name"), required=True),
    Column("full_name", gettext_lazy("Full name"), required=True),
    Column("unit", gettext_lazy("Unit name"), required=True, width=32),
    Column("roles", gettext_lazy("Roles"), width=24),
    Column("phone", gettext_lazy("Phone")),
    Column("title", gettext_lazy("Job title")),
    Column("email", gettext_lazy("E-mail"), width=24),
    Column("is_active", gettext_lazy("Active"), width=8),
]


@dataclass
class Sheet:
    """The rows of the first worksheet: (row number as the spreadsheet shows it, {column key: text})."""

    columns: set[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    header_errors: list[str] = field(default_factory=list)


def check_xlsx(content: bytes) -> None:
    """Refuse, before any parsing, what is not a plain xlsx of a sane size."""
    if len(content) > settings.UPLOAD_MAX_BYTES:
        raise SpreadsheetError(_("The file is too large."))
    if not content.startswith(b"PK\x03\x04"):
        raise SpreadsheetError(_("The file is not an Excel workbook (.xlsx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise SpreadsheetError(_("The file is not an Excel workbook (.xlsx).")) from exc
    if len(entries) > MAX_ENTRIES:
        raise SpreadsheetError(_("The workbook has too many parts to be a plain spreadsheet."))
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise SpreadsheetError(_("The file is not an Excel workbook (.xlsx)."))
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise SpreadsheetError(_("Workbooks with macros are not accepted."))
    if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
        raise SpreadsheetError(_("The workbook unpacks to more data than a spreadsheet of this kind can hold."))


def _text(value: Any) -> str:
    """A cell as the text a person typed: numbers without a trailing .0, formula guards removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value).strip()
    # Undo safe_cell, so that an export imports back unchanged.
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_PREFIXES):
        text = text[1:]
    return text


def read_sheet(content: bytes, columns: list[Column]) -> Sheet:
    """Check the file, then read the first worksheet's header (row 1) and data rows."""
    check_xlsx(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise SpreadsheetError(_("The workbook could not be read; it may be damaged.")) from exc
    try:
        return _read_rows(workbook.worksheets[0], columns)
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(_("The workbook could not be read; it may be damaged.")) from exc
    finally:
        workbook.close()


def _read_rows(worksheet, columns: list[Column]) -> Sheet:
    rows = worksheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    header = next(rows, None)
    if header is None:
        raise SpreadsheetError(_("The worksheet is empty: row 1 must hold the column headers."))
    aliases = {alias: column.key for column in columns for alias in column.header_aliases()}
    positions: dict[str, int] = {}
    sheet = Sheet(columns=set())
    for index, cell in enumerate(header):
        key = aliases.get(_text(cell).lower())
        if key is None:
            continue
        if key in positions:
            sheet.header_errors.append(_("The column “%(column)s” appears twice.") % {"column": _text(cell)})
        positions[key] = index
    for column in columns:
        if column.required and column.key not in positions:
            sheet.header_errors.append(_("The required column “%(column)s” is missing.") % {"column": column.label})
    sheet.columns = set(positions)
    for number, values in enumerate(rows, start=2):
        texts = {key: _text(values[index]) if index < len(values) else "" for key, index in positions.items()}
        if not any(texts.values()):
            continue  # blank lines between rows are harmless
        if len(sheet.rows) >= MAX_ROWS:
            raise SpreadsheetError(_("The worksheet has more than %(max)d rows.") % {"max": MAX_ROWS})
        sheet.rows.append((number, texts))
    return sheet


def _clean_for_cell(value: Any) -> Any:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return safe_cell(value)


def write_workbook(columns: list[Column], rows: list[list[Any]], *, title: str,
                   notes: list[tuple[str, str]] | None = None) -> bytes:
    """A workbook with the header in row 1, the rows below, and optional notes on a second sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([str(column.label) for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = column.width
    for row in rows:
        sheet.append([_clean_for_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    if notes:
        help_sheet = workbook.create_sheet(str(_("Instructions"))[:31])
        help_sheet.column_dimensions["A"].width = 20
        help_sheet.column_dimensions["B"].width = 80
        for label, text in notes:
            help_sheet.append([_clean_for_cell(label), _clean_for_cell(text)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
