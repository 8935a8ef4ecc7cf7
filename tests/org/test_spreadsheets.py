"""Import and export of units and people as .xlsx: all or nothing, every bad row reported,
export → import round trip, formula-safe cells (SECURITY-CHECKS 19), zip bombs refused."""

import io
import time
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from xiaoneng.core.audit.models import AuditEvent
from xiaoneng.org.imports import person_import, unit_import
from xiaoneng.org.models import RankingGroup, Unit, User

pytestmark = pytest.mark.django_db

UNIT_HEADER_EN = ["Unit name", "Short name", "Kind", "Parent unit", "Ranking group", "Order", "Active"]
PERSON_HEADER_EN = ["User name", "Full name", "Unit name", "Roles", "Phone", "Job title", "E-mail", "Active"]


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "data.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def errors_by_row(result):
    rows = {}
    for error in result.errors:
        rows.setdefault(error.row, set()).add(error.code)
    return rows


# --- Units ------------------------------------------------------------------------------------


def test_units_import_creates_units_with_parents_named_further_down_the_file(bureau, groups):
    result = unit_import(content=xlsx([
        UNIT_HEADER_EN,
        ["丙区第一医院", "丙一院", "Hospital", "丙区卫生健康局", "市直组", 7, "Yes"],
        ["丙区卫生健康局", "丙区", "county_bureau", bureau.name, "县区组", 3, "No"],
    ]))
    assert result.ok, result.errors
    assert result.created == 2
    hospital = Unit.objects.get(name="丙区第一医院")
    assert hospital.parent.name == "丙区卫生健康局" and hospital.kind == "hospital"
    assert hospital.ranking_group == groups["city"] and hospital.order == 7
    assert Unit.objects.get(name="丙区卫生健康局").is_active is False
    event = AuditEvent.objects.get(action="import.units")
    assert event.result == "ok" and event.detail["created"] == 2


def test_units_import_with_bad_rows_imports_nothing_and_reports_every_bad_row(bureau, groups, unit_a):
    before = Unit.objects.count()
    result = unit_import(content=xlsx([
        UNIT_HEADER_EN,
        ["好单位", "", "hospital", bureau.name, "市直组", 1, "Yes"],           # row 2: fine
        ["孤儿单位", "", "hospital", "不存在的上级", "", 1, "Yes"],              # row 3: unknown parent
        ["无组单位", "", "hospital", "", "不存在的组", 1, "Yes"],               # row 4: unknown group
        [],                                                                    # row 5: blank, skipped
        ["好单位", "", "hospital", "", "", 1, "Yes"],                          # row 6: duplicate of row 2
        ["", "无名", "hospital", "", "", 1, "Yes"],                            # row 7: no name
        ["坏类别", "", "spaceship", "", "", "two", "maybe"],                   # row 8: three problems
    ]))
    assert not result.ok
    assert errors_by_row(result) == {
        3: {"unknown_parent"}, 4: {"unknown_group"}, 6: {"duplicate"}, 7: {"required"},
        8: {"unknown_kind", "bad_number", "bad_boolean"},
    }
    assert "2" in next(e.message for e in result.errors if e.row == 6)  # names the first row
    assert Unit.objects.count() == before
    assert AuditEvent.objects.get(action="import.units").result == "failed"


def test_units_import_updates_an_existing_unit_by_name(unit_a, groups):
    result = unit_import(content=xlsx([UNIT_HEADER_EN, [unit_a.name, "甲新简称", "county_bureau",
                                                         unit_a.parent.name, "县区组", 9, "Yes"]]))
    assert result.ok and result.created == 0 and result.updated == 1
    unit_a.refresh_from_db()
    assert unit_a.short_name == "甲新简称" and unit_a.order == 9


def test_units_import_refuses_a_loop_of_parents(bureau):
    result = unit_import(content=xlsx([UNIT_HEADER_EN, ["环甲", "", "", "环乙", "", 0, ""],
                                       ["环乙", "", "", "环甲", "", 0, ""]]))
    assert {e.code for e in result.errors} == {"parent_loop"}
    assert not Unit.objects.filter(name__startswith="环").exists()


def test_units_import_reports_a_missing_required_column_as_row_1(db):
    result = unit_import(content=xlsx([["Short name", "Kind"], ["甲", "hospital"]]))
    assert [(e.row, e.code) for e in result.errors] == [(1, "missing_column")]


def test_units_import_accepts_chinese_or_english_headers(db):
    from django.utils import translation

    with translation.override("zh-hans"):
        headers = [str(label) for label in (c.label for c in __import__(
            "xiaoneng.org.spreadsheets", fromlist=["UNIT_COLUMNS"]).UNIT_COLUMNS)]
    assert unit_import(content=xlsx([headers, ["中文表头单位"]])).ok
    assert unit_import(content=xlsx([["name"], ["键名表头单位"]])).ok


def test_units_export_reimports_without_any_change(client_for, office, unit_a, unit_b, groups):
    Unit.objects.create(name="=HYPERLINK(\"http://evil\")", short_name="+1", parent=unit_a, order=4,
                        is_active=False)
    before = list(Unit.objects.order_by("name").values("name", "short_name", "kind", "parent__name",
                                                       "ranking_group__name", "order", "is_active"))
    response = client_for(office).get("/org/units/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    result = unit_import(content=response.content)
    assert result.ok, result.errors
    assert result.created == 0 and result.updated == 0
    after = list(Unit.objects.order_by("name").values("name", "short_name", "kind", "parent__name",
                                                      "ranking_group__name", "order", "is_active"))
    assert after == before
    assert AuditEvent.objects.filter(action="export.units").count() == 1


def test_exported_cells_that_look_like_formulas_are_text_with_a_leading_quote(client_for, office, unit_a):
    Unit.objects.create(name='=HYPERLINK("http://evil.example","点我")', short_name="+1")
    Unit.objects.create(name="@SUM(A1)", short_name="-2+3")
    workbook = load_workbook(io.BytesIO(client_for(office).get("/org/units/export/").content))
    cells = {cell.value: cell for row in workbook.active.iter_rows(min_row=2) for cell in row[:2]}
    for text in ['=HYPERLINK("http://evil.example","点我")', "+1", "@SUM(A1)", "-2+3"]:
        cell = cells["'" + text]
        assert cell.data_type == "s"
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "@", "-")) for v in cells)


def test_unit_import_template_has_the_import_columns(client_for, office, groups):
    response = client_for(office).get("/org/units/template/")
    workbook = load_workbook(io.BytesIO(response.content))
    header = [cell.value for cell in workbook.worksheets[0][1]]
    export = load_workbook(io.BytesIO(client_for(office).get("/org/units/export/").content))
    assert header == [cell.value for cell in export.worksheets[0][1]]
    assert len(header) == 7
    assert unit_import(content=response.content).errors[0].code == "empty"
    assert "县区组" in str([c.value for row in workbook.worksheets[1].iter_rows() for c in row])


def test_import_page_shows_every_bad_row_as_a_table(client_for, office, bureau):
    content = xlsx([UNIT_HEADER_EN, ["孤儿单位", "", "", "不存在的上级"], ["", "无名"]])
    response = client_for(office).post("/org/units/import/", {"file": upload(content)})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="import-errors"' in body
    assert "不存在的上级" in body
    assert "<td>2</td>" in body and "<td>3</td>" in body
    assert not Unit.objects.filter(name="孤儿单位").exists()


def test_import_page_imports_a_good_file_and_returns_to_the_list(client_for, office, bureau):
    content = xlsx([UNIT_HEADER_EN, ["新导入单位", "新", "", bureau.name]])
    response = client_for(office).post("/org/units/import/", {"file": upload(content)})
    assert response.status_code == 302 and response["Location"] == "/org/units/"
    assert Unit.objects.get(name="新导入单位").parent == bureau


# --- Files that are not honest spreadsheets ----------------------------------------------------


def test_a_file_that_is_not_a_zip_is_refused(client_for, office):
    response = client_for(office).post("/org/units/import/", {"file": upload(b"name\n=cmd|' /C calc'!A0\n")})
    assert [e.code for e in response.context["result"].errors] == ["bad_file"]


def test_a_zip_that_is_not_a_workbook_is_refused(db):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    assert [e.code for e in unit_import(content=buffer.getvalue()).errors] == ["bad_file"]


def test_a_zip_bomb_is_refused_fast_from_its_directory(db):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(60):  # 60 MB of zeros: a few dozen KB on disk
                entry.write(chunk)
    content = buffer.getvalue()
    assert len(content) < 1024 * 1024
    started = time.monotonic()
    result = unit_import(content=content)
    assert time.monotonic() - started < 2
    assert [e.code for e in result.errors] == ["bad_file"]


def test_a_zip_with_thousands_of_entries_is_refused(db):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for index in range(5000):
            archive.writestr(f"xl/media/{index}.bin", b"")
    assert [e.code for e in unit_import(content=buffer.getvalue()).errors] == ["bad_file"]


def test_an_entry_whose_header_lies_about_its_size_is_refused(db):
    real = xlsx([UNIT_HEADER_EN, ["说谎单位"]])
    source = zipfile.ZipFile(io.BytesIO(real))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>"
                                    + b"x" * 2_000_000 + b"</t></is></c></row></sheetData>")
            archive.writestr(info.filename, data)
    forged = bytearray(buffer.getvalue())
    # Rewrite the declared uncompressed size of the sheet in the central directory to 10 KB.
    with zipfile.ZipFile(io.BytesIO(bytes(forged))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    name = b"xl/worksheets/sheet1.xml"
    position = 0
    while True:
        position = forged.find(b"PK\x01\x02", position)
        if forged[position + 46:position + 46 + len(name)] == name:
            break
        position += 4
    forged[position + 24:position + 28] = (10_240).to_bytes(4, "little")
    local = info.header_offset
    forged[local + 22:local + 26] = (10_240).to_bytes(4, "little")
    from xiaoneng.org.spreadsheets import check_xlsx

    check_xlsx(bytes(forged))  # the directory looks harmless: only reading can catch the lie
    result = unit_import(content=bytes(forged))
    assert [e.code for e in result.errors] == ["bad_file"]
    assert not Unit.objects.filter(name="说谎单位").exists()


def test_a_workbook_with_macros_is_refused(db):
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx([UNIT_HEADER_EN, ["宏单位"]]))) as source, \
            zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info.filename))
        archive.writestr("xl/vbaProject.bin", b"\0" * 100)
    assert [e.code for e in unit_import(content=buffer.getvalue()).errors] == ["bad_file"]
    assert not Unit.objects.filter(name="宏单位").exists()


def test_a_file_larger_than_the_upload_limit_is_refused(client_for, office, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    response = client_for(office).post("/org/units/import/", {"file": upload(b"PK\x03\x04" + b"\0" * 2000)})
    assert "file" in response.context["form"].errors


# --- People -----------------------------------------------------------------------------------


def test_people_import_creates_people_with_roles(unit_a, unit_b):
    result = person_import(content=xlsx([
        PERSON_HEADER_EN,
        ["bing1", "丙一", unit_a.name, "联络员、分管领导", 13812345678, "干事", "b1@example.cn", "是"],
        ["bing2", "丙二", unit_b.name, "liaison", "0571-88881234", "", "", ""],
    ]))
    assert result.ok, result.errors
    bing1 = User.objects.get(username="bing1")
    assert bing1.unit == unit_a and bing1.phone == "13812345678"
    assert bing1.role_set == {"liaison", "unit_leader"}
    assert not bing1.has_usable_password()
    assert AuditEvent.objects.get(action="import.people").detail["created"] == 2


def test_people_import_with_bad_rows_imports_nothing_and_reports_every_bad_row(unit_a, system_admin):
    result = person_import(content=xlsx([
        PERSON_HEADER_EN,
        ["ok1", "好人", unit_a.name, "liaison", "", "", "", ""],                     # 2 fine
        ["ok2", "无单位", "不存在的单位", "liaison", "", "", "", ""],                  # 3 unknown unit
        ["ok3", "怪角色", unit_a.name, "liaison、宇航员", "", "", "", ""],             # 4 unknown role
        ["ok4", "坏电话", unit_a.name, "", "12345", "", "", ""],                       # 5 bad phone
        ["ok5", "双管理", unit_a.name, "system_admin, audit_admin", "", "", "", ""],  # 6 two admin roles
        ["ok1", "重复", unit_a.name, "", "", "", "", ""],                              # 7 duplicate of 2
        ["sys_admin", "管理员", unit_a.name, "", "", "", "", ""],                      # 8 admin account
        ["ok6", "越权", unit_a.name, "system_admin", "", "", "bad-mail", ""],          # 9 admin role, e-mail
    ]))
    assert errors_by_row(result) == {
        3: {"unknown_unit"}, 4: {"unknown_role"}, 5: {"bad_phone"}, 6: {"two_admin_roles"},
        7: {"duplicate"}, 8: {"admin_account"}, 9: {"admin_role", "bad_email"},
    }
    assert not User.objects.filter(username__startswith="ok").exists()
    assert set(system_admin.role_assignments.values_list("role", flat=True)) == {"system_admin"}


def test_people_import_reports_missing_required_columns(db):
    result = person_import(content=xlsx([["User name", "Phone"], ["x", "13812345678"]]))
    assert {(e.row, e.code) for e in result.errors} == {(1, "missing_column")}
    assert len(result.errors) == 2  # full name and unit name


def test_people_export_reimports_without_any_change(client_for, office, liaison_a, leader_a, liaison_b):
    leader_a.phone, leader_a.email, leader_a.title = "13912345678", "leader@example.cn", "=1+1"
    leader_a.save()
    liaison_b.is_active = False
    liaison_b.save()

    def snapshot():
        return [(p.username, p.full_name, p.unit_id, p.phone, p.title, p.email, p.is_active,
                 sorted(p.role_assignments.values_list("role", flat=True)))
                for p in User.objects.order_by("username")]

    before = snapshot()
    response = client_for(office).get("/org/people/export/")
    assert "13912345678" in str([c.value for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()
                                 for c in row])
    result = person_import(content=response.content)
    assert result.ok, result.errors
    assert result.created == 0 and result.updated == 0
    assert snapshot() == before
    assert not AuditEvent.objects.filter(action="role.change").exists()
    assert AuditEvent.objects.filter(action="export.people").count() == 1


def test_people_export_masks_phones_when_asked(leader_a):
    from xiaoneng.org.imports import person_export

    leader_a.phone = "13912345678"
    leader_a.save()
    content = person_export(people=User.objects.filter(pk=leader_a.pk), show_phones=False)
    values = [c.value for row in load_workbook(io.BytesIO(content)).active.iter_rows() for c in row]
    assert "139****5678" in values and "13912345678" not in values


def test_people_import_page_is_for_the_office_only(client_for, liaison_a, office):
    assert client_for(liaison_a).get("/org/people/import/").status_code == 403
    assert client_for(office).get("/org/people/import/").status_code == 200
    assert client_for(office).get("/org/people/template/").status_code == 200


def test_people_import_deactivating_someone_ends_their_sessions(client_for, unit_a, liaison_a):
    liaison_client = client_for(liaison_a)
    assert liaison_client.get("/org/units/").status_code == 200
    result = person_import(content=xlsx([PERSON_HEADER_EN, ["liaison_a", "甲联络", unit_a.name, "liaison", "",
                                                            "", "", "否"]]))
    assert result.ok, result.errors
    assert liaison_client.get("/org/units/").status_code == 302


def test_ranking_groups_survive_an_import_untouched(groups, bureau):
    unit_import(content=xlsx([UNIT_HEADER_EN, ["某单位", "", "", bureau.name, "县区组"]]))
    assert RankingGroup.objects.count() == 2
