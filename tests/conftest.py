"""The cast of personas every test can use, built in code.

The office, a county liaison (unit A), a hospital liaison (unit B), their unit leaders,
an inspector, a bureau leader and the three administrators. Passwords meet the 等保 profile
and no first-login change is pending, so tests can sign them in directly.
"""

from __future__ import annotations

import pytest

PASSWORD = "Persona#Pass2026"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 at full strength costs ~1 s per persona; tests only need passwords to check."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_person(db):
    from django.utils import timezone

    from xiaoneng.org.models import RoleAssignment, User

    def make(username, *, unit=None, roles=(), full_name="", must_change_password=False):
        user = User(username=username, unit=unit, full_name=full_name or username,
                    must_change_password=must_change_password, password_changed_at=timezone.now())
        user.set_password(PASSWORD)
        user.save()
        for role in roles:
            RoleAssignment.objects.create(user=user, role=role)
        return user

    return make


@pytest.fixture
def groups(db):
    from xiaoneng.org.models import RankingGroup

    return {
        "county": RankingGroup.objects.create(name="县区组", order=1),
        "city": RankingGroup.objects.create(name="市直组", order=2),
    }


@pytest.fixture
def bureau(db):
    from xiaoneng.org.models import Unit, UnitKind

    return Unit.objects.create(name="测试市卫生健康委员会", kind=UnitKind.BUREAU)


@pytest.fixture
def unit_a(db, bureau, groups):
    from xiaoneng.org.models import Unit, UnitKind

    return Unit.objects.create(name="甲县卫生健康局", short_name="甲县", kind=UnitKind.COUNTY_BUREAU, parent=bureau,
                               ranking_group=groups["county"], order=1)


@pytest.fixture
def unit_b(db, bureau, groups):
    from xiaoneng.org.models import Unit, UnitKind

    return Unit.objects.create(name="乙市人民医院", short_name="乙院", kind=UnitKind.HOSPITAL, parent=bureau,
                               ranking_group=groups["city"], order=2)


@pytest.fixture
def office(make_person, bureau):
    return make_person("office_wang", unit=bureau, roles=["office"], full_name="王效能")


@pytest.fixture
def liaison_a(make_person, unit_a):
    return make_person("liaison_a", unit=unit_a, roles=["liaison"], full_name="甲联络")


@pytest.fixture
def leader_a(make_person, unit_a):
    return make_person("leader_a", unit=unit_a, roles=["unit_leader"], full_name="甲分管")


@pytest.fixture
def liaison_b(make_person, unit_b):
    return make_person("liaison_b", unit=unit_b, roles=["liaison"], full_name="乙联络")


@pytest.fixture
def inspector(make_person, bureau):
    return make_person("inspector_wu", unit=bureau, roles=["inspector"], full_name="吴督查")


@pytest.fixture
def bureau_leader(make_person, bureau):
    return make_person("leader_li", unit=bureau, roles=["bureau_leader"], full_name="李局长")


@pytest.fixture
def system_admin(make_person):
    return make_person("sys_admin", roles=["system_admin"])


@pytest.fixture
def security_admin(make_person):
    return make_person("sec_admin", roles=["security_admin"])


@pytest.fixture
def audit_admin(make_person):
    return make_person("audit_admin", roles=["audit_admin"])


@pytest.fixture
def client_for(client):
    """A test client signed in as the given user (bypassing the login form and 2FA).

    Administrators get a confirmed TOTP device and a session marked as verified by it, as
    if they had entered their code (the session policy requires that of admin roles).
    """
    from django.test import Client

    def signed_in(user):
        c = Client()
        c.force_login(user)
        if user.is_admin_role_holder:
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
                user=user, name="test", confirmed=True)
            session = c.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return c

    return signed_in


@pytest.fixture(autouse=True)
def _audit_log_emptied_before_flush(request):
    """The audit log refuses deletes even by raw SQL (SECURITY-CHECKS 10), so the flush that ends
    a transactional test would fail on it: empty it first, with its guards lifted for a moment."""
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    transactional = any(name in names for name in ("transactional_db", "django_db_reset_sequences", "live_server"))
    if marker is not None:
        transactional = transactional or bool(
            marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences") or (marker.args and marker.args[0])
        )
    if not transactional:
        yield
        return
    for name in ("transactional_db", "django_db_reset_sequences"):
        if name in names:
            request.getfixturevalue(name)  # set up first, so its flush runs after the clean-up below
    yield
    from tests.audit.support import audit_log_clear

    audit_log_clear()
