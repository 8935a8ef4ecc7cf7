"""Plan import screens: upload a work plan, review what was read from it, create the campaign.

The draft lives in the session under a random key until the office confirms; it is removed in
the request that creates the campaign, so a second confirmation finds nothing to create.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from xiaoneng.org.selectors import require_office

from .plan_import import campaign_create_from_plan, plan_draft_from_upload
from .plan_import_forms import (
    HeadingFormSet,
    PlanMetaForm,
    PlanUploadForm,
    ScheduleFormSet,
    TargetFormSet,
    draft_from_forms,
    initial_from_draft,
    target_initial_from_draft,
)

SESSION_KEY = "campaign_plan_drafts"
MAX_DRAFTS = 3


def _drafts(request) -> dict:
    return request.session.get(SESSION_KEY) or {}


@login_required
def plan_upload(request):
    require_office(request.user)
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = plan_draft_from_upload(upload=form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            drafts = _drafts(request)
            while len(drafts) >= MAX_DRAFTS:  # keep the session small: the oldest drafts go
                drafts.pop(next(iter(drafts)))
            key = secrets.token_urlsafe(16)
            drafts[key] = draft
            request.session[SESSION_KEY] = drafts
            return redirect("campaigns:plan_review", key=key)
    return render(request, "campaigns/plan_upload.html", {"form": form})


def marked_text(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """`text`, escaped, with each (start, end, id, css class) span wrapped in <mark>; spans may nest."""
    out: list[str] = []
    position = 0
    ends: list[int] = []

    def close() -> None:
        nonlocal position
        end = ends.pop()
        out.append(escape(text[position:end]))
        out.append("</mark>")
        position = end

    for lo, hi, ident, css in sorted(spans, key=lambda s: (s[0], -s[1])):
        lo, hi = max(lo, 0), min(hi, len(text))
        while ends and ends[-1] <= lo:
            close()
        if ends:
            hi = min(hi, ends[-1])
        if hi <= lo or lo < position:
            continue
        out.append(escape(text[position:lo]))
        out.append(f'<mark id="{escape(ident)}" class="{escape(css)}">')
        position = lo
        ends.append(hi)
    while ends:
        close()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of the text above went through escape()


def _spans(draft: dict) -> list[tuple[int, int, str, str]]:
    spans = []
    for prefix, key, css in (("heading", "headings", "xn-mark-heading"), ("item", "schedule", "xn-mark-item"),
                             ("target", "targets", "xn-mark-target")):
        for index, item in enumerate(draft.get(key) or ()):
            span = item.get("span")
            if span and len(span) == 2:
                spans.append((int(span[0]), int(span[1]), f"{prefix}-{index}", css))
    return spans


@login_required
def plan_review(request, key: str):
    require_office(request.user)
    drafts = _drafts(request)
    draft = drafts.get(key)
    if draft is None:
        messages.info(request, _("This plan has already been used or has expired. Upload it again if needed."))
        return redirect("campaigns:list")
    meta_initial, schedule_initial, heading_initial = initial_from_draft(draft)
    data = request.POST if request.method == "POST" else None
    meta = PlanMetaForm(data, initial=meta_initial, prefix="plan")
    schedule = ScheduleFormSet(data, initial=schedule_initial, prefix="item")
    headings = HeadingFormSet(data, initial=heading_initial, prefix="heading")
    targets = TargetFormSet(data, initial=target_initial_from_draft(draft), prefix="target")
    valid = [form.is_valid() for form in (meta, schedule, headings, targets)]  # every form, for every error
    if request.method == "POST" and all(valid):
        reviewed = draft_from_forms(draft, meta, schedule, headings, targets)
        drafts.pop(key, None)
        request.session[SESSION_KEY] = drafts
        request.session.save()
        try:
            campaign = campaign_create_from_plan(user=request.user, draft=reviewed, request=request)
        except ValidationError as exc:
            drafts[key] = draft
            request.session[SESSION_KEY] = drafts
            meta.add_error(None, exc.messages)
        else:
            messages.success(request, _("The campaign has been created from the plan."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/plan_review.html", {
        "key": key, "draft": draft, "meta": meta, "schedule": schedule, "headings": headings,
        "schedule_rows": [(form, f"item-{form.initial['source']}" if form.initial.get("source") is not None
                           else "") for form in schedule.forms],
        "heading_rows": [(form, f"heading-{form.initial.get('source')}") for form in headings.forms],
        "marked_text": marked_text(draft.get("text") or "", _spans(draft)),
        "targets": targets,
        "target_rows": [(form, f"target-{form.initial['source']}" if form.initial.get("source") is not None
                         else "") for form in targets.forms],
    })
