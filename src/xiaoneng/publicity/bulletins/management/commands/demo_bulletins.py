"""Publish the demo campaign's finished months (idempotent): run after demo_publicity."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.utils import timezone

from xiaoneng.publicity.bulletins import documents, services


class Command(BaseCommand):
    help = "Publish the bulletins of the demo publicity campaign's last two finished months."

    def handle(self, *args, **options):
        from xiaoneng.campaigns.demo import DEMO_TITLE
        from xiaoneng.campaigns.models import Campaign
        from xiaoneng.org.demo import BUREAU
        from xiaoneng.org.models import User

        campaign = Campaign.objects.filter(title=DEMO_TITLE).first()
        office = User.objects.filter(username="office").first()
        if campaign is None or office is None:
            self.stdout.write("demo_bulletins: run `xiaoneng demo` first (no demo campaign or office).")
            return
        first_of_month = timezone.localdate().replace(day=1)
        months = []
        day = first_of_month - dt.timedelta(days=1)
        for _ in range(2):
            if campaign.start_date <= day:
                months.append((day.year, day.month))
            day = day.replace(day=1) - dt.timedelta(days=1)
        for year, month in reversed(months):
            try:
                publication, created = services.publication_publish(
                    user=office, campaign=campaign, year=year, month=month,
                    title=documents.default_title(year, month), issuer=BUREAU,
                    recipients="各县区卫生健康局，市直各医疗卫生单位：",
                    issued_on=min(dt.date(year, month, 1) + dt.timedelta(days=40), timezone.localdate()))
            except ValidationError as exc:
                self.stdout.write(f"demo_bulletins: {year}-{month:02d} not published: {' '.join(exc.messages)}")
                continue
            state = "published" if created else "already published"
            self.stdout.write(f"demo_bulletins: {year}-{month:02d} {state} ({publication.title})")
