"""Loaded by pytest before Django's settings (see pyproject's addopts): isolates test runs.

Every test run gets its own data dir, so a developer's ./var is never touched, and Huey
runs tasks inline unless a test starts a real worker.
"""

import os
import tempfile

os.environ.setdefault("XIAONENG_DATA_DIR", tempfile.mkdtemp(prefix="xiaoneng-test-"))
os.environ.setdefault("XIAONENG_HUEY_IMMEDIATE", "1")
