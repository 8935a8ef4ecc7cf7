from django.core.management.base import BaseCommand

from xiaoneng.assessment.demo import demo_assessment_load


class Command(BaseCommand):
    help = "Load the demo assessment scheme and rounds (after the org and campaign demo data; idempotent)."

    def handle(self, *args, **options):
        result = demo_assessment_load()
        self.stdout.write(f"demo assessment: {result if result else 'skipped (no demo people or campaign)'}")
