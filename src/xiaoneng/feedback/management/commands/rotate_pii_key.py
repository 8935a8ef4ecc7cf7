"""Re-encrypt every case's personal data with the newest key of XIAONENG_PII_KEYS.

Rotation: put a new key in front of XIAONENG_PII_KEYS (keep the old one after it), restart,
run this command, then remove the old key. A value no configured key opens stops the command
(fails closed) and names the case, so nothing is silently left unreadable.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from xiaoneng.core.audit.services import audit_record
from xiaoneng.feedback.crypto import PiiDecryptError
from xiaoneng.feedback.services import cases_reencrypt


class Command(BaseCommand):
    help = "Re-encrypt the personal data of all cases with the newest key (XIAONENG_PII_KEYS)."

    def handle(self, *args, **options):
        try:
            count = cases_reencrypt()
        except PiiDecryptError as exc:
            raise CommandError(f"{exc}; add the old key back to XIAONENG_PII_KEYS (after the new one)") from exc
        audit_record("feedback.rotate_pii_key", detail={"cases": count})
        self.stdout.write(self.style.SUCCESS(f"re-encrypted the personal data of {count} cases"))
