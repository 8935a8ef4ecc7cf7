"""The documents of a published month: the bulletin (通报, .docx, GB/T 9704) and a unit's 附表2 (.xlsx).

Both are official Chinese forms whatever language the screen is in, so their fixed wording
is written here in Chinese, like the built-in plan templates; everything variable comes from
the frozen snapshot (bulletin) or from publicity's adoptions (附表2).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from xiaoneng.core.officialdoc import chinese_date
from xiaoneng.core.xlsx import safe_cell

from .snapshot import totals

CHINESE_NUMERALS = "一二三四五六七八九十"
RANKING_HEADERS = ["名次", "单位", "采用数", "得分"]
RANKING_WIDTHS_MM = [22, 80, 24, 30]
CHANGE_HEADERS = ["单位", "组别", "原名次", "现名次", "原得分", "现得分"]
TWO_PLACES = Decimal("0.01")


def points_text(value: str | Decimal | None) -> str:
    """Points as a bulletin prints them: two decimals, half up."""
    if value is None or value == "":
        return "—"
    return str(Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP))


def ordinal(index: int) -> str:
    """1 → 一, 2 → 二 … for headings (一、总体情况)."""
    if 1 <= index <= 10:
        return CHINESE_NUMERALS[index - 1]
    if index < 20:
        return "十" + CHINESE_NUMERALS[index - 11]
    return str(index)


def default_title(year: int, month: int) -> str:
    return f"关于{year}年{month}月全市卫生健康宣传信息工作情况的通报"


def rank_text(row: dict) -> str:
    return f"{row['rank']}（并列）" if row["tied"] else str(row["rank"])


def summary_sentence(snapshot: dict) -> str:
    """上报信息xx条，采用x条，其中中央级x条、省级x条……"""
    figures = totals(snapshot)
    labels = snapshot.get("level_labels") or {}
    order = [level for level in labels if level in figures["by_level"]]
    order += [level for level in figures["by_level"] if level not in labels]
    parts = [f"{labels.get(level, level)}{figures['by_level'][level]}条" for level in order
             if figures["by_level"][level]]
    text = (f"{snapshot['year']}年{snapshot['month']}月，{figures['units']}个单位共上报信息{figures['items']}条，"
            f"被各级媒体（含网站）采用{figures['adoptions']}条")
    if parts:
        text += "，其中" + "、".join(parts)
    return text + "。"


def tie_break_sentence(snapshot: dict) -> str:
    rules = [rule for rule in snapshot.get("tie_break") or [] if rule]
    text = "排名规则：按本月得分从高到低排列"
    if rules:
        text += "；得分相同的，依次比较" + "，".join(f"{i}. {rule}" for i, rule in enumerate(rules, start=1))
    return text + "；仍相同的，名次并列（如1、2、2、4）。"


def ranking_table_rows(group: dict) -> list[list[str]]:
    return [[rank_text(row), row["unit_name"] + ("（一票否决）" if row["vetoed"] else ""), str(row["adoptions"]),
             points_text(row["points"])] for row in group["rows"]]


def change_rows(changes: list[dict]) -> list[list[str]]:
    def rank(value):
        return "—" if value is None else str(value)

    return [[c["unit_name"], c["group_name"], rank(c["old_rank"]), rank(c["new_rank"]), points_text(c["old_points"]),
             points_text(c["new_points"])] for c in changes]


@dataclass(frozen=True)
class BulletinHeader:
    title: str
    issuer: str
    issued_on: dt.date
    number: str = ""
    recipients: str = ""


def revision_line(number: int, issued_on: dt.date, note: str) -> str:
    """The line under a revised bulletin's title: which revision, when, and why."""
    return f"（第{number - 1}次修订，{chinese_date(issued_on)}。修订说明：{note.strip()}）"


def bulletin_docx(*, snapshot: dict, header: BulletinHeader, revision_number: int = 1, revision_note: str = "",
                  changes: list[dict] | None = None) -> bytes:
    """The bulletin of a published month as .docx bytes (GB/T 9704 layout via core.officialdoc)."""
    from xiaoneng.core.officialdoc import OfficialDocument

    year, month = snapshot["year"], snapshot["month"]
    note = revision_line(revision_number, header.issued_on, revision_note) if revision_number > 1 else None
    doc = OfficialDocument(title=header.title, issuer=header.issuer, date=header.issued_on,
                           number=header.number or None, recipients=header.recipients or None, revision_note=note)
    doc.paragraph(f"现将{year}年{month}月全市卫生健康系统宣传信息报送和采用情况通报如下。")
    section = 1
    doc.heading(f"{ordinal(section)}、总体情况", level=1)
    doc.paragraph(summary_sentence(snapshot))
    section += 1
    doc.heading(f"{ordinal(section)}、排名情况", level=1)
    vetoed = []
    for index, group in enumerate(snapshot["groups"], start=1):
        doc.heading(f"（{ordinal(index)}）{group['group_name']}", level=2)
        if not group["rows"]:
            doc.paragraph("本组本月无参加排名的单位。")
            continue
        doc.table(headers=RANKING_HEADERS, rows=ranking_table_rows(group),
                  caption=f"表{index}　{group['group_name']}{year}年{month}月宣传信息得分排名",
                  col_widths_mm=RANKING_WIDTHS_MM, align=["center", "left", "center", "center"])
        vetoed.extend(row["unit_name"] for row in group["rows"] if row["vetoed"])
    doc.note(tie_break_sentence(snapshot))
    if vetoed:
        doc.note("、".join(vetoed) + "本月实行一票否决，当月得分计为0分。")
    if revision_number > 1 and changes:
        section += 1
        doc.heading(f"{ordinal(section)}、修订情况", level=1)
        doc.paragraph(f"本通报为第{revision_number}版，替代此前发布的版本。与上一版相比，以下单位的排名或得分有变化：")
        doc.table(headers=CHANGE_HEADERS, rows=change_rows(changes), caption=None)
    doc.paragraph("希望各单位对照排名，查找不足，进一步加强宣传信息报送工作，按时报送附表2及佐证材料。")
    return doc.render()


# --- 附表2: the unit's monthly adoptions with their evidence --------------------------------

FORM2_HEADERS = ["序号", "稿件标题", "采用媒体（网站）", "级别", "类别", "刊发日期", "版面/网址", "得分",
                 "佐证材料", "佐证链接"]
FORM2_WIDTHS = [6, 40, 24, 10, 12, 12, 30, 8, 28, 40]


@dataclass(frozen=True)
class ReportRow:
    """One adoption as 附表2 lists it."""

    title: str
    outlet: str
    level: str
    kind: str
    adopted_on: dt.date | None
    page_or_url: str
    points: Decimal
    evidence_name: str
    evidence_link: str


def form2_title(unit_name: str, year: int, month: int) -> str:
    return f"{unit_name}{year}年{month}月媒体（含网站）信息采用情况统计表"


def unit_report_xlsx(*, unit_name: str, campaign_title: str, year: int, month: int, rows: list[ReportRow],
                     items_sent: int | None = None, made_on: dt.date | None = None) -> bytes:
    """附表2 as .xlsx bytes: every user-typed value goes through safe_cell (no formulas)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "附表2"
    last = get_column_letter(len(FORM2_HEADERS))
    sheet["A1"] = "附表2"
    sheet["A1"].font = Font(name="黑体", size=12)
    sheet["A2"] = safe_cell(form2_title(unit_name, year, month))
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"].font = Font(name="方正小标宋简体", size=16)
    sheet["A2"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[2].height = 30
    made_on = made_on or dt.date.today()
    sheet["A3"] = safe_cell(f"填报单位：{unit_name}")
    sheet.merge_cells("A3:E3")
    sheet["F3"] = safe_cell(f"活动：{campaign_title}")
    sheet.merge_cells("F3:H3")
    sheet["I3"] = f"填报日期：{chinese_date(made_on)}"
    sheet.merge_cells(f"I3:{last}3")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_row = 4
    for column, (name, width) in enumerate(zip(FORM2_HEADERS, FORM2_WIDTHS, strict=True), start=1):
        cell = sheet.cell(row=header_row, column=column, value=name)
        cell.font = Font(name="黑体", size=11)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        sheet.column_dimensions[get_column_letter(column)].width = width
    total = Decimal("0")
    for index, row in enumerate(rows, start=1):
        values = [index, safe_cell(row.title), safe_cell(row.outlet), safe_cell(row.level), safe_cell(row.kind),
                  row.adopted_on, safe_cell(row.page_or_url), Decimal(row.points), safe_cell(row.evidence_name),
                  safe_cell(row.evidence_link)]
        total += Decimal(row.points)
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=header_row + index, column=column, value=value)
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if column == 6 and value is not None:
                cell.number_format = "yyyy-mm-dd"
            if column == 8:
                cell.number_format = "0.00"
    summary_row = header_row + len(rows) + 1
    sheet.cell(row=summary_row, column=1, value="合计").border = border
    sheet.merge_cells(start_row=summary_row, start_column=2, end_row=summary_row, end_column=7)
    sent = "" if items_sent is None else f"本月上报信息{items_sent}条，"
    sheet.cell(row=summary_row, column=2, value=f"{sent}被采用{len(rows)}次")
    points_cell = sheet.cell(row=summary_row, column=8, value=total.quantize(TWO_PLACES))
    points_cell.number_format = "0.00"
    for column in range(1, len(FORM2_HEADERS) + 1):
        sheet.cell(row=summary_row, column=column).border = border
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = f"{header_row}:{header_row}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def form2_filename(unit_name: str, year: int, month: int) -> str:
    return f"附表2_{unit_name}_{year}年{month}月.xlsx"


def bulletin_filename(title: str, revision_number: int) -> str:
    suffix = f"_第{revision_number}版" if revision_number > 1 else ""
    return f"{title}{suffix}.docx"
