"""Demo data: the 附件3 scoring table of the publicity plan, three rounds (two locked, one open). Idempotent."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from xiaoneng.org.models import Role, RoleAssignment, Unit, User

from . import services
from .models import Criterion, Round, RoundStatus, RoundUnit, Scheme, Score, SettledScore

SCHEME_NAME = "效能年活动宣传工作督查考核标准（附件3）"

# (category, [(item, max points, step, guidance, evidence, note required)]), modelled on the plan's 附件3.
SCHEME = [
    ("组织领导", [
        ("成立效能年活动宣传工作领导小组，明确分管领导和具体工作人员", "5", "1",
         "未成立领导小组扣5分；分管领导、具体工作人员不明确扣2分", "成立文件、附表1", False),
        ("制定宣传工作方案和阶段宣传计划，2月20日前报市卫生局效能办", "5", "0.5",
         "未制定扣5分；未按时报送扣1分；内容不具体、可操作性不强扣0.5—2分", "工作方案、阶段计划", True),
        ("宣传工作纳入本单位效能年活动总体部署，定期研究宣传工作", "5", "1",
         "未研究部署扣3分；无会议记录扣2分", "会议记录、纪要", False),
    ]),
    ("宣传载体建设", [
        ("在本系统、本单位网站（网页）设置效能年活动专栏或专题，及时更新", "8", "1",
         "未设置专栏扣8分；更新不及时每次扣1分", "网站专栏截图", True),
        ("利用宣传栏、电子显示屏、横幅、板报等营造活动氛围", "6", "1",
         "无宣传氛围扣6分；形式单一扣2分", "现场照片", False),
        ("在《卫生信息》等内部刊物刊发效能年活动专题信息", "6", "1",
         "全年未刊发扣6分；每少一期扣1分", "刊物原件", False),
    ]),
    ("信息报送", [
        ("每月5日前以附表2格式报送上月媒体（含网站）信息采用情况及佐证资料", "10", "0.5",
         "迟报一次扣1分，漏报一次扣2分；佐证资料不全每次扣0.5分", "附表2、采用佐证", True),
        ("新闻信息采用得分情况（按全市月度排名折算）", "15", "0.5",
         "全市前三名得满分，其余按名次依次递减0.5分", "月度排名通报", False),
        ("每一阶段结束后1周内报送上阶段工作小结和下阶段工作计划", "5", "1",
         "未报送每次扣2分；迟报每次扣1分", "工作小结、工作计划", False),
    ]),
    ("典型宣传", [
        ("挖掘、总结先进典型单位和个人，宣传好做法、好经验", "10", "1",
         "无典型宣传扣10分；典型材料不充实扣2—4分", "典型材料、媒体报道", True),
        ("开展演讲、征文比赛等形式多样的宣传活动", "10", "1",
         "未开展活动扣10分；参与面不广扣2—4分", "活动方案、照片", False),
    ]),
    ("舆论引导与监督", [
        ("建立舆情监测和快速反应机制，对媒体舆论监督快速反应、正确引导、及时处理", "8", "1",
         "无工作机制扣4分；处置不及时每次扣2分", "工作制度、处置记录", True),
        ("坚持正面宣传为主，保证群众知情权、参与权、监督权，无负面炒作事件", "7", "1",
         "发生严重负面舆情并造成不良影响的扣7分", "情况说明", False),
    ]),
]
CHINESE_NUMBERS = "一二三四五六七八九十"
ROUNDS = [("第一轮督查（宣传发动阶段）", RoundStatus.LOCKED), ("第二轮督查（组织实施阶段）", RoundStatus.LOCKED),
          ("第三轮督查（查摆整改阶段）", RoundStatus.OPEN)]
SECOND_INSPECTOR = ("inspector2", "林督查", "督查员")
# The unit that did not take part in round 2 (the final result averages the rounds a unit took part in).
ABSENT_IN_ROUND_2 = "示范市急救中心"


def _scheme(office: User) -> Scheme:
    existing = Scheme.objects.filter(name=SCHEME_NAME).order_by("version").first()
    if existing is not None:
        return existing
    scheme = services.scheme_create(name=SCHEME_NAME, actor=office,
                                    description="根据《全市卫生系统效能年活动宣传工作方案》五（二）宣传工作督查与考核制度制定，"
                                                "阶段性督查考核，最终结果取三次的平均值。")
    number = 0
    for index, (category, items) in enumerate(SCHEME):
        parent = services.criterion_save(scheme=scheme, actor=office, parent=None, code=CHINESE_NUMBERS[index],
                                         title=category, order=index + 1)
        for order, (title, max_points, step, guidance, evidence, note) in enumerate(items, start=1):
            number += 1
            services.criterion_save(scheme=scheme, actor=office, parent=parent, code=str(number), title=title,
                                    max_points=Decimal(max_points), step=Decimal(step), guidance=guidance,
                                    evidence_required=evidence, note_required=note, order=order)
    return scheme


def _second_inspector(office: User) -> User:
    username, full_name, title = SECOND_INSPECTOR
    user = User.objects.filter(username=username).first()
    if user is None:
        from xiaoneng.org.demo import DEMO_PASSWORD

        user = User(username=username, full_name=full_name, title=title, unit=office.unit,
                    must_change_password=False, password_changed_at=timezone.now())
        user.set_password(DEMO_PASSWORD)
        user.save()
        RoleAssignment.objects.create(user=user, role=Role.INSPECTOR)
    return user


def _points(criterion: Criterion, round_order: int, unit_name: str, person_index: int) -> Decimal:
    """A plausible deterministic score: usually near the maximum, on the step; a second inspector
    mostly agrees with the first and now and then gives one step less."""
    digest = hashlib.sha256(f"{round_order}|{unit_name}|{criterion.code}".encode()).digest()
    steps = int(criterion.max_points / criterion.step)
    lost = min(steps, digest[0] % 3 if digest[1] % 4 else digest[0] % (steps // 2 + 1))
    if person_index and digest[2] % 4 == 0 and lost < steps:
        lost += 1
    return criterion.max_points - lost * criterion.step


def _score_and_settle(round_unit: RoundUnit, inspectors: list[User], items: list[Criterion], *, submit: bool,
                      only: int | None = None) -> None:
    for person_index, inspector in enumerate(inspectors):
        sheet = services.sheet_for(round_unit=round_unit, inspector=inspector)
        for criterion in items[:only] if only else items:
            points = _points(criterion, round_unit.round.order, round_unit.unit.name, person_index)
            note = "" if points == criterion.max_points else "现场检查发现部分材料不全，" + criterion.guidance[:20]
            services.score_apply(sheet=sheet, criterion_id=criterion.pk, points_text=str(points), note=note,
                                 actor=inspector)
        if submit:
            services.sheet_submit(sheet=sheet, actor=inspector)
    if submit and len(inspectors) > 1 and not round_unit.settled_scores.exists():
        leader = round_unit.team.leader
        entries = {}
        for criterion in items:
            given = [s.points for s in Score.objects.filter(sheet__round_unit=round_unit,
                                                                      criterion=criterion)]
            settled = min(given)  # the leader settles on the stricter of the two
            note = next((s.note for s in Score.objects.filter(sheet__round_unit=round_unit,
                                                                        criterion=criterion, points=settled)), "")
            entries[criterion.pk] = (str(settled), note)
        services.round_unit_settle(round_unit=round_unit, entries=entries, actor=leader)


@transaction.atomic
def demo_assessment_load() -> dict[str, int] | None:
    """Create the demo scheme, teams and rounds once (needs the org demo data and the demo campaign)."""
    from xiaoneng.campaigns.demo import DEMO_TITLE, demo_campaign_load
    from xiaoneng.campaigns.models import Campaign

    office = User.objects.filter(username="office").first()
    inspector = User.objects.filter(username="inspector").first()
    if office is None or inspector is None:
        return None
    campaign = Campaign.objects.filter(title=DEMO_TITLE).first() or demo_campaign_load()
    if campaign is None:
        return None
    scheme = _scheme(office)
    if Round.objects.filter(campaign=campaign).exists():
        return {"rounds": Round.objects.filter(campaign=campaign).count(), "created": 0}
    second = _second_inspector(office)
    counties = list(Unit.objects.filter(ranking_group__name="县区卫生健康局", is_active=True))
    city = list(Unit.objects.filter(ranking_group__name="市直医疗卫生单位", is_active=True))
    items = list(scheme.criteria.filter(parent__isnull=False).order_by("parent__order", "order"))
    for order, (name, status) in enumerate(ROUNDS, start=1):
        round_ = services.round_create(campaign=campaign, scheme=scheme, name=name, order=order, actor=office)
        county_team = services.team_save(round_=round_, name="第一督查组（县区）", leader=inspector, members=[second],
                                         actor=office)
        city_team = services.team_save(round_=round_, name="第二督查组（市直）", leader=second, members=[],
                                       actor=office)
        services.round_units_assign(round_=round_, team=county_team, units=counties, actor=office)
        city_units = [u for u in city if not (order == 2 and u.name == ABSENT_IN_ROUND_2)]
        services.round_units_assign(round_=round_, team=city_team, units=city_units, actor=office)
        services.round_transition(round_=round_, action="open", actor=office)
        if status == RoundStatus.LOCKED:
            for round_unit in round_.round_units.select_related("unit", "team__leader"):
                inspectors = [inspector, second] if round_unit.team_id == county_team.pk else [second]
                _score_and_settle(round_unit, inspectors, items, submit=True)
            services.round_transition(round_=round_, action="close", actor=office)
            services.round_transition(round_=round_, action="lock", actor=office)
        else:
            # The open round: the demo inspector has started on two county bureaus.
            for round_unit in round_.round_units.filter(team=county_team).select_related("unit")[:2]:
                _score_and_settle(round_unit, [inspector], items, submit=False, only=6)
    return {"rounds": len(ROUNDS), "created": len(ROUNDS),
            "settled": SettledScore.objects.filter(round_unit__round__campaign=campaign).count()}
