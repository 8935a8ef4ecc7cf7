"""Benchmark of plan import: read + repair + extract over the sample plans.

Measures our pipeline's throughput (characters per second, median of several runs) and
peak memory, and, in the same run, JioNLP's `extract_time` alone over the same text as
the baseline (skipped with a note when jionlp is not installed; it is a measurement
tool only, never a runtime dependency). Also reports how JioNLP reads the time
expressions the schema cares about, which is why our own rules do that job.

Docs: env XIAONENG_PLAN_DOCS, else ../shared/plan-extraction/docs beside the repo.
The last line printed is one JSON object.
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from xiaoneng.planimport import extract_text, read_plan  # noqa: E402

TARGET_RATIO = 3.0
TARGET_CHARS_PER_S = 300_000
RUNS = int(os.environ.get("BENCH_RUNS", "7"))

# Expressions the schema needs, with the dates a correct reading gives (reference year 2009).
EXPRESSIONS = (
    ("2月14日前", ("2009-02-14",)),
    ("宣传发动阶段(2008年3月至4月)", ("2008-03-01", "2008-04-30")),
    ("1、整改工作进度。7月中旬至8月下旬", ("2009-07-11", "2009-08-31")),
    ("8月2日—4日", ("2009-08-02", "2009-08-04")),
    ("每月5日前", ("monthly", 5)),
    ("7月和12月各评议一次", ("yearly", [7, 12])),
    ("在每一阶段结束后的第1个星期内", ("phase_end", 7)),
    ("收到后5个工作日内", ("receipt", 5)),
)


def docs_dir() -> Path:
    configured = os.environ.get("XIAONENG_PLAN_DOCS")
    return Path(configured) if configured else REPO.parent / "shared" / "plan-extraction" / "docs"


def pipeline(paths: list[Path]) -> int:
    chars = 0
    for path in paths:
        text = read_plan(path).text
        extract_text(text, path.name)
        chars += len(text)
    return chars


def median_rate(work, runs: int) -> tuple[float, int]:
    rates = []
    chars = 0
    for _ in range(runs):
        started = time.perf_counter()
        chars = work()
        rates.append(chars / (time.perf_counter() - started))
    return statistics.median(rates), chars


def jionlp_part(texts: list[str]) -> dict:
    try:
        logging.disable(logging.CRITICAL)  # jionlp logs a traceback per phrase it cannot parse
        import jionlp  # noqa: PLC0415
    except ImportError:
        return {"note": "jionlp not installed: baseline skipped (pip install jionlp to measure)"}
    base = {"year": 2009, "month": 1, "day": 1}

    def work() -> int:
        for text in texts:
            jionlp.ner.extract_time(text, time_base=base, with_parsing=True)
        return sum(map(len, texts))

    work()  # load its dictionaries outside the timing
    rate, _ = median_rate(work, max(3, RUNS // 2))
    readings = {}
    for expression, _expected in EXPRESSIONS:
        try:
            readings[expression] = jionlp.parse_time(expression, time_base=base)["time"]
        except Exception as exc:  # noqa: BLE001  (recording what the baseline does)
            readings[expression] = f"error: {exc}"
    return {"rate": rate, "readings": readings}


def ours_readings() -> dict:
    readings = {}
    for expression, _expected in EXPRESSIONS:
        answer = extract_text(f"2009年工作方案\n{expression}。", "bench")
        readings[expression] = [
            {k: v for k, v in item.items() if k not in ("text", "span")} for item in answer["schedule"]
        ]
    return readings


def main() -> int:
    paths = sorted(docs_dir().glob("*.txt"))
    if not paths:
        print(json.dumps({"error": f"no documents in {docs_dir()}"}))
        return 1
    pipeline(paths)  # warm up: OpenCC's tables and the regexes load once per process
    ours, chars = median_rate(lambda: pipeline(paths), RUNS)
    tracemalloc.start()
    pipeline(paths)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    texts = [read_plan(path).text for path in paths]
    baseline = jionlp_part(texts)
    print(f"documents: {len(paths)} ({chars} chars), runs: {RUNS}")
    print(f"ours: {ours:,.0f} chars/s (read + repair + extract), peak traced memory {peak / 2**20:.1f} MB")
    if "rate" in baseline:
        print(f"jionlp extract_time alone: {baseline['rate']:,.0f} chars/s")
        print("how each reads the schema's time expressions (jionlp | ours):")
        mine = ours_readings()
        for expression, expected in EXPRESSIONS:
            print(
                f"  {expression}: expected {expected}\n    jionlp {baseline['readings'][expression]}"
                f"\n    ours   {mine[expression]}"
            )
    else:
        print(baseline["note"])
    ratio = ours / baseline["rate"] if "rate" in baseline else None
    summary = {
        "ours_chars_per_s": round(ours),
        "baseline_chars_per_s": round(baseline["rate"]) if "rate" in baseline else None,
        "ratio": round(ratio, 2) if ratio else None,
        "target_ratio": TARGET_RATIO,
        "target_chars_per_s": TARGET_CHARS_PER_S,
        "meets_target": bool(ours >= TARGET_CHARS_PER_S and (ratio is None or ratio >= TARGET_RATIO)),
        "peak_mem_mb": round(peak / 2**20, 1),
        "chars": chars,
        "documents": len(paths),
    }
    if ratio is None:
        summary["note"] = baseline["note"]
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
