"""Supply-chain check (SECURITY-CHECKS #28): ruff's S rules, bandit -ll and pip-audit, with waivers.

    python bench/supply_chain.py [--offline-ok]

Findings are waived only by security-waivers.toml (id, reason, expiry); an expired waiver no
longer applies. pip-audit asks a vulnerability service over the network: when it cannot be
reached the script says so plainly and fails (exit 3), unless --offline-ok is given, which
reports the audit as not done and judges the rest.

Exit codes: 0 clean, 1 unwaived findings, 2 a tool is missing or broke, 3 pip-audit could not
reach its service.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WAIVERS = ROOT / "security-waivers.toml"
NETWORK_HINTS = ("connection", "resolve", "timed out", "timeout", "unreachable", "max retries",
                 "name or service not known", "temporary failure", "ssl", "proxy")


@dataclass(frozen=True)
class Finding:
    tool: str
    id: str
    where: str
    message: str


def load_waivers(path: Path = WAIVERS, *, today: dt.date | None = None) -> tuple[set[str], list[str]]:
    """The ids of waivers in force, and a note for each expired or malformed one."""
    today = today or dt.date.today()
    active: set[str] = set()
    notes: list[str] = []
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for waiver in data.get("waiver", []):
        wid, reason, expires = waiver.get("id"), waiver.get("reason", "").strip(), waiver.get("expires")
        if not wid or not reason or not isinstance(expires, dt.date):
            notes.append(f"waiver ignored, it needs id, reason and expires (a date): {waiver}")
        elif expires < today:
            notes.append(f"waiver {wid} expired on {expires}: the finding counts again")
        else:
            active.add(wid)
    return active, notes


def _tool(name: str) -> str | None:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


def run_ruff() -> list[Finding]:
    exe = _tool("ruff")
    if exe is None:
        raise RuntimeError("ruff is not installed")
    out = subprocess.run([exe, "check", "--select", "S", "--output-format", "json", "src"], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    if out.returncode not in (0, 1):
        raise RuntimeError(f"ruff failed: {out.stderr.strip()}")
    return [Finding("ruff", item["code"], f"{Path(item['filename']).relative_to(ROOT)}:{item['location']['row']}",
                    item["message"]) for item in json.loads(out.stdout or "[]")]


def run_bandit() -> list[Finding]:
    exe = _tool("bandit")
    if exe is None:
        raise RuntimeError("bandit is not installed (pip install -e '.[test]')")
    out = subprocess.run([exe, "-ll", "-r", "src", "-f", "json", "-q"], cwd=ROOT, capture_output=True, text=True,
                         check=False)
    if out.returncode not in (0, 1):
        raise RuntimeError(f"bandit failed: {out.stderr.strip()}")
    return [Finding("bandit", f"{item['test_id']}:{item['filename']}", f"{item['filename']}:{item['line_number']}",
                    item["issue_text"]) for item in json.loads(out.stdout)["results"]]


def run_pip_audit(waived: set[str]) -> list[Finding] | None:
    """Known vulnerabilities of the installed packages; None when the service is out of reach."""
    exe = _tool("pip-audit")
    if exe is None:
        raise RuntimeError("pip-audit is not installed (pip install -e '.[test]')")
    argv = [exe, "--format", "json", "--progress-spinner", "off", "--skip-editable", "--timeout", "30"]
    try:
        out = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False, timeout=300)
    except subprocess.TimeoutExpired:
        return None
    if out.returncode not in (0, 1):
        if any(hint in out.stderr.lower() for hint in NETWORK_HINTS):
            return None
        raise RuntimeError(f"pip-audit failed: {out.stderr.strip()[-500:]}")
    findings = []
    for dep in json.loads(out.stdout).get("dependencies", []):
        for vuln in dep.get("vulns", []):
            ids = {vuln["id"], *vuln.get("aliases", [])}
            if not ids & waived:
                findings.append(Finding("pip-audit", vuln["id"], f"{dep['name']}=={dep['version']}",
                                        f"fixed in {', '.join(vuln.get('fix_versions', [])) or 'no release yet'}"))
    return findings


def unwaived(findings: list[Finding], waived: set[str]) -> list[Finding]:
    return [f for f in findings if f.id not in waived]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offline-ok", action="store_true", help="do not fail when pip-audit cannot reach its service")
    parser.add_argument("--skip-pip-audit", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    waived, notes = load_waivers()
    for note in notes:
        print(f"note: {note}")
    try:
        open_findings = unwaived(run_ruff(), waived) + unwaived(run_bandit(), waived)
        audit = None if args.skip_pip_audit else run_pip_audit(waived)
    except RuntimeError as exc:
        print(f"error: {exc}")
        return 2
    for finding in open_findings + (audit or []):
        print(f"{finding.tool}: {finding.id} at {finding.where}: {finding.message}")
    print(f"ruff -S and bandit -ll: {len(open_findings)} unwaived finding(s)")
    if args.skip_pip_audit:
        print("pip-audit: skipped")
    elif audit is None:
        print("pip-audit: NOT DONE: the vulnerability service (PyPI/OSV) could not be reached from here")
    else:
        print(f"pip-audit: {len(audit)} unwaived vulnerable package version(s)")
    if open_findings or audit:
        return 1
    if audit is None and not args.skip_pip_audit and not args.offline_ok:
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
