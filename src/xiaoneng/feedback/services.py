"""Every write on cases: filing, routing, handling, requests, pauses, ratings, reveals.

State changes lock the case row (``select_for_update``) and check its status inside the
transaction, so two people (or one double click) can never both move a case: the second gets
``CaseConflict`` with a message to reload. Every change writes a ``CaseEvent``.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.audit.services import audit_record
from xiaoneng.core.codes import CODE_ALPHABET, code_from_digest, normalise_code, random_code  # noqa: F401 - re-exported
from xiaoneng.core.files.checks import PUBLIC_KINDS
from xiaoneng.core.files.services import file_store_many
from xiaoneng.core.workdays.services import working_calendar
from xiaoneng.org.models import Unit, UnitKind
from xiaoneng.org.selectors import is_office, require_office

from . import ratelimit
from .crypto import keyed_hash, normalise_phone, phone_hash, pii_decrypt, pii_encrypt
from .models import (
    Case,
    CaseChannel,
    CaseEvent,
    CaseKind,
    CaseKindDeadline,
    CaseRating,
    CaseRequest,
    CaseRequestKind,
    CaseRequestStatus,
    CaseStage,
    CaseStatus,
)
from .selectors import _zone, case_stage_due, deadline_days_for, end_of_day, may_handle, may_reveal

logger = logging.getLogger(__name__)

# No look-alikes: no 0/O, 1/I/L, U/V pairs are kept apart by leaving out U (30 symbols).
CODE_LENGTH = 10
SECRET_LENGTH = 8


class CaseConflict(ValidationError):
    """The case is no longer in the state the action needs (someone acted first, or a double click)."""


# --- codes ---------------------------------------------------------------------------------

def format_code(code: str) -> str:
    """ABCDE-FGHJK: easier to read out on the phone."""
    return f"{code[:5]}-{code[5:]}" if len(code) == CODE_LENGTH else code


def tracking_hash(code: str) -> str:
    return keyed_hash("tracking", normalise_code(code))


def secret_hash(secret: str) -> str:
    return keyed_hash("secret", normalise_code(secret))


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, _zone()).date()


def case_event_add(case: Case, kind: str, actor: Any, text: str = "", *, is_public: bool = False) -> CaseEvent:
    """Append one line to the case's history (``is_public`` lines show on the tracking page)."""
    actor_obj = actor if actor is not None and getattr(actor, "pk", None) else None
    return CaseEvent.objects.create(case=case, kind=kind, actor=actor_obj,
                                    actor_unit_id=getattr(actor_obj, "unit_id", None), text=text,
                                    is_public=is_public)


# --- deadlines -----------------------------------------------------------------------------

def case_deadlines_compute(case: Case, *, calendar=None) -> dict[str, dt.date | None]:
    """The due date of each stage from the stage starts, approved extensions and finished pauses.

    Accept: ``accept_days`` working days after receipt. Reply and close: counted from acceptance
    (or from reopening), plus the stage's approved extension and the working days already paused.
    """
    calendar = calendar or working_calendar()
    due: dict[str, dt.date | None] = {
        "accept_due": calendar.add_working_days(_local_date(case.received_at), case.accept_days),
        "reply_due": None, "close_due": None,
    }
    start = case.reopened_at or case.accepted_at
    if start is not None:
        day = _local_date(start)
        paused = case.paused_working_days
        due["reply_due"] = calendar.add_working_days(day, case.reply_days + case.reply_extension_days + paused)
        due["close_due"] = calendar.add_working_days(day, case.close_days + case.close_extension_days + paused)
    return due


def _refresh_deadlines(case: Case) -> list[str]:
    for field, value in case_deadlines_compute(case).items():
        setattr(case, field, value)
    return ["accept_due", "reply_due", "close_due"]


def deadline_days_set(*, actor: Any, kind: str, accept_days: int, reply_days: int, close_days: int,
                      request: Any = None) -> CaseKindDeadline:
    """Set the office's working-day limits for a kind; they apply to cases filed from now on."""
    if not is_office(actor):
        raise PermissionDenied
    if kind not in CaseKind.values:
        raise ValidationError(_("Unknown kind of case."))
    if min(accept_days, reply_days, close_days) < 1 or close_days < reply_days:
        raise ValidationError(_("Each limit is at least 1 working day, and closing cannot come before replying."))
    row, _created = CaseKindDeadline.objects.update_or_create(
        kind=kind, defaults={"accept_days": accept_days, "reply_days": reply_days, "close_days": close_days})
    audit_record("feedback.deadlines", request=request, actor=actor, obj=row,
                 detail={"kind": kind, "accept": accept_days, "reply": reply_days, "close": close_days})
    return row


# --- filing --------------------------------------------------------------------------------

@dataclass(frozen=True)
class FiledCase:
    """A filed case and what its filer must keep (shown once, never stored in clear)."""

    case: Case
    tracking_code: str
    secret: str = ""
    duplicate: bool = False

    @property
    def tracking_code_display(self) -> str:
        return format_code(self.tracking_code)


def intake_unit() -> Unit:
    """The unit that holds attachments sent by the public: the office (else the bureau)."""
    unit = (Unit.objects.filter(kind=UnitKind.OFFICE).order_by("order", "pk").first()
            or Unit.objects.filter(kind=UnitKind.BUREAU).order_by("order", "pk").first())
    if unit is None:
        raise ValidationError(_("The office unit is not set up yet; cases cannot take attachments."))
    return unit


def _derived_code(label: str, submission_key: str, length: int) -> str:
    """A code drawn from HMAC(server key, form key): uniform over the alphabet, unguessable
    without the server's key, and the same every time the same form is sent."""
    return code_from_digest(keyed_hmac_digest(f"feedback.{label}", submission_key), length)


def _codes_for(submission_key: str) -> tuple[str, str]:
    """Codes for this form load: a retry of the same form (a double click, a lost answer) gets
    the same code and secret, computed again rather than remembered, so no cache or race can
    hand two retries different codes."""
    if not submission_key:
        return random_code(CODE_LENGTH), random_code(SECRET_LENGTH)
    return (_derived_code("tracking-code", submission_key, CODE_LENGTH),
            _derived_code("secret", submission_key, SECRET_LENGTH))


def keyed_hmac_digest(label: str, value: str) -> bytes:
    from django.utils.crypto import salted_hmac

    return salted_hmac(f"xiaoneng.{label}", value, algorithm="sha256").digest()


def case_file(
    *, kind: str, unit: Unit | None, what: str, happened_on: dt.date | None = None, where: str = "",
    name: str = "", phone: str = "", id_number: str = "", is_anonymous: bool = False,
    channel: str = CaseChannel.WEB, uploads: list | None = None, entered_by: Any = None,
    submission_key: str = "", received_at: dt.datetime | None = None, request: Any = None,
) -> FiledCase:
    """File a case (from the public form, or entered by the office for another channel).

    Only a report may be anonymous; a non-anonymous case needs a phone unless the office enters
    it. A case without a phone gets a secret (shown once) to follow it with. ``entered_by`` (an
    office user) becomes the first responder. All attachments pass the content checks or nothing
    is saved.
    """
    if kind not in CaseKind.values:
        raise ValidationError(_("Choose what kind of case this is."))
    if is_anonymous and kind != CaseKind.REPORT:
        raise ValidationError(_("Only a report can be anonymous."))
    if entered_by is not None and not is_office(entered_by):
        raise PermissionDenied
    phone = "" if is_anonymous else normalise_phone(phone)
    if is_anonymous:
        name = id_number = ""
    if not is_anonymous and not phone and entered_by is None:
        raise ValidationError(_("Enter a phone number so that we can reply to you."))
    code, secret = _codes_for(submission_key)
    needs_secret = not phone
    now = timezone.now()
    days = deadline_days_for(kind)
    case = Case(
        number=secrets.token_hex(8), tracking_code_hash=tracking_hash(code),
        secret_hash=secret_hash(secret) if needs_secret else "",
        submission_key_hash=keyed_hash("submission", submission_key) if submission_key else None,
        kind=kind, channel=channel, unit=unit, what=what.strip(), happened_on=happened_on, where=where.strip(),
        is_anonymous=is_anonymous, name_encrypted=pii_encrypt(name.strip()), phone_encrypted=pii_encrypt(phone),
        id_number_encrypted=pii_encrypt(id_number.strip().upper()), phone_hash=phone_hash(phone) if phone else "",
        status=CaseStatus.RECEIVED, first_responder=entered_by, entered_by=entered_by,
        received_at=received_at or now, **days,
    )
    _refresh_deadlines(case)
    try:
        with transaction.atomic():
            case.save()
            case.number = f"{_local_date(case.received_at):%Y}-{case.pk:06d}"
            case.save(update_fields=["number"])
            case_event_add(case, "filed", entered_by, CaseChannel(channel).label, is_public=True)
            if uploads:
                file_store_many(uploads=uploads, unit=intake_unit(), user=entered_by, allowed_kinds=PUBLIC_KINDS,
                                linked_to=case, request=request)
    except IntegrityError:
        if not submission_key:
            raise
        existing = Case.objects.filter(submission_key_hash=keyed_hash("submission", submission_key)).first()
        if existing is None:
            raise
        return FiledCase(case=existing, tracking_code=code, secret=secret if existing.secret_hash else "",
                         duplicate=True)
    audit_record("feedback.file", request=request, actor=entered_by, obj=case,
                 detail={"kind": kind, "channel": channel, "anonymous": is_anonymous})
    logger.info("case %s filed (%s, %s)", case.number, kind, channel)
    return FiledCase(case=case, tracking_code=code, secret=secret if needs_secret else "")


# --- routing and handling --------------------------------------------------------------------

def _locked(case_id: int) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("assignee_unit", "unit").get(pk=case_id)


def _require_status(case: Case, *statuses: str) -> None:
    if case.status not in statuses:
        raise CaseConflict(_("This case has already moved on (%(status)s); reload the page to see its state.")
                           % {"status": case.get_status_display()}, code="conflict")


def _claim_first_responder(case: Case, actor: Any) -> list[str]:
    if case.first_responder_id is None:
        case.first_responder = actor
        return ["first_responder"]
    return []


def _require_router(case: Case, actor: Any) -> None:
    """Routing belongs to the first responder (首问负责制)."""
    require_office(actor)
    if case.first_responder_id not in (None, actor.pk):
        raise PermissionDenied(_("Only the first responder of this case routes it."))


def _require_unit(unit: Unit | None) -> Unit:
    if unit is None:
        raise ValidationError(_("Choose the unit that handles the case."))
    return unit


@transaction.atomic
def case_accept(*, case_id: int, actor: Any, assignee_unit: Unit | None = None, request: Any = None) -> Case:
    """Accept a received case (the reply and close clocks start); optionally assign it at once."""
    case = _locked(case_id)
    _require_router(case, actor)
    _require_status(case, CaseStatus.RECEIVED)
    now = timezone.now()
    fields = _claim_first_responder(case, actor)
    case.accepted_at = now
    case.status = CaseStatus.ACCEPTED
    if assignee_unit is not None:
        case.assignee_unit = assignee_unit
        case.assigned_at = now
        case.status = CaseStatus.IN_PROGRESS
    fields += ["accepted_at", "status", "assignee_unit", "assigned_at", *_refresh_deadlines(case)]
    case.save(update_fields=fields)
    case_event_add(case, "accepted", actor, "", is_public=True)
    if assignee_unit is not None:
        case_event_add(case, "assigned", actor, assignee_unit.name)
    audit_record("feedback.accept", request=request, actor=actor, obj=case)
    return case


@transaction.atomic
def case_decline(*, case_id: int, actor: Any, reason: str, request: Any = None) -> Case:
    """Decline a received case; the reason is shown to the public on the tracking page."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for declining; the person who filed the case will read it."))
    case = _locked(case_id)
    _require_router(case, actor)
    _require_status(case, CaseStatus.RECEIVED)
    fields = _claim_first_responder(case, actor)
    case.status = CaseStatus.DECLINED
    case.declined_at = timezone.now()
    case.decline_reason = reason
    case.save(update_fields=[*fields, "status", "declined_at", "decline_reason"])
    case_event_add(case, "declined", actor, reason, is_public=True)
    audit_record("feedback.decline", request=request, actor=actor, obj=case)
    return case


@transaction.atomic
def case_assign(*, case_id: int, actor: Any, unit: Unit | None, request: Any = None) -> Case:
    """Assign an accepted case to the unit that handles it."""
    unit = _require_unit(unit)
    case = _locked(case_id)
    _require_router(case, actor)
    _require_status(case, CaseStatus.ACCEPTED)
    case.assignee_unit = unit
    case.assigned_at = timezone.now()
    case.status = CaseStatus.IN_PROGRESS
    case.save(update_fields=["assignee_unit", "assigned_at", "status"])
    case_event_add(case, "assigned", actor, unit.name)
    audit_record("feedback.assign", request=request, actor=actor, obj=case, detail={"unit": unit.pk})
    return case


@transaction.atomic
def case_transfer(*, case_id: int, actor: Any, unit: Unit | None, reason: str, request: Any = None) -> Case:
    """The first responder moves a case to another unit, with a reason. The deadlines keep running."""
    unit = _require_unit(unit)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the transfer."))
    case = _locked(case_id)
    _require_router(case, actor)
    _require_status(case, CaseStatus.IN_PROGRESS, CaseStatus.ACCEPTED)
    if case.assignee_unit_id == unit.pk:
        raise ValidationError(_("The case is already with this unit."))
    previous = case.assignee_unit.name if case.assignee_unit else "-"
    case.assignee_unit = unit
    case.assigned_at = timezone.now()
    case.status = CaseStatus.IN_PROGRESS
    case.save(update_fields=["assignee_unit", "assigned_at", "status"])
    case_event_add(case, "transferred", actor, f"{previous} → {unit.name}: {reason}")
    audit_record("feedback.transfer", request=request, actor=actor, obj=case, detail={"unit": unit.pk})
    return case


@transaction.atomic
def case_return(*, case_id: int, actor: Any, reason: str, request: Any = None) -> Case:
    """The handling unit hands a case that is not theirs back to the office (with a reason), and the
    first responder routes it again. The deadlines keep running."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the transfer."))
    case = _locked(case_id)
    if not may_handle(actor, case):
        raise PermissionDenied
    _require_status(case, CaseStatus.IN_PROGRESS)
    previous = case.assignee_unit.name if case.assignee_unit else "-"
    case.assignee_unit = None
    case.assigned_at = None
    case.status = CaseStatus.ACCEPTED
    case.save(update_fields=["assignee_unit", "assigned_at", "status"])
    case_event_add(case, "returned", actor, f"{previous}: {reason}")
    audit_record("feedback.return", request=request, actor=actor, obj=case)
    return case


def _require_handler(case: Case, actor: Any) -> None:
    if not (may_handle(actor, case) or is_office(actor)):
        raise PermissionDenied


@transaction.atomic
def case_reply(*, case_id: int, actor: Any, text: str, request: Any = None) -> Case:
    """The handling unit's reply, which the public reads on the tracking page."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the reply."))
    case = _locked(case_id)
    _require_handler(case, actor)
    _require_status(case, CaseStatus.IN_PROGRESS)
    if case.paused_since is not None:
        _resume(case, actor)
    case.reply = text
    case.replied_at = timezone.now()
    case.status = CaseStatus.REPLIED
    case.save(update_fields=["reply", "replied_at", "status", "paused_since", "paused_working_days",
                             "pause_reason", *_refresh_deadlines(case)])
    case_event_add(case, "replied", actor, text, is_public=True)
    audit_record("feedback.reply", request=request, actor=actor, obj=case)
    return case


@transaction.atomic
def case_close(*, case_id: int, actor: Any, note: str = "", request: Any = None) -> Case:
    """Close a replied case (办结)."""
    case = _locked(case_id)
    _require_handler(case, actor)
    _require_status(case, CaseStatus.REPLIED)
    case.closed_at = timezone.now()
    case.status = CaseStatus.CLOSED
    case.save(update_fields=["closed_at", "status"])
    case_event_add(case, "closed", actor, (note or "").strip(), is_public=True)
    audit_record("feedback.close", request=request, actor=actor, obj=case)
    return case


# --- extensions and pauses -----------------------------------------------------------------

@transaction.atomic
def case_request_create(*, case_id: int, actor: Any, kind: str, reason: str, days: int = 0,
                        request: Any = None) -> CaseRequest:
    """The handling unit asks for more working days (before the deadline) or to pause the clock
    while waiting for the complainant; the office decides."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason."))
    case = _locked(case_id)
    if not may_handle(actor, case):
        raise PermissionDenied
    _require_status(case, CaseStatus.IN_PROGRESS, CaseStatus.REPLIED)
    stage, due = case_stage_due(case)
    if kind == CaseRequestKind.EXTENSION:
        if not 1 <= int(days) <= 30:
            raise ValidationError(_("Ask for between 1 and 30 working days."))
        if due is None or timezone.now() > end_of_day(due):
            raise ValidationError(_("The deadline has passed: an extension must be asked for before it."))
    elif kind == CaseRequestKind.PAUSE:
        days = 0
        if case.paused_since is not None:
            raise ValidationError(_("The clock of this case is already paused."))
    else:
        raise ValidationError(_("Unknown request."))
    if case.requests.filter(kind=kind, status=CaseRequestStatus.PENDING).exists():
        raise CaseConflict(_("A request of this kind is already waiting for the office."), code="conflict")
    row = CaseRequest.objects.create(case=case, kind=kind, stage=stage, days=int(days), reason=reason,
                                     requested_by=actor)
    label = CaseRequestKind(kind).label
    case_event_add(case, f"{kind}_requested", actor, f"{label}: {reason}")
    audit_record("feedback.request", request=request, actor=actor, obj=case, detail={"kind": kind, "days": days})
    return row


@transaction.atomic
def case_request_decide(*, request_id: int, actor: Any, approve: bool, note: str = "",
                        request: Any = None) -> CaseRequest:
    """The office approves or rejects an extension or pause request (once)."""
    require_office(actor)
    row = CaseRequest.objects.select_for_update().get(pk=request_id)
    if row.status != CaseRequestStatus.PENDING:
        raise CaseConflict(_("This request has already been decided."), code="conflict")
    case = _locked(row.case_id)
    now = timezone.now()
    row.status = CaseRequestStatus.APPROVED if approve else CaseRequestStatus.REJECTED
    row.decided_by = actor
    row.decided_at = now
    row.decision_note = (note or "").strip()[:300]
    if approve and case.is_open:
        if row.kind == CaseRequestKind.EXTENSION:
            if row.stage == CaseStage.REPLY:
                case.reply_extension_days += row.days
                case.close_extension_days += row.days  # replying later moves the close date with it
            else:
                case.close_extension_days += row.days
            case.save(update_fields=["reply_extension_days", "close_extension_days", *_refresh_deadlines(case)])
        elif row.kind == CaseRequestKind.PAUSE and case.paused_since is None:
            case.paused_since = now
            case.pause_reason = row.reason[:300]
            case.save(update_fields=["paused_since", "pause_reason"])
    row.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    verb = "approved" if approve else "rejected"
    case_event_add(case, f"{row.kind}_{verb}", actor, row.decision_note)
    audit_record(f"feedback.request_{verb}", request=request, actor=actor, obj=case,
                 detail={"kind": row.kind, "days": row.days})
    return row


def _resume(case: Case, actor: Any) -> None:
    today = timezone.localdate(timezone.now(), _zone())
    paused_days = working_calendar().working_days_between(_local_date(case.paused_since), today)
    case.paused_working_days += max(paused_days, 0)
    case.paused_since = None
    case.pause_reason = ""
    case_event_add(case, "resumed", actor, str(paused_days))


@transaction.atomic
def case_resume(*, case_id: int, actor: Any, request: Any = None) -> Case:
    """End an approved pause (the complainant answered): the paused working days move the deadlines."""
    case = _locked(case_id)
    _require_handler(case, actor)
    if case.paused_since is None:
        raise CaseConflict(_("The clock of this case is not paused."), code="conflict")
    _resume(case, actor)
    case.save(update_fields=["paused_since", "paused_working_days", "pause_reason", *_refresh_deadlines(case)])
    audit_record("feedback.resume", request=request, actor=actor, obj=case)
    return case


# --- the public: look-up and rating ------------------------------------------------------------

_DUMMY_TOKEN: list[str] = []


def _dummy_token() -> str:
    if not _DUMMY_TOKEN:
        _DUMMY_TOKEN.append(pii_encrypt("13800000000"))
    return _DUMMY_TOKEN[0]


def _proof_matches(case: Case | None, proof: str) -> bool:
    """Compare in the same way whether the case exists or not (same work, same time)."""
    digits = normalise_phone(proof)[-4:]
    given_secret = secret_hash(proof)
    try:
        phone = pii_decrypt(case.phone_encrypted if case is not None and case.phone_encrypted else _dummy_token())
    except Exception:  # noqa: BLE001 - a row no key opens cannot be followed; fail closed
        phone = ""
    phone_ok = len(digits) == 4 and hmac.compare_digest(phone[-4:].encode(), digits.encode())
    secret_ok = hmac.compare_digest((case.secret_hash if case is not None else "x" * 64).encode(),
                                    given_secret.encode())
    if case is None:
        return False
    return secret_ok if case.secret_hash else phone_ok


class LookupRefused(Exception):
    """Too many failed look-ups from this address (or for this code): answer 429."""


def case_lookup(*, code: str, proof: str, ip: str | None) -> Case | None:
    """The case for a tracking code and the last 4 digits of the phone (or the secret).

    ``None`` for "no such code" and "wrong digits" alike. Failures count per IP (10/h, 50/day) and
    per code (10/day); past a limit, ``LookupRefused`` even for right answers.
    """
    code_hash = tracking_hash(code)
    if ratelimit.is_limited(ratelimit.track_ip_limits(), ip) or ratelimit.is_limited(
            ratelimit.track_code_limits(), code_hash):
        raise LookupRefused
    case = Case.objects.filter(tracking_code_hash=code_hash).first() if normalise_code(code) else None
    if _proof_matches(case, proof):
        return case
    ratelimit.count_hit(ratelimit.track_ip_limits(), ip)
    ratelimit.count_hit(ratelimit.track_code_limits(), code_hash)
    logger.info("failed case look-up")
    return None


def case_can_be_rated(case: Case) -> bool:
    """Rated once per reply: after a reply (or closing), and again after a reply to a reopened case."""
    if case.status not in (CaseStatus.REPLIED, CaseStatus.CLOSED) or case.replied_at is None:
        return False
    return case.rated_at is None or case.rated_at < case.replied_at


@transaction.atomic
def case_rate(*, case_id: int, rating: str, request: Any = None) -> Case:
    """The public rates the reply; an unsatisfied rating reopens the case, once."""
    if rating not in CaseRating.values:
        raise ValidationError(_("Choose a rating."))
    case = _locked(case_id)
    if not case_can_be_rated(case):
        raise CaseConflict(_("This reply has already been rated."), code="conflict")
    now = timezone.now()
    case.rating = rating
    case.rated_at = now
    fields = ["rating", "rated_at"]
    case_event_add(case, "rated", None, CaseRating(rating).label, is_public=True)
    if rating == CaseRating.UNSATISFIED and not case.reopened:
        case.reopened = True
        case.reopened_at = now
        case.status = CaseStatus.IN_PROGRESS
        case.reply_extension_days = case.close_extension_days = case.paused_working_days = 0
        case.closed_at = None
        fields += ["reopened", "reopened_at", "status", "reply_extension_days", "close_extension_days",
                   "paused_working_days", "closed_at", *_refresh_deadlines(case)]
        case_event_add(case, "reopened", None, "", is_public=True)
    case.save(update_fields=fields)
    audit_record("feedback.rate", request=request, obj=case, detail={"rating": rating})
    return case


# --- personal data -------------------------------------------------------------------------

REVEALABLE = {"phone": "phone_encrypted", "id_number": "id_number_encrypted", "name": "name_encrypted"}


def case_reveal(*, case: Case, actor: Any, field: str, request: Any = None) -> str:
    """The plain value of one personal field, for a role that needs it; every attempt is audited."""
    if field not in REVEALABLE:
        raise ValidationError(_("Unknown field."))
    allowed = may_reveal(actor, case)
    audit_record("feedback.reveal", request=request, actor=actor, obj=case,
                 result="ok" if allowed else "denied", detail={"field": field})
    if not allowed:
        raise PermissionDenied
    return pii_decrypt(getattr(case, REVEALABLE[field]))


def cases_reencrypt() -> int:
    """Re-encrypt every case's personal data with the newest key (after adding a key in front)."""
    from .crypto import pii_rotate

    changed = 0
    for pk in Case.objects.order_by("pk").values_list("pk", flat=True).iterator():
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=pk)
            for field in REVEALABLE.values():
                setattr(case, field, pii_rotate(getattr(case, field)))
            case.save(update_fields=list(REVEALABLE.values()))
            changed += 1
    return changed

