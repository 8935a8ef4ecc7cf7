"""三员分立 (SECURITY-CHECKS 7): no account holds two administrator roles, anywhere; administrators
see no business data; each administrator does only their own part of account management."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from xiaoneng.core.audit.models import AuditEvent
from xiaoneng.org.models import RoleAssignment, User
from xiaoneng.org.services import account_set_admin_roles, person_set_roles

pytestmark = pytest.mark.django_db

BUSINESS_URLS = ["/org/units/", "/org/units/new/", "/org/units/export/", "/org/units/import/",
                 "/org/people/", "/org/people/new/", "/org/people/export/", "/org/people/import/", "/org/groups/"]


def test_database_refuses_a_second_administrator_role_from_a_shell(system_admin):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=system_admin, role="audit_admin")
    assert set(system_admin.role_assignments.values_list("role", flat=True)) == {"system_admin"}


def test_service_refuses_two_administrator_roles(make_person):
    account = make_person("newadmin")
    with pytest.raises(ValidationError) as caught:
        person_set_roles(person=account, roles=["security_admin", "audit_admin"])
    assert caught.value.code == "two_admin_roles"
    assert not account.role_assignments.exists()


def test_service_refuses_an_administrator_role_with_a_business_role(liaison_a):
    with pytest.raises(ValidationError) as caught:
        account_set_admin_roles(account=liaison_a, admin_roles=["audit_admin"])
    assert caught.value.code == "admin_with_business_role"
    assert set(liaison_a.role_assignments.values_list("role", flat=True)) == {"liaison"}


def test_security_admin_form_refuses_two_administrator_roles_with_a_field_message(
        admin_client_for, security_admin, make_person):
    account = make_person("newadmin")
    response = admin_client_for(security_admin).post(f"/org/accounts/{account.pk}/admin-roles/",
                                               {"roles": ["system_admin", "audit_admin"]})
    assert response.status_code == 200
    assert "roles" in response.context["roles_form"].errors
    body = response.content.decode()
    assert "两个管理员角色" in body or "two administrator roles" in body
    assert not account.role_assignments.exists()


def test_security_admin_grants_and_revokes_an_administrator_role(admin_client_for, client_for, security_admin, make_person):
    account = make_person("newadmin")
    client = admin_client_for(security_admin)
    assert client.post(f"/org/accounts/{account.pk}/admin-roles/", {"roles": ["audit_admin"]}).status_code == 302
    assert set(account.role_assignments.values_list("role", flat=True)) == {"audit_admin"}
    client.post(f"/org/accounts/{account.pk}/admin-roles/", {})
    assert not account.role_assignments.exists()
    assert AuditEvent.objects.filter(action="role.change", object_id=str(account.pk)).count() == 2


def test_security_admin_cannot_give_an_administrator_role_to_a_business_person(admin_client_for, client_for, security_admin, liaison_a):
    response = admin_client_for(security_admin).post(f"/org/accounts/{liaison_a.pk}/admin-roles/",
                                               {"roles": ["system_admin"]})
    assert "roles" in response.context["roles_form"].errors
    assert set(liaison_a.role_assignments.values_list("role", flat=True)) == {"liaison"}


def test_only_the_security_admin_grants_administrator_roles(admin_client_for, client_for, system_admin, office, make_person):
    account = make_person("newadmin")
    for client in (admin_client_for(system_admin), client_for(office)):
        response = client.post(f"/org/accounts/{account.pk}/admin-roles/", {"roles": ["audit_admin"]})
        assert response.status_code == 403
    assert not account.role_assignments.exists()


@pytest.mark.parametrize("persona", ["system_admin", "security_admin", "audit_admin"])
def test_administrators_get_403_on_business_pages(request, admin_client_for, persona, unit_a, liaison_a):
    client = admin_client_for(request.getfixturevalue(persona))
    for url in [*BUSINESS_URLS, f"/org/units/{unit_a.pk}/", f"/org/people/{liaison_a.pk}/"]:
        assert client.get(url).status_code == 403, url


def test_audit_admin_sees_no_org_page_at_all(admin_client_for, client_for, audit_admin, liaison_a):
    client = admin_client_for(audit_admin)
    for url in ["/org/accounts/", f"/org/accounts/{liaison_a.pk}/", "/org/accounts/new/"]:
        assert client.get(url).status_code == 403, url


def test_business_users_cannot_open_account_pages(admin_client_for, client_for, office, liaison_a):
    for user in (office, liaison_a):
        assert client_for(user).get("/org/accounts/").status_code == 403


def test_account_list_shows_names_units_and_roles_but_no_phones_or_titles(admin_client_for, client_for, system_admin, leader_a):
    leader_a.phone, leader_a.title = "13912345678", "副局长"
    leader_a.save()
    body = admin_client_for(system_admin).get("/org/accounts/").content.decode()
    assert "leader_a" in body and "甲分管" in body and "甲县卫生健康局" in body
    assert "13912345678" not in body and "139****5678" not in body and "副局长" not in body
    detail = admin_client_for(system_admin).get(f"/org/accounts/{leader_a.pk}/").content.decode()
    assert "13912345678" not in detail and "副局长" not in detail


def test_system_admin_creates_an_account_and_sees_its_temporary_password_once(admin_client_for, client_for, system_admin, unit_a):
    response = admin_client_for(system_admin).post("/org/accounts/new/", {"username": "newcomer", "full_name": "新人",
                                                                    "unit": unit_a.pk})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = response.context["password"]
    account = User.objects.get(username="newcomer")
    assert account.check_password(password) and account.must_change_password
    assert not account.role_assignments.exists()
    assert password not in admin_client_for(system_admin).get(f"/org/accounts/{account.pk}/").content.decode()
    assert AuditEvent.objects.filter(action="account.create", object_id=str(account.pk)).count() == 1


def test_system_admin_resets_a_password_to_a_temporary_one_that_must_be_changed(admin_client_for, client_for, system_admin,
                                                                                 liaison_a):
    from tests.conftest import PASSWORD

    response = admin_client_for(system_admin).post(f"/org/accounts/{liaison_a.pk}/reset-password/")
    liaison_a.refresh_from_db()
    assert liaison_a.check_password(response.context["password"])
    assert not liaison_a.check_password(PASSWORD)
    assert liaison_a.must_change_password is True


def test_disabling_an_account_ends_its_sessions(admin_client_for, client_for, system_admin, liaison_a):
    from django.contrib.sessions.models import Session

    liaison_client = client_for(liaison_a)
    assert liaison_client.get("/org/units/").status_code == 200
    session_key = liaison_client.session.session_key
    response = admin_client_for(system_admin).post(f"/org/accounts/{liaison_a.pk}/disable/")
    assert response.status_code == 302
    liaison_a.refresh_from_db()
    assert liaison_a.is_active is False
    assert liaison_client.get("/org/units/").status_code == 302
    assert not Session.objects.filter(session_key=session_key).exists()
    admin_client_for(system_admin).post(f"/org/accounts/{liaison_a.pk}/enable/")
    liaison_a.refresh_from_db()
    assert liaison_a.is_active is True


def test_an_administrator_cannot_disable_or_reset_their_own_account(admin_client_for, client_for, system_admin):
    client = admin_client_for(system_admin)
    client.post(f"/org/accounts/{system_admin.pk}/disable/")
    client.post(f"/org/accounts/{system_admin.pk}/reset-password/")
    system_admin.refresh_from_db()
    assert system_admin.is_active is True and system_admin.must_change_password is False


def test_only_the_system_admin_manages_accounts(admin_client_for, client_for, security_admin, liaison_a):
    client = admin_client_for(security_admin)
    assert client.post("/org/accounts/new/", {"username": "x", "full_name": "x"}).status_code == 403
    assert client.post(f"/org/accounts/{liaison_a.pk}/disable/").status_code == 403
    assert client.post(f"/org/accounts/{liaison_a.pk}/reset-password/").status_code == 403
    liaison_a.refresh_from_db()
    assert liaison_a.is_active


def test_security_admin_unlocks_a_locked_account(admin_client_for, client_for, security_admin, liaison_a):
    from django.utils import timezone

    from xiaoneng.core.security.models import LoginFailure

    for _ in range(5):
        LoginFailure.objects.create(username="liaison_a", ip="10.0.0.1", at=timezone.now())
    assert admin_client_for(security_admin).post(f"/org/accounts/{liaison_a.pk}/unlock/").status_code == 302
    assert not LoginFailure.objects.filter(username="liaison_a").exists()


def test_security_admin_sees_the_role_form_but_not_the_account_buttons(admin_client_for, security_admin, liaison_a):
    body = admin_client_for(security_admin).get(f"/org/accounts/{liaison_a.pk}/").content.decode()
    assert f"/org/accounts/{liaison_a.pk}/admin-roles/" in body and f"/org/accounts/{liaison_a.pk}/unlock/" in body
    assert f"/org/accounts/{liaison_a.pk}/disable/" not in body
    assert f"/org/accounts/{liaison_a.pk}/reset-password/" not in body
