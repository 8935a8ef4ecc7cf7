"""Turning an uploaded work plan into a campaign: read it into a draft, then create the campaign from it.

The draft is the SCHEMA.md answer of `xiaoneng.planimport` plus the text its spans point into
(`"text"`). The office reviews and edits it before anything is created; creation is one
transaction through the campaign services, so due items are generated as for any campaign.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xiaoneng.planimport import PlanReadError, extract_text, read_plan_bytes
from xiaoneng.planimport.errors import FileTooLargeError

from . import services
from .models import AnchorChoice, Campaign, CampaignKind, FrequencyChoice, Obligation, Phase, Task

TASK_SECTION_WORDS = ("工作内容", "主要任务", "工作重点", "宣传重点", "主要内容", "实施步骤")
CONTACT_FORM_WORDS = ("附表1", "联系方式")
SENTENCE_BREAK = re.compile(r"[。;；!！?？\n]")
HEADING_MARKER = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}、|[(（]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|\d{1,2}[、.．])")
TITLE_MAX = 60
FREQUENCIES = {
    "weekly": FrequencyChoice.WEEKLY,
    "monthly": FrequencyChoice.MONTHLY,
    "quarterly": FrequencyChoice.QUARTERLY,
    "half-yearly": FrequencyChoice.HALF_YEARLY,
    "half_yearly": FrequencyChoice.HALF_YEARLY,
    "yearly": FrequencyChoice.YEARLY,
}
SCHEDULE_KINDS = ("phase", "deadline", "recurring", "relative", "event")
KIND_WORDS = (
    ("宣传", CampaignKind.PUBLICITY),
    ("效能", CampaignKind.EFFICIENCY_YEAR),
    ("文明", CampaignKind.CIVILISATION),
    ("优质服务", CampaignKind.QUALITY_SERVICE),
)


def plan_draft_from_upload(*, upload: Any) -> dict:
    """Read an uploaded plan into a draft: the extracted structure and the text its spans point into."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(FileTooLargeError().message, code="too_large")
    upload.seek(0)
    data = upload.read(limit + 1)
    name = getattr(upload, "name", "") or ""
    try:
        plan = read_plan_bytes(data, name, max_bytes=limit)
        draft = extract_text(plan.text, name)
    except PlanReadError as error:
        raise ValidationError(error.message, code=error.code) from error
    draft["source"] = {"format": plan.format, "encoding": plan.encoding, "notes": plan.notes}
    draft["text"] = plan.text
    return draft


def parse_day(value: str | None, year: int) -> dt.date | None:
    """A SCHEMA date ("YYYY-MM-DD", or "--MM-DD" when the year is unknown) as a date; None if empty."""
    if not value:
        return None
    value = str(value).strip()
    if value.startswith("--"):
        value = f"{year:04d}{value[1:]}"
    return dt.date.fromisoformat(value)


def sentence_around(text: str, span: list[int] | tuple[int, int] | None) -> str:
    """The sentence of `text` containing `span`, without a heading marker, trimmed to about 60 characters."""
    sentence = whole_sentence(text, span)
    if len(sentence) > TITLE_MAX:
        sentence = sentence[: TITLE_MAX - 1] + "…"
    return sentence


def whole_sentence(text: str, span: list[int] | tuple[int, int] | None) -> str:
    """The sentence of `text` containing `span`, without a heading marker."""
    if not text or not span:
        return ""
    lo, hi = max(0, int(span[0])), min(len(text), int(span[1]))
    start = lo
    while start > 0 and not SENTENCE_BREAK.match(text[start - 1]):
        start -= 1
    end = hi
    while end < len(text) and not SENTENCE_BREAK.match(text[end]):
        end += 1
    return HEADING_MARKER.sub("", text[start:end]).strip()


def item_title(item: dict, text: str) -> str:
    """The obligation title of a schedule item: its name when given, else the sentence it came from."""
    return (item.get("name") or "").strip() or sentence_around(text, item.get("span")) or item.get("text", "")


def task_headings(headings: list[dict]) -> list[int]:
    """Indexes of the headings that become tasks: level 2 under a 工作内容/主要任务… section, else every level 2."""
    chosen: list[int] = []
    in_section = False
    for index, heading in enumerate(headings):
        if heading.get("level") == 1:
            in_section = any(word in heading.get("title", "") for word in TASK_SECTION_WORDS)
        elif heading.get("level") == 2 and in_section:
            chosen.append(index)
    if chosen:
        return chosen
    return [index for index, heading in enumerate(headings) if heading.get("level") == 2]


def _kind_of(title: str) -> str:
    for word, kind in KIND_WORDS:
        if word in title:
            return kind
    return CampaignKind.OTHER


def _description(draft: dict) -> str:
    # The targets are Target rows of the campaign (supervision), no longer copied in here.
    return str(draft["doc_number"]) if draft.get("doc_number") else ""


def _targets_create(*, campaign: Campaign, draft: dict, user: Any, request: Any = None) -> int:
    """One Target row per reviewed target, through the supervision service (refused → nothing is kept)."""
    from decimal import Decimal, InvalidOperation

    from xiaoneng.assessment.supervision.services import target_create

    count = 0
    for target in draft.get("targets") or ():
        if target.get("delete") or target.get("value") in (None, ""):
            continue
        try:
            value = Decimal(str(target["value"]))
        except InvalidOperation as exc:
            raise ValidationError(f"{target.get('indicator', '')}: {target['value']}", code="invalid_target") from exc
        target_create(campaign=campaign, indicator=(target.get("indicator") or target.get("text") or "").strip(),
                      operator=target.get("op") or ">=", value=value, unit_of_measure=target.get("unit") or "",
                      source_span=target.get("text") or "", actor=user, request=request)
        count += 1
    return count


def _obligation_for(item: dict, *, campaign: Campaign, text: str, order: int) -> Obligation | None:
    kind = item.get("kind")
    title = item_title(item, text)[:300]
    obligation = Obligation(campaign=campaign, title=title, order=order, description=item.get("text", ""))
    if kind == "deadline":
        due = parse_day(item.get("end"), campaign.year)
        if due is None:
            return None
        obligation.frequency = FrequencyChoice.ONCE
        obligation.due_date = due
        sentence = whole_sentence(text, item.get("span")) + title
        if any(word in sentence for word in CONTACT_FORM_WORDS):
            obligation.is_contact_form = True
            obligation.form_name = "附表1"
    elif kind == "recurring":
        frequency = FREQUENCIES.get(item.get("freq") or "")
        if frequency is None:
            return None
        obligation.frequency = frequency
        obligation.day = item.get("day") or None
        obligation.months = [int(m) for m in item.get("months") or ()]
        if frequency == FrequencyChoice.YEARLY and not obligation.months:
            obligation.months = [12]
    elif kind == "relative":
        if item.get("anchor") not in (AnchorChoice.PHASE_END, AnchorChoice.PHASE_START):
            return None
        obligation.frequency = FrequencyChoice.RELATIVE
        obligation.anchor = item["anchor"]
        obligation.offset = int(item.get("days") or 0)
        obligation.working_days = bool(item.get("workdays"))
    else:
        return None
    return obligation


@transaction.atomic
def campaign_create_from_plan(*, user: Any, draft: dict, request: Any = None) -> Campaign:
    """Create a campaign with its phases, obligations, tasks and targets from a reviewed draft, all or nothing."""
    year = int(draft.get("reference_year") or timezone.localdate().year)
    text = draft.get("text") or ""
    schedule = [item for item in draft.get("schedule") or () if not item.get("delete")]
    phases = []
    for item in schedule:
        if item.get("kind") == "phase":
            start, end = parse_day(item.get("start"), year), parse_day(item.get("end"), year)
            if start and end:
                phases.append((item, start, end))
    if phases:
        start_date = min(start for _, start, _ in phases)
        end_date = max(end for _, _, end in phases)
    else:
        start_date, end_date = dt.date(year, 1, 1), dt.date(year, 12, 31)
    title = (draft.get("title") or "").strip() or f"{year}"
    campaign = services.campaign_create(
        user=user, request=request, template=None, title=title[:200], year=year, kind=_kind_of(title),
        description=_description(draft), start_date=start_date, end_date=end_date)
    for order, (item, start, end) in enumerate(phases):
        name = (item.get("name") or item.get("text") or "").strip()[:100]
        services.phase_save(user=user, request=request, phase=Phase(
            campaign=campaign, name=name, start_date=start, end_date=end, order=order))
    for order, item in enumerate(schedule):
        obligation = _obligation_for(item, campaign=campaign, text=text, order=order)
        if obligation is not None:
            services.obligation_save(user=user, request=request, obligation=obligation)
    headings = draft.get("headings") or []
    if any("task" in heading for heading in headings):
        chosen = [index for index, heading in enumerate(headings) if heading.get("task")]
    else:
        chosen = task_headings(headings)
    for order, index in enumerate(chosen):
        heading = headings[index]
        services.task_save(user=user, request=request, task=Task(
            campaign=campaign, title=heading.get("title", "")[:300], order=order))
    _targets_create(campaign=campaign, draft=draft, user=user, request=request)
    return campaign
