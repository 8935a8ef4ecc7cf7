"""Import and export of units and people as .xlsx (services: every run is audited).

An import is all or nothing: every row is checked first and every bad row is reported with
its row number as the spreadsheet shows it (the header is row 1); only a file without a
single bad row is written, in one transaction. A row whose unit name (or user name) already
exists updates that unit (or person): importing an export back changes nothing. The export
has the same columns as the import, so a file can be exported, edited and imported again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from xiaoneng.core.audit.models import AuditResult
from xiaoneng.core.audit.services import audit_record

from .models import ADMIN_ROLES, RankingGroup, Role, Unit, UnitKind, User
from .phones import is_valid_phone, mask_phone
from .services import end_sessions, person_set_roles, validate_role_set
from .spreadsheets import PERSON_COLUMNS, UNIT_COLUMNS, Sheet, SpreadsheetError, read_sheet, write_workbook

ROLE_SEPARATORS = re.compile(r"[、,，;；/\s]+")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str
    code: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- Parsing cell text ------------------------------------------------------------------------


def _labels(choices: type) -> dict[str, str]:
    """Value, Chinese label and English label of each choice, lower-cased, to its value."""
    mapping = {}
    for value, label in choices.choices:
        mapping[value.lower()] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                mapping[str(label).lower()] = value
        mapping[str(label).lower()] = value
    return mapping


def _yes_no() -> dict[str, bool]:
    words = {"1": True, "0": False, "true": True, "false": False, "yes": True, "no": False,
             "是": True, "否": False, "y": True, "n": False}
    words[_("Yes").lower()] = True
    words[_("No").lower()] = False
    return words


def _yes_no_text(value: bool) -> str:
    return _("Yes") if value else _("No")


class _RowChecker:
    """Collects the errors of one row."""

    def __init__(self, result: ImportResult, row: int):
        self.result, self.row, self.failed = result, row, False

    def error(self, column: str, message: str, code: str) -> None:
        self.failed = True
        self.result.errors.append(RowError(self.row, column, message, code))


def _file_errors(result: ImportResult, sheet: Sheet) -> None:
    for message in sheet.header_errors:
        result.errors.append(RowError(1, "", message, "missing_column"))


def _read(content: bytes, columns, result: ImportResult) -> Sheet | None:
    try:
        sheet = read_sheet(content, columns)
    except SpreadsheetError as exc:
        result.errors.append(RowError(0, "", str(exc), "bad_file"))
        return None
    _file_errors(result, sheet)
    if not sheet.rows and not result.errors:
        result.errors.append(RowError(0, "", _("The worksheet has no data rows."), "empty"))
    return None if result.errors else sheet


def _audit_import(action: str, request: Any, result: ImportResult, detail: dict[str, Any]) -> None:
    audit_record(action, request=request, result=AuditResult.OK if result.ok else AuditResult.FAILED,
                 detail={"created": result.created, "updated": result.updated, "bad_rows": len(
                     {error.row for error in result.errors}), **detail})


# --- Units ------------------------------------------------------------------------------------


def _check_unit_rows(sheet: Sheet, result: ImportResult) -> list[tuple[int, dict[str, Any]]]:
    kinds = _labels(UnitKind)
    yes_no = _yes_no()
    groups = {group.name: group for group in RankingGroup.objects.all()}
    existing_names = set(Unit.objects.values_list("name", flat=True))
    file_names = {values.get("name", "") for _row, values in sheet.rows}
    first_row_of: dict[str, int] = {}
    checked = []
    for row, values in sheet.rows:
        check = _RowChecker(result, row)
        data: dict[str, Any] = {}
        name = values.get("name", "")
        if not name:
            check.error("name", _("The unit name is empty."), "required")
        elif len(name) > 200:
            check.error("name", _("The unit name is longer than 200 characters."), "too_long")
        elif name in first_row_of:
            check.error("name", _("The unit “%(name)s” already appears in row %(row)d.")
                        % {"name": name, "row": first_row_of[name]}, "duplicate")
        else:
            first_row_of[name] = row
        data["name"] = name
        if "short_name" in sheet.columns:
            if len(values["short_name"]) > 50:
                check.error("short_name", _("The short name is longer than 50 characters."), "too_long")
            data["short_name"] = values["short_name"]
        if "kind" in sheet.columns:
            kind = values["kind"]
            if kind and kind.lower() not in kinds:
                check.error("kind", _("Unknown unit kind “%(value)s”.") % {"value": kind}, "unknown_kind")
            data["kind"] = kinds.get(kind.lower(), UnitKind.OTHER) if kind else UnitKind.OTHER
        if "parent" in sheet.columns:
            parent = values["parent"]
            if parent and parent == name:
                check.error("parent", _("A unit cannot be its own parent."), "parent_loop")
            elif parent and parent not in existing_names and parent not in file_names:
                check.error("parent", _("Unknown parent unit “%(value)s”.") % {"value": parent}, "unknown_parent")
            data["parent"] = parent or None
        if "ranking_group" in sheet.columns:
            group = values["ranking_group"]
            if group and group not in groups:
                check.error("ranking_group", _("Unknown ranking group “%(value)s”.") % {"value": group},
                            "unknown_group")
            data["ranking_group"] = groups.get(group)
        if "order" in sheet.columns:
            order = values["order"] or "0"
            if not order.isdigit():
                check.error("order", _("The order must be a whole number of 0 or more."), "bad_number")
            data["order"] = int(order) if order.isdigit() else 0
        if "is_active" in sheet.columns:
            active = values["is_active"].lower() or "1"
            if active not in yes_no:
                check.error("is_active", _("Write “Yes” or “No” in the active column."), "bad_boolean")
            data["is_active"] = yes_no.get(active, True)
        if not check.failed:
            checked.append((row, data))
    _check_unit_loops(checked, result)
    return checked


def _check_unit_loops(checked: list[tuple[int, dict[str, Any]]], result: ImportResult) -> None:
    """With the file's parents applied, no unit may become its own ancestor."""
    parent_of = dict(Unit.objects.values_list("name", "parent__name"))
    for _row, data in checked:
        if "parent" in data:
            parent_of[data["name"]] = data["parent"]
    for row, data in checked:
        seen, current = {data["name"]}, parent_of.get(data["name"])
        while current is not None:
            if current in seen:
                result.errors.append(RowError(row, "parent", _("The parent units form a loop."), "parent_loop"))
                break
            seen.add(current)
            current = parent_of.get(current)


def unit_import(*, content: bytes, request: Any = None) -> ImportResult:
    """Create or update units from a spreadsheet; nothing is written if any row is bad."""
    result = ImportResult()
    sheet = _read(content, UNIT_COLUMNS, result)
    checked = _check_unit_rows(sheet, result) if sheet else []
    if not result.ok:
        result.errors.sort(key=lambda error: error.row)
        _audit_import("import.units", request, result, {})
        return result
    with transaction.atomic():
        units = {unit.name: unit for unit in Unit.objects.select_for_update()}
        created, updated = set(), set()
        # Parents are set in a second pass, so a row may name a parent further down the file.
        for _row, data in checked:
            fields = {key: value for key, value in data.items() if key != "parent"}
            unit = units.get(data["name"])
            if unit is None:
                units[data["name"]] = Unit.objects.create(**fields)
                created.add(data["name"])
                continue
            changed = [key for key, value in fields.items() if getattr(unit, key) != value]
            for key in changed:
                setattr(unit, key, fields[key])
            if changed:
                unit.save(update_fields=[*changed, "updated_at"])
                updated.add(unit.name)
        for _row, data in checked:
            if "parent" not in data:
                continue
            unit = units[data["name"]]
            parent = units[data["parent"]] if data["parent"] else None
            if unit.parent_id != (parent.pk if parent else None):
                unit.parent = parent
                unit.save(update_fields=["parent", "updated_at"])
                updated.add(unit.name)
        result.created, result.updated = len(created), len(updated - created)
        _audit_import("import.units", request, result, {"rows": len(checked)})
    return result


def unit_export(*, units, request: Any = None) -> bytes:
    """The units as a spreadsheet with the import's columns; audited."""
    rows = [
        [unit.name, unit.short_name, unit.get_kind_display(), unit.parent.name if unit.parent else "",
         unit.ranking_group.name if unit.ranking_group else "", unit.order, _yes_no_text(unit.is_active)]
        for unit in units
    ]
    content = write_workbook(UNIT_COLUMNS, rows, title=_("Units"))
    audit_record("export.units", request=request, detail={"rows": len(rows)})
    return content


def unit_template() -> bytes:
    """An empty import file with the headers and, on a second sheet, the allowed values."""
    notes = [
        (_("Required columns"), str(UNIT_COLUMNS[0].label)),
        (_("Kind"), "、".join(str(label) for label in UnitKind.labels)),
        (_("Ranking group"), "、".join(RankingGroup.objects.values_list("name", flat=True))),
        (_("Active"), f"{_('Yes')} / {_('No')}"),
        (_("Existing units"), _("A row whose unit name already exists updates that unit.")),
    ]
    return write_workbook(UNIT_COLUMNS, [], title=_("Units"), notes=notes)


# --- People -----------------------------------------------------------------------------------


def _parse_roles(text: str, roles_by_label: dict[str, str], check: _RowChecker) -> set[str]:
    roles = set()
    for word in ROLE_SEPARATORS.split(text):
        if not word:
            continue
        role = roles_by_label.get(word.lower())
        if role is None:
            check.error("roles", _("Unknown role “%(value)s”.") % {"value": word}, "unknown_role")
        else:
            roles.add(role)
    try:
        validate_role_set(roles)
    except ValidationError as exc:
        check.error("roles", exc.messages[0], exc.code or "bad_roles")
        return roles
    if roles & ADMIN_ROLES:
        check.error("roles", _("The office cannot grant administrator roles."), "admin_role")
    return roles


def _check_person_rows(sheet: Sheet, result: ImportResult) -> list[tuple[int, dict[str, Any]]]:
    roles_by_label = _labels(Role)
    yes_no = _yes_no()
    units = {unit.name: unit for unit in Unit.objects.all()}
    admins = set(User.objects.filter(role_assignments__role__in=ADMIN_ROLES).values_list("username", flat=True))
    username_validator = UnicodeUsernameValidator()
    first_row_of: dict[str, int] = {}
    checked = []
    for row, values in sheet.rows:
        check = _RowChecker(result, row)
        data: dict[str, Any] = {}
        username = values.get("username", "")
        try:
            if not username:
                raise ValidationError(_("The user name is empty."), code="required")
            if len(username) > 150:
                raise ValidationError(_("The user name is longer than 150 characters."), code="too_long")
            username_validator(username)
        except ValidationError as exc:
            check.error("username", exc.messages[0], exc.code or "bad_username")
        else:
            if username in first_row_of:
                check.error("username", _("The user name “%(name)s” already appears in row %(row)d.")
                            % {"name": username, "row": first_row_of[username]}, "duplicate")
            elif username in admins:
                check.error("username", _("“%(name)s” is an administrator account; the office cannot change it.")
                            % {"name": username}, "admin_account")
            first_row_of.setdefault(username, row)
        data["username"] = username
        full_name = values.get("full_name", "")
        if not full_name:
            check.error("full_name", _("The full name is empty."), "required")
        elif len(full_name) > 100:
            check.error("full_name", _("The full name is longer than 100 characters."), "too_long")
        data["full_name"] = full_name
        unit_name = values.get("unit", "")
        if not unit_name:
            check.error("unit", _("The unit is empty."), "required")
        elif unit_name not in units:
            check.error("unit", _("Unknown unit “%(value)s”.") % {"value": unit_name}, "unknown_unit")
        data["unit"] = units.get(unit_name)
        if "roles" in sheet.columns:
            data["roles"] = _parse_roles(values["roles"], roles_by_label, check)
        if "phone" in sheet.columns:
            phone = values["phone"]
            if phone and not is_valid_phone(phone):
                check.error("phone", _("“%(value)s” is not a valid phone number.") % {"value": phone}, "bad_phone")
            data["phone"] = phone
        if "title" in sheet.columns:
            if len(values["title"]) > 100:
                check.error("title", _("The job title is longer than 100 characters."), "too_long")
            data["title"] = values["title"]
        if "email" in sheet.columns:
            email = values["email"]
            try:
                if email:
                    validate_email(email)
            except ValidationError:
                check.error("email", _("“%(value)s” is not a valid e-mail address.") % {"value": email}, "bad_email")
            data["email"] = email
        if "is_active" in sheet.columns:
            active = values["is_active"].lower() or "1"
            if active not in yes_no:
                check.error("is_active", _("Write “Yes” or “No” in the active column."), "bad_boolean")
            data["is_active"] = yes_no.get(active, True)
        if not check.failed:
            checked.append((row, data))
    return checked


def person_import(*, content: bytes, request: Any = None) -> ImportResult:
    """Create or update business people from a spreadsheet; nothing is written if any row is bad."""
    result = ImportResult()
    sheet = _read(content, PERSON_COLUMNS, result)
    checked = _check_person_rows(sheet, result) if sheet else []
    if not result.ok:
        result.errors.sort(key=lambda error: error.row)
        _audit_import("import.people", request, result, {})
        return result
    with transaction.atomic():
        existing = {person.username: person for person in User.objects.order_by("pk").select_for_update().filter(
            username__in=[data["username"] for _row, data in checked])}
        for _row, data in checked:
            roles = data.pop("roles", None)
            person = existing.get(data["username"])
            if person is None:
                person = User(**data, must_change_password=True)
                person.set_unusable_password()
                person.save()
                result.created += 1
            else:
                was_active = person.is_active
                changed = [key for key, value in data.items() if getattr(person, key) != value]
                for key in changed:
                    setattr(person, key, data[key])
                if changed:
                    person.save(update_fields=changed)
                    result.updated += 1
                if was_active and not person.is_active:
                    end_sessions(person)
            if roles is not None:
                person_set_roles(person=person, roles=roles, request=request)
        _audit_import("import.people", request, result, {"rows": len(checked)})
    return result


def _role_labels(person: User) -> str:
    return "、".join(str(Role(assignment.role).label) for assignment in person.role_assignments.all())


def person_export(*, people, show_phones: bool, request: Any = None) -> bytes:
    """The people as a spreadsheet with the import's columns; phones masked unless ``show_phones``."""
    rows = [
        [person.username, person.full_name, person.unit.name if person.unit else "", _role_labels(person),
         person.phone if show_phones else mask_phone(person.phone), person.title, person.email,
         _yes_no_text(person.is_active)]
        for person in people
    ]
    content = write_workbook(PERSON_COLUMNS, rows, title=_("People"))
    audit_record("export.people", request=request, detail={"rows": len(rows), "phones_shown": show_phones})
    return content


def person_template() -> bytes:
    """An empty people import file, with the allowed roles on a second sheet."""
    business_roles = [role for role in Role if role not in ADMIN_ROLES]
    notes = [
        (_("Required columns"), "、".join(str(column.label) for column in PERSON_COLUMNS if column.required)),
        (_("Roles"), "、".join(str(role.label) for role in business_roles)
         + _(" (several roles separated by 、 or commas)")),
        (_("Unit name"), _("The unit's full name, as in the unit list.")),
        (_("Phone"), _("A mobile (13800138000) or a landline with area code (0571-88881234).")),
        (_("Active"), f"{_('Yes')} / {_('No')}"),
        (_("Existing people"), _("A row whose user name already exists updates that person.")),
        (_("Passwords"), _("Imported people cannot sign in until the system administrator issues a password.")),
    ]
    return write_workbook(PERSON_COLUMNS, [], title=_("People"), notes=notes)
