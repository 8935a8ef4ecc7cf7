"""Golden test: the extractor's answers on the shared sample plans, scored by score.py."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from xiaoneng.planimport import extract_plan


def _load_score(shared_dir: Path):
    spec = importlib.util.spec_from_file_location("plan_score", shared_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def answers(shared_dir) -> dict[str, dict]:
    return {path.name: extract_plan(path) for path in sorted((shared_dir / "docs").glob("*.txt"))}


def test_scores_meet_thresholds_per_field_and_overall(shared_dir, answers):
    score = _load_score(shared_dir)
    totals = {field: [0, 0, 0] for field in score.FIELDS}
    for gold_path in sorted((shared_dir / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        predicted = answers[gold["doc"]]
        for field in score.FIELDS:
            found, _, _ = score.match_count(gold[field], predicted[field], score.MATCHERS[field])
            totals[field][0] += found
            totals[field][1] += len(predicted[field])
            totals[field][2] += len(gold[field])
    for field in score.FIELDS:
        assert score.prf(*totals[field])[2] >= 0.85, (field, totals[field])
    overall = [sum(totals[f][i] for f in score.FIELDS) for i in range(3)]
    assert score.prf(*overall)[2] >= 0.90


def test_score_script_accepts_the_written_files(shared_dir, answers, tmp_path):
    """The extra keys (span, source, repairs) must not disturb score.py."""
    for name, answer in answers.items():
        (tmp_path / (Path(name).stem + ".json")).write_text(
            json.dumps(answer, ensure_ascii=False), encoding="utf-8"
        )
    score = _load_score(shared_dir)
    assert score.main([str(tmp_path), str(shared_dir / "gold"), "--json"]) == 0


def test_metadata_matches_gold(shared_dir, answers):
    for gold_path in sorted((shared_dir / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        predicted = answers[gold["doc"]]
        for key in ("reference_year", "doc_number", "issuer", "issue_date"):
            assert predicted[key] == gold[key], (gold["doc"], key)


def test_every_span_points_into_the_original_text(shared_dir, answers):
    for name, answer in answers.items():
        original = (shared_dir / "docs" / name).read_text(encoding="utf-8")
        repaired = bool(answer["repairs"])
        for field in ("headings", "schedule", "targets"):
            for item in answer[field]:
                start, end = item["span"]
                assert 0 <= start <= end <= len(original)
                if not repaired and field != "headings":
                    assert original[start:end] == item["text"]
