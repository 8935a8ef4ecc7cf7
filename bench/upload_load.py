"""Upload load (SECURITY-CHECKS 24): many 1 MB documents, 50 at a time, gunicorn + PostgreSQL.

Each of 50 clients signs in as a unit's liaison (through the sign-in form) and uploads distinct
1 MB PDF documents through the unit document upload page (the same checks by content and size
as every upload). Afterwards: the rows in the database and the files in storage are counted and
every stored file's SHA-256 is recomputed and compared with what was sent. Throughput and p99
are reported beside a bare Django view measured in the same run.

The checklist's size is 10,000 × 1 MB (10 GB written); that is the default. For a quick look:
python bench/upload_load.py --files 1000

usage: python bench/upload_load.py [--files 10000] [--size-kb 1024] [--clients 50]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _loadkit import Client, p99, recreate_database, run_clients, run_python, server_env, start_gunicorn  # noqa: E402

PASSWORD = "Bench#Upload2026"  # noqa: S105 - a throwaway account in a throwaway database

SETUP = r"""
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.utils import timezone
from xiaoneng.org.models import RoleAssignment, Unit, User
unit = Unit.objects.create(name="示范市第一人民医院", kind="hospital")
for i in range(CLIENTS):
    user = User(username=f"liaison{i}", unit=unit, full_name=f"联络员{i}", must_change_password=False,
                password_changed_at=timezone.now())
    user.set_password(PASSWORD)
    user.save()
    RoleAssignment.objects.create(user=user, role="liaison")
print(unit.pk)
"""

VERIFY = r"""
import django, hashlib, json
django.setup()
from django.core.files.storage import default_storage
from xiaoneng.core.models import StoredFile
rows = list(StoredFile.objects.values_list("storage_name", "sha256"))
mismatch = 0
hashes = []
for name, sha in rows:
    with default_storage.open(name, "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    mismatch += digest != sha
    hashes.append(digest)
print(json.dumps({"rows": len(rows), "mismatch": mismatch, "hashes": hashes}))
"""

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def pdf_bytes(size: int) -> bytes:
    head = b"%PDF-1.4\n% xiaoneng upload load " + uuid.uuid4().hex.encode() + b"\n"
    tail = b"\n%%EOF\n"
    return head + os.urandom(max(0, size - len(head) - len(tail))) + tail


def multipart(fields: dict[str, str], name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    parts.append((f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                  "Content-Type: application/pdf\r\n\r\n").encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--size-kb", type=int, default=1024)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--database", default="xn_upload_bench")
    args = parser.parse_args()
    per_client = max(1, args.files // args.clients)
    total = per_client * args.clients
    data_dir = tempfile.mkdtemp(prefix="xiaoneng-upload-bench-")
    env = server_env(recreate_database(args.database), data_dir)
    unit_id = run_python(SETUP.replace("CLIENTS", str(args.clients)).replace("PASSWORD", repr(PASSWORD)),
                         env).strip().splitlines()[-1]
    server = start_gunicorn(env, args.port, args.workers, data_dir)
    sent: list[str] = []

    def sign_in(index: int):
        client = Client(args.port)
        status, body = client.request("GET", "/account/login/")
        token = CSRF.search(body).group(1).decode()
        from urllib.parse import urlencode

        status, _ = client.request("POST", "/account/login/", urlencode(
            {"csrfmiddlewaretoken": token, "username": f"liaison{index}", "password": PASSWORD}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302:
            raise SystemExit(f"sign-in of liaison{index} failed with {status}")
        status, body = client.request("GET", f"/files/upload/?unit={unit_id}")
        return client, CSRF.search(body).group(1).decode()

    def upload(state, n):
        client, token = state
        content = pdf_bytes(args.size_kb * 1024)
        sent.append(hashlib.sha256(content).hexdigest())
        body, content_type = multipart({"csrfmiddlewaretoken": token, "unit": unit_id},
                                       f"自查报告-{uuid.uuid4().hex[:8]}.pdf", content)
        return client.request("POST", "/files/upload/", body, {"Content-Type": content_type})[0]

    try:
        bare_lat, _, bare_time = run_clients(args.clients, per_client, lambda i: Client(args.port),
                                             lambda client, n: client.request("GET", "/bench/bare/")[0])
        up_lat, up_status, up_time = run_clients(args.clients, per_client, sign_in, upload)
    finally:
        server.terminate()
        server.wait(timeout=30)
    verify = json.loads(run_python(VERIFY, env).strip().splitlines()[-1])
    files_on_disk = sum(1 for path in (Path(data_dir) / "files").rglob("*") if path.is_file())
    result = {
        "files_sent": total, "size_kb": args.size_kb, "clients": args.clients, "workers": args.workers,
        "accepted": sum(1 for s in up_status if s == 302), "rows": verify["rows"], "files_on_disk": files_on_disk,
        "sha256_mismatch": verify["mismatch"], "sha256_match_sent": sorted(verify["hashes"]) == sorted(sent),
        "uploads_per_s": round(total / up_time, 1), "mb_per_s": round(total * args.size_kb / 1024 / up_time, 1),
        "upload_p50_ms": round(statistics.median(up_lat) * 1000, 1), "upload_p99_ms": round(p99(up_lat) * 1000, 1),
        "bare_view_per_s": round(total / bare_time, 1), "bare_view_p99_ms": round(p99(bare_lat) * 1000, 1),
    }
    result["meets_target"] = (result["accepted"] == result["rows"] == result["files_on_disk"] == total
                              and result["sha256_mismatch"] == 0 and result["sha256_match_sent"])
    shutil.rmtree(data_dir, ignore_errors=True)  # up to 10 GB of uploads
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
