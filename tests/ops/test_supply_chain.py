"""Supply chain (check 28): findings fail the check unless a waiver in force names them; no network here."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("supply_chain", ROOT / "bench" / "supply_chain.py")
supply_chain = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("supply_chain", supply_chain)  # dataclasses look their module up
_spec.loader.exec_module(supply_chain)


def test_expired_or_incomplete_waivers_do_not_waive(tmp_path):
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(
        '[[waiver]]\nid = "B608:src/a.py"\nreason = "constant table name"\nexpires = 2027-01-31\n'
        '[[waiver]]\nid = "GHSA-old"\nreason = "no fix yet"\nexpires = 2026-01-01\n'
        '[[waiver]]\nid = "B308:src/b.py"\nexpires = 2027-01-31\n',
        encoding="utf-8",
    )
    active, notes = supply_chain.load_waivers(waivers, today=dt.date(2026, 11, 23))
    assert active == {"B608:src/a.py"}
    assert any("GHSA-old expired" in note for note in notes)
    assert any("needs id, reason and expires" in note for note in notes)

    findings = [supply_chain.Finding("bandit", "B608:src/a.py", "src/a.py:3", "sql"),
                supply_chain.Finding("pip-audit", "GHSA-old", "pkg==1", "fixed in 2")]
    assert [f.id for f in supply_chain.unwaived(findings, active)] == ["GHSA-old"]


def test_every_waiver_in_the_repository_has_a_reason_and_an_expiry_in_the_future():
    active, notes = supply_chain.load_waivers()
    assert notes == []
    assert active


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("bandit") is None and not (Path(sys.executable).parent / "bandit").exists(),
                    reason="bandit is not installed")
def test_source_has_no_unwaived_ruff_s_or_bandit_finding():
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "supply_chain.py"), "--skip-pip-audit"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 unwaived finding(s)" in result.stdout
