"""Reading an official holiday schedule: the State Council notice text, or a simple CSV.

Pure functions, no database. The notice (国务院办公厅关于YYYY年部分节假日安排的通知) lists, per
holiday, ranges of days off ("10月1日至8日放假调休，共8天") and weekend days worked
("9月28日（周日）、10月11日（周六）上班"). Our own rules, in order:

1. normalise (full-width digits and punctuation to ASCII), drop parenthesised remarks
   ("（周日）", "（农历正月初七、周二）");
2. split into sections at "一、", "二、" … (or at line breaks when there are none); a section's
   name is the text before its colon ("国庆节、中秋节");
3. split a section into sentences at "。" and "；"; in each sentence, every date or range
   ("X月X日至X日", "X月X日至X月X日", "YYYY年X月X日") belongs to the next keyword after it —
   放假/休息 (days off) or 上班 (working days) — or, if none follows, to the last one before it;
4. check: every date exists, a range does not run backwards, "共N天" / "放假N天" matches the
   days counted, a working day listed is a weekend day, no date is both off and worked.

Any problem raises ``ScheduleParseError`` with a message for the office; nothing is guessed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import DayKind

WEEKDAY_NAMES = "一二三四五六日"


class ScheduleParseError(ValueError):
    """The text is not a schedule we can read; ``str(error)`` tells the office why."""


@dataclass(frozen=True)
class ParsedDay:
    date: dt.date
    kind: str  # a DayKind value
    name: str = ""


@dataclass
class ParsedHoliday:
    """One holiday of the schedule, for the preview."""

    name: str
    days_off: list[dt.date] = field(default_factory=list)
    working_days: list[dt.date] = field(default_factory=list)  # weekend days worked (调休上班)
    weekdays_confirmed: list[dt.date] = field(default_factory=list)  # CSV only: weekdays marked working

    def off_ranges(self) -> list[tuple[dt.date, dt.date]]:
        """The days off as runs of consecutive dates, for the preview."""
        runs: list[tuple[dt.date, dt.date]] = []
        for day in sorted(set(self.days_off)):
            if runs and runs[-1][1] + dt.timedelta(days=1) == day:
                runs[-1] = (runs[-1][0], day)
            else:
                runs.append((day, day))
        return runs


@dataclass
class ParsedSchedule:
    year: int
    format: str  # "notice" or "csv"
    days: list[ParsedDay]
    holidays: list[ParsedHoliday]


def parse_schedule(text: str, year: int) -> ParsedSchedule:
    """Read ``text`` (a notice or a CSV of date,kind,name) as the schedule of ``year``."""
    text = (text or "").strip()
    if not text:
        raise ScheduleParseError(_("Paste the text of the notice or choose a file."))
    if _looks_like_csv(text):
        return parse_csv(text, year)
    return parse_notice(text, year)


# --- the notice ------------------------------------------------------------------------------
_PARENS = re.compile(r"[(（][^()（）]*[)）]")
_SECTION_HEAD = re.compile(r"(?:^|(?<=[。;\s:]))([一二三四五六七八九十]{1,3})、")
_TOKEN = re.compile(
    r"(?P<date>(?:(?P<y>\d{4})年)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日)"
    r"|(?P<conn>至|到|~|-|—|–)"
    r"|(?P<off>放假|休息|休假)"
    r"|(?P<work>上班|补班)"
)
_COUNT = re.compile(r"(?:共|放假)(\d{1,2})天")
_NOTICE_YEAR = re.compile(r"(\d{4})年(?:元旦|部分节假日|节假日)")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    previous = None
    while previous != text:  # nested remarks, innermost first
        previous, text = text, _PARENS.sub("", text)
    return text.replace("\r", "")


def _sections(text: str) -> list[tuple[str, str]]:
    heads = list(_SECTION_HEAD.finditer(text))
    if heads:
        chunks = [text[h.end(): (heads[i + 1].start() if i + 1 < len(heads) else len(text))]
                  for i, h in enumerate(heads)]
    else:
        chunks = [line for line in text.split("\n") if line.strip()]
    sections = []
    for chunk in chunks:
        name, body = "", chunk.strip()
        match = re.match(r"\s*([^:，。;\d]{1,20}):(.*)", body, flags=re.S)
        if match:
            name, body = match.group(1).strip(), match.group(2)
        sections.append((name, body))
    return sections


def _make_date(year: int, month: int, day: int, raw: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ScheduleParseError(_("The date “%(date)s” does not exist.") % {"date": raw}) from None


def _sentence_spans(sentence: str, year: int, context: dict) -> list[tuple[list[dt.date], str | None, bool]]:
    """The dates of one sentence, each group tagged "off", "work" or None (no keyword), and
    whether it was written with its year."""
    items: list[tuple[str, object]] = []
    for match in _TOKEN.finditer(sentence):
        if match.group("date"):
            y, m, d = match.group("y"), match.group("m"), match.group("d")
            if m is None:
                if context.get("month") is None:
                    raise ScheduleParseError(_("“%(text)s” has a day without a month.") % {"text": sentence})
                this_year, month = context["year"], context["month"]
            else:
                this_year, month = (int(y) if y else year), int(m)
            day = _make_date(this_year, month, int(d), match.group("date"))
            context["year"], context["month"] = this_year, month
            if len(items) >= 2 and items[-1][0] == "conn" and items[-2][0] == "dates":
                start = items[-2][1][0][0]
                if day < start:
                    raise ScheduleParseError(_("The range “%(text)s” runs backwards.") % {"text": sentence})
                items.pop()
                items[-1] = ("dates", ([start + dt.timedelta(days=i) for i in range((day - start).days + 1)],
                                       items[-1][1][1] or bool(y)))
            else:
                items.append(("dates", ([day], bool(y))))
        elif match.group("conn"):
            items.append(("conn", None))
        else:
            items.append(("kw", "off" if match.group("off") else "work"))
    spans: list[tuple[list[dt.date], str | None, bool]] = []
    pending: list[tuple[list[dt.date], bool]] = []
    last_keyword: str | None = None
    for kind, value in items:
        if kind == "dates":
            pending.append(value)
        elif kind == "kw":
            last_keyword = value
            spans.extend((dates, value, with_year) for dates, with_year in pending)
            pending = []
    spans.extend((dates, last_keyword, with_year) for dates, with_year in pending)
    return spans


def _fmt(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def parse_notice(text: str, year: int) -> ParsedSchedule:
    """Read the State Council notice text as the schedule of ``year``."""
    text = _normalise(text)
    mentioned = {int(y) for y in _NOTICE_YEAR.findall(text)}
    if mentioned and year not in mentioned:
        raise ScheduleParseError(_("The notice is for %(notice)s but the year chosen is %(year)s.") % {
            "notice": "、".join(str(y) for y in sorted(mentioned)), "year": year})
    holidays: list[ParsedHoliday] = []
    for name, body in _sections(text):
        holiday = ParsedHoliday(name=name)
        context: dict = {"year": year, "month": None}
        for sentence in re.split(r"[。;\n]", body):
            for dates, keyword, with_year in _sentence_spans(sentence, year, context):
                if keyword is None and with_year and len(dates) == 1:
                    continue  # the notice's own date ("2024年11月12日") under the signature
                if keyword is None:
                    raise ScheduleParseError(_(
                        "Cannot tell whether the days in “%(text)s” are days off or working days.")
                        % {"text": sentence.strip()})
                (holiday.days_off if keyword == "off" else holiday.working_days).extend(dates)
        if not holiday.days_off and not holiday.working_days:
            continue
        count = _COUNT.search(body)
        if count and holiday.days_off and int(count.group(1)) != len(holiday.days_off):
            raise ScheduleParseError(_(
                "“%(name)s” says %(stated)s days off but the dates given make %(counted)s.") % {
                "name": name or body[:20], "stated": count.group(1), "counted": len(holiday.days_off)})
        holidays.append(holiday)
    return _finish(year, "notice", holidays)


def _finish(year: int, fmt: str, holidays: list[ParsedHoliday]) -> ParsedSchedule:
    days: dict[dt.date, ParsedDay] = {}
    for holiday in holidays:
        for date in holiday.working_days:
            if date.weekday() < 5:
                raise ScheduleParseError(_(
                    "%(date)s (%(name)s) is listed as a working day but it is a weekday (周%(weekday)s) in "
                    "%(year)s: check the year.") % {"date": _fmt(date), "name": holiday.name or "-",
                                                   "weekday": WEEKDAY_NAMES[date.weekday()], "year": date.year})
        for kind, dates in ((DayKind.HOLIDAY, holiday.days_off), (DayKind.ADJUSTED_WORKDAY, holiday.working_days),
                            (DayKind.WORKDAY, holiday.weekdays_confirmed)):
            for date in dates:
                if not (date.year == year or (date.year == year - 1 and date.month == 12)):
                    raise ScheduleParseError(_("%(date)s is not in %(year)s.") % {
                        "date": date.isoformat(), "year": year})
                earlier = days.get(date)
                if earlier is not None and (earlier.kind == DayKind.HOLIDAY) != (kind == DayKind.HOLIDAY):
                    raise ScheduleParseError(_("%(date)s is listed both as a day off and as a working day.") % {
                        "date": _fmt(date)})
                days.setdefault(date, ParsedDay(date, str(kind), holiday.name))
    if not days:
        raise ScheduleParseError(_("No days off or working days were found in the text."))
    return ParsedSchedule(year=year, format=fmt, days=sorted(days.values(), key=lambda d: d.date),
                          holidays=holidays)


# --- CSV: date,kind,name ---------------------------------------------------------------------
_CSV_FIRST_LINE = re.compile(r"^\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|date|日期)\s*,", re.I)
_CSV_KINDS = {
    "holiday": DayKind.HOLIDAY, "休": DayKind.HOLIDAY, "休息": DayKind.HOLIDAY, "放假": DayKind.HOLIDAY,
    "节假日": DayKind.HOLIDAY, "假": DayKind.HOLIDAY,
    "workday": DayKind.WORKDAY, "工作日": DayKind.WORKDAY,
    "adjusted_workday": DayKind.ADJUSTED_WORKDAY, "班": DayKind.ADJUSTED_WORKDAY,
    "上班": DayKind.ADJUSTED_WORKDAY, "补班": DayKind.ADJUSTED_WORKDAY, "调休上班": DayKind.ADJUSTED_WORKDAY,
}


def _looks_like_csv(text: str) -> bool:
    first = next((line for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")
    return bool(_CSV_FIRST_LINE.match(unicodedata.normalize("NFKC", first)))


def _csv_date(raw: str) -> dt.date | None:
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", raw.strip())
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def parse_csv(text: str, year: int) -> ParsedSchedule:
    """Read lines ``date,kind,name`` (kind: holiday / workday / adjusted_workday, or 休 / 班)."""
    text = unicodedata.normalize("NFKC", text.lstrip("\ufeff"))
    by_name: dict[str, ParsedHoliday] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if number == 1 and cells[0].lower() in {"date", "日期"}:
            continue
        date = _csv_date(cells[0])
        if date is None:
            raise ScheduleParseError(_("Line %(line)s: “%(value)s” is not a date like 2026-10-01.") % {
                "line": number, "value": cells[0]})
        kind = _CSV_KINDS.get(cells[1].lower() if len(cells) > 1 else "")
        if kind is None:
            raise ScheduleParseError(_(
                "Line %(line)s: “%(value)s” is not a kind; use holiday, workday or adjusted_workday (or 休 / 班).")
                % {"line": number, "value": cells[1] if len(cells) > 1 else ""})
        if kind == DayKind.WORKDAY and date.weekday() >= 5:
            kind = DayKind.ADJUSTED_WORKDAY
        name = cells[2] if len(cells) > 2 else ""
        holiday = by_name.setdefault(name, ParsedHoliday(name=name))
        if kind == DayKind.HOLIDAY:
            holiday.days_off.append(date)
        elif kind == DayKind.ADJUSTED_WORKDAY:
            holiday.working_days.append(date)
        else:
            holiday.weekdays_confirmed.append(date)
    return _finish(year, "csv", list(by_name.values()))
