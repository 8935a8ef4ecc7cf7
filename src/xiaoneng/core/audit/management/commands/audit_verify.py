"""Check the audit log's hash chain; exit status 1 names the first event that fails."""

from django.core.management.base import BaseCommand, CommandError

from xiaoneng.core.audit.services import audit_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and report the first event that does not match."

    def handle(self, *args, **options):
        report = audit_verify()
        if not report.is_intact:
            why = "its content was changed" if report.reason == "content" else "an event before it is missing"
            raise CommandError(
                f"audit chain broken at event #{report.first_bad_id} ({why}); "
                f"{report.checked} events before it are intact"
            )
        self.stdout.write(f"audit chain intact: {report.checked} events, anchor {report.anchor[:16]}…")
