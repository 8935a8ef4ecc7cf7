"""A scheme as a scoring table (.xlsx, in the style of a plan's 附件3) and back.

The sheet has a title row, a header row (序号 · 类别 · 考核内容 · 分值 · 评分标准 · 佐证材料 · 计分步长 ·
须说明), one row per item with its category written on the category's first row (a merged
cell in the export; blank cells below it mean "same category"), and a total row. Import is all
or nothing: every bad row is reported with its number and the reason, and nothing is stored.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side

from xiaoneng.core.xlsx import FORMULA_PREFIXES, safe_cell
from xiaoneng.org.spreadsheets import SpreadsheetError, check_xlsx

from .models import Scheme
from .selectors import scheme_total, scheme_tree
from .services import CategoryRows, CriterionRow

MAX_ROWS = 2000
MAX_COLUMNS = 30
HEADER_SEARCH_ROWS = 10
MAX_POINTS = Decimal("1000")


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    width: int
    extra_aliases: tuple[str, ...] = ()

    def aliases(self) -> set[str]:
        names = {self.key.lower(), *(a.lower() for a in self.extra_aliases)}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names.add(str(self.label).strip().lower())
        return names


COLUMNS = [
    Column("code", gettext_lazy("No."), 8, ("序号", "编号")),
    Column("category", gettext_lazy("Category"), 18, ("类别", "项目", "考核项目", "考核类别")),
    Column("title", gettext_lazy("Assessment content"), 40, ("考核内容", "考核要点", "内容")),
    Column("max_points", gettext_lazy("Points available"), 8, ("分值", "标准分", "满分", "分数", "points")),
    Column("guidance", gettext_lazy("Scoring guidance"), 40, ("评分标准", "评分细则", "考核标准", "扣分标准")),
    Column("evidence_required", gettext_lazy("Evidence required"), 24, ("佐证材料", "佐证资料", "考核方式")),
    Column("step", gettext_lazy("Scoring step"), 8, ("计分步长", "步长")),
    Column("note_required", gettext_lazy("Note required"), 10, ("须说明", "须说明扣分理由")),
]
TOTAL_WORDS = {"合计", "总计", "总分", "total"}
YES = {"是", "yes", "y", "true", "1", "√", "✓", "需要", "须"}
NO = {"否", "no", "n", "false", "0", "", "不需要", "无"}
_CATEGORY_POINTS = re.compile(r"\s*[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[）)]\s*$")
_CATEGORY_CODE = re.compile(r"^\s*([一二三四五六七八九十百]+|\d+)\s*[、.．]\s*")


# --- export ----------------------------------------------------------------------------------
def _num(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def category_label(category: Any) -> str:
    text = f"{category.code}、{category.title}" if category.code else category.title
    return f"{text}（{_num(category.max_points)}分）"


def scheme_export(scheme: Scheme) -> bytes:
    """The scheme as a scoring table; text cells can never be read as formulas."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Scoring table"))[:31]
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    sheet.append([safe_cell(f"{scheme.name}（v{scheme.version}）")])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    sheet.append([str(column.label) for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font, cell.border, cell.alignment = Font(bold=True), border, Alignment(horizontal="center")
        sheet.column_dimensions[cell.column_letter].width = column.width
    yes, no = _("Yes"), _("No")
    row_number = 3
    for category, items in scheme_tree(scheme):
        first = row_number
        for item in items:
            sheet.append([safe_cell(item.code), safe_cell(category_label(category)) if row_number == first else None,
                          safe_cell(item.title), _num(item.max_points), safe_cell(item.guidance),
                          safe_cell(item.evidence_required), _num(item.step), yes if item.note_required else no])
            row_number += 1
        if not items:
            sheet.append([None, safe_cell(category_label(category))])
            row_number += 1
        if row_number - 1 > first:
            sheet.merge_cells(start_row=first, start_column=2, end_row=row_number - 1, end_column=2)
    sheet.append([_("Total"), None, None, _num(scheme_total(scheme))])
    for row in sheet.iter_rows(min_row=3, max_row=row_number, max_col=len(COLUMNS)):
        for cell in row:
            cell.border, cell.alignment = border, wrap
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- import ----------------------------------------------------------------------------------
@dataclass
class ImportResult:
    name: str = ""
    categories: list[CategoryRows] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return sum(len(c.items) for c in self.categories)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_PREFIXES):
        text = text[1:]
    return text


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace("分", "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def scheme_read(content: bytes) -> ImportResult:
    """Read and check a scoring table; ``errors`` lists every bad row (nothing is stored here)."""
    check_xlsx(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise SpreadsheetError(_("The workbook could not be read; it may be damaged.")) from exc
    try:
        rows = list(workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS, max_row=MAX_ROWS + HEADER_SEARCH_ROWS + 1,
                                                      values_only=True))
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(_("The workbook could not be read; it may be damaged.")) from exc
    finally:
        workbook.close()
    if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise SpreadsheetError(_("The worksheet has more than %(max)d rows.") % {"max": MAX_ROWS})
    return _parse(rows)


def _find_header(rows: list[tuple]) -> tuple[int, dict[str, int], str]:
    aliases = {alias: column.key for column in COLUMNS for alias in column.aliases()}
    title = ""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        positions: dict[str, int] = {}
        for col, cell in enumerate(row):
            key = aliases.get(_text(cell).lower())
            if key is not None and key not in positions:
                positions[key] = col
        if "title" in positions and "max_points" in positions:
            return index, positions, title
        first = next((_text(c) for c in row if _text(c)), "")
        title = title or first
    raise SpreadsheetError(_("No header row found: one of the first rows must name the columns “Assessment "
                             "content” and “Points” (考核内容、分值)."))


def _parse(rows: list[tuple]) -> ImportResult:
    header_index, positions, title = _find_header(rows)
    result = ImportResult(name=_CATEGORY_POINTS.sub("", re.sub(r"[（(]v\d+[）)]$", "", title)).strip())
    current: CategoryRows | None = None
    category_row = 0
    declared_total: tuple[int, Decimal] | None = None
    empty_categories: list[tuple[int, str]] = []
    for index in range(header_index + 1, len(rows)):
        number = index + 1
        row = rows[index]
        texts = {key: _text(row[col]) if col < len(row) else "" for key, col in positions.items()}
        if not any(texts.values()):
            continue
        first_words = {texts.get("code", "").lower(), texts.get("category", "").lower()}
        if first_words & TOTAL_WORDS:
            total = _decimal(texts.get("max_points", ""))
            if total is not None:
                declared_total = (number, total)
            continue
        if texts.get("category"):
            if current is not None and not current.items:
                empty_categories.append((category_row, current.title))
            raw = texts["category"]
            code_match = _CATEGORY_CODE.match(raw)
            code = code_match.group(1) if code_match else ""
            name = _CATEGORY_POINTS.sub("", raw[code_match.end():] if code_match else raw).strip()
            current, category_row = CategoryRows(title=name[:500], code=code[:20]), number
            result.categories.append(current)
            if not texts.get("title") and not texts.get("max_points"):
                continue  # a category heading on a row of its own
        row_errors = _item_errors(texts)
        if current is None:
            row_errors.insert(0, _("the item has no category (fill the category column on the first item of each "
                                   "category)"))
        if row_errors:
            result.errors.append(_("Row %(row)d: %(reasons)s.") % {"row": number, "reasons": "; ".join(row_errors)})
            continue
        current.items.append(_item(texts, current.title))
    if current is not None and not current.items:
        empty_categories.append((category_row, current.title))
    for number, name in empty_categories:
        result.errors.append(_("Row %(row)d: the category “%(category)s” has no items.") % {
            "row": number, "category": name})
    if not result.errors and not result.item_count:
        result.errors.append(_("The table has no items to score."))
    if declared_total is not None and not result.errors:
        total = sum((i.max_points for c in result.categories for i in c.items), Decimal("0"))
        if total != declared_total[1]:
            result.errors.append(_("Row %(row)d: the total says %(declared)s but the items add up to %(total)s.") % {
                "row": declared_total[0], "declared": declared_total[1].normalize(), "total": total.normalize()})
    return result


def _item_errors(texts: dict[str, str]) -> list[str]:
    errors = []
    if not texts.get("title"):
        errors.append(_("the assessment content is empty"))
    elif len(texts["title"]) > 500:
        errors.append(_("the assessment content is longer than 500 characters"))
    points = _decimal(texts.get("max_points", ""))
    if points is None:
        errors.append(_("the points “%(value)s” are not a number") % {"value": texts.get("max_points", "")[:20]})
    elif points <= 0 or points > MAX_POINTS:
        errors.append(_("the points must be above 0 and at most %(max)s") % {"max": MAX_POINTS})
    elif points != points.quantize(Decimal("0.01")):
        errors.append(_("the points have more than two decimal places"))
    step_text = texts.get("step", "")
    step = _decimal(step_text) if step_text else _default_step(points)
    if step is None or step <= 0:
        errors.append(_("the step “%(value)s” is not a number above 0") % {"value": step_text[:20]})
    elif points is not None and points > 0 and points % step != 0:
        errors.append(_("the points (%(max)s) are not a multiple of the step (%(step)s)") % {
            "max": points.normalize(), "step": step.normalize()})
    if texts.get("note_required", "").lower() not in YES | NO:
        errors.append(_("“%(value)s” in the note column is neither 是 nor 否") % {
            "value": texts["note_required"][:20]})
    if len(texts.get("code", "")) > 20:
        errors.append(_("the number is longer than 20 characters"))
    return errors


def _default_step(points: Decimal | None) -> Decimal:
    if points is not None and points % 1 != 0:
        return Decimal("0.5") if points % Decimal("0.5") == 0 else Decimal("0.1")
    return Decimal("1")


def _item(texts: dict[str, str], category: str) -> CriterionRow:
    points = _decimal(texts["max_points"]) or Decimal("0")
    step = _decimal(texts["step"]) if texts.get("step") else _default_step(points)
    return CriterionRow(category=category, code=texts.get("code", ""), title=texts["title"], max_points=points,
                        step=step or Decimal("1"), guidance=texts.get("guidance", ""),
                        evidence_required=texts.get("evidence_required", ""),
                        note_required=texts.get("note_required", "").lower() in YES)
