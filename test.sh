#!/bin/sh
# Run the whole test suite (SQLite by default; set XIAONENG_DATABASE_URL for PostgreSQL).
# Browser tests run when Chromium is at /usr/bin/chromium (or XIAONENG_CHROMIUM): locally they
# skip without it, with CI=true they fail without it. .ci/run installs it.
# Extra arguments go to pytest. Exit code 5 (no tests collected) is a failure, like any non-zero.
set -eu
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
if [ -z "${XIAONENG_SKIP_INSTALL:-}" ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 .venv/bin/python -m pip install --quiet -e ".[test]"
fi
exec .venv/bin/python -m pytest -n "${XIAONENG_TEST_PROCESSES:-2}" "$@"
