"""Benchmark: the campaign board for 300 units × 60 due items, and its .xlsx export.

Compares the time to build and render the board, and to write the export, with the time
of one SQL query that fetches the same rows (the baseline the issue names). Runs on SQLite
by default, on PostgreSQL when XIAONENG_DATABASE_URL is set. Prints one JSON line last.

usage: python bench/board.py [--units 300] [--items 60] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("XIAONENG_DATA_DIR", tempfile.mkdtemp(prefix="xiaoneng-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--items", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        call_command("migrate", verbosity=0)
        from xiaoneng.campaigns import exports, selectors
        from xiaoneng.campaigns.models import Campaign, DueItem, Obligation, Submission, SubmissionStatus
        from xiaoneng.org.models import RankingGroup, RoleAssignment, Unit, User

        group = RankingGroup.objects.create(name="组")
        units = Unit.objects.bulk_create(
            [Unit(name=f"单位{i:03d}", ranking_group=group, kind="hospital", order=i) for i in range(args.units)])
        office = User.objects.create(username="office")
        RoleAssignment.objects.create(user=office, role="office")
        campaign = Campaign.objects.create(title="基准", year=2026, start_date=dt.date(2026, 1, 1),
                                           end_date=dt.date(2026, 12, 31))
        obligations = [Obligation.objects.create(campaign=campaign, title=f"报送{i}", frequency="once",
                                                 due_date=dt.date(2026, 1, 1) + dt.timedelta(days=i * 5))
                       for i in range(args.items)]
        items = [DueItem(obligation=o, unit=u, period_key="once", due_date=o.due_date)
                 for u in units for o in obligations]
        DueItem.objects.bulk_create(items, batch_size=2000)
        now = timezone.now()
        subs = [Submission(due_item=item, unit_id=item.unit_id, status=SubmissionStatus.SUBMITTED,
                           submitted_at=now, text="")
                for item in DueItem.objects.all()[: len(items) // 2]]
        Submission.objects.bulk_create(subs, batch_size=2000)

        def baseline() -> float:
            start = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT d.id, d.unit_id, d.obligation_id, d.due_date, s.status, s.is_on_time "
                    "FROM campaigns_dueitem d JOIN campaigns_obligation o ON o.id = d.obligation_id "
                    "LEFT JOIN campaigns_submission s ON s.due_item_id = d.id "
                    "WHERE o.campaign_id = %s AND d.state = 'open' ORDER BY d.unit_id, d.due_date",
                    [campaign.pk])
                rows = cursor.fetchall()
            assert len(rows) >= args.units * args.items
            return time.perf_counter() - start

        def board() -> float:
            start = time.perf_counter()
            columns, rows = selectors.board_for_user(user=office, campaign=campaign)
            html = selectors.board_table_html(columns, rows)
            assert html.count("<tr") == args.units + 1
            return time.perf_counter() - start

        def export() -> float:
            start = time.perf_counter()
            columns, rows = selectors.board_for_user(user=office, campaign=campaign)
            exports.board_xlsx(campaign, columns, rows)
            return time.perf_counter() - start

        baseline()
        base = statistics.median(baseline() for _ in range(args.runs))
        ours = statistics.median(board() for _ in range(args.runs))
        xlsx = statistics.median(export() for _ in range(args.runs))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    result = {
        "database": connection.vendor, "units": args.units, "items_per_unit": args.items,
        "board_ms": round(ours * 1000), "export_ms": round(xlsx * 1000), "baseline_ms": round(base * 1000),
        "ratio": round(ours / base, 2), "target_ratio": 3.0, "target_ms": 500,
        "meets_target": ours / base <= 3.0 and ours * 1000 <= 500,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
