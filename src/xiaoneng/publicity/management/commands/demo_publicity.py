from django.core.management.base import BaseCommand

from xiaoneng.publicity.demo import demo_publicity_load


class Command(BaseCommand):
    help = "Load the demo publicity data: outlets, rules, news items and adoptions (idempotent)."

    def handle(self, *args, **options):
        result = demo_publicity_load()
        self.stdout.write(f"demo publicity: {result}")
