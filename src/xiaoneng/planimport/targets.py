"""Quantitative goals of a plan (SCHEMA.md `targets`).

A goal is a number with a unit, an indicator before it and a comparison: 以上/以下/以内
include the number, 超过/低于 exclude it (Civil Code art. 1259), and a bare number to
reach counts as ">=". Plans mix goals with reports of past work ("共发放资料3000份"),
ranges (1至2次) and placeholders (xx%); those are not goals and are skipped.
"""

from __future__ import annotations

import re

from .numerals import parse_number

UNITS = (
    "/10万",
    "/万",
    "‰",
    "%",
    "万元",
    "亿元",
    "元",
    "人次",
    "万人",
    "人",
    "次",
    "份",
    "个",
    "篇",
    "条",
    "块",
    "幅",
    "件",
    "名",
    "场",
    "期",
    "项",
    "家",
    "所",
    "户",
    "对",
    "台",
    "套",
    "课时",
    "学时",
    "小时",
    "例",
    "本",
    "册",
    "张",
    "座",
    "支",
    "批",
    "毫升",
    "ml",
    "间",
    "辆",
    "床",
    "村",
    "镇",
    "处",
)
UNIT_NORMAL = {"/10万": "1/100000", "/万": "1/10000", "毫升": "ml"}
COMPARATOR_PRE = {
    "不低于": ">=",
    "不少于": ">=",
    "至少": ">=",
    "最少": ">=",
    "不小于": ">=",
    "不超过": "<=",
    "不高于": "<=",
    "不多于": "<=",
    "不大于": "<=",
    "超过": ">",
    "高于": ">",
    "多于": ">",
    "大于": ">",
    "低于": "<",
    "少于": "<",
    "不满": "<",
    "不足": "<",
    "小于": "<",
}
REACH_PRE = (
    "达到",
    "达",
    "提高到",
    "提高至",
    "提升到",
    "提升至",
    "上升到",
    "上升至",
    "增长到",
    "增加到",
    "保持在",
    "巩固在",
    "稳定在",
    "维持在",
    "控制在",
    "降低到",
    "降低至",
    "下降到",
    "下降至",
    "降到",
    "降至",
    "增加",
    "增长",
    "提高",
    "提升",
    "减少",
    "降低",
    "下降",
    "占",
)
POST = {"以上": ">=", "及以上": ">=", "以下": "<=", "及以下": "<=", "以内": "<="}
_pre_words = sorted(list(COMPARATOR_PRE) + list(REACH_PRE), key=len, reverse=True)
_unit_alt = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
TARGET = re.compile(
    r"(?P<pre>" + "|".join(_pre_words) + r")?(?:要|须|必须|应)?\s*"
    r"(?P<num>\d+(?:\.\d+)?|[两二三四五六七八九十百千]+|一)\s*"
    r"(?P<unit>" + _unit_alt + r")"
    r"(?P<post>及以上|以上|及以下|以下|以内)?"
)
# Words that make a bare number a goal ("培训4次", "计划创建3个"), near the number.
GOAL_CUE = re.compile(
    r"(?:确保|保证|力争|争取|计划|目标|安排|举办|编排|创建|培训|培养|建成|设立|新增|发展|招聘|引进|完成|开展)$"
)
GOAL_CUE_ANYWHERE = re.compile(r"确保|保证|力争|争取|目标|要求|必须|努力实现|计划")
PAST = re.compile(
    r"(?<![为除])了(?![解如])|已经|已(?!婚)|截止|截至|以来|累计|共计|全年共|共[组发筹完开举办培]|先后|获得|荣获|超目标|近年"
)
PLACEHOLDER = re.compile(r"[xX×＊*]")
NOT_UNIT_AFTER = re.compile(
    r"^(?:方面|部分|阶段|环节|重点|层次|年|月|周岁|岁|小时内|工作日|星期|字|号|楼|以上的?问题)"
)
MARKER_AT = re.compile(
    r"\s*(?:\(?\s*[一二三四五六七八九十\d]{1,3}\s*\)|[一二三四五六七八九十]{1,3}[、.]|\d{1,2}(?:、|\.(?!\d)))"
)
LEADING_CUES = re.compile(r"^(?:确保|保证|力争|争取|努力|实现|使|要|并|且|同时|今年|全年|年内)+")
NUMBER_HINT = re.compile(r"\d|[两二三四五六七八九十一][^\s]?(?:%|个|名|次|篇|条|项|场|期|份|件|人|家|所)")
CLAUSE_DELIMS = ",;:。(“”"


def _clause_start(text: str, pos: int) -> int:
    return max(text.rfind(c, 0, pos) for c in CLAUSE_DELIMS) + 1


def _clause_end(text: str, pos: int) -> int:
    ends = [i for i in (text.find(c, pos) for c in ",;。”") if i != -1]
    return min(ends) if ends else len(text)


def target_items(text: str, paragraph_is_past: bool = False) -> list[tuple[int, int, dict]]:
    """Targets of one sentence (width-folded) as (start, end, item), sentence-relative.

    `paragraph_is_past` says the sentence sits in a report of past work; its numbers
    count only where the sentence itself states a goal.
    """
    if not NUMBER_HINT.search(text):
        return []
    past = bool(PAST.search(text)) or (paragraph_is_past and not GOAL_CUE_ANYWHERE.search(text))
    if past:
        return []
    results: list[tuple[int, int, dict]] = []
    last_accepted_end = -1
    for m in TARGET.finditer(text):
        item = _target(text, m, last_accepted_end)
        if item is None:
            continue
        lo, hi = item.pop("_span")
        for indicator in _split_indicators(item.pop("_indicator")):
            results.append((lo, hi, {**item, "indicator": indicator}))
        last_accepted_end = m.end()
    return results


def _target(text: str, m: re.Match, last_accepted_end: int) -> dict | None:
    num, unit, pre, post = m["num"], m["unit"], m["pre"] or "", m["post"] or ""
    start, end = m.start("num"), m.end()
    before = text[max(0, start - 3) : start]
    after = text[end : end + 6]
    if PLACEHOLDER.search(before[-1:] + after[:1]):
        return None
    if re.search(r"[\d一二三四五六七八九十两]\s*(?:至|到|-|~|—|–)\s*$", before) or re.match(
        r"\s*(?:至|到|-|~|—)\s*\d", after
    ):
        return None  # a range has no single value
    if before.endswith(("第", "前", "近", "约", "每")) or re.match(r"^[\d.]", text[end : end + 1] or " "):
        return None
    if re.search(r"\.\d{2,}$", num):
        return None  # 95.82% is a statistic, not a goal
    if pre == "占" and unit not in ("%", "‰"):
        return None
    if unit in ("村", "镇", "处", "床", "间") and not (pre or post):
        return None
    if not post and NOT_UNIT_AFTER.match(text[m.end("unit") :]):
        return None
    value = parse_number(num)
    if value is None:
        return None
    clause_lo = _clause_start(text, m.start())
    marker = MARKER_AT.match(text, clause_lo)
    if marker and marker.end() <= start:
        clause_lo = marker.end()  # "(一)居民…率" or "1.督查覆盖率": the heading number is no indicator
    if not pre:
        # "至少要确定一名", "至少建成1个": a comparator a few words before the number.
        near = re.search(
            r"(至少|最少|不少于|不低于)[\u4e00-\u9fff]{0,4}$", text[max(clause_lo, start - 8) : start]
        )
        if near:
            pre = near.group(1)
    explicit = pre in COMPARATOR_PRE or bool(post)
    if num == "一" and (not explicit or unit == "次"):
        return None  # 一个/一项 is an article; "不少于一次" a frequency
    head = text[clause_lo : m.start()]
    is_rate = unit in ("%", "‰", "/10万", "/万")
    if not explicit and not pre:
        near_text = text[max(clause_lo, start - 6) : start]
        coordinated = last_accepted_end >= clause_lo and re.search(
            r"(?:和|及|、)$", text[last_accepted_end:start] or ""
        )
        if is_rate:
            if not (
                GOAL_CUE_ANYWHERE.search(text[:start])
                or re.search(r"占[^,;。]{0,20}的$", head)
                or coordinated
            ):
                return None
        elif not (_ends_with_cue(near_text) or coordinated):
            return None
    op = POST.get(post) or COMPARATOR_PRE.get(pre) or ("<=" if pre == "控制在" else ">=")
    span_end = end
    indicator = head
    followed_by_noun = re.match(r"\s*(?:以上|及以上)?的?", text[end:])
    head_is_empty = not LEADING_CUES.sub("", head.strip(' “”"'))
    if not is_rate or head_is_empty or re.match(r"\s*(?:以上|及以上)?的", text[end:]):
        tail_start = end + followed_by_noun.end()
        tail_end = min(_clause_end(text, tail_start), tail_start + 24)
        indicator = head + text[tail_start:tail_end]
        span_end = tail_end
    unit = UNIT_NORMAL.get(unit, unit)
    indicator = LEADING_CUES.sub("", indicator.strip(' “”"'))
    return {
        "op": op,
        "value": int(value) if value == int(value) else value,
        "unit": unit,
        "_indicator": indicator,
        "_span": (clause_lo, span_end),
    }


def _ends_with_cue(near: str) -> bool:
    return any(GOAL_CUE.search(near[:i]) for i in range(len(near), 0, -1))


def _split_indicators(indicator: str) -> list[str]:
    """ "药具应用率、有效率、随访率" names three rates; share the stem of the first."""
    parts = [p for p in re.split(r"[、和及]", indicator) if p]
    if len(parts) > 1 and all(p.endswith("率") for p in parts):
        stem = parts[0][:-3] if len(parts[0]) > 3 else ""
        return [parts[0]] + [stem + p if not p.startswith(stem) else p for p in parts[1:]]
    return [indicator]
