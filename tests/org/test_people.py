"""People: the office adds and edits them, a unit sees its own, phones are masked for others."""

import pytest

from xiaoneng.core.audit.models import AuditEvent
from xiaoneng.org.models import User

pytestmark = pytest.mark.django_db


def person_form(unit, **overrides):
    data = {"username": "bing_liaison", "full_name": "丙联络", "unit": unit.pk, "roles": ["liaison"],
            "phone": "13812341234", "title": "干事", "email": "bing@example.cn", "is_active": "on"}
    data.update(overrides)
    return data


def test_office_adds_a_person_with_roles_and_both_are_audited(client_for, office, unit_a):
    response = client_for(office).post("/org/people/new/", person_form(unit_a))
    person = User.objects.get(username="bing_liaison")
    assert response.status_code == 302
    assert person.unit == unit_a and person.role_set == {"liaison"} and person.phone == "13812341234"
    assert not person.has_usable_password() and person.must_change_password
    assert AuditEvent.objects.filter(action="person.create", object_id=str(person.pk)).count() == 1
    assert AuditEvent.objects.filter(action="role.change", object_id=str(person.pk)).count() == 1


def test_double_submit_of_a_new_person_creates_one_person(client_for, office, unit_a):
    client = client_for(office)
    client.post("/org/people/new/", person_form(unit_a))
    second = client.post("/org/people/new/", person_form(unit_a))
    assert User.objects.filter(username="bing_liaison").count() == 1
    assert "username" in second.context["form"].errors


def test_a_bad_phone_is_refused_next_to_the_field_and_the_rest_is_kept(client_for, office, unit_a):
    response = client_for(office).post("/org/people/new/", person_form(unit_a, phone="12345"))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["phone"]
    assert 'value="丙联络"' in response.content.decode()
    assert not User.objects.filter(username="bing_liaison").exists()


def test_a_liaison_without_a_unit_is_refused(client_for, office):
    response = client_for(office).post("/org/people/new/", {
        "username": "nounit", "full_name": "无单位", "unit": "", "roles": ["liaison"]})
    assert "unit" in response.context["form"].errors
    assert not User.objects.filter(username="nounit").exists()


def test_the_office_cannot_grant_an_administrator_role_in_the_person_form(client_for, office, unit_a):
    response = client_for(office).post("/org/people/new/", person_form(unit_a, roles=["office", "system_admin"]))
    assert "roles" in response.context["form"].errors
    assert not User.objects.filter(username="bing_liaison").exists()
    body = client_for(office).get("/org/people/new/").content.decode()
    assert 'value="system_admin"' not in body and 'value="liaison"' in body


def test_office_edits_a_person_and_changes_their_roles(client_for, office, unit_a, liaison_a):
    response = client_for(office).post(f"/org/people/{liaison_a.pk}/edit/", person_form(
        unit_a, username="liaison_a", full_name="甲联络", roles=["liaison", "unit_leader"], title="主任"))
    assert response.status_code == 302
    liaison_a.refresh_from_db()
    liaison_a._role_cache = None
    assert liaison_a.title == "主任" and liaison_a.role_set == {"liaison", "unit_leader"}
    assert AuditEvent.objects.filter(action="person.update").count() == 1
    change = AuditEvent.objects.get(action="role.change")
    assert change.detail == {"before": ["liaison"], "after": ["liaison", "unit_leader"]}


def test_deactivating_a_person_signs_them_out(client_for, office, unit_a, liaison_a):
    liaison_client = client_for(liaison_a)
    assert liaison_client.get("/org/units/").status_code == 200
    data = person_form(unit_a, username="liaison_a", full_name="甲联络")
    del data["is_active"]
    client_for(office).post(f"/org/people/{liaison_a.pk}/edit/", data)
    liaison_a.refresh_from_db()
    assert liaison_a.is_active is False
    assert liaison_client.get("/org/units/").status_code == 302  # back to the login page


def test_office_does_not_see_or_edit_administrator_accounts(client_for, office, system_admin, liaison_a):
    client = client_for(office)
    body = client.get("/org/people/").content.decode()
    assert "sys_admin" not in body and "liaison_a" in body
    assert client.get(f"/org/people/{system_admin.pk}/").status_code == 404
    assert client.post(f"/org/people/{system_admin.pk}/edit/", {"username": "x"}).status_code == 404


def test_liaison_sees_only_their_units_people_with_masked_phones(client_for, liaison_a, leader_a, liaison_b):
    leader_a.phone = "13912345678"
    leader_a.save()
    client = client_for(liaison_a)
    body = client.get("/org/people/").content.decode()
    assert "甲分管" in body and "乙联络" not in body
    assert "139****5678" in body and "13912345678" not in body
    detail = client.get(f"/org/people/{leader_a.pk}/").content.decode()
    assert "139****5678" in detail and "13912345678" not in detail
    assert client.get(f"/org/people/{liaison_b.pk}/").status_code == 403


def test_office_sees_full_phones(client_for, office, leader_a):
    leader_a.phone = "13912345678"
    leader_a.save()
    assert "13912345678" in client_for(office).get("/org/people/").content.decode()


def test_liaison_gets_403_on_every_person_write(client_for, liaison_a, leader_a, unit_a):
    client = client_for(liaison_a)
    assert client.get("/org/people/new/").status_code == 403
    assert client.post("/org/people/new/", person_form(unit_a)).status_code == 403
    assert client.post(f"/org/people/{leader_a.pk}/edit/", person_form(unit_a)).status_code == 403
    assert client.get("/org/people/export/").status_code == 403
    assert client.post("/org/people/import/").status_code == 403
    assert not User.objects.filter(username="bing_liaison").exists()
    assert f"/org/people/{leader_a.pk}/edit/" not in client.get(f"/org/people/{leader_a.pk}/").content.decode()


def test_people_search_finds_by_name_user_name_and_unit(client_for, office, liaison_a, liaison_b):
    client = client_for(office)
    assert "乙联络" not in client.get("/org/people/", {"q": "甲联络"}).content.decode()
    assert "甲联络" in client.get("/org/people/", {"q": "liaison_a"}).content.decode()
    by_unit = client.get("/org/people/", {"q": "乙市"}).content.decode()
    assert "乙联络" in by_unit and "甲联络" not in by_unit


@pytest.mark.parametrize("phone, masked", [
    ("13812341234", "138****1234"),
    ("0571-88881234", "057*-****1234"),
    ("", ""),
    ("12345", "*****"),
])
def test_mask_phone_keeps_only_the_first_three_and_last_four_digits(phone, masked):
    from xiaoneng.org.phones import mask_phone

    assert mask_phone(phone) == masked
