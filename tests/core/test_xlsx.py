import io

from openpyxl import Workbook, load_workbook

from xiaoneng.core.xlsx import safe_cell


def test_text_with_control_characters_still_makes_a_workbook_and_formulas_stay_text():
    workbook = Workbook()
    workbook.active.append([safe_cell("排队\x0b太久\x00"), safe_cell("=HYPERLINK(\"http://evil\")"),
                            safe_cell("\x01=1+1"), safe_cell(12), safe_cell("多行\n意见")])
    buffer = io.BytesIO()
    workbook.save(buffer)  # openpyxl refuses \x0b and \x00 in a cell: this would raise without safe_cell
    row = [cell.value for cell in load_workbook(buffer).active[1]]
    assert row == ["排队太久", "'=HYPERLINK(\"http://evil\")", "'=1+1", 12, "多行\n意见"]
