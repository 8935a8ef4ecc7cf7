"""Sending SMS: an interface, and a backend that only logs (no SMS gateway is wired in yet).

A deployment sets XIAONENG_SMS_BACKEND to a dotted path of a class with ``send(phone, text)``.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("xiaoneng.sms")


class LoggingSmsBackend:
    """Writes each message to the log instead of sending it; the phone number is masked."""

    def send(self, phone: str, text: str) -> None:
        masked = f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"
        logger.info("SMS to %s: %s", masked, text)


def sms_backend():
    return import_string(getattr(settings, "SMS_BACKEND", "xiaoneng.core.notify.sms.LoggingSmsBackend"))()
