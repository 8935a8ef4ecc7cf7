"""Demo publicity data for the demo campaign: outlets, the built-in rules, items, adoptions. Idempotent.

Items of the units whose demo liaison exists go through the normal services; the other units'
items are written as if their liaison had sent them (the org demo has one liaison per group).
Dates are moved into the last three months so the ranking and the charts have something to show.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from xiaoneng.org.models import Unit, User

from . import services, similarity
from .models import Commission, NewsItem, NewsItemStatus, Outlet
from .selectors import month_key

OUTLETS = [
    ("人民日报", "central", "newspaper"), ("健康报", "central", "newspaper"),
    ("国家卫生健康委员会网站", "central", "website"), ("示范省日报", "province", "newspaper"),
    ("示范省卫生健康委员会网站", "province", "website"), ("示范省广播电视台", "province", "tv"),
    ("示范日报", "city", "newspaper"), ("示范市人民政府网", "city", "website"),
    ("示范市广播电视台", "city", "tv"), ("“健康示范”微信公众号", "city", "new_media"),
    ("《示范卫生信息》", "internal", "bulletin"), ("东城区融媒体中心", "county", "new_media"),
]

ITEMS = [
    # (unit, title, body, [(outlet, position, photo)], months ago)
    ("东城区卫生健康局", "东城区推进紧密型医联体建设 群众就近享受优质医疗服务",
     "东城区以紧密型医联体建设为抓手，推动区人民医院专家每周下沉社区卫生服务中心坐诊，群众在家门口即可享受三甲医院专家服务。"
     "今年以来，下沉专家累计接诊3200余人次，双向转诊患者460人次。",
     [("示范省卫生健康委员会网站", "front", True), ("示范日报", "inner", False)], 2),
    ("东城区卫生健康局", "东城区开展“健康义诊进乡村”活动",
     "11月，东城区卫生健康局组织区人民医院、区中医院专家团队深入偏远乡镇开展“健康义诊进乡村”活动，为村民提供血压血糖测量、"
     "慢性病用药指导和健康咨询服务，现场发放宣传资料500余份，义诊群众320人次。",
     [("示范日报", "front", True), ("《示范卫生信息》", "inner", False)], 0),
    ("示范市第一人民医院", "市一院成功开展首例达芬奇机器人辅助手术",
     "示范市第一人民医院泌尿外科团队成功完成我市首例达芬奇机器人辅助腹腔镜前列腺癌根治术，手术历时3小时，出血量不足100毫升，"
     "患者术后第二天即下床活动。",
     [("健康报", "inner", True), ("示范省日报", "front", False), ("示范市广播电视台", "inner", False)], 1),
    ("示范市第一人民医院", "市一院推出“一站式”入院服务中心",
     "为缩短患者入院等候时间，市一院整合入院登记、医保审核、术前检查预约等7项服务，推出“一站式”入院服务中心，"
     "患者入院办理时间由平均40分钟缩短至10分钟。",
     [("示范市人民政府网", "inner", False)], 0),
    ("西城区卫生健康局", "西城区家庭医生签约服务覆盖率达72%",
     "西城区组建家庭医生团队86个，重点人群签约服务覆盖率达72%，为辖区65岁以上老年人提供免费健康体检和个性化健康管理。",
     [("“健康示范”微信公众号", "inner", True), ("《示范卫生信息》", "inner", False)], 1),
    ("南湖区卫生健康局", "南湖区建成15分钟基层医疗服务圈",
     "南湖区新建改建社区卫生服务站12个，实现城区居民步行15分钟可达基层医疗机构，基层诊疗量占比提高到58%。",
     [("示范日报", "inner", False)], 0),
    ("示范市疾病预防控制中心", "市疾控中心发布冬春季传染病防控提示",
     "进入冬春季，流感、诺如病毒感染等进入高发期。市疾控中心提醒市民接种流感疫苗，勤洗手、常通风，出现发热症状及时就医。",
     [("人民日报", "inner", False), ("示范市广播电视台", "front", False)], 0),
    ("示范市中医院", "市中医院“冬病夏治”三伏贴惠及群众1.2万人次",
     "市中医院今年三伏贴服务惠及群众1.2万人次，医院同步开展中医药健康知识讲座20场，弘扬中医药文化。",
     [("示范省广播电视台", "inner", False)], 2),
    ("青山县卫生健康局", "青山县乡村医生培训实现全覆盖",
     "青山县分3期对全县212名乡村医生开展全科适宜技术培训，培训合格率100%，提升了村级卫生服务能力。",
     [("东城区融媒体中心", "inner", False), ("《示范卫生信息》", "inner", False)], 1),
    ("示范市妇幼保健院", "市妇幼保健院开展“两癌”免费筛查",
     "市妇幼保健院为全市适龄妇女开展宫颈癌、乳腺癌免费筛查，已完成筛查8600人，早诊率达85%。",
     [("示范日报", "front", True)], 0),
]
DUPLICATE = ("示范市第二人民医院", "市二院开展“健康义诊进乡村”活动",
             "11月，示范市第二人民医院组织专家团队深入偏远乡镇开展“健康义诊进乡村”活动，为村民提供血压血糖测量、"
             "慢性病用药指导和健康咨询服务，现场发放宣传资料600余份，义诊群众320人次。")


def _shift_months(day: dt.date, months: int) -> dt.date:
    month = day.month - months
    year = day.year
    while month < 1:
        month += 12
        year -= 1
    return dt.date(year, month, min(day.day, 20))


def _item(campaign, unit: Unit, title: str, body: str, when: dt.datetime, liaison: User | None) -> NewsItem:
    if liaison is not None and liaison.unit_id == unit.pk:
        item = services.news_item_submit(user=liaison, campaign=campaign, title=title, body_html=f"<p>{body}</p>",
                                         author=liaison.full_name)
    else:
        item = NewsItem.objects.create(
            campaign=campaign, unit=unit, title=title, body_html=f"<p>{body}</p>", author="通讯员",
            status=NewsItemStatus.SUBMITTED, submitted_at=when, month_key=month_key(when.date()),
            text_signature=similarity.sketch_to_text(similarity.sketch(f"{title} <p>{body}</p>")))
    NewsItem.objects.filter(pk=item.pk).update(submitted_at=when, month_key=month_key(timezone.localtime(when).date()))
    item.refresh_from_db()
    return item


@transaction.atomic
def demo_publicity_load() -> dict[str, int] | str:
    from xiaoneng.campaigns.demo import DEMO_TITLE
    from xiaoneng.campaigns.models import Campaign

    campaign = Campaign.objects.filter(title=DEMO_TITLE).first()
    office = User.objects.filter(username="office").first()
    if campaign is None or office is None:
        return "skipped (no demo campaign)"
    for name, level, kind in OUTLETS:
        Outlet.objects.get_or_create(name=name, defaults={"level": level, "kind": kind})
    services.publicity_enable(user=office, campaign=campaign)
    if NewsItem.objects.filter(campaign=campaign).exists():
        return {"items": NewsItem.objects.filter(campaign=campaign).count()}
    liaisons = {u.unit_id: u for u in User.objects.filter(role_assignments__role="liaison", unit__isnull=False)}
    today = timezone.localdate()
    outlets = {o.name: o for o in Outlet.objects.all()}
    created = []
    for index, (unit_name, title, body, adoptions, months_ago) in enumerate(ITEMS):
        unit = Unit.objects.filter(name=unit_name).first()
        if unit is None:
            continue
        day = _shift_months(today.replace(day=min(today.day, 3 + index)), months_ago)
        when = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
        item = _item(campaign, unit, title, body, when, liaisons.get(unit.pk))
        for offset, (outlet_name, position, photo) in enumerate(adoptions, start=1):
            adopted_on = min(day + dt.timedelta(days=offset), today)
            services.adoption_record(user=office, item=item, data=services.AdoptionInput(
                outlet=outlets[outlet_name], adopted_on=adopted_on, position=position, has_photo=photo,
                page_or_url="第2版" if position == "inner" else "第1版",
                evidence_link=f"https://news.example.cn/{day:%Y%m}/{item.pk}-{offset}.html"))
        created.append(item)
    # a claim waiting for the office, and a leader's instruction on the robot-surgery item
    liaison = User.objects.filter(username="dongcheng").first()
    if liaison is not None and created:
        own = [i for i in created if i.unit_id == liaison.unit_id][-1]
        services.adoption_claim(user=liaison, item=own, data=services.AdoptionInput(
            outlet=outlets["示范市人民政府网"], adopted_on=today, position="inner", page_or_url="要闻动态",
            evidence_link="https://www.example.gov.cn/xwdt/2026/1.html"))
    robot = next((i for i in created if "达芬奇" in i.title), None)
    if robot is not None:
        services.instruction_record(user=office, item=robot, level="city", leader="市政府分管副市长",
                                    instructed_on=min(robot.submitted_at.date() + dt.timedelta(days=5), today))
        second = Unit.objects.filter(name="示范市第二人民医院").first()
        if second is not None:
            services.news_item_set_shares(user=office, item=robot, shares=[(robot.unit, Decimal("0.7")),
                                                                        (second, Decimal("0.3"))])
    unit = Unit.objects.filter(name=DUPLICATE[0]).first()
    if unit is not None:
        item = _item(campaign, unit, DUPLICATE[1], DUPLICATE[2], timezone.now(), None)
        services._find_similar(item, services.settings_for(campaign).duplicate_threshold)
    south = Unit.objects.filter(name="南湖区卫生健康局").first()
    if south is not None:
        Commission.objects.create(campaign=campaign, unit=south, kind="urgent", title="流感防控工作紧急信息",
                                  due_on=_shift_months(today, 1), month_key=month_key(_shift_months(today, 1)),
                                  created_by=office)
    return {"items": NewsItem.objects.filter(campaign=campaign).count()}
