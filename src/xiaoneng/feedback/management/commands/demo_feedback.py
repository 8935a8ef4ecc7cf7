from django.core.management.base import BaseCommand

from xiaoneng.feedback.demo import demo_feedback_load


class Command(BaseCommand):
    help = "Load the demo cases (after the org demo data; idempotent)."

    def handle(self, *args, **options):
        lines = demo_feedback_load()
        # Replay the escalation ladder over the demo cases' last 30 days (idempotent).
        from xiaoneng.feedback.escalation.demo import seed_demo

        seed_demo()
        if not lines:
            self.stdout.write("demo cases: already there (or no demo people)")
        for line in lines:
            self.stdout.write(f"demo case: {line}")
