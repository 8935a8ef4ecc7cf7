"""A scheme to a scoring table (.xlsx, 附件3 style) and back: round trip, row errors, formula safety."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from xiaoneng.assessment import services, spreadsheets
from xiaoneng.assessment.models import Criterion, Scheme
from xiaoneng.assessment.selectors import scheme_total, scheme_tree
from xiaoneng.org.spreadsheets import SpreadsheetError

pytestmark = pytest.mark.django_db

HEADER = ["序号", "类别", "考核内容", "分值", "评分标准", "佐证材料"]


def workbook(rows, *, title="宣传工作督查考核标准", header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def shape(scheme):
    return [(c.code, c.title, c.max_points, [(i.code, i.title, i.max_points, i.step, i.guidance,
                                               i.evidence_required, i.note_required) for i in items])
            for c, items in scheme_tree(scheme)]


def test_export_then_import_gives_the_same_scheme(scheme, office):
    item = scheme.criteria.filter(parent__isnull=False).first()
    item.guidance = "=HYPERLINK(\"http://evil\")"  # must stay text
    item.save()
    content = spreadsheets.scheme_export(scheme)
    sheet = load_workbook(io.BytesIO(content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert not any(v.startswith("=") for v in values)
    assert sheet.cell(row=2, column=3).value in ("考核内容", "Assessment content")
    result = spreadsheets.scheme_read(content)
    assert result.errors == []
    imported = services.scheme_import(name=result.name, categories=result.categories, actor=office)
    assert imported.name == scheme.name
    assert shape(imported) == shape(scheme)
    assert scheme_total(imported) == Decimal("20")


def test_a_typical_table_with_merged_categories_and_a_total_row_imports(client_for, office):
    content = workbook([
        ["1", "一、组织领导（15分）", "成立效能年活动宣传工作领导小组", 5, "未成立扣5分", "文件"],
        ["2", None, "制定宣传工作方案和阶段计划", 10, "缺一项扣5分", "方案"],
        ["3", "二、信息报送", "每月5日前报送附表2", 2.5, "迟报一次扣0.5分", "附表2"],
        ["合计", None, None, 17.5],
    ])
    response = client_for(office).post("/assessment/schemes/import/", {
        "file": SimpleUploadedFile("附件3.xlsx", content), "name": ""})
    assert response.status_code == 302
    scheme = Scheme.objects.get(name="宣传工作督查考核标准")
    (first, first_items), (second, second_items) = scheme_tree(scheme)
    assert (first.code, first.title, first.max_points) == ("一", "组织领导", Decimal("15"))
    assert [i.title for i in first_items] == ["成立效能年活动宣传工作领导小组", "制定宣传工作方案和阶段计划"]
    assert second_items[0].step == Decimal("0.5")


def test_every_bad_row_is_reported_and_nothing_is_imported(client_for, office):
    content = workbook([
        ["1", None, "没有类别的项", 5],
        ["2", "一、组织领导", "", 5],
        ["3", None, "分值不是数字", "五分"],
        ["4", None, "步长不整除", 5, "", "", ],
        ["5", None, "分值为负", -1],
    ], header=HEADER)
    response = client_for(office).post("/assessment/schemes/import/", {
        "file": SimpleUploadedFile("附件3.xlsx", content)})
    assert response.status_code == 400
    page = response.content.decode()
    for row in (3, 4, 5, 7):
        assert f"第{row}行" in page or f"Row {row}" in page
    assert not Scheme.objects.exists() and not Criterion.objects.exists()


def test_a_total_that_does_not_add_up_is_refused():
    result = spreadsheets.scheme_read(workbook([["1", "一、组织领导", "领导小组", 5], ["合计", None, None, 6]]))
    assert len(result.errors) == 1 and "6" in result.errors[0]


def test_a_file_that_is_not_a_workbook_or_has_no_header_is_refused():
    with pytest.raises(SpreadsheetError):
        spreadsheets.scheme_read(b"PK\x03\x04 not really")
    with pytest.raises(SpreadsheetError):
        spreadsheets.scheme_read(workbook([["a", "b"]], header=["甲", "乙"]))


def test_office_exports_a_scheme(client_for, office, scheme):
    response = client_for(office).get(f"/assessment/schemes/{scheme.pk}/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert spreadsheets.scheme_read(response.content).errors == []
