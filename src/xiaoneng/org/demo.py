"""Demo data: a fictional city bureau, its units, and one person for every role. Idempotent."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import RankingGroup, Role, RoleAssignment, Unit, UnitKind, User

DEMO_PASSWORD = "Xiaoneng#2026"  # noqa: S105 - the published demo password

BUREAU = "示范市卫生健康委员会"
OFFICE = "示范市卫生健康委员会效能办"
COUNTY_GROUP = "县区卫生健康局"
CITY_GROUP = "市直医疗卫生单位"
COUNTIES = ["东城区卫生健康局", "西城区卫生健康局", "南湖区卫生健康局", "北山区卫生健康局",
            "青山县卫生健康局", "白水县卫生健康局", "云岭县卫生健康局"]
CITY_UNITS = [
    ("示范市第一人民医院", UnitKind.HOSPITAL), ("示范市第二人民医院", UnitKind.HOSPITAL),
    ("示范市第三人民医院", UnitKind.HOSPITAL), ("示范市中医院", UnitKind.HOSPITAL),
    ("示范市妇幼保健院", UnitKind.HOSPITAL), ("示范市儿童医院", UnitKind.HOSPITAL),
    ("示范市传染病医院", UnitKind.HOSPITAL), ("示范市精神卫生中心", UnitKind.HOSPITAL),
    ("示范市口腔医院", UnitKind.HOSPITAL), ("示范市疾病预防控制中心", UnitKind.CDC),
    ("示范市卫生监督所", UnitKind.SUPERVISION), ("示范市中心血站", UnitKind.BLOOD_CENTRE),
    ("示范市急救中心", UnitKind.OTHER), ("示范市健康教育所", UnitKind.OTHER),
]

# (username, full name, unit name or None, roles, title)
DEMO_PEOPLE = [
    ("office", "王效能", OFFICE, [Role.OFFICE], "效能办科员"),
    ("leader", "李局长", BUREAU, [Role.BUREAU_LEADER], "局长"),
    ("dongcheng", "赵联络", "东城区卫生健康局", [Role.LIAISON], "办公室主任"),
    ("dongcheng_leader", "钱分管", "东城区卫生健康局", [Role.UNIT_LEADER], "副局长"),
    ("hospital1", "孙联络", "示范市第一人民医院", [Role.LIAISON], "院办干事"),
    ("hospital1_leader", "周分管", "示范市第一人民医院", [Role.UNIT_LEADER], "副院长"),
    ("inspector", "吴督查", OFFICE, [Role.INSPECTOR], "督查员"),
    ("sysadmin", "郑系统", None, [Role.SYSTEM_ADMIN], "系统管理员"),
    ("secadmin", "冯安全", None, [Role.SECURITY_ADMIN], "安全管理员"),
    ("auditadmin", "陈审计", None, [Role.AUDIT_ADMIN], "审计管理员"),
]


@transaction.atomic
def demo_load() -> dict[str, int]:
    """Create what is missing of the demo data; existing rows are kept as they are."""
    county_group, _ = RankingGroup.objects.get_or_create(name=COUNTY_GROUP, defaults={"order": 1})
    city_group, _ = RankingGroup.objects.get_or_create(name=CITY_GROUP, defaults={"order": 2})
    bureau, _ = Unit.objects.get_or_create(name=BUREAU, defaults={"kind": UnitKind.BUREAU, "order": 0})
    Unit.objects.get_or_create(name=OFFICE, defaults={"kind": UnitKind.OFFICE, "parent": bureau, "order": 1,
                                                      "short_name": "效能办"})
    for index, name in enumerate(COUNTIES, start=10):
        Unit.objects.get_or_create(name=name, defaults={"kind": UnitKind.COUNTY_BUREAU, "parent": bureau,
                                                        "ranking_group": county_group, "order": index})
    for index, (name, kind) in enumerate(CITY_UNITS, start=30):
        Unit.objects.get_or_create(name=name, defaults={"kind": kind, "parent": bureau,
                                                        "ranking_group": city_group, "order": index})
    created = 0
    for username, full_name, unit_name, roles, title in DEMO_PEOPLE:
        if User.objects.filter(username=username).exists():
            continue
        user = User(username=username, full_name=full_name, title=title,
                    unit=Unit.objects.get(name=unit_name) if unit_name else None,
                    must_change_password=False, password_changed_at=timezone.now())
        user.set_password(DEMO_PASSWORD)
        user.save()
        for role in roles:
            RoleAssignment.objects.create(user=user, role=role)
        created += 1
    return {"units": Unit.objects.count(), "people_created": created}
