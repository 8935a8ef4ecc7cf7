"""Cases: one complaint handled by unit A (with an attachment) and one report handled by unit B.

B's case (its number, text, place and the reporter's masked phone) must never reach A's liaison.
URL kwargs: ``pk`` (a case or a request), ``file_pk`` (a case's file), ``action`` (a handling step).
"""

from __future__ import annotations

from .crawler import SKIP_GET
from .seeds import KWARG_KINDS, World, seed

# The public form lists every active unit on purpose (a member of the public chooses which unit a
# case is about); unit names are public, and the page shows no case data. tests/feedback/test_public.py
# checks it holds no case text and no personal data.
SKIP_GET.setdefault("feedback:public_file", "public form: lists every unit by design, no case data")
KWARG_KINDS.setdefault("action", "feedback_action")
KWARG_KINDS.setdefault("file_pk", "file")


@seed
def seed_feedback(world: World) -> None:
    import secrets

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from xiaoneng.core.files.checks import PUBLIC_KINDS
    from xiaoneng.core.files.services import file_store_many
    from xiaoneng.feedback import services
    from xiaoneng.feedback.crypto import phone_hash, pii_encrypt
    from xiaoneng.feedback.models import Case, CaseRequest

    filed = services.case_file(kind="complaint", unit=world.unit_a, what="甲县门诊挂号排队过长", where="甲县门诊",
                               name="甲投诉人", phone="13811112222")
    case_a = services.case_accept(case_id=filed.case.pk, actor=world.office, assignee_unit=world.unit_a)
    request_a = services.case_request_create(case_id=case_a.pk, actor=world.liaison_a, kind="extension", days=2,
                                             reason="甲县需调取监控")
    photo = SimpleUploadedFile("甲县现场.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                               content_type="application/pdf")
    file_store_many(uploads=[photo], unit=services.intake_unit(), user=world.office, allowed_kinds=PUBLIC_KINDS,
                    linked_to=case_a)
    world.add_a("feedback_case", case_a)
    world.add_a("feedback_request", request_a)
    world.add_a("feedback_action", "reply")

    now = timezone.now()
    case_b = Case.objects.create(
        pk=world.b_pk(), number="FB-YQ-778001", tracking_code_hash=secrets.token_hex(32), kind="report",
        channel="mailbox", unit=world.unit_b, assignee_unit=world.unit_b, what="乙七院专属举报内容收受红包",
        where="乙七院住院部七楼", name_encrypted=pii_encrypt("乙七举报人"), phone_encrypted=pii_encrypt("13977778888"),
        phone_hash=phone_hash("13977778888"), status="in_progress", received_at=now, accepted_at=now,
        first_responder=world.office)
    request_b = CaseRequest.objects.create(pk=world.b_pk(), case=case_b, kind="pause", stage="reply",
                                           reason="乙七院专属暂停理由", requested_by=world.office)
    services.case_event_add(case_b, "note", world.office, "乙七院专属办理记录")
    world.add_b("feedback_case", case_b, "FB-YQ-778001", "乙七院专属举报内容收受红包", "乙七院住院部七楼", "139****8888")
    world.add_b("feedback_request", request_b, "乙七院专属暂停理由")

    world.text_setters.extend([
        ("case what", 4000, lambda value: Case.objects.filter(pk=case_a.pk).update(what=value)),
        ("case where", 200, lambda value: Case.objects.filter(pk=case_a.pk).update(where=value)),
        ("case reply", 4000, lambda value: Case.objects.filter(pk=case_a.pk).update(reply=value)),
        ("request reason", 1000, lambda value: CaseRequest.objects.filter(pk=request_a.pk).update(reason=value)),
    ])
