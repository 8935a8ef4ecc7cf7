"""Demo cases: every channel and kind, each stage of handling, one overdue and one paused. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xiaoneng.core.workdays.services import add_working_days
from xiaoneng.org.models import Unit, User

from . import services
from .models import Case

MARKER = "【演示】"


def _backdate(case: Case, *, received: dt.datetime, accepted: dt.datetime | None = None) -> None:
    """Move a demo case's clock into the past (demo data only; real cases keep their times)."""
    Case.objects.filter(pk=case.pk).update(received_at=received, accepted_at=accepted or received)
    case.refresh_from_db()
    fields = services._refresh_deadlines(case)
    case.save(update_fields=fields)


@transaction.atomic
def demo_feedback_load() -> list[str]:
    """Create the demo cases once (needs the org demo data); returns lines to print (codes to try)."""
    if Case.objects.filter(what__startswith=MARKER).exists():
        return []
    office = User.objects.filter(username="office").first()
    dongcheng = User.objects.filter(username="dongcheng").first()
    hospital = User.objects.filter(username="hospital1").first()
    if office is None or dongcheng is None or hospital is None:
        return []
    unit_dc, unit_h1 = dongcheng.unit, hospital.unit
    unit_h2 = Unit.objects.filter(name="示范市第二人民医院").first() or unit_h1
    now = timezone.now()
    lines = []

    # 1. Filed on the website a moment ago, waiting for the office to accept it.
    filed = services.case_file(kind="complaint", unit=unit_h1, what=MARKER + "在门诊二楼收费窗口排队四十分钟，"
                               "窗口只开了一个，工作人员还在玩手机。", where="示范市第一人民医院门诊二楼",
                               happened_on=now.date() - dt.timedelta(days=1), name="刘女士", phone="13912345678")
    lines.append(f"web complaint {filed.case.number}: tracking code {filed.tracking_code_display}, phone 13912345678")

    # 2. 12320 hotline, accepted and assigned, handled by the hospital.
    hot = services.case_file(kind="complaint", unit=unit_h1, channel="hotline", entered_by=office,
                             what=MARKER + "12320来电：孩子发烧在急诊等了两个小时没人看，护士态度冷淡。",
                             where="急诊科", name="陈先生", phone="13698765432", id_number="11010119850307123X")
    services.case_accept(case_id=hot.case.pk, actor=office, assignee_unit=unit_h1)
    lines.append(f"hotline complaint {hot.case.number}: tracking code {hot.tracking_code_display}, phone 13698765432")

    # 3. Director's mailbox: replied by the county bureau, waiting to be closed.
    mail = services.case_file(kind="suggestion", unit=unit_dc, channel="mailbox", entered_by=office,
                              what=MARKER + "建议东城区社区卫生服务中心周末也开放预防接种门诊。", name="赵先生",
                              phone="13700001234")
    services.case_accept(case_id=mail.case.pk, actor=office, assignee_unit=unit_dc)
    services.case_reply(case_id=mail.case.pk, actor=dongcheng, text="感谢您的建议。自下月起，东城区两家社区卫生"
                        "服务中心将在每周六上午开放预防接种门诊。")

    # 4. Complaint box: closed and rated satisfied.
    box = services.case_file(kind="complaint", unit=unit_h1, channel="box", entered_by=office,
                             what=MARKER + "住院部七楼开水间热水器坏了三天没人修。", where="住院部七楼",
                             name="孙女士", phone="13511112222")
    services.case_accept(case_id=box.case.pk, actor=office, assignee_unit=unit_h1)
    services.case_reply(case_id=box.case.pk, actor=hospital, text="后勤科已于当日更换热水器，并建立每日巡查制度。")
    services.case_close(case_id=box.case.pk, actor=hospital)
    services.case_rate(case_id=box.case.pk, rating="satisfied")

    # 5. A letter outside the health system's remit: declined with a reason the public reads.
    letter = services.case_file(kind="enquiry", unit=None, channel="letter", entered_by=office,
                                what=MARKER + "来信询问小区物业费收费标准。")
    services.case_decline(case_id=letter.case.pk, actor=office,
                          reason="物业收费不属于卫生健康部门职责，请向住房和城乡建设部门反映。")

    # 6. An anonymous report (no personal reply possible), with the office.
    report = services.case_file(kind="report", unit=unit_h2, is_anonymous=True,
                                what=MARKER + "举报第二人民医院骨科有医生收受患者红包。", where="骨科住院部")
    lines.append(f"anonymous report {report.case.number}: tracking code {report.tracking_code_display}, "
                 f"secret {report.secret}")

    # 7. Overdue: accepted three weeks ago, still no reply (red; the escalation ladder acts on it).
    late = services.case_file(kind="complaint", unit=unit_dc, channel="hotline", entered_by=office,
                              what=MARKER + "12320来电：东城区某诊所无证行医，已反映多次。", name="周先生",
                              phone="13822223333")
    services.case_accept(case_id=late.case.pk, actor=office, assignee_unit=unit_dc)
    _backdate(late.case, received=now - dt.timedelta(days=21))

    # 8. Due soon, with an extension request waiting for the office.
    soon = services.case_file(kind="complaint", unit=unit_h1, what=MARKER + "检验报告迟迟拿不到，网上也查不到。",
                              name="吴女士", phone="13633334444")
    services.case_accept(case_id=soon.case.pk, actor=office, assignee_unit=unit_h1)
    four_working_days_ago = add_working_days(timezone.localdate(), -4)
    _backdate(soon.case, received=timezone.make_aware(dt.datetime.combine(four_working_days_ago, dt.time(9))))
    services.case_request_create(case_id=soon.case.pk, actor=hospital, kind="extension", days=3,
                                 reason="需与第三方检验机构核对标本流转记录。")

    # 9. Paused: waiting for the complainant to send the receipt.
    wait = services.case_file(kind="complaint", unit=unit_h1, channel="media", entered_by=office,
                              what=MARKER + "《示范晚报》热线：患者反映出院结算多收费用。", name="郑先生",
                              phone="13944445555")
    services.case_accept(case_id=wait.case.pk, actor=office, assignee_unit=unit_h1)
    pause = services.case_request_create(case_id=wait.case.pk, actor=hospital, kind="pause",
                                         reason="请投诉人提供结算单据原件，等待其补充材料。")
    services.case_request_decide(request_id=pause.pk, actor=office, approve=True, note="同意，补充材料后恢复计时。")

    # 10. Praise.
    services.case_file(kind="praise", unit=unit_h2, what=MARKER + "感谢第二人民医院心内科李医生耐心细致，"
                       "深夜还来病房查看。", name="黄先生", phone="13566667777")
    return lines
