"""Delete audit events older than the retention period (AUDIT_RETENTION_DAYS, never below 180)."""

from django.core.management.base import BaseCommand

from xiaoneng.core.audit.services import audit_purge, audit_retention_days


class Command(BaseCommand):
    help = "Delete audit events older than the retention period (at least 180 days)."

    def handle(self, *args, **options):
        deleted = audit_purge()
        self.stdout.write(f"deleted {deleted} audit events older than {audit_retention_days()} days")
