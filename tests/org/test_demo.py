"""Demo data: a fictional bureau with one person per role, safe to load twice."""

import pytest

from xiaoneng.org.models import RankingGroup, Role, RoleAssignment, Unit, User

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Unit.objects.values_list("name", "kind", "parent__name", "ranking_group__name", "order")),
        sorted(RankingGroup.objects.values_list("name", "order")),
        sorted(User.objects.values_list("username", "unit__name", "password")),
        sorted(RoleAssignment.objects.values_list("user__username", "role")),
    )


def test_loading_the_demo_twice_changes_nothing():
    from django.core.management import call_command

    call_command("demo")
    first = snapshot()
    call_command("demo")
    assert snapshot() == first
    assert Unit.objects.filter(ranking_group__name="县区卫生健康局").count() == 7
    assert Unit.objects.filter(ranking_group__name="市直医疗卫生单位").count() == 14


def test_the_demo_has_a_person_for_every_role_and_each_person_holds_one_role():
    from xiaoneng.org.demo import demo_load

    demo_load()
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    for user in User.objects.all():
        assert user.role_assignments.count() == 1, user.username
    # A county and a hospital each have their liaison and leader, so scoping can be shown.
    assert RoleAssignment.objects.filter(role=Role.LIAISON).values("user__unit").distinct().count() == 2


def test_demo_administrators_hold_one_role_and_no_unit():
    from xiaoneng.org.demo import demo_load

    demo_load()
    for user in User.objects.filter(role_assignments__role__in=["system_admin", "security_admin", "audit_admin"]):
        assert user.role_assignments.count() == 1 and user.unit is None
