"""Reads for the shell: what needs the user's attention."""

from __future__ import annotations

from typing import Any

# Later apps register callables (user -> list of {"label", "url", "count"}) here.
ATTENTION_PROVIDERS: list = []


def attention_items_for_user(*, user: Any) -> list[dict]:
    """Everything the providers report for ``user``, in registration order."""
    items: list[dict] = []
    for provider in ATTENTION_PROVIDERS:
        items.extend(provider(user))
    return items
