"""Escalation: an overdue case of unit A and one of unit B, each with its urging notice, a
call-back and an accountability record; B's must never reach A's liaison."""

from __future__ import annotations

from .seeds import World, seed


@seed
def seed_escalation(world: World) -> None:
    import datetime as dt
    import secrets
    from zoneinfo import ZoneInfo

    from xiaoneng.feedback.escalation.models import AccountabilityRecord, Alert, CallBack
    from xiaoneng.feedback.models import Case

    zone = ZoneInfo("Asia/Shanghai")
    received = dt.datetime(2026, 11, 2, 9, tzinfo=zone)
    due_at = dt.datetime(2026, 11, 9, 23, 59, 59, tzinfo=zone)
    sent_at = dt.datetime(2026, 11, 10, 9, tzinfo=zone)

    def case_for(unit, number, what, pk=None):
        return Case.objects.create(pk=pk, number=number, tracking_code_hash=secrets.token_hex(32), kind="complaint",
                                   channel="hotline", unit=unit, assignee_unit=unit, what=what,
                                   status="in_progress", received_at=received, accepted_at=received,
                                   reply_due=dt.date(2026, 11, 9), close_due=dt.date(2026, 11, 23))

    case_a = case_for(world.unit_a, "ESC-A-000001", "甲县挂号窗口排队过长")
    alert_a = Alert.objects.create(case=case_a, stage="reply", step="urge", unit=world.unit_a, due_at=due_at,
                                   sent_at=sent_at)
    callback_a = CallBack.objects.create(case=case_a, closed_on=dt.date(2026, 11, 20), due_on=dt.date(2026, 11, 23),
                                         unit=world.unit_a)
    record_a = AccountabilityRecord.objects.create(case=case_a, unit=world.unit_a, measure="talk",
                                                   decided_on=dt.date(2026, 11, 20), reason="甲县逾期未答复",
                                                   created_by=world.office)
    world.add_a("escalation_alert", alert_a)
    world.add_a("escalation_callback", callback_a)
    world.add_a("escalation_accountability", record_a)

    case_b = case_for(world.unit_b, "ESC-YQ-777001", "乙七院药房拒收医保卡投诉", pk=world.b_pk())
    alert_b = Alert.objects.create(pk=world.b_pk(), case=case_b, stage="reply", step="orange", unit=world.unit_b,
                                   due_at=due_at, sent_at=sent_at, reply_due_on=dt.date(2026, 11, 12))
    callback_b = CallBack.objects.create(pk=world.b_pk(), case=case_b, closed_on=dt.date(2026, 11, 20),
                                         due_on=dt.date(2026, 11, 23), unit=world.unit_b,
                                         note="乙七院回访专属备注")
    record_b = AccountabilityRecord.objects.create(pk=world.b_pk(), case=case_b, unit=world.unit_b,
                                                   measure="admonition", decided_on=dt.date(2026, 11, 20),
                                                   reason="乙七院专属追责事由", created_by=world.office)
    world.add_b("escalation_alert", alert_b, "ESC-YQ-777001")
    world.add_b("escalation_callback", callback_b, "乙七院回访专属备注")
    world.add_b("escalation_accountability", record_b, "乙七院专属追责事由")

    world.text_setters.extend([
        ("accountability reason", 2000,
         lambda value: AccountabilityRecord.objects.filter(pk=record_a.pk).update(reason=value)),
        ("call-back note", 2000, lambda value: CallBack.objects.filter(pk=callback_a.pk).update(note=value)),
    ])
