from django.core.management.base import BaseCommand

from xiaoneng.feedback.surveys.demo import demo_surveys_load


class Command(BaseCommand):
    help = "Load the demo satisfaction surveys (after the org demo data; idempotent)."

    def handle(self, *args, **options):
        survey = demo_surveys_load()
        self.stdout.write(f"demo surveys: {survey.title if survey else 'skipped (no demo people)'}")
