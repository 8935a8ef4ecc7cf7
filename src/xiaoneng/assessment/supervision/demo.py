"""Demo data of supervision: a covert visit with findings, problems in several states, and the targets
of a 004-like plan with values reported. Idempotent (keyed on the demo visit's summary)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from xiaoneng.org.models import Unit, User

from . import services
from .models import FourCheck, InspectionVisit, Problem, ProblemStatus

DEMO_SUMMARY = "聘请第三方开展暗访，重点检查窗口服务、医德医风和公示制度落实情况。"
# (indicator, operator, value, unit of measure, computed_by) as a 2016 county plan (004) states them.
DEMO_TARGETS = [
    ("孕产妇死亡率", "<=", "30", "1/100000", ""),
    ("婴儿死亡率", "<=", "16", "‰", ""),
    ("高血压患者随访率", ">=", "95", "%", ""),
    ("群众满意度", ">=", "90", "%", ""),
    ("每年开展健康教育培训", ">=", "4", "次", ""),
    ("按时报送率", ">=", "90", "%", "on_time_rate"),
]
# (unit name, target indicator, value | (count, population), value unit)
DEMO_VALUES = [
    ("东城区卫生健康局", "孕产妇死亡率", (Decimal("1"), Decimal("4200")), ""),
    ("西城区卫生健康局", "孕产妇死亡率", (Decimal("2"), Decimal("5100")), ""),
    ("南湖区卫生健康局", "孕产妇死亡率", (Decimal("3"), Decimal("6800")), ""),
    ("东城区卫生健康局", "婴儿死亡率", Decimal("0.9"), "%"),
    ("西城区卫生健康局", "婴儿死亡率", Decimal("17.2"), "‰"),
    ("东城区卫生健康局", "高血压患者随访率", (Decimal("1932"), Decimal("2010")), ""),
    ("西城区卫生健康局", "高血压患者随访率", (Decimal("1544"), Decimal("1700")), ""),
    ("示范市第一人民医院", "群众满意度", Decimal("93.6"), "%"),
    ("示范市第二人民医院", "群众满意度", Decimal("88.4"), "%"),
    ("东城区卫生健康局", "每年开展健康教育培训", Decimal("5"), ""),
]
FINDINGS = [
    "门诊导诊台上午9时无人值守，患者排队询问无人应答。",
    "收费窗口未公示药品和医疗服务价格。",
    "住院部护士站工作人员上班时间玩手机，对患者询问态度生硬。",
    "院务公开栏内容停留在上一年度，未及时更新。",
]


@transaction.atomic
def demo_supervision_load() -> dict | None:
    """Create the demo visit, problems and targets once (needs the org and campaign demo data)."""
    if InspectionVisit.objects.filter(summary=DEMO_SUMMARY).exists():
        return {"created": False}
    office = User.objects.filter(username="office").first()
    inspector = User.objects.filter(username="inspector").first()
    liaison = User.objects.filter(username="hospital1").first()
    hospital = Unit.objects.filter(name="示范市第一人民医院").first()
    county = Unit.objects.filter(name="东城区卫生健康局").first()
    if not (office and liaison and hospital and county):
        return None
    from xiaoneng.campaigns.demo import DEMO_TITLE
    from xiaoneng.campaigns.models import Campaign

    campaign = Campaign.objects.filter(title=DEMO_TITLE).first()
    today = timezone.localdate()
    visit = services.visit_create(user=office, unit=hospital, visit_date=today - dt.timedelta(days=20),
                                  kind="covert", team=[inspector] if inspector else [], team_note="第三方暗访机构",
                                  summary=DEMO_SUMMARY, campaign=campaign)
    findings = [services.finding_add(user=office, visit=visit, description=text) for text in FINDINGS]
    problems = [services.finding_to_problem(user=office, finding=f) for f in findings[:3]]
    measures = ["安排专人在导诊台轮值，实行首问负责制，每日由护理部抽查。",
                "在收费大厅电子屏和公示栏公示药品与医疗服务价格，每月更新。",
                "对住院部开展服务礼仪培训，将服务态度纳入绩效考核。"]
    for problem, text in zip(problems, measures, strict=True):
        services.problem_update(user=liaison, problem=problem, data={"measures": text, "owner": liaison})
    # 1: rectified, verified and closed, on the public wall.
    closed = problems[0]
    services.problem_progress_add(user=liaison, problem=closed, text="已制定导诊台值班表，护理部每日抽查两次。")
    for kind, note in zip(FourCheck.values, ["经调取监控核实属实", "门诊部主任负主要责任，当班导诊员负直接责任",
                                             "对当班导诊员诫勉谈话，扣减当月绩效", "值班表已落实，复查两次均有人值守"],
                          strict=True):
        services.problem_check_record(user=liaison, problem=closed, kind=kind, note=note)
    services.problem_submit(user=liaison, problem=closed, text="整改完成，请予验收。")
    services.problem_verify(user=office, problem=closed, text="复查属实，同意销号。")
    # 2: two checks recorded, still being rectified, public.
    services.problem_check_record(user=liaison, problem=problems[1], kind="facts", note="收费处已自查确认")
    services.problem_check_record(user=liaison, problem=problems[1], kind="responsibility", note="财务科负责")
    # 3: overdue.
    Problem.objects.filter(pk=problems[2].pk).update(due_date=today - dt.timedelta(days=3))
    for problem in problems:
        services.problem_publish(user=office, problem=problem, public=True)
    # A county's own self-inspection, sent for verification.
    own = services.problem_create(unit=county, description="自查发现部分乡镇卫生院投诉登记台账不完整。",
                                  source="self_inspection", source_ref="2026年第三季度自查", actor=office,
                                  measures="统一印发投诉登记台账，每月由局办公室检查。",
                                  due_date=today + dt.timedelta(days=10))
    for kind in FourCheck.values:
        services.problem_check_record(user=office, problem=own, kind=kind, note="已落实")
    services.problem_submit(user=office, problem=own)
    if campaign is not None:
        targets = {}
        for indicator, operator, value, unit, computed in DEMO_TARGETS:
            targets[indicator] = services.target_create(
                campaign=campaign, indicator=indicator, operator=operator, value=Decimal(value),
                unit_of_measure=unit, period=f"{campaign.year}年", computed_by=computed, actor=office)
        for unit_name, indicator, value, value_unit in DEMO_VALUES:
            unit = Unit.objects.filter(name=unit_name).first()
            if unit is None:
                continue
            fields = ({"numerator": value[0], "denominator": value[1]} if isinstance(value, tuple)
                      else {"value": value, "value_unit": value_unit})
            services.indicator_value_report(user=office, target=targets[indicator], unit=unit, **fields)
    return {"created": True, "open": Problem.objects.exclude(status=ProblemStatus.CLOSED).count()}
