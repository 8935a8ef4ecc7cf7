#!/bin/sh
# Run the whole test suite (SQLite by default; set XIAONENG_DATABASE_URL for PostgreSQL).
# Browser tests run when Chromium is at /usr/bin/chromium (or XIAONENG_CHROMIUM); .ci/run installs it.
set -eu
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
exec .venv/bin/python -m pytest -n "${XIAONENG_TEST_PROCESSES:-2}" "$@"
