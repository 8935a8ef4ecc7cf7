from django.core.management.base import BaseCommand

from xiaoneng.assessment.supervision.demo import demo_supervision_load


class Command(BaseCommand):
    help = "Load the supervision demo: a covert visit, problems in several states, targets (idempotent)."

    def handle(self, *args, **options):
        result = demo_supervision_load()
        self.stdout.write(f"demo supervision: {result if result is not None else 'skipped (no demo data)'}")
