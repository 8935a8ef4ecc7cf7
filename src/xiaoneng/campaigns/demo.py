"""Demo campaign: the publicity plan of 2026, with a few reports already sent. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xiaoneng.org.models import User

from . import services
from .builtin import PUBLICITY_PLAN, builtin_template
from .models import Campaign, DueItem

DEMO_TITLE = "2026年全市卫生系统效能年活动宣传工作"


@transaction.atomic
def demo_campaign_load() -> Campaign | None:
    """Create the demo campaign once (needs the org demo data)."""
    existing = Campaign.objects.filter(title=DEMO_TITLE).first()
    if existing is not None:
        return existing
    office = User.objects.filter(username="office").first()
    liaison = User.objects.filter(username="dongcheng").first()
    if office is None or liaison is None:
        return None
    year = dt.date.today().year
    campaign = services.campaign_create(
        user=office, template=builtin_template(PUBLICITY_PLAN, year), title=DEMO_TITLE, kind="publicity",
        year=year, start_date=dt.date(year, 2, 1), end_date=dt.date(year, 12, 31),
        description="根据卫生厅效能年活动宣传工作方案,做好全市卫生系统效能年活动的宣传报道工作。")
    contacts = DueItem.objects.filter(obligation__campaign=campaign, obligation__is_contact_form=True,
                                      unit=liaison.unit).first()
    if contacts is not None:
        services.contact_submit(user=liaison, due_item=contacts, data={
            "leader_name": "钱分管", "leader_title": "副局长", "leader_phone": "13800000001",
            "liaison_name": "赵联络", "liaison_title": "办公室主任", "liaison_phone": "13800000002"})
    return campaign
