"""SECURITY-CHECKS 10: the audit log cannot be changed, by the ORM or by raw SQL, and keeps 180 days."""

from __future__ import annotations

from datetime import timedelta
from ipaddress import ip_address

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection
from django.test import RequestFactory, override_settings
from django.utils import timezone

from xiaoneng.core.audit.models import AuditEvent, AuditImmutableError
from xiaoneng.core.audit.services import (
    GENESIS,
    audit_purge,
    audit_record,
    audit_retention_days,
    audit_verify,
)

from .conftest import raw_sql
from .support import guards_lifted

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return audit_record("test.event", object_type="org.unit", object_id=7, object_repr="甲县卫生健康局")


def test_orm_queryset_update_is_refused(event):
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(result="failed")
    assert AuditEvent.objects.get(pk=event.pk).result == "ok"


def test_orm_queryset_delete_is_refused(event):
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_saving_a_loaded_event_is_refused(event):
    loaded = AuditEvent.objects.get(pk=event.pk)
    loaded.object_repr = "tampered"
    with pytest.raises(AuditImmutableError):
        loaded.save()
    assert AuditEvent.objects.get(pk=event.pk).object_repr == "甲县卫生健康局"


def test_deleting_an_event_instance_is_refused(event):
    with pytest.raises(AuditImmutableError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_bulk_insert_that_would_skip_the_chain_is_refused(event):
    forged = AuditEvent(at=timezone.now(), action="forged", prev_hash="f" * 64, hash="e" * 64)
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.bulk_create([forged])
    assert not AuditEvent.objects.filter(action="forged").exists()


def test_raw_sql_update_is_refused_by_the_database(event):
    with pytest.raises(DatabaseError, match="cannot be updated"):
        raw_sql("UPDATE audit_auditevent SET result = 'failed' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).result == "ok"


def test_raw_sql_delete_of_a_recent_event_is_refused_by_the_database(event):
    with pytest.raises(DatabaseError, match="younger than 180 days"):
        raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_delete_refuses_a_179_day_old_event_but_not_a_181_day_old_one(record_aged):
    # Guards the SQLite text comparison of Django's stored datetimes with datetime('now', '-180 days').
    old = record_aged(181)
    young = record_aged(179)
    almost = record_aged(180 - 1 / 24)  # one hour short of 180 days
    for kept in (young, almost):
        with pytest.raises(DatabaseError):
            raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [kept.pk])
    assert raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [old.pk]) == 1
    assert set(AuditEvent.objects.values_list("pk", flat=True)) == {young.pk, almost.pk}


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="TRUNCATE is PostgreSQL's")
def test_truncate_is_refused_while_recent_events_exist(event):
    with pytest.raises(DatabaseError, match="younger than 180 days"):
        raw_sql("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_verify_reports_the_event_edited_offline():
    events = [audit_record("test.event", object_repr=f"row {n}") for n in range(5)]
    assert audit_verify().is_intact
    with guards_lifted():
        raw_sql("UPDATE audit_auditevent SET object_repr = 'nothing to see' WHERE id = %s", [events[2].pk])
    report = audit_verify()
    assert report.first_bad_id == events[2].pk
    assert report.reason == "content"
    assert report.checked == 2


def test_verify_reports_the_event_after_one_removed_from_the_middle():
    events = [audit_record("test.event", object_repr=f"row {n}") for n in range(4)]
    with guards_lifted():
        raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    report = audit_verify()
    assert (report.first_bad_id, report.reason) == (events[2].pk, "link")


def test_verify_command_exits_with_an_error_naming_the_edited_event():
    events = [audit_record("test.event") for _ in range(3)]
    call_command("audit_verify")  # intact: no error
    with guards_lifted():
        raw_sql("UPDATE audit_auditevent SET actor_name = 'someone_else' WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match=f"#{events[1].pk}"):
        call_command("audit_verify")


def test_hash_recomputed_from_the_database_matches_for_awkward_content(make_person):
    person = make_person("张三_user")
    request = RequestFactory().get("/", REMOTE_ADDR="2001:0db8:0000:0000:0000:0000:0000:0001")
    request.user = person
    request.request_id = "abc123"
    detail = {
        "z": 1,
        "a": {"y": [3, 2, 1], "b": "<b>中文</b>"},
        "float": 0.1,
        "big": 1e20,
        "when": timezone.now(),
        "roles": {"office", "liaison"},
    }
    event = audit_record("test.awkward", request=request, obj=person, detail=detail)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.ip == str(ip_address("2001:db8::1"))
    assert stored.at == event.at
    assert audit_verify().is_intact
    assert (
        stored.actor_id == person.pk and stored.object_id == str(person.pk) and stored.request_id == "abc123"
    )


def test_first_event_is_anchored_at_genesis_and_each_links_to_the_one_before():
    first, second = audit_record("test.a"), audit_record("test.b")
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash


def test_purge_removes_events_past_180_days_and_keeps_younger_ones(record_aged):
    old = [record_aged(400), record_aged(200), record_aged(181)]
    kept = [record_aged(179), record_aged(30), audit_record("test.today")]
    with override_settings(AUDIT_RETENTION_DAYS=180):
        deleted = audit_purge()
    assert deleted == 3
    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert {e.pk for e in kept} <= remaining
    assert not remaining & {e.pk for e in old}
    assert AuditEvent.objects.filter(action="audit.purge").count() == 1


def test_purge_honours_a_longer_retention(record_aged):
    year_old, half_year_old = record_aged(400), record_aged(200)
    with override_settings(AUDIT_RETENTION_DAYS=365):
        assert audit_purge() == 1
    assert not AuditEvent.objects.filter(pk=year_old.pk).exists()
    assert AuditEvent.objects.filter(pk=half_year_old.pk).exists()


def test_retention_below_six_months_is_raised_to_180_days(record_aged):
    quarter_old = record_aged(100)
    with override_settings(AUDIT_RETENTION_DAYS=30):
        assert audit_retention_days() == 180
        assert audit_purge() == 0
    assert AuditEvent.objects.filter(pk=quarter_old.pk).exists()


def test_chain_verifies_after_a_purge_from_its_first_remaining_event(record_aged):
    record_aged(500)
    record_aged(400)  # both past the default retention of 365 days
    survivor = record_aged(100)
    audit_record("test.today")
    call_command("audit_purge")
    report = audit_verify()
    assert report.is_intact
    assert report.anchor == survivor.prev_hash != GENESIS
    assert report.checked == 3  # survivor, today's event, and the purge's own event


def test_purge_refused_by_the_database_if_asked_to_delete_young_events(record_aged):
    # A wrong clock (or a caller's "now" in the future) must not get past the trigger's 180-day floor.
    young = record_aged(10)
    audit_record("test.today")
    with pytest.raises(DatabaseError):
        audit_purge(now=timezone.now() + timedelta(days=365))
    assert AuditEvent.objects.filter(pk=young.pk).exists()


def test_guards_are_in_place_after_migrate():
    from xiaoneng.core.audit.guards import guards_installed

    assert guards_installed(connection)
