"""Repair the text of a plan before reading it, keeping the way back to the original.

Plans reach us copied from web pages and converted by tools of uneven quality: traditional
characters, pinyin annotations after every character (衛(wèi)生), numbering mangled by a
GBK round trip ("。ㄒ唬" for "（一）"), mixed full/half-width forms and page residue
(上一篇/下一篇, 相关文章 lists). The extractor works on the repaired text; every position in
it maps back to the original so that each extracted item can cite the span it came from.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

# Pinyin syllables after a character, with at least one tone mark (plain letters in
# brackets are usually abbreviations or English, which must be kept).
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN = re.compile(r"(?<=[\u3400-\u9fff])[(（]([a-zü" + _TONED + r"]{1,7})[)）]")
_TONED_SET = frozenset(_TONED)

# A GBK round trip that gained one lead byte turns "（一）" into "。ㄒ唬" at a line start.
_MOJIBAKE_START = re.compile(r"(?m)^[ \t\u3000]*(。)")
# GBK lead byte of each Chinese numeral, to recover a numeral whose trail byte was lost.
_NUMERAL_BY_LEAD = {"一二三四五六七八九十"[i].encode("gbk")[0]: "一二三四五六七八九十"[i] for i in range(10)}
_PAREN_NUMBER = re.compile(r"^（[一二三四五六七八九十]{1,3}）")

# Full-width ASCII and the ideographic space fold to their half-width forms, one
# character for one, so that positions do not move.
_WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE.update({0x3000: 0x20, 0x00A0: 0x20})

_RESIDUE_LINE = re.compile(
    r"^[\s\-*•·]*(?:上一篇|下一篇|相关推荐|相关阅读|相关文章|热门推荐|推荐阅读|猜你喜欢|"
    r"导语[:：]|来源[:：]|作者[:：]|责任编辑|编辑[:：]|浏览次数|阅读次数|点击[:：]|"
    r"时间[:：]\s*\d{4}-\d{1,2}-\d{1,2}|发布时间[:：]\s*\d{4}-|感谢您的阅读|"
    r"【[^】]{0,80}】\s*相关文章)"
)
_RESIDUE_INLINE = re.compile(r"\s*(?:上一篇|下一篇)[:：]")
_LIST_HEAD = re.compile(r"(?:相关文章|相关推荐|相关阅读|推荐阅读|热门推荐)[:：]?\s*$")
# A related-article list line: a short title ending in a posting date (07-11, 2022-07-11).
_LIST_ITEM = re.compile(r"^[\s\-*•·]*\S.{0,60}?(?:\d{4}-)?\d{2}-\d{2}\s*$")


@dataclass
class RepairedText:
    """The repaired text, its width-folded twin and the map back to the original.

    `offsets[i]` is the position in `original` of `text[i]`; `offsets[len(text)]` is
    `len(original)`. `match` has the same length as `text`.
    """

    original: str
    text: str
    match: str
    offsets: list[int]
    residue: list[tuple[int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def span(self, start: int, end: int) -> list[int]:
        """Map a [start, end) range of the repaired text to the original text."""
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        if end == start:
            return [self.offsets[start], self.offsets[start]]
        return [self.offsets[start], self.offsets[end - 1] + 1]

    def is_residue(self, start: int) -> bool:
        return any(lo <= start < hi for lo, hi in self.residue)


def _apply(text: str, offsets: list[int], edits: list[tuple[int, int, str]]) -> tuple[str, list[int]]:
    """Apply non-overlapping (start, end, replacement) edits, carrying the offsets along."""
    if not edits:
        return text, offsets
    parts: list[str] = []
    new_offsets: list[int] = []
    cursor = 0
    for start, end, replacement in sorted(edits):
        if start < cursor:
            continue
        parts.append(text[cursor:start])
        new_offsets.extend(offsets[cursor:start])
        parts.append(replacement)
        if len(replacement) == end - start:
            new_offsets.extend(offsets[start:end])
        else:
            new_offsets.extend([offsets[start]] * len(replacement))
        cursor = end
    parts.append(text[cursor:])
    new_offsets.extend(offsets[cursor:])
    return "".join(parts), new_offsets


def _repair_numbering_at(text: str, start: int) -> tuple[int, str] | None:
    """Undo a one-byte GBK shift starting at `start` if it yields "（N）"; else None."""
    raw = bytearray()
    end = start
    for ch in text[start : start + 40]:
        if ch == "\n":
            break
        try:
            encoded = ch.encode("gbk")
        except UnicodeEncodeError:
            break
        raw += encoded
        end += 1
        # A single ASCII byte was the trail byte that put the decoder back in step.
        if len(encoded) == 1 and len(raw) > 1:
            break
    shifted = bytes(raw[1:])
    if len(shifted) >= 4 and shifted[:2] == "（".encode("gbk") and shifted[3] == 0xA9:
        # The numeral's trail byte and the lead byte of "）" were an invalid pair and got
        # dropped by the first decoder; the numeral is known from its lead byte alone.
        numeral = _NUMERAL_BY_LEAD.get(shifted[2])
        if numeral is None:
            return None
        rest = shifted[4:]
        decoded = "（" + numeral + "）" + rest.decode("gbk", errors="ignore")
    else:
        decoded = shifted.decode("gbk", errors="ignore")
    if not _PAREN_NUMBER.match(decoded):
        return None
    return end, decoded


@functools.lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    """Characters that OpenCC would change, read from its own table (built once)."""
    try:
        import opencc  # noqa: PLC0415  (loaded on the first traditional text only)
    except ImportError:
        return frozenset()
    table = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    chars = set()
    for line in table.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        if len(key) == 1 and values.split(" ")[0] != key:
            chars.add(key)
    # Characters that are also ordinary simplified characters do not mark a line as
    # traditional (著名, 乾隆, 瞭望); OpenCC still converts them in context.
    return frozenset(chars - set("著乾藉瞭於徵夥彆祇甚麼隻鍾鬆係繫週"))


@functools.lru_cache(maxsize=1)
def _converter():
    import opencc  # noqa: PLC0415

    return opencc.OpenCC("t2s")


def _simplify_edits(text: str) -> list[tuple[int, int, str]]:
    """Convert only the lines that hold traditional characters: OpenCC is slow."""
    traditional = _traditional_chars()
    present = traditional.intersection(text)
    if not present:
        return []
    edits = []
    position = 0
    for line in text.split("\n"):
        if not present.isdisjoint(line):
            converted = _converter().convert(line)
            if converted != line:
                if len(converted) == len(line):
                    for i, (old, new) in enumerate(zip(line, converted, strict=True)):
                        if old != new:
                            edits.append((position + i, position + i + 1, new))
                else:
                    edits.append((position, position + len(line), converted))
        position += len(line) + 1
    return edits


def _residue_ranges(text: str) -> list[tuple[int, int]]:
    """Page furniture to set aside: navigation links, related-article lists, lead-ins."""
    ranges = []
    position = 0
    in_list = False
    for line in text.split("\n"):
        end = position + len(line)
        stripped = line.strip()
        if _RESIDUE_LINE.match(stripped):
            ranges.append((position, end))
            in_list = bool(_LIST_HEAD.search(stripped))
        elif in_list and (not stripped or _LIST_ITEM.match(stripped)):
            ranges.append((position, end))
        else:
            in_list = False
            inline = _RESIDUE_INLINE.search(line)
            if inline:
                ranges.append((position + inline.start(), end))
        position = end + 1
    return ranges


def repair(original: str) -> RepairedText:
    """Return the repaired text of `original` with its offset map and residue ranges."""
    text = original
    offsets = list(range(len(original) + 1))
    notes: list[str] = []

    edits = []
    if "\r" in text:
        edits.extend((m.start(), m.end(), "") for m in re.finditer(r"\r(?=\n)", text))
        edits.extend((m.start(), m.end(), "\n") for m in re.finditer(r"\r(?!\n)", text))
    for char in ("\ufeff", "\u200b", "\u200c", "\u200d", "\u2060"):
        start = text.find(char)
        while start != -1:
            edits.append((start, start + 1, ""))
            start = text.find(char, start + 1)
    text, body = _apply(text, offsets[:-1], edits)
    offsets = body + [len(original)]

    edits = []
    for match in _MOJIBAKE_START.finditer(text):
        repaired = _repair_numbering_at(text, match.start(1))
        if repaired:
            edits.append((match.start(1), repaired[0], repaired[1]))
    if edits:
        notes.append(f"mojibake numbering repaired: {len(edits)}")
    text, body = _apply(text, offsets[:-1], edits)
    offsets = body + [len(original)]

    edits = [(m.start(), m.end(), "") for m in _PINYIN.finditer(text) if _TONED_SET.intersection(m.group(1))]
    if edits:
        notes.append(f"pinyin annotations removed: {len(edits)}")
    text, body = _apply(text, offsets[:-1], edits)
    offsets = body + [len(original)]

    edits = _simplify_edits(text)
    if edits:
        notes.append("traditional characters converted to simplified")
    text, body = _apply(text, offsets[:-1], edits)
    offsets = body + [len(original)]

    match_text = text.translate(_WIDTH_TABLE)
    return RepairedText(
        original=original,
        text=text,
        match=match_text,
        offsets=offsets,
        residue=_residue_ranges(match_text),
        notes=notes,
    )
