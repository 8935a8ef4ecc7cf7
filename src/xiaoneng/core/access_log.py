"""gunicorn's access log without the details that could undo an anonymous answer.

An access-log line ``10.1.2.3 [23/Nov/2026:10:17:42] "POST /surveys/a/<token>/"`` joins an
address and a second of time to the ward or person a patient rated, while the response itself
keeps only the day (SECURITY-CHECKS 23). For the anonymous answering paths this logger writes
no address, user agent, referer, token or time of day; every other line is gunicorn's own.
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

ANONYMOUS_PATHS = re.compile(r"^/surveys/a/[^/]*/?")
REDACTED_PATH = "/surveys/a/…/"


class PrivacyLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = environ.get("PATH_INFO") or ""
        if ANONYMOUS_PATHS.match(path):
            day = atoms["t"].split(":", 1)[0]  # "[23/Nov/2026:10:17:42 +0000]" → "[23/Nov/2026"
            atoms.update({
                "h": "-", "a": "-", "f": "-", "t": f"{day}]" if not day.endswith("]") else day,
                "r": f"{environ.get('REQUEST_METHOD', '-')} {REDACTED_PATH} {environ.get('SERVER_PROTOCOL', '-')}",
                "U": REDACTED_PATH, "q": "",
                "T": 0, "D": 0, "M": 0, "L": "0",
            })
            for key in list(atoms):
                if key.startswith("{") and key.endswith("}i"):  # request headers (X-Forwarded-For, cookies…)
                    atoms[key] = "-"
        return atoms
