"""Publishing a month: frozen snapshot, one publication however often it is clicked, visible revisions;
and sending 附表2 against the campaign's monthly report."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from xiaoneng.publicity.bulletins import services
from xiaoneng.publicity.bulletins.models import Publication, Revision

from .test_bulletins_support import (  # noqa: F401 - fixtures
    campaign_fixture,
    corrected_groups,
    last_month,
    live_fixture,
    publicity_campaign_fixture,
)

pytestmark = pytest.mark.django_db


def publish(office, campaign, **extra):
    year, month = last_month()
    fields = {"title": "关于宣传信息工作情况的通报", "issuer": "测试市卫生健康委员会效能办", "issued_on": None}
    fields.update(extra)
    return services.publication_publish(user=office, campaign=campaign, year=year, month=month, **fields)


def test_publishing_freezes_the_ranking_and_writes_the_bulletin(office, campaign, live):
    publication, created = publish(office, campaign)
    assert created
    revision = publication.latest_revision
    assert revision.number == 1 and revision.note == "" and revision.changes == []
    assert revision.snapshot["groups"][0]["rows"][0]["points"] == "36.50"
    doc = Document(io.BytesIO(bytes(revision.docx)))
    assert "关于宣传信息工作情况的通报" in [p.text for p in doc.paragraphs]
    frozen_bytes, frozen_snapshot = bytes(revision.docx), revision.snapshot

    live["groups"] = corrected_groups()  # publicity recomputes after a correction
    revision.refresh_from_db()
    assert bytes(revision.docx) == frozen_bytes and revision.snapshot == frozen_snapshot
    assert Revision.objects.count() == 1


def test_publishing_twice_keeps_one_publication(office, campaign, live):
    first, created = publish(office, campaign)
    again, created_again = publish(office, campaign, title="另一个标题")
    assert created and not created_again
    assert again.pk == first.pk and again.title == "关于宣传信息工作情况的通报"
    assert Publication.objects.count() == 1 and Revision.objects.count() == 1


def test_a_correction_becomes_a_numbered_revision_that_says_what_changed(office, campaign, live):
    publication, _ = publish(office, campaign)
    live["groups"] = corrected_groups()
    revision = services.revision_issue(user=office, publication=publication, note="补录西城区省级网站采用1条",
                                       issued_on=dt.date(2026, 11, 20), idempotency_key="k1")
    assert revision.number == 2 and revision.note == "补录西城区省级网站采用1条"
    changed = {c["unit_name"]: c for c in revision.changes}
    assert changed["西城区卫生健康局"]["old_points"] == "20.00" and changed["西城区卫生健康局"]["new_points"] == "24.00"
    assert changed["南湖区卫生健康局"]["kind"] == "removed"
    texts = [p.text for p in Document(io.BytesIO(bytes(revision.docx))).paragraphs]
    assert "（第1次修订，2026年11月20日。修订说明：补录西城区省级网站采用1条）" in texts
    # The first revision is untouched; the latest is the one shown.
    assert publication.revisions.get(number=1).snapshot["groups"][0]["rows"][1]["points"] == "20.00"
    assert publication.latest_revision.pk == revision.pk
    # A double click on the revision form returns the same revision.
    again = services.revision_issue(user=office, publication=publication, note="补录西城区省级网站采用1条",
                                    idempotency_key="k1")
    assert again.pk == revision.pk and Revision.objects.count() == 2


def test_a_revision_needs_a_change_and_a_note(office, campaign, live):
    publication, _ = publish(office, campaign)
    with pytest.raises(ValidationError) as unchanged:
        services.revision_issue(user=office, publication=publication, note="重新发布")
    assert unchanged.value.code == "unchanged"
    live["groups"] = corrected_groups()
    with pytest.raises(ValidationError) as no_note:
        services.revision_issue(user=office, publication=publication, note="  ")
    assert "note" in no_note.value.message_dict
    assert Revision.objects.count() == 1


def test_a_month_that_is_not_over_or_has_no_ranking_cannot_be_published(office, campaign, live):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as running:
        services.publication_publish(user=office, campaign=campaign, year=today.year, month=today.month,
                                     title="通报", issuer="效能办")
    assert running.value.code == "month_not_over"
    live["groups"] = [("县区卫生健康局", [])]
    with pytest.raises(ValidationError) as empty:
        publish(office, campaign)
    assert empty.value.code == "empty_ranking"
    assert not Publication.objects.exists()


def test_only_the_office_publishes(liaison_a, bureau_leader, campaign, live):
    for user in (liaison_a, bureau_leader):
        with pytest.raises(PermissionDenied):
            publish(user, campaign)
    assert not Publication.objects.exists()


@pytest.mark.skipif("connection.vendor != 'postgresql'",
                    reason="the SQLite test database serialises writers; the race needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_publishing_makes_one_publication(office, campaign, live):
    threads_count = 6
    start = threading.Barrier(threads_count)
    results, errors = [], []

    def click():
        try:
            start.wait()
            results.append(publish(office, campaign))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Publication.objects.count() == 1 and Revision.objects.count() == 1
    assert sum(created for _, created in results) == 1
    assert len({publication.pk for publication, _ in results}) == 1
    assert connection.vendor == "postgresql"


# --- 附表2 sent as the monthly report ---------------------------------------------------------


def test_form2_is_sent_against_the_monthly_report_in_one_step(liaison_a, unit_a, publicity_campaign):
    year, month = last_month()
    submission = services.unit_report_submit(user=liaison_a, campaign=publicity_campaign, unit=unit_a, year=year,
                                             month=month, idempotency_key="form2-once")
    assert submission.due_item.obligation.form_name == "附表2"
    assert submission.due_item.period_key == f"{year}-{month:02d}" and submission.unit_id == unit_a.pk
    from xiaoneng.core.models import StoredFile

    stored = StoredFile.objects.get(linked_id=submission.pk, linked_type__model="submission")
    assert stored.kind == "xlsx" and stored.original_name == f"附表2_{unit_a.name}_{year}年{month}月.xlsx"
    from django.core.files.storage import default_storage

    with default_storage.open(stored.storage_name, "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    assert sheet["A2"].value == f"{unit_a.name}{year}年{month}月媒体（含网站）信息采用情况统计表"
    # A double click returns the same submission; a second send is refused by the campaigns rules.
    again = services.unit_report_submit(user=liaison_a, campaign=publicity_campaign, unit=unit_a, year=year,
                                        month=month, idempotency_key="form2-once")
    assert again.pk == submission.pk
    with pytest.raises(ValidationError) as twice:
        services.unit_report_submit(user=liaison_a, campaign=publicity_campaign, unit=unit_a, year=year, month=month)
    assert twice.value.code == "already_submitted"


def test_form2_without_a_monthly_obligation_says_so(liaison_a, unit_a, campaign):
    year, month = last_month()
    with pytest.raises(ValidationError) as missing:
        services.unit_report_submit(user=liaison_a, campaign=campaign, unit=unit_a, year=year, month=month)
    assert missing.value.code == "no_obligation"
    assert "no monthly report" in missing.value.messages[0] or "月" in missing.value.messages[0]


def test_another_units_liaison_cannot_send_form2(liaison_b, unit_a, publicity_campaign):
    year, month = last_month()
    with pytest.raises(PermissionDenied):
        services.unit_report_submit(user=liaison_b, campaign=publicity_campaign, unit=unit_a, year=year, month=month)


def test_demo_command_publishes_the_demo_months_once(db):
    from django.core.management import call_command

    from xiaoneng.campaigns.demo import demo_campaign_load
    from xiaoneng.org.demo import demo_load
    from xiaoneng.org.models import User
    from xiaoneng.publicity import services as publicity

    out = io.StringIO()
    call_command("demo_bulletins", stdout=out)
    assert "run `xiaoneng demo` first" in out.getvalue()
    demo_load()
    campaign = demo_campaign_load()
    publicity.publicity_enable(user=User.objects.get(username="office"), campaign=campaign)
    call_command("demo_bulletins", stdout=io.StringIO())
    count = Publication.objects.count()
    call_command("demo_bulletins", stdout=io.StringIO())
    assert Publication.objects.count() == count and Revision.objects.count() == count
    if timezone.localdate().month > 2:  # the demo campaign starts on 1 February
        assert count >= 1
