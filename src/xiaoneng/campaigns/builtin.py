"""Built-in campaign templates, written from real plans (plan-extraction/docs/000_*.txt §四(五))."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from .models import AnchorChoice, Campaign, CampaignKind, FrequencyChoice, Obligation, Phase

PUBLICITY_PLAN = "publicity_plan"

# key → (title, kind); the structure is built by the function below for a given year.
BUILTIN_TEMPLATES = {PUBLICITY_PLAN: ("宣传工作方案", CampaignKind.PUBLICITY)}


@transaction.atomic
def builtin_template(key: str, year: int) -> Campaign:
    """The built-in template ``key`` (created on first use), dated in ``year``."""
    existing = Campaign.objects.filter(is_template=True, template_key=key).first()
    if existing is not None:
        return existing
    title, kind = BUILTIN_TEMPLATES[key]
    template = Campaign.objects.create(
        title=title, kind=kind, year=year, is_template=True, template_key=key,
        start_date=dt.date(year, 2, 1), end_date=dt.date(year, 12, 31),
        description="各县区卫生局、市直各医疗卫生单位效能办按要求报送宣传工作材料。",
    )
    phases = [("宣传发动阶段", (2, 1), (4, 30)), ("组织实施阶段", (5, 1), (9, 30)), ("总结验收阶段", (10, 1), (12, 31))]
    for order, (name, start, end) in enumerate(phases):
        Phase.objects.create(campaign=template, name=name, order=order,
                             start_date=dt.date(year, *start), end_date=dt.date(year, *end))
    Obligation.objects.create(
        campaign=template, order=1, title="报送宣传工作分管领导、具体工作人员联系方式", form_name="附表1",
        is_contact_form=True, frequency=FrequencyChoice.ONCE, due_date=dt.date(year, 2, 14))
    Obligation.objects.create(
        campaign=template, order=2, title="报送宣传工作方案、第一阶段宣传计划",
        frequency=FrequencyChoice.ONCE, due_date=dt.date(year, 2, 20))
    Obligation.objects.create(
        campaign=template, order=3, title="报送上月媒体(含网站)、信息采用情况及佐证资料", form_name="附表2",
        frequency=FrequencyChoice.MONTHLY, day=5)
    Obligation.objects.create(
        campaign=template, order=4, title="报送上阶段工作小结、下阶段工作计划",
        frequency=FrequencyChoice.RELATIVE, anchor=AnchorChoice.PHASE_END, offset=7)
    return template
