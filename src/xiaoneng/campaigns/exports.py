"""Spreadsheets of a campaign: the board, and 附表1 collected from every unit."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from xiaoneng.core.xlsx import safe_cell

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
FILLS = {"overdue": "F8D7DA", "returned": "F8D7DA", "soon": "FFF3CD", "late_submitted": "FFF3CD",
         "accepted": "D1E7DD", "submitted": "CFE2FF", "awaiting": "CFF4FC"}


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def board_xlsx(campaign, columns, rows) -> bytes:
    """The board as a sheet: one row per unit, one column per due item, counts and on-time rate.

    Written in openpyxl's streaming mode with one shared style per status, so a board of
    18,000 cells is written in well under a second.
    """
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("报送情况")
    ws.column_dimensions["A"].width = 28
    for index in range(2, len(columns) + 6):
        ws.column_dimensions[get_column_letter(index)].width = 16
    ws.freeze_panes = "B3"

    def styled(value, *, font=None, fill=None, alignment=None):
        cell = WriteOnlyCell(ws, value=value)
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if alignment is not None:
            cell.alignment = alignment
        return cell

    bold, title_font = Font(bold=True), Font(bold=True, size=14)
    fills = {status: PatternFill("solid", fgColor=colour) for status, colour in FILLS.items()}
    headers = ["单位"] + [f"{c['obligation'].title}\n{c['label']}\n截止{c['due_date']:%Y-%m-%d}" for c in columns]
    headers += ["应报", "已报", "按时", "按时率"]
    ws.append([styled(safe_cell(campaign.title), font=title_font)])
    ws.append([styled(safe_cell(h), font=bold, alignment=CENTER) for h in headers])
    labels = {}
    for row in rows:
        values = [safe_cell(row.unit.name)]
        for cell in row.cells:
            if cell is None:
                values.append("")
                continue
            if cell.status not in labels:
                labels[cell.status] = str(cell.label)
            values.append(styled(labels[cell.status], fill=fills.get(cell.status)) if cell.status in fills
                          else labels[cell.status])
        values += [row.due, row.submitted, row.on_time, row.on_time_rate]
        ws.append(values)
    return _save(wb)


def contacts_xlsx(campaign, contacts) -> bytes:
    """附表1 in its printed layout: title, header rows, one row per unit."""
    wb = Workbook()
    ws = wb.active
    ws.title = "附表1"
    ws["A1"] = "附表1"
    ws["A2"] = safe_cell(f"{campaign.title}宣传工作分管领导、具体工作人员联系方式")
    ws.merge_cells("A2:H2")
    ws["A2"].font = Font(bold=True, size=16)
    ws["A2"].alignment = CENTER
    ws.append(["序号", "单位", "分管领导", "", "", "具体工作人员", "", ""])
    ws.append(["", "", "姓名", "职务", "联系电话", "姓名", "职务", "联系电话"])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:E3")
    ws.merge_cells("F3:H3")
    for number, (unit, contact) in enumerate(contacts, start=1):
        if contact is None:
            ws.append([number, safe_cell(unit.name), "未报送", "", "", "", "", ""])
        else:
            ws.append([number, safe_cell(unit.name), safe_cell(contact.leader_name), safe_cell(contact.leader_title),
                       safe_cell(contact.leader_phone), safe_cell(contact.liaison_name),
                       safe_cell(contact.liaison_title), safe_cell(contact.liaison_phone)])
    for row in ws.iter_rows(min_row=3, max_row=ws.max_row, max_col=8):
        for cell in row:
            cell.border = BOX
            cell.alignment = CENTER
    for row in ws.iter_rows(min_row=3, max_row=4, max_col=8):
        for cell in row:
            cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGH", (6, 30, 10, 14, 16, 10, 14, 16), strict=True):
        ws.column_dimensions[letter].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = "3:4"
    return _save(wb)
