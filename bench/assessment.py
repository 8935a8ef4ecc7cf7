"""Benchmark: final results and rankings of a province-sized assessment, on SQLite and PostgreSQL.

2,000 units in 4 ranking groups, 3 locked rounds, a scheme of 100 items: 600,000 settled scores.
Times our real code path (``final_results_for_campaign``: the totals aggregate, the means in
Decimal, the rankings per group with shared ranks) beside one SQL aggregate that a report
writer would use (AVG of the per-round SUMs, grouped by unit). Target: within 2× and under 2 s.

Runs itself once per database in a child process (a Django process holds one default database):
SQLite always, PostgreSQL at XIAONENG_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/
xn_results_bench; the test database test_xn_results_bench is created and dropped). Prints one JSON
object with both as its last line.

usage: python bench/assessment.py [--units 2000] [--rounds 3] [--criteria 100] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

PG_URL = os.environ.get("XIAONENG_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/xn_results_bench")
BASELINE_SQL = (
    "SELECT unit_id, AVG(total) FROM ("
    " SELECT ru.round_id, ru.unit_id, SUM(s.points) AS total FROM assessment_settledscore s"
    " JOIN assessment_roundunit ru ON ru.id = s.round_unit_id WHERE ru.round_id IN ({ids})"
    " GROUP BY ru.round_id, ru.unit_id) per_round GROUP BY unit_id"
)


def _insert_scores(connection, round_units: list[int], criteria: list[int]) -> None:
    """600k rows fast: COPY on PostgreSQL, one executemany in a transaction on SQLite."""
    import datetime as dt
    import random

    rng = random.Random(2026)  # noqa: S311 - benchmark data, not secrets
    now = dt.datetime.now(dt.UTC)
    # Points in 0.5 steps: the totals are exact, the means repeat (x/3).
    rows = ((ru, c, f"{rng.randint(0, 2) / 2:.2f}") for ru in round_units for c in criteria)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy("COPY assessment_settledscore (round_unit_id, criterion_id, points, note, settled_at) "
                          "FROM STDIN") as copy:
                for ru, c, points in rows:
                    copy.write_row((ru, c, points, "", now))
        else:
            cursor.executemany(
                "INSERT INTO assessment_settledscore (round_unit_id, criterion_id, points, note, settled_at) "
                "VALUES (%s, %s, %s, '', %s)", ((ru, c, p, now.isoformat()) for ru, c, p in rows))


def run_one(args: argparse.Namespace) -> dict:
    os.environ.setdefault("XIAONENG_DATA_DIR", tempfile.mkdtemp(prefix="xiaoneng-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")
    import django

    django.setup()
    import datetime as dt
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        call_command("migrate", verbosity=0)
        from xiaoneng.assessment.models import Criterion, Round, RoundUnit, Scheme
        from xiaoneng.assessment.results import selectors
        from xiaoneng.campaigns.models import Campaign
        from xiaoneng.org.models import RankingGroup, Unit

        load_start = time.perf_counter()
        with transaction.atomic():
            groups = [RankingGroup.objects.create(name=f"组{i}", order=i) for i in range(4)]
            units = Unit.objects.bulk_create([
                Unit(name=f"单位{i:04d}", kind="hospital", ranking_group=groups[i % 4], order=i)
                for i in range(args.units)], batch_size=1000)
            campaign = Campaign.objects.create(title="基准活动", year=2026, start_date=dt.date(2026, 1, 1),
                                               end_date=dt.date(2026, 12, 31))
            scheme = Scheme.objects.create(name="省级考核细则", frozen=True)
            categories = [Criterion.objects.create(scheme=scheme, order=i, title=f"类别{i}")
                          for i in range(max(1, args.criteria // 10))]
            items = Criterion.objects.bulk_create([
                Criterion(scheme=scheme, parent=categories[i % len(categories)], order=i, title=f"项目{i}",
                          max_points=Decimal("1"), step=Decimal("0.5")) for i in range(args.criteria)])
            rounds = [Round.objects.create(campaign=campaign, scheme=scheme, name=f"第{i + 1}轮", order=i + 1,
                                           status="locked") for i in range(args.rounds)]
            RoundUnit.objects.bulk_create([RoundUnit(round=r, unit=u) for r in rounds for u in units],
                                          batch_size=2000)
            round_units = list(RoundUnit.objects.values_list("pk", flat=True))
            _insert_scores(connection, round_units, [c.pk for c in items])
        load_s = time.perf_counter() - load_start
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        scores = args.units * args.rounds * args.criteria
        ids = ",".join(str(r.pk) for r in rounds)

        def baseline() -> float:
            start = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(BASELINE_SQL.format(ids=ids))
                rows = cursor.fetchall()
            assert len(rows) == args.units
            return time.perf_counter() - start

        def ours() -> float:
            start = time.perf_counter()
            results = selectors.final_results_for_campaign(campaign=campaign)
            assert sum(len(g.rows) for g in results.groups) == args.units
            return time.perf_counter() - start

        # The same numbers both ways: the SQL mean rounded half up equals our Decimal final.
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_SQL.format(ids=ids))
            sql_means = {unit_id: Decimal(str(avg)).quantize(Decimal("0.01")) for unit_id, avg in cursor.fetchall()}
        finals = selectors.final_results_for_campaign(campaign=campaign).finals
        mismatches = sum(1 for unit_id, final in finals.items() if abs(final - sql_means[unit_id]) > Decimal("0.01"))
        baseline()
        ours()
        # Interleaved, so a busy machine slows both sides alike; medians of the runs.
        base_runs, our_runs = [], []
        for _ in range(args.runs):
            base_runs.append(baseline())
            our_runs.append(ours())
        base, mine = statistics.median(base_runs), statistics.median(our_runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return {"database": connection.vendor, "units": args.units, "rounds": args.rounds, "criteria": args.criteria,
            "settled_scores": scores, "load_s": round(load_s, 1), "ours_ms": round(mine * 1000),
            "baseline_ms": round(base * 1000), "ratio": round(mine / base, 2), "mean_mismatches": mismatches,
            "meets_target": mine / base <= 2.0 and mine * 1000 < 2000}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--criteria", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--one", action="store_true", help="run on the configured database only")
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args)))
        return 0
    passed = ["--units", str(args.units), "--rounds", str(args.rounds), "--criteria", str(args.criteria),
              "--runs", str(args.runs), "--one"]
    results = {}
    targets = [("sqlite", {k: v for k, v in os.environ.items() if k != "XIAONENG_DATABASE_URL"})]
    if not args.no_pg:
        targets.append(("postgresql", {**os.environ, "XIAONENG_DATABASE_URL": PG_URL}))
    for name, env in targets:
        done = subprocess.run([sys.executable, __file__, *passed], env=env, capture_output=True, text=True,  # noqa: S603
                              check=False)
        lines = done.stdout.strip().splitlines()
        try:
            results[name] = json.loads(lines[-1])
        except (IndexError, json.JSONDecodeError):
            results[name] = {"error": (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]}
        print(f"{name}: {json.dumps(results[name])}", file=sys.stderr)
    summary = {
        "sqlite_ours_ms": results["sqlite"].get("ours_ms"), "sqlite_baseline_ms": results["sqlite"].get("baseline_ms"),
        "sqlite_ratio": results["sqlite"].get("ratio"),
        "postgresql_ours_ms": results.get("postgresql", {}).get("ours_ms"),
        "postgresql_baseline_ms": results.get("postgresql", {}).get("baseline_ms"),
        "postgresql_ratio": results.get("postgresql", {}).get("ratio"),
        "target_ratio": 2.0, "target_ms": 2000,
        "meets_target": all(r.get("meets_target") for r in results.values()),
        "detail": results,
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
