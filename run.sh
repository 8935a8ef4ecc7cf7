#!/bin/sh
# Quick start: set up a virtual environment, install xiaoneng, load the demo data and run
# the web server and the background worker on http://127.0.0.1:8000/ (SQLite under ./var).
# Running it again keeps the existing data.
set -eu
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
.venv/bin/xiaoneng demo
exec .venv/bin/xiaoneng serve --print-logins "$@"
