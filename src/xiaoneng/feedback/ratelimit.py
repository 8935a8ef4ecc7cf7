"""Fixed-window counters in Django's cache for the public pages (filing and tracking look-ups).

Like the sign-in throttle in ``core.security``, limits count *failures* for look-ups (a hospital
behind one NAT address is never blocked by its own successful users) and *filings* for the form.
Identifiers (IP, phone, code) enter the cache only as keyed hashes. The cache must be shared by
all web processes in production (Redis via ``XIAONENG_REDIS_URL``); with the default per-process
memory cache each process counts on its own, which multiplies the ceiling by the process count.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from .crypto import keyed_hash

HOUR = 3600
DAY = 86400


@dataclass(frozen=True)
class Limit:
    name: str
    limit: int
    window: int  # seconds


def _limit(name: str, default: int, window: int) -> Limit:
    return Limit(name=name, limit=getattr(settings, f"FEEDBACK_{name.upper()}", default), window=window)


def filing_limits() -> tuple[Limit, ...]:
    return (_limit("file_ip_hour", 5, HOUR), _limit("file_ip_day", 20, DAY))


def filing_phone_limits() -> tuple[Limit, ...]:
    return (_limit("file_phone_day", 3, DAY),)


def track_ip_limits() -> tuple[Limit, ...]:
    return (_limit("track_ip_hour", 10, HOUR), _limit("track_ip_day", 50, DAY))


def track_code_limits() -> tuple[Limit, ...]:
    return (_limit("track_code_day", 10, DAY),)


def _key(limit: Limit, ident: str) -> str:
    window_no = int(time.time() // limit.window)
    return f"feedback:rl:{limit.name}:{window_no}:{keyed_hash('ratelimit', ident)[:40]}"


def is_limited(limits: tuple[Limit, ...], ident: str | None) -> bool:
    """Whether ``ident`` has used up any of ``limits`` in the current window."""
    if not ident:
        return False
    return any((cache.get(_key(limit, ident)) or 0) >= limit.limit for limit in limits)


def count_hit(limits: tuple[Limit, ...], ident: str | None) -> None:
    """Count one event for ``ident`` in each of ``limits``."""
    if not ident:
        return
    for limit in limits:
        key = _key(limit, ident)
        cache.add(key, 0, limit.window + 60)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, limit.window + 60)
