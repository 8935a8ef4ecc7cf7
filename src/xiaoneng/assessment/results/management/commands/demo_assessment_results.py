from django.core.management.base import BaseCommand

from xiaoneng.assessment.results.demo import demo_results_load


class Command(BaseCommand):
    help = "Demo results: composite weights and a published final result on the demo campaign (idempotent)."

    def handle(self, *args, **options):
        self.stdout.write(f"assessment results: {demo_results_load()}")
