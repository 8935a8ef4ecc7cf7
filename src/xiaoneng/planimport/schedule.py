"""Time expressions of work plans, read into schedule items (SCHEMA.md `schedule`).

Rules, not a general time parser: plans say a handful of things about time (a named
stage with its months, a due date, a report every month, a meeting on a day, a span
after something else) in a handful of fixed phrasings. Each rule below is one of them;
what matches none is left alone rather than guessed (AMBIGUOUS.md lists such windows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numerals import fmt_date, month_end, parse_int, valid_day, xun_range

M = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
D = r"(?:3[01]|[12]\d|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
Y = r"(?:19|20)\d{2}"
XUN = r"(?:上旬|中旬|下旬|初|底|末)"
CONN = r"\s*(?:至|到|~|—+|–|-|－)\s*"

POINT = (
    rf"(?:(?P<y1>{Y})年)?(?<![\d.])(?P<m1>{M})月份?"
    rf"(?:(?P<d1>{D})[日号]|(?P<x1>{XUN}))?"
)
RANGE = re.compile(
    POINT + CONN + rf"(?:(?:(?P<y2>{Y})年)?(?P<m2>{M})月份?)?"
    rf"(?:(?P<d2>{D})[日号]|(?P<x2>{XUN}))?"
)
# "3-9月", "3-4月份": the first month without its 月.
SHORT_MONTHS = re.compile(rf"(?:(?P<y1>{Y})年)?(?<![\d.])(?P<m1>{M}){CONN}(?P<m2>{M})月份?")
POINT_RE = re.compile(POINT)

PHASE = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{2,14}阶段)\s*[:,]?\s*\(?\s*(?=\d|[一二三四五六七八九十]{1,2}月)"
)
PHASE_AFTER = re.compile(r"\s*[,:]?\s*(?:为|是)\s*(?P<name>[\u4e00-\u9fff]{2,12}阶段)")
# Headings that announce a stage and its dates: 阶段, 进度 (progress), 步骤 (steps).
PHASE_TITLE = re.compile(r"阶段|进度|步骤|安排")

RELATIVE = re.compile(
    r"(?P<anchor>[\u4e00-\u9fff]{0,8}?)(?P<what>结束|开始|启动|收到|接到|受理|发生|召开|完成)"
    r"(?P<object>[\u4e00-\u9fff]{0,6}?)(?:之?后|以后)的?(?:第)?(?P<n>\d{1,3}|[一二三四五六七八九十两]{1,3})个?"
    r"(?P<unit>工作日|星期|周|日|天)(?:之?内|以内)"
)
RECUR = re.compile(
    r"每(?:一)?个?(?P<per>半年|学期|周|星期|月|季度|季|年度?)(?:(?P<day>\d{1,2}|x{1,2})[日号](?P<before>前|之前)?)?"
)
ONE_PER = re.compile(r"(?<![十\d])一(?P<per>周|月|季|年)一(?:次|主题|查|评|检|期|会)")
MONTH_LIST = re.compile(rf"(?P<m1>{M})月份?(?:(?:和|、|及|与)(?P<m2>{M})月份?)+")
QUOTED_DAY = re.compile(r"[“”\"‘’'](?P<m>1[0-2]|0?[1-9])\s*[.•·・]\s*(?P<d>3[01]|[12]\d|0?[1-9])(?!\d)")
YEAR_DONE = re.compile(rf"(?P<y>{Y})年(?:底|末)?(?:前|之前)?(?=(?:全面|基本)?(?:完成|建成|实现))")
YEAR_END = re.compile(r"(?<!每)(?<!每年)(?:年内底|年底|年末)(?P<before>前|之前)?")
MONTH_DONE = re.compile(
    rf"(?<![\d.\-])(?P<m>{M})月份?(?:底|末)?(?:按期|如期|前|之前|底前)?(?=完工|竣工|投入使用|交付使用|建成|完成)"
)
MONTH_EVENT = re.compile(
    rf"(?<![\d.\-至到])(?P<m>{M})月份?(?:的)?(?=招标|启动|举办|召开|举行|[^,;。]{{0,8}}?宣传月|[^,;。]{{0,8}}?活动月)"
)
EVENT_VERB = re.compile(r"^[^,;。]{0,4}?(?:举办|召开|举行|组织)")
BEFORE = re.compile(r"\s*(?:前|之前|以前|为止|止)")
# A report of what already happened, not a plan (of which plans are full).
PAST = re.compile(r"(?<![为除])了(?![解如])|已经|截止|截至|以来|累计|共计|先后|获得|荣获")
# "4月3日,省政府网站刊登…": a dated sentence whose subject is an institution is news.
TIME_HINT = re.compile(r"[月日号每年周季旬内期后]|\d\.\d")
DIGIT = re.compile(r"\d")
QUOTA_RANGE = re.compile(r"\d\s*(?:-|~|至|到)\s*\d+\s*(?:个|次|篇|课时|学时|场|期)")
NEWS_SUBJECT = re.compile(r"^\s*,\s*(?:省|市|县|区|国家|国务院|中央|我[市县区局委])")

FREQ = {
    "周": "weekly",
    "星期": "weekly",
    "月": "monthly",
    "季度": "quarterly",
    "季": "quarterly",
    "半年": "half-yearly",
    "学期": "half-yearly",
    "年": "yearly",
    "年度": "yearly",
}
ANCHOR_WORDS = (
    ("阶段", "phase"),
    ("会议", "event"),
    ("活动", "event"),
    ("通知", "receipt"),
    ("文件", "receipt"),
    ("申请", "receipt"),
    ("材料", "receipt"),
)


@dataclass
class Sentence:
    """One sentence of the body: `match` is width-folded, `start` its position in the text."""

    start: int
    match: str
    heading_title_end: int = -1  # end of a phase-like heading title within the sentence
    target_clauses: tuple[tuple[int, int], ...] = ()


def _year_of(group: str | None, year: int | None) -> int | None:
    return int(group) if group else year


def _point_bounds(year, month, day, xun):
    if day is not None:
        return day, day
    if xun:
        return xun_range(year, month, xun)
    return 1, month_end(year, month)


def _range_dates(m: re.Match, year: int | None) -> tuple[str, str] | None:
    groups = m.groupdict()
    y1 = _year_of(groups.get("y1"), year)
    m1 = parse_int(groups["m1"] or "")
    if m1 is None:
        return None
    d1 = parse_int(groups["d1"]) if groups.get("d1") else None
    m2 = parse_int(groups["m2"]) if groups.get("m2") else m1
    y2 = _year_of(groups.get("y2"), y1)
    d2 = parse_int(groups["d2"]) if groups.get("d2") else None
    if m2 is None or not (1 <= m1 <= 12 and 1 <= m2 <= 12):
        return None
    if not groups.get("m2") and d2 is None and not groups.get("x2"):
        return None
    start_day, _ = _point_bounds(y1, m1, d1, groups.get("x1"))
    _, end_day = _point_bounds(y2, m2, d2, groups.get("x2"))
    if not (valid_day(y1, m1, start_day) and valid_day(y2, m2, end_day)):
        return None
    return fmt_date(y1, m1, start_day), fmt_date(y2, m2, end_day)


class _Claims:
    """Character ranges already read, so that one phrase yields one item."""

    def __init__(self) -> None:
        self.ranges: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= lo or start >= hi for lo, hi in self.ranges)

    def take(self, start: int, end: int) -> None:
        self.ranges.append((start, end))


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    lo = max(text.rfind(c, 0, start) for c in ",;:") + 1
    hi_candidates = [i for i in (text.find(c, end) for c in ",;。") if i != -1]
    return lo, min(hi_candidates) if hi_candidates else len(text)


def schedule_items(sentence: Sentence, year: int | None) -> list[tuple[int, int, dict]]:
    """Schedule items of one sentence as (start, end, item) with sentence-relative spans."""
    text = sentence.match
    if not TIME_HINT.search(text):
        return []
    items: list[tuple[int, int, dict]] = []
    claims = _Claims()
    is_past = bool(PAST.search(text))

    def add(start: int, end: int, item: dict) -> None:
        claims.take(start, end)
        items.append((start, end, item))

    for m in RELATIVE.finditer(text):
        days = parse_int(m["n"])
        if days is None:
            continue
        anchor_text = m["anchor"] + m["what"] + m["object"]
        unit = m["unit"]
        item: dict = {"kind": "relative", "anchor": _anchor(anchor_text, m["what"])}
        item["days"] = days * 7 if unit in ("星期", "周") else days
        if unit == "工作日":
            item["workdays"] = True
        lo = max(m.start("what") - len(m["anchor"]), 0)
        if lo > 0 and text[lo - 1] in "在于":
            lo -= 1
        add(lo, m.end(), item)

    for m in PHASE.finditer(text):
        rest = m.end()
        dates = _match_dates_at(text, rest, year)
        if dates is None:
            continue
        end_pos, start_date, end_date = dates
        if end_pos < len(text) and text[end_pos] == ")":
            end_pos += 1
        add(
            m.start("name"),
            end_pos,
            {"kind": "phase", "name": m["name"], "start": start_date, "end": end_date},
        )

    if sentence.heading_title_end >= 0:
        dates = _match_dates_at(text, _skip_space(text, sentence.heading_title_end), year, ranges_only=True)
        if dates and claims.free(sentence.heading_title_end, dates[0]):
            add(
                _skip_space(text, sentence.heading_title_end),
                dates[0],
                {"kind": "phase", "name": "", "start": dates[1], "end": dates[2]},
            )

    for m in MONTH_LIST.finditer(text):
        tail = text[m.end() : m.end() + 40]
        if ("各" in tail[:3] or re.match(r"^[^,;。]{0,40}?(?:\d|[两二三])次", tail)) and claims.free(
            m.start(), m.end()
        ):
            months = sorted({parse_int(x) for x in re.findall(M + "(?=月)", m.group())} - {None})
            if len(months) >= 2:
                lo, hi = _clause_bounds(text, m.start(), m.end())
                add(
                    m.start(),
                    m.end(),
                    {"kind": "recurring", "freq": "yearly", "months": months, "_text": (lo, hi)},
                )

    for regex in (RANGE, SHORT_MONTHS):
        for m in regex.finditer(text):
            if not claims.free(m.start(), m.end()):
                continue
            dates = _range_dates(m, year)
            if dates is None:
                continue
            groups = m.groupdict()
            claims.take(m.start(), m.end())
            if is_past:
                continue
            named = PHASE_AFTER.match(text, m.end())
            if named:  # "3月1日至3月31日为宣传发动阶段"
                add(
                    m.start(),
                    named.end(),
                    {"kind": "phase", "name": named["name"], "start": dates[0], "end": dates[1]},
                )
                continue
            if (
                groups.get("d1")
                and (groups.get("d2") or not groups.get("x2"))
                and not BEFORE.match(text[m.end() :])
            ):
                add(m.start(), m.end(), {"kind": "event", "start": dates[0], "end": dates[1]})
            elif EVENT_VERB.match(text[m.end() :]):
                add(
                    _with_prefix(text, m.start()),
                    m.end(),
                    {"kind": "event", "start": dates[0], "end": dates[1]},
                )

    if not is_past and ("月" in text or "年" in text or ("." in text and DIGIT.search(text))):
        _deadlines(text, year, claims, add)
        _events(text, year, claims, add)

    for m in list(RECUR.finditer(text)) + list(ONE_PER.finditer(text)):
        if not claims.free(m.start(), m.end()):
            continue
        lo, hi = _clause_bounds(text, m.start(), m.end())
        if any(not (hi <= a or lo >= b) for a, b in sentence.target_clauses):
            continue  # "每年开展培训不低于4次": 每年 is the scope of a target
        if QUOTA_RANGE.search(text, lo, hi):
            continue  # "每个学期有6-8个课时": the scope of a quota, not a repeated task
        item = {"kind": "recurring", "freq": FREQ[m["per"]]}
        day = m.groupdict().get("day")
        if day and day.isdigit():
            item["day"] = int(day)
        item["_text"] = (lo, hi)
        add(m.start(), m.end(), item)
    return items


def _anchor(anchor_text: str, what: str) -> str:
    if what in ("收到", "接到", "受理"):
        return "receipt"
    for word, anchor in ANCHOR_WORDS:
        if word in anchor_text:
            if anchor == "phase":
                return "phase_start" if what in ("开始", "启动") else "phase_end"
            return anchor
    return "event"


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " 。.:":
        pos += 1
    return pos


def _with_prefix(text: str, start: int) -> int:
    """Include a leading 于/在/拟于 in the quoted text of an item."""
    for prefix in ("拟于", "定于", "于", "在"):
        if text[max(0, start - len(prefix)) : start] == prefix:
            return start - len(prefix)
    return start


def _match_dates_at(text: str, pos: int, year: int | None, ranges_only: bool = False):
    """Dates starting exactly at `pos`: a range, or (unless ranges_only) one month."""
    for regex in (RANGE, SHORT_MONTHS):
        m = regex.match(text, pos)
        if m:
            dates = _range_dates(m, year)
            if dates:
                return m.end(), dates[0], dates[1]
    if ranges_only:
        return None
    m = POINT_RE.match(text, pos)
    if m and not m["d1"]:
        y = _year_of(m["y1"], year)
        month = parse_int(m["m1"])
        if month and 1 <= month <= 12:
            lo, hi = _point_bounds(y, month, None, m["x1"])
            return m.end(), fmt_date(y, month, lo), fmt_date(y, month, hi)
    return None


def _deadlines(text, year, claims, add) -> None:
    for m in POINT_RE.finditer(text):
        after = BEFORE.match(text, m.end())
        if not after or not claims.free(m.start(), m.end()):
            continue
        y = _year_of(m["y1"], year)
        month = parse_int(m["m1"])
        day = parse_int(m["d1"]) if m["d1"] else None
        if month is None or not 1 <= month <= 12:
            continue
        _, end_day = _point_bounds(y, month, day, m["x1"])
        if not valid_day(y, month, end_day):
            continue
        add(
            _with_prefix(text, m.start()),
            after.end(),
            {"kind": "deadline", "end": fmt_date(y, month, end_day)},
        )
    for m in YEAR_DONE.finditer(text):
        if claims.free(m.start(), m.end()):
            add(m.start(), m.end(), {"kind": "deadline", "end": fmt_date(int(m["y"]), 12, 31)})
    for m in YEAR_END.finditer(text):
        if not claims.free(m.start(), m.end()):
            continue
        if m["before"] or re.match(r"(?:要|全面|基本)?(?:完成|建成|实现|达到)", text[m.end() :]):
            add(_with_prefix(text, m.start()), m.end(), {"kind": "deadline", "end": fmt_date(year, 12, 31)})
    for m in MONTH_DONE.finditer(text):
        month = parse_int(m["m"])
        if month and 1 <= month <= 12 and claims.free(m.start(), m.end()):
            add(
                m.start(),
                m.end() + 2,
                {"kind": "deadline", "end": fmt_date(year, month, month_end(year, month))},
            )


def _events(text, year, claims, add) -> None:
    for m in POINT_RE.finditer(text):
        if not claims.free(m.start(), m.end()) or not (m["d1"] or m["x1"] in ("上旬", "中旬", "下旬")):
            continue
        if NEWS_SUBJECT.match(text[m.end() :]):
            continue
        y = _year_of(m["y1"], year)
        month = parse_int(m["m1"])
        if month is None or not 1 <= month <= 12:
            continue
        day = parse_int(m["d1"]) if m["d1"] else None
        lo, hi = _point_bounds(y, month, day, m["x1"])
        if not (valid_day(y, month, lo) and valid_day(y, month, hi)):
            continue
        end = m.end()
        tail = re.match(r"(?:上午|下午|晚上|晚|全天)", text[end:])
        if tail:
            end += tail.end()
        add(m.start(), end, {"kind": "event", "start": fmt_date(y, month, lo), "end": fmt_date(y, month, hi)})
    for m in QUOTED_DAY.finditer(text):
        month, day = int(m["m"]), int(m["d"])
        if claims.free(m.start(), m.end()) and valid_day(year, month, day):
            date = fmt_date(year, month, day)
            add(m.start(), m.end(), {"kind": "event", "start": date, "end": date})
    for m in MONTH_EVENT.finditer(text):
        month = parse_int(m["m"])
        if month and 1 <= month <= 12 and claims.free(m.start(), m.end()):
            add(
                m.start(),
                m.end(),
                {
                    "kind": "event",
                    "start": fmt_date(year, month, 1),
                    "end": fmt_date(year, month, month_end(year, month)),
                },
            )
