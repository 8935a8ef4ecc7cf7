"""Telling people things: in the app, by e-mail and by SMS."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from xiaoneng.core.jobs.services import job_enqueue

from .models import Notification


@transaction.atomic
def notify_users(*, users: Iterable[Any], title: str, body: str = "", url: str = "", email: bool = True,
                 sms: bool = False, dedupe_prefix: str = "") -> int:
    """Notify each user in the app, and queue an e-mail (and SMS) as durable jobs.

    Call it inside the transaction that decides to notify (e.g. the one recording a reminder),
    so a notification is either fully recorded with its deliveries or not at all.
    """
    count = 0
    for user in users:
        Notification.objects.create(user=user, title=title, body=body, url=url)
        key = f"{dedupe_prefix}:{user.pk}" if dedupe_prefix else None
        if email and user.email:
            job_enqueue(kind="notify.email", payload={"to": [user.email], "subject": title, "body": body},
                        dedupe_key=f"email:{key}" if key else None)
        if sms and getattr(user, "phone", ""):
            job_enqueue(kind="notify.sms", payload={"phone": user.phone, "text": f"{title} {body}"[:300]},
                        dedupe_key=f"sms:{key}" if key else None)
        count += 1
    return count


def notifications_for_user(*, user: Any, unread_only: bool = False):
    notes = Notification.objects.filter(user=user)
    return notes.filter(read_at__isnull=True) if unread_only else notes
