"""Official fonts of GB/T 9704-2012 and what to use where a machine lacks them.

Every run in the document names its font for Latin *and* East Asian text
(``w:rFonts`` ascii/hAnsi/eastAsia/cs); the document's font table lists, for each
official font, a comma-separated ``w:altName`` with the fallbacks below so Word, WPS
and LibreOffice substitute a close font instead of a random one.

Operators whose bureau uses other font names set ``XIAONENG_OFFICIAL_FONTS`` (JSON),
see ``resolve_fonts``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
KAI_FONT = "楷体_GB2312"
HEI_FONT = "黑体"
SONG_FONT = "宋体"

# Official font -> fallbacks, best first (a Windows name, the macOS name, a free font).
FONT_FALLBACKS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        TITLE_FONT: ("方正小标宋_GBK", "华文中宋", "STZhongsong", "宋体", "SimSun", "Noto Serif CJK SC"),
        BODY_FONT: ("仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC"),
        KAI_FONT: ("楷体", "KaiTi", "STKaiti", "AR PL UKai CN", "Noto Serif CJK SC"),
        HEI_FONT: ("SimHei", "STHeiti", "Heiti SC", "Noto Sans CJK SC"),
        SONG_FONT: ("SimSun", "STSong", "Noto Serif CJK SC"),
    }
)

# Font table details Word writes for these fonts (panose, family, pitch; charset 86 = GB2312).
_FONT_TRAITS: dict[str, tuple[str, str, str]] = {
    TITLE_FONT: ("02000000000000000000", "script", "variable"),
    BODY_FONT: ("02010609030101010101", "modern", "fixed"),
    KAI_FONT: ("02010609030101010101", "modern", "fixed"),
    HEI_FONT: ("02010609060101010101", "modern", "fixed"),
    SONG_FONT: ("02010600030101010101", "auto", "variable"),
}


@dataclass(frozen=True)
class FontChoice:
    """The font name written into the document for one official font, and its fallbacks."""

    official: str
    name: str
    fallbacks: tuple[str, ...]

    @property
    def traits(self) -> tuple[str, str, str]:
        return _FONT_TRAITS[self.official]


class FontSettingError(ValueError):
    """XIAONENG_OFFICIAL_FONTS (or the ``fonts`` argument) is not usable."""


def _parse(raw: str | Mapping | None) -> dict:
    if raw is None or raw == "":
        return {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise FontSettingError(f"XIAONENG_OFFICIAL_FONTS is not valid JSON: {exc}") from exc
    if not isinstance(raw, Mapping):
        raise FontSettingError(
            "XIAONENG_OFFICIAL_FONTS must be a JSON object: {official font: name or [names]}"
        )
    return dict(raw)


def resolve_fonts(overrides: str | Mapping | None = None) -> dict[str, FontChoice]:
    """Official font -> FontChoice, after the operator's overrides.

    ``overrides`` maps an official font name (a key of FONT_FALLBACKS) to either a string
    (the name to write instead; the official name and the standard fallbacks stay as
    fallbacks) or a non-empty list of strings (the name to write, then its own fallbacks).
    Unknown keys or empty values raise FontSettingError with a message naming the key.
    """
    given = _parse(overrides)
    unknown = sorted(set(given) - set(FONT_FALLBACKS))
    if unknown:
        raise FontSettingError(
            f"XIAONENG_OFFICIAL_FONTS: unknown font {', '.join(unknown)}; "
            f"use one of {', '.join(FONT_FALLBACKS)}"
        )
    choices: dict[str, FontChoice] = {}
    for official, fallbacks in FONT_FALLBACKS.items():
        value = given.get(official)
        if value is None:
            choices[official] = FontChoice(official, official, fallbacks)
            continue
        if isinstance(value, str):
            names = [value]
            rest = [official, *fallbacks]
        elif isinstance(value, list | tuple) and value and all(isinstance(v, str) for v in value):
            names = list(value)
            rest = []
        else:
            raise FontSettingError(
                f"XIAONENG_OFFICIAL_FONTS: {official} must map to a font name or a list of font names"
            )
        if any(not n.strip() for n in names):
            raise FontSettingError(f"XIAONENG_OFFICIAL_FONTS: {official} has an empty font name")
        names = [n.strip() for n in [*names, *rest]]
        deduped = list(dict.fromkeys(names))
        choices[official] = FontChoice(official, deduped[0], tuple(deduped[1:]))
    return choices


def configured_fonts() -> dict[str, FontChoice]:
    """The fonts from settings.OFFICIAL_FONTS (XIAONENG_OFFICIAL_FONTS), or the standard ones."""
    raw: str | Mapping | None = None
    try:
        from django.conf import settings

        if settings.configured:
            raw = getattr(settings, "OFFICIAL_FONTS", None)
    except ImportError:  # pragma: no cover - the module also works without Django
        raw = None
    return resolve_fonts(raw)
