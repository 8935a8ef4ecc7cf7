from django.core.management.base import BaseCommand

from xiaoneng.org.demo import DEMO_PASSWORD, DEMO_PEOPLE, demo_load


class Command(BaseCommand):
    help = "Load the demo bureau, units and one person per role (idempotent)."

    def handle(self, *args, **options):
        result = demo_load()
        self.stdout.write(f"demo data ready: {result['units']} units, {result['people_created']} people created")
        self.stdout.write(f"demo logins (password {DEMO_PASSWORD}):")
        for username, full_name, _unit, roles, _title in DEMO_PEOPLE:
            self.stdout.write(f"  {username:18} {full_name} · {', '.join(str(r.label) for r in roles)}")
