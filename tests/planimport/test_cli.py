"""The command: `xiaoneng extract-plan FILE... --out DIR | --json`, and `python -m`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from xiaoneng.planimport.cli import main

SRC = Path(__file__).resolve().parents[2] / "src"
PLAN = "2023年工作方案\n一、工作安排\n各单位于2月14日前报送名单。\n群众满意度达到90%以上。\n"


def test_out_writes_one_json_per_file(tmp_path):
    source = tmp_path / "plan.txt"
    source.write_text(PLAN, encoding="utf-8")
    assert main([str(source), "--out", str(tmp_path / "out")]) == 0
    answer = json.loads((tmp_path / "out" / "plan.json").read_text(encoding="utf-8"))
    assert answer["doc"] == "plan.txt"
    assert answer["schedule"][0]["end"] == "2023-02-14"
    assert answer["targets"][0]["unit"] == "%"


def test_json_prints_the_answer(tmp_path, capsys):
    source = tmp_path / "plan.txt"
    source.write_text(PLAN, encoding="utf-8")
    assert main([str(source), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["headings"][0]["title"] == "工作安排"


def test_unreadable_file_is_reported_and_fails(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main([str(empty), "--json"]) == 1
    assert "empty" in capsys.readouterr().err


def test_python_dash_m_runs_without_django(tmp_path):
    source = tmp_path / "plan.txt"
    source.write_text(PLAN, encoding="utf-8")
    script = "import sys, runpy; sys.argv = ['x', sys.argv[1], '--json']; runpy.run_module('xiaoneng.planimport', run_name='__main__')"
    result = subprocess.run(
        [sys.executable, "-c", script, str(source)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["reference_year"] == 2023
    assert "django" not in result.stderr.lower()
