from django.core.management.base import BaseCommand

from xiaoneng.campaigns.demo import demo_campaign_load


class Command(BaseCommand):
    help = "Load the demo campaign (after the org demo data; idempotent)."

    def handle(self, *args, **options):
        campaign = demo_campaign_load()
        self.stdout.write(f"demo campaign: {campaign.title if campaign else 'skipped (no demo people)'}")
