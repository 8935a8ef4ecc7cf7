"""Benchmark: one month's publicity ranking for 1,000 units and 1,000,000 adoptions over a year.

Measures, on SQLite and on PostgreSQL (database ``xn_publicity_bench``, recreated each run):

* ``ranking_ms`` — ``publicity.selectors.month_ranking`` for December (the worst month: the
  year-to-date and campaign totals cover all twelve months), quota, deductions, veto and
  tie-breaks included;
* ``render_ms`` — the office's ranking page (view, template, charts) through the test client;
* ``baseline_ms`` — one hand-written SQL aggregate over the same data (ledger and items) giving, per
  unit, the month's points, adoptions, adoptions per outlet level and items sent, and the
  year-to-date points: the raw figures, without the rules.

Data: 10 ranking groups, 1,000 units, 20 outlets, 500,000 news items, 1,000,000 verified
adoptions (two outlets per item) with their points taken from the built-in scoring table, and
their ledger rows; bulk-loaded with executemany (SQLite) or COPY (PostgreSQL). Seeded, so
every run loads the same data.

usage: python bench/ranking.py [--units 1000] [--adoptions 1000000] [--runs 3] [--db both|sqlite|postgres]
Prints one JSON line last (with --db both: the two results side by side).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = "xn_publicity_bench"
YEAR = 2025
TARGET_RATIO = 2.0
TARGET_MS = 1000


def run_child(db: str, args: argparse.Namespace) -> dict:
    env = dict(os.environ)
    env.pop("XIAONENG_DATABASE_URL", None)
    if db == "postgres":
        env["XIAONENG_DATABASE_URL"] = f"{PG_SERVER}/{PG_NAME}"
    command = [sys.executable, __file__, "--db", db, "--units", str(args.units), "--adoptions", str(args.adoptions),
               "--runs", str(args.runs)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    sys.stderr.write(done.stderr[-3000:])
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"database": db, "error": (done.stderr or done.stdout)[-500:]}
    return json.loads(lines[-1])


def recreate_pg_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_NAME}")


def bulk_insert(connection, table: str, columns: list[str], rows: list[tuple]) -> None:
    """executemany on SQLite, COPY on PostgreSQL."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # noqa: S608
                for row in rows:
                    copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 50_000):
            cursor.executemany(sql, rows[start:start + 50_000])


def child(args: argparse.Namespace) -> int:
    if args.db == "postgres":
        recreate_pg_database()
        os.environ["XIAONENG_DATABASE_URL"] = f"{PG_SERVER}/{PG_NAME}"
    else:
        os.environ.pop("XIAONENG_DATABASE_URL", None)
        os.environ["XIAONENG_DATA_DIR"] = tempfile.mkdtemp(prefix="xiaoneng-bench-ranking-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")
    os.environ.setdefault("XIAONENG_DEBUG", "0")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from xiaoneng.campaigns.models import Campaign
    from xiaoneng.org.models import RankingGroup, RoleAssignment, Unit, UnitKind, User
    from xiaoneng.publicity import scoring, selectors
    from xiaoneng.publicity.models import Outlet, ScoringRuleSet

    rng = random.Random(20251231)  # noqa: S311 - benchmark data, not security
    load_start = time.perf_counter()
    with transaction.atomic():
        groups = [RankingGroup.objects.create(name=f"基准组{g:02d}", order=g) for g in range(10)]
        kinds = [UnitKind.COUNTY_BUREAU, UnitKind.HOSPITAL, UnitKind.HOSPITAL, UnitKind.CDC, UnitKind.SUPERVISION]
        units = Unit.objects.bulk_create([
            Unit(name=f"基准单位{i:04d}", kind=kinds[i % len(kinds)], ranking_group=groups[i % 10], order=i)
            for i in range(args.units)])
        office = User.objects.create(username="bench_office", must_change_password=False,
                                     password_changed_at=timezone.now())
        RoleAssignment.objects.create(user=office, role="office")
        campaign = Campaign.objects.create(title="基准宣传活动", kind="publicity", year=YEAR,
                                           start_date=dt.date(YEAR, 1, 1), end_date=dt.date(YEAR, 12, 31))
        rules = scoring.Rules.from_dict(scoring.DEFAULT_RULES)
        rule_set = ScoringRuleSet.objects.create(campaign=campaign, version=1, name="内置", rules=rules.to_dict(),
                                                 effective_from=dt.date(YEAR, 1, 1))
        outlet_specs = [(level, kind) for level in ("central", "province", "city", "county", "internal")
                        for kind in ("website", "newspaper", "bulletin", "new_media")]
        outlets = [Outlet.objects.create(name=f"基准媒体{i:02d}", level=level, kind=kind)
                   for i, (level, kind) in enumerate(outlet_specs)]
        # Adoptions lean to the lower levels, as they do in life.
        outlet_weights = [{"central": 1, "province": 3, "city": 8, "county": 8, "internal": 5}[o.level]
                          for o in outlets]

        n_items = args.adoptions // 2
        now = timezone.now()
        item_rows, adoption_rows, entry_rows = [], [], []
        adoption_id = 0
        for item_id in range(1, n_items + 1):
            unit = units[rng.randrange(len(units))]
            month = rng.randrange(1, 13)
            day = rng.randrange(1, 28)
            submitted = dt.datetime(YEAR, month, day, 9, tzinfo=dt.UTC)
            key = YEAR * 100 + month
            item_rows.append((item_id, campaign.pk, unit.pk, f"新闻{item_id}", "<p>正文</p>", "作者", "submitted",
                              submitted, key, None, None, now, None, None, "", None, None, ""))
            chosen = rng.choices(range(len(outlets)), weights=outlet_weights, k=2)
            if chosen[0] == chosen[1]:
                chosen[1] = (chosen[0] + 1) % len(outlets)
            for index, outlet_index in enumerate(chosen):
                outlet = outlets[outlet_index]
                adoption_id += 1
                position = rng.choice(("inner", "inner", "inner", "front", "headline"))
                photo = rng.random() < 0.2
                points, _tier = rules.tier_points(outlet.level, outlet.kind, position)
                points = scoring.q(points + (rules.photo_bonus if photo else 0))
                adopted = dt.date(YEAR, month, min(day + index, 28))
                adoption_rows.append((adoption_id, item_id, outlet.pk, unit.pk, adopted, key, position, "第2版",
                                      False, False, photo, None, "", "verified", "", points, rule_set.pk, 1, "[]",
                                      None, office.pk, now, now))
                entry_rows.append((adoption_id, campaign.pk, unit.pk, item_id, adoption_id, "adoption", key,
                                   outlet.level, int(points * 100), index == 0))
        bulk_insert(connection, "publicity_newsitem",
                    ["id", "campaign_id", "unit_id", "title", "body_html", "author", "status", "submitted_at",
                     "month_key", "idempotency_key", "created_by_id", "created_at", "approved_by_id", "approved_at",
                     "return_reason", "similar_item_id", "similarity", "text_signature"], item_rows)
        bulk_insert(connection, "publicity_adoption",
                    ["id", "news_item_id", "outlet_id", "unit_id", "adopted_on", "month_key", "position",
                     "page_or_url", "is_headline", "is_feature_page", "has_photo", "evidence_file_id",
                     "evidence_link", "status", "reject_reason", "points", "rule_set_id", "rule_version", "breakdown",
                     "claimed_by_id", "recorded_by_id", "verified_at", "created_at"], adoption_rows)
        bulk_insert(connection, "publicity_pointentry",
                    ["id", "campaign_id", "unit_id", "news_item_id", "adoption_id", "kind", "month_key", "level",
                     "points_cents", "first_of_item"], entry_rows)
    del item_rows, adoption_rows, entry_rows
    with connection.cursor() as cursor:
        # What autovacuum does for a live database: statistics and the visibility map.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    load_s = time.perf_counter() - load_start

    month_key = YEAR * 100 + 12
    levels = ("central", "province", "city", "county", "internal")

    def baseline() -> float:
        # The raw figures of the ranking in one statement: per unit, the month's points, adoptions and
        # adoptions per level, the month's items sent, and the year-to-date points (the rules are not
        # applied: that is what the selector adds in Python).
        level_sums = ", ".join(
            f"SUM(CASE WHEN month_key = %s AND level = '{level}' THEN 1 ELSE 0 END)" for level in levels)
        sql = (f"SELECT unit_id, SUM(CASE WHEN month_key = %s THEN points_cents ELSE 0 END), "  # noqa: S608
               f"SUM(CASE WHEN month_key = %s AND item = 0 THEN 1 ELSE 0 END), {level_sums}, "
               "SUM(CASE WHEN month_key = %s THEN item ELSE 0 END), SUM(points_cents) FROM ("
               "SELECT unit_id, month_key, points_cents, level, 0 AS item FROM publicity_pointentry "
               "WHERE campaign_id = %s AND month_key >= %s AND month_key <= %s "
               "UNION ALL SELECT unit_id, month_key, 0, '', 1 FROM publicity_newsitem "
               "WHERE campaign_id = %s AND status = 'submitted' AND month_key >= %s AND month_key <= %s"
               ") AS figures GROUP BY unit_id")
        span = [campaign.pk, YEAR * 100 + 1, month_key]
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, [month_key, month_key, *[month_key] * len(levels), month_key, *span, *span])
            rows = cursor.fetchall()
        assert len(rows) >= args.units * 0.9
        return time.perf_counter() - start

    def ours() -> float:
        start = time.perf_counter()
        result = selectors.month_ranking(campaign=campaign, year=YEAR, month=12)
        elapsed = time.perf_counter() - start
        assert sum(len(g.rows) for g in result.groups) == args.units
        return elapsed

    client = Client()
    client.force_login(office)

    def render() -> float:
        start = time.perf_counter()
        response = client.get(f"/publicity/campaign/{campaign.pk}/ranking/?month={YEAR}-12")
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        assert response.content.count(b'data-testid="ranking-row"') == args.units
        return elapsed

    baseline()
    ours()
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(ours)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumtime").print_stats(30)
    base = statistics.median(baseline() for _ in range(args.runs))
    ranking = statistics.median(ours() for _ in range(args.runs))
    page = statistics.median(render() for _ in range(args.runs))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM publicity_adoption")
        adoptions = cursor.fetchone()[0]
    result = {
        "database": connection.vendor, "units": args.units, "adoptions": adoptions, "load_s": round(load_s, 1),
        "ranking_ms": round(ranking * 1000), "render_ms": round(page * 1000), "baseline_ms": round(base * 1000),
        "ratio": round(ranking / base, 2), "target_ratio": TARGET_RATIO, "target_ms": TARGET_MS,
        "meets_target": ranking / base <= TARGET_RATIO and (connection.vendor != "postgresql"
                                                             or ranking * 1000 <= TARGET_MS),
    }
    if connection.vendor == "postgresql":
        connection.close()
    print(json.dumps(result))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--adoptions", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", choices=("both", "sqlite", "postgres"), default="both")
    parser.add_argument("--profile", action="store_true", help="print where month_ranking spends its time")
    args = parser.parse_args()
    if args.db != "both":
        return child(args)
    results = {db: run_child(db, args) for db in ("sqlite", "postgres")}
    pg = results["postgres"]
    summary = {
        "sqlite": results["sqlite"], "postgres": pg,
        "ours_ms": pg.get("ranking_ms"), "render_ms": pg.get("render_ms"), "baseline_ms": pg.get("baseline_ms"),
        "ratio": pg.get("ratio"), "target_ratio": TARGET_RATIO, "target_ms": TARGET_MS,
        "meets_target": bool(pg.get("meets_target")) and bool(results["sqlite"].get("meets_target")),
    }
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
