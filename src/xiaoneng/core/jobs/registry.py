"""Job handlers by kind. A handler takes the Job row and returns a JSON-able result.

Handlers must be safe to run twice: a worker killed mid-job leaves the row running, the
reconciler re-runs it after its lease ends.
"""

from __future__ import annotations

from collections.abc import Callable

HANDLERS: dict[str, Callable] = {}


def job_handler(kind: str):
    def register(func: Callable) -> Callable:
        HANDLERS[kind] = func
        return func

    return register
