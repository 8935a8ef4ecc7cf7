"""The `xiaoneng` command: serve, worker, demo, backup, restore, extract-plan, manage."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")
    import django

    django.setup()


def _manage(*args: str, **options) -> None:
    _django_setup()
    from django.core.management import call_command

    call_command(*args, **options)


def cmd_manage(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xiaoneng manage", *argv])
    return 0


def cmd_demo(_args: argparse.Namespace) -> int:
    _manage("migrate", "--no-input", verbosity=0)
    _manage("demo")
    _manage("demo_campaign")
    # Each app may ship an idempotent demo_<app> command; they run in this order when present.
    from django.core.management import get_commands

    available = get_commands()
    for name in ("demo_publicity", "demo_bulletins", "demo_assessment", "demo_assessment_results",
                 "demo_supervision", "demo_feedback", "demo_surveys"):
        if name in available:
            _manage(name)
    return 0


def cmd_worker(_args: argparse.Namespace) -> int:
    _manage("run_huey")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Migrate, then run the web server (gunicorn) and the worker together until one stops."""
    _manage("migrate", "--no-input", verbosity=0)
    python = sys.executable
    web = subprocess.Popen(  # noqa: S603 - fixed argv, our own interpreter
        [python, "-m", "gunicorn", "xiaoneng.wsgi", "--bind", f"{args.host}:{args.port}",
         "--workers", str(args.workers), "--access-logfile", "-", "--graceful-timeout", "10",
         # Anonymous survey answers are logged without address, agent or time of day.
         "--logger-class", "xiaoneng.core.access_log.PrivacyLogger",
         # gunicorn's control socket sits in the home dir: two installations would share it.
         "--no-control-socket"],
    )
    worker = subprocess.Popen([python, "-m", "xiaoneng.cli", "worker"])  # noqa: S603
    print(f"xiaoneng is running at http://{args.host}:{args.port}/  (Ctrl-C stops it)", flush=True)
    if args.print_logins:
        from xiaoneng.org.demo import DEMO_PASSWORD, DEMO_PEOPLE

        print(f"demo logins, password {DEMO_PASSWORD}: " + ", ".join(p[0] for p in DEMO_PEOPLE), flush=True)

    requested = []

    def stop(*signal_args) -> None:
        if signal_args:
            requested.append(signal_args[0])
        for proc in (web, worker):
            if proc.poll() is None:
                proc.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while web.poll() is None and worker.poll() is None:
            time.sleep(0.5)
    finally:
        stop()
        for proc in (web, worker):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    if requested:
        return 0  # stopped on request
    # One of the two died on its own: fail, so a supervisor (systemd) restarts the pair.
    print(f"stopped: web exited {web.returncode}, worker exited {worker.returncode}", file=sys.stderr, flush=True)
    return 1


def cmd_backup(args: argparse.Namespace) -> int:
    """Write a consistent snapshot of the database and uploaded files to one archive."""
    _django_setup()
    from xiaoneng.core.backup import BackupError, backup_create

    try:
        manifest = backup_create(args.file)
    except BackupError as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 1
    print(f"backup written to {args.file}: {manifest['db_vendor']} database, {len(manifest['tables'])} tables, "
          f"{sum(manifest['tables'].values())} rows, {len(manifest['files'])} files "
          f"(snapshot taken {manifest['created_at']})")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore an archive into an empty installation and verify it against its manifest."""
    _django_setup()
    from xiaoneng.core.backup import BackupError, backup_restore

    try:
        manifest = backup_restore(args.file, force=args.force)
    except BackupError as exc:
        print(f"restore failed: {exc}", file=sys.stderr)
        return 1
    restored = manifest["restored"]
    print(f"restored {args.file} (taken {manifest['created_at']}, version {manifest['app_version']}): "
          f"{restored['tables']} tables, {restored['rows']} rows and {restored['files']} files, "
          f"all matching the manifest" + ("; the secret key too" if restored["secret_key"] else ""))
    print("next: `xiaoneng manage migrate` if this version is newer than the backup's (serve does it)")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Subcommands that take their own arguments verbatim.
    if argv and argv[0] == "manage":
        return cmd_manage(argv[1:])
    if argv and argv[0] == "extract-plan":
        from xiaoneng.planimport.cli import main as extract_main

        return extract_main(argv[1:])

    parser = argparse.ArgumentParser(prog="xiaoneng", description="效能 campaign platform")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="migrate, then run the web server and the worker")
    serve.add_argument("--host", default=os.environ.get("XIAONENG_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("XIAONENG_PORT", "8000")))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("XIAONENG_WEB_WORKERS", "2")))
    serve.add_argument("--print-logins", action="store_true", help=argparse.SUPPRESS)
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("worker", help="run the background worker").set_defaults(func=cmd_worker)
    sub.add_parser("demo", help="load the demo data (idempotent)").set_defaults(func=cmd_demo)
    backup = sub.add_parser("backup", help="write a consistent snapshot of the database and files")
    backup.add_argument("file")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="restore a snapshot into an empty database")
    restore.add_argument("file")
    restore.add_argument("--force", action="store_true", help="replace existing data")
    restore.set_defaults(func=cmd_restore)
    sub.add_parser("manage", help="Django's own commands, e.g. `xiaoneng manage check --deploy`")
    sub.add_parser("extract-plan", help="extract a work plan into JSON: FILE... --out DIR | --json")
    args = parser.parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
