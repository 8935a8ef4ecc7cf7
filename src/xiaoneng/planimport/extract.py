"""Turn the repaired text of a plan into the SCHEMA.md answer.

The reading follows GB/T 9704, the standard layout of official documents: a 发文字号
line, a title, the body numbered 一、/（一）/1./（1）, and a signature (issuer, date).
Web copies keep most of this; the body's numbering is what the headings come from,
and dates without a year take the year the document itself implies.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .numerals import fmt_date, parse_int, valid_day
from .repair import RepairedText, repair
from .schedule import PHASE_TITLE, Sentence, schedule_items
from .targets import PAST as PAST_WORK
from .targets import target_items

CN = "一二三四五六七八九十"
HEADING_PATTERNS = (
    (1, re.compile(rf"^[ \t]*(?P<marker>[{CN}]{{1,3}}(?:、|\.(?!\d)))")),
    (2, re.compile(rf"^[ \t]*(?P<marker>\([ \t]*[{CN}]{{1,3}}[ \t]*\))")),
    (4, re.compile(r"^[ \t]*(?P<marker>\([ \t]*\d{1,2}[ \t]*\))")),
    (3, re.compile(r"^[ \t]*(?P<marker>\d{1,2}[ \t]*(?:、|\.(?!\d)|\.(?=(?:19|20)\d\d年)))")),
)
DOC_NUMBER = re.compile(
    r"^\s*(?P<n>[\u4e00-\u9fff]{1,12}\s*[\[〔［【(]\s*(?:19|20)\d{2}\s*[\]〕］】)]\s*第?\s*\d{1,5}\s*号)\s*$"
)
DATE_LINE = re.compile(
    r"^\s*(?P<y>(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日\s*$"
)
ISSUER_SUFFIX = re.compile(r"(?:局|委|厅|院|室|办|政府|委员会|中心|部|处|科|站|所|会|组)$")
YEAR_IN_TEXT = re.compile(r"(?<![\d\[〔])((?:19|20)\d{2})(?=\s*年)")
SENTENCE_END = re.compile(r"[。;!?]")
CN_YEAR = str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9")


@dataclass
class Line:
    start: int
    end: int
    match: str


def _lines(doc: RepairedText) -> list[Line]:
    lines = []
    position = 0
    for raw in doc.match.split("\n"):
        end = position + len(raw)
        if raw.strip() and not doc.is_residue(position + len(raw) - len(raw.lstrip())):
            lines.append(Line(position, end, raw))
        position = end + 1
    return lines


def _heading(line: str) -> tuple[int, int, int] | None:
    """(level, marker end, title end) of a numbered heading line, or None."""
    for level, pattern in HEADING_PATTERNS:
        m = pattern.match(line)
        if m:
            title_end = line.find("。", m.end())
            title_end = len(line.rstrip()) if title_end == -1 else title_end
            if title_end <= m.end():
                return None
            return level, m.end(), title_end
    return None


def _meta(doc: RepairedText, lines: list[Line]) -> dict:
    meta: dict = {"title": None, "doc_number": None, "issuer": None, "issue_date": None}
    for line in lines[:12]:
        m = DOC_NUMBER.match(line.match)
        if m:
            meta["doc_number"] = doc.text[line.start + m.start("n") : line.start + m.end("n")].strip()
            break
    for line in lines[:6]:
        content = line.match.strip()
        if DOC_NUMBER.match(content) or DATE_LINE.match(content) or _heading(content) or len(content) > 60:
            continue
        meta["title"] = re.sub(r"\s+", "", doc.text[line.start : line.end])
        break
    for index, line in enumerate(lines):
        m = DATE_LINE.match(line.match)
        if not m:
            continue
        year = parse_int(m["y"].translate(CN_YEAR)) if not m["y"].isdigit() else int(m["y"])
        month, day = parse_int(m["m"]), parse_int(m["d"])
        if year and month and day and valid_day(year, month, day):
            meta["issue_date"] = fmt_date(year, month, day)
            previous = lines[index - 1].match.strip() if index else ""
            if previous and len(previous) <= 30 and ISSUER_SUFFIX.search(previous):
                meta["issuer"] = re.sub(r"\s+", "", doc.text[lines[index - 1].start : lines[index - 1].end])
            break
    return meta


def _reference_year(doc: RepairedText, lines: list[Line], meta: dict) -> int | None:
    """The year the body's month-day dates belong to, as the document states it."""
    if meta["issue_date"] and meta["issue_date"][0].isdigit():
        return int(meta["issue_date"][:4])
    if meta["doc_number"]:
        m = re.search(r"(?:19|20)\d{2}", meta["doc_number"])
        if m:
            return int(m.group())
    if meta["title"]:
        m = YEAR_IN_TEXT.search(meta["title"])
        if m:
            return int(m.group(1))
    counts: Counter[int] = Counter()
    for line in lines:
        counts.update(int(y) for y in YEAR_IN_TEXT.findall(line.match))
        counts.update(int(y) for y in re.findall(r"[\[〔]((?:19|20)\d{2})[\]〕]", line.match))
    if not counts:
        return None
    if max(counts) - min(counts) > 2:
        return None  # a compilation or a review of many years: no single year rules
    return max(counts, key=lambda year: (counts[year], year))


def _sentences(line: Line, heading: tuple[int, int, int] | None) -> list[tuple[int, str, int]]:
    """(start, text, phase-heading title end or -1) for each sentence of a line."""
    out = []
    position = 0
    text = line.match
    for m in list(SENTENCE_END.finditer(text)) + [None]:
        end = m.end() if m else len(text)
        if end > position:
            title_end = -1
            if heading and position == 0 and PHASE_TITLE.search(text[heading[1] : heading[2]]):
                title_end = heading[2]
            if heading and position == heading[2] + 1 and PHASE_TITLE.search(text[heading[1] : heading[2]]):
                title_end = 0
            out.append((line.start + position, text[position:end], title_end))
        position = end
    return out


def extract_text(original: str, doc_name: str = "") -> dict:
    """Read a plan's text into the SCHEMA.md answer, each item with its original span."""
    doc = repair(original)
    lines = _lines(doc)
    meta = _meta(doc, lines)
    year = _reference_year(doc, lines, meta)
    headings, schedule, targets = [], [], []
    meta_lines = set()
    for line in lines:
        if DATE_LINE.match(line.match) or DOC_NUMBER.match(line.match):
            meta_lines.add(line.start)
    for line in lines:
        heading = _heading(line.match)
        if heading:
            level, marker_end, title_end = heading
            marker_lo = len(line.match) - len(line.match.lstrip())
            headings.append(
                {
                    "level": level,
                    "marker": doc.text[line.start + marker_lo : line.start + marker_end].replace(" ", ""),
                    "title": doc.text[line.start + marker_end : line.start + title_end].strip(),
                    "span": doc.span(line.start + marker_lo, line.start + title_end),
                }
            )
        if line.start in meta_lines:
            continue
        line_is_past = bool(PAST_WORK.search(line.match))
        for start, text, title_end in _sentences(line, heading):
            found_targets = target_items(text, line_is_past)
            for lo, hi, item in found_targets:
                targets.append(
                    {
                        "text": doc.text[start + lo : start + hi],
                        **item,
                        "span": doc.span(start + lo, start + hi),
                    }
                )
            sentence = Sentence(start, text, title_end, tuple((lo, hi) for lo, hi, _ in found_targets))
            for lo, hi, item in schedule_items(sentence, year):
                text_lo, text_hi = item.pop("_text", (lo, hi))
                if item["kind"] == "phase" and not item["name"] and heading:
                    item["name"] = doc.text[line.start + heading[1] : line.start + heading[2]].strip()
                schedule.append(
                    {
                        "kind": item.pop("kind"),
                        "text": doc.text[start + text_lo : start + text_hi],
                        **item,
                        "span": doc.span(start + text_lo, start + text_hi),
                    }
                )
    return {
        "doc": doc_name,
        "reference_year": year,
        **meta,
        "headings": headings,
        "schedule": schedule,
        "targets": targets,
        "repairs": doc.notes,
    }
