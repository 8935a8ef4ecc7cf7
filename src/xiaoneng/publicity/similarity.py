"""Near-duplicate news items: character shingles, a bottom-k sketch, and exact Jaccard to confirm.

Chinese has no spaces, so an item is cut into overlapping 3-character shingles of its plain
text (HTML, punctuation and spaces removed). Each shingle is hashed with CRC32 (stable across
processes, unlike ``hash``); the 64 smallest hashes form the item's sketch, stored on the row.
Two sketches estimate the Jaccard similarity of the full shingle sets (bottom-k estimator);
candidates above a lower bar are confirmed with the exact Jaccard of their texts. Comparing
one item with thousands takes milliseconds.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

SHINGLE = 3
SKETCH = 64
_TAG = re.compile(r"<[^>]+>")
_ENTITY = re.compile(r"&[#a-zA-Z0-9]+;")
_KEEP = re.compile(r"[\w\u4e00-\u9fff]+")


def plain_text(html_or_text: str) -> str:
    """Only the letters, digits and Chinese characters, lower-cased, in order."""
    text = _ENTITY.sub(" ", _TAG.sub(" ", html_or_text or ""))
    return "".join(_KEEP.findall(text)).lower()


def shingles(text: str) -> set[int]:
    plain = plain_text(text)
    if len(plain) < SHINGLE:
        return {zlib.crc32(plain.encode())} if plain else set()
    return {zlib.crc32(plain[i:i + SHINGLE].encode()) for i in range(len(plain) - SHINGLE + 1)}


def sketch(text: str) -> list[int]:
    return sorted(shingles(text))[:SKETCH]


def sketch_to_text(values: Iterable[int]) -> str:
    return " ".join(str(v) for v in values)


def sketch_from_text(text: str) -> list[int]:
    return [int(v) for v in text.split()] if text else []


def jaccard(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def estimate(a: list[int], b: list[int]) -> float:
    """Bottom-k estimate of the Jaccard similarity from two sketches."""
    if not a or not b:
        return 0.0
    union = sorted(set(a) | set(b))[:SKETCH]
    sa, sb = set(a), set(b)
    both = sum(1 for v in union if v in sa and v in sb)
    return both / len(union)


@dataclass(frozen=True)
class Match:
    key: object
    similarity: float


def best_match(text: str, candidates: Iterable[tuple[object, list[int]]], *, threshold: float,
               text_of: callable) -> Match | None:
    """The most similar candidate at or above ``threshold`` (exact Jaccard), or None.

    ``candidates`` are (key, sketch) pairs; ``text_of(keys)`` returns {key: text} for the few
    whose estimate passes the lower bar, so only those texts are loaded and shingled.
    """
    mine = sketch(text)
    if not mine:
        return None
    bar = max(threshold - 0.2, 0.05)
    close = [(key, est) for key, other in candidates if (est := estimate(mine, other)) >= bar]
    if not close:
        return None
    close.sort(key=lambda pair: -pair[1])
    keys = [key for key, _ in close[:20]]
    texts = text_of(keys)
    full = shingles(text)
    best: Match | None = None
    for key in keys:
        value = jaccard(full, shingles(texts.get(key, "")))
        if value >= threshold and (best is None or value > best.similarity):
            best = Match(key=key, similarity=value)
    return best
