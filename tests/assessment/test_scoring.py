"""Scoring rules: 0..max, the step, numbers only, required notes, idempotent changes, locked rounds."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from xiaoneng.assessment import services
from xiaoneng.assessment.models import RoundStatus, Score, ScoreChange, SettledScore
from xiaoneng.assessment.selectors import round_unit_totals, rounds_for_campaign

from .conftest import items_of, round_unit_of, score_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(open_round, unit_a, inspector):
    return services.sheet_for(round_unit=round_unit_of(open_round, unit_a), inspector=inspector)


@pytest.mark.parametrize(("text", "code_word"), [
    ("11", "0 to 10"), ("-1", "0 to 10"), ("abc", "number"), ("1e999", "0 to 10"), ("NaN", "number"),
    ("2.5", "steps of 1"),
])
def test_a_bad_score_is_refused_at_the_points_field_with_the_reason(sheet, inspector, text, code_word):
    item = items_of(sheet.round_unit.round.scheme)[0]
    with translation.override("en"):
        result = services.score_apply(sheet=sheet, criterion_id=item.pk, points_text=text, note="", actor=inspector)
    assert not result.ok
    assert code_word in result.errors["points"]
    assert not Score.objects.filter(sheet=sheet).exists()


def test_a_score_on_the_step_within_range_is_kept_as_a_decimal(sheet, inspector):
    item = items_of(sheet.round_unit.round.scheme)[1]  # 5 points in steps of 0.5, note required below max
    result = services.score_apply(sheet=sheet, criterion_id=item.pk, points_text="4.5", note="方案未印发",
                                  actor=inspector)
    assert result.ok and result.points == "4.5"
    assert Score.objects.get(sheet=sheet, criterion=item).points == Decimal("4.50")


def test_less_than_the_maximum_without_the_required_note_is_refused_at_the_note(sheet, inspector):
    item = items_of(sheet.round_unit.round.scheme)[1]
    with translation.override("en"):
        result = services.score_apply(sheet=sheet, criterion_id=item.pk, points_text="3", note="  ",
                                      actor=inspector)
    assert not result.ok and "note is required" in result.errors["note"]
    full = services.score_apply(sheet=sheet, criterion_id=item.pk, points_text="5", note="", actor=inspector)
    assert full.ok


def test_the_same_change_sent_twice_is_applied_once(sheet, inspector):
    item = items_of(sheet.round_unit.round.scheme)[0]
    key = uuid.uuid4()
    first = services.score_apply(sheet=sheet, criterion_id=item.pk, points_text="8", note="", key=key,
                                 actor=inspector)
    # Meanwhile a newer change set 9; the retry of the old one must not bring 8 back.
    services.score_apply(sheet=sheet, criterion_id=item.pk, points_text="9", note="", key=uuid.uuid4(),
                         actor=inspector)
    again = services.score_apply(sheet=sheet, criterion_id=item.pk, points_text="8", note="", key=key,
                                 actor=inspector)
    assert first.ok and again.ok and again.replayed
    assert Score.objects.get(sheet=sheet, criterion=item).points == Decimal("9")
    assert ScoreChange.objects.filter(key=key).count() == 1


def test_an_item_of_another_scheme_is_refused(sheet, inspector, office):
    other = services.scheme_create(name="另一方案", actor=office)
    category = services.criterion_save(scheme=other, actor=office, parent=None, title="类")
    foreign = services.criterion_save(scheme=other, actor=office, parent=category, title="项", max_points=Decimal(2),
                                      step=Decimal(1))
    with pytest.raises(ValidationError):
        services.score_apply(sheet=sheet, criterion_id=foreign.pk, points_text="1", note="", actor=inspector)


def test_a_locked_round_refuses_scores_and_says_why(sheet, inspector, office, open_round):
    item = items_of(open_round.scheme)[0]
    services.round_transition(round_=open_round, action="close", actor=office)
    closed = services.score_apply(sheet=sheet, criterion_id=item.pk, points_text="5", note="", actor=inspector)
    assert not closed.ok
    services.round_transition(round_=open_round, action="lock", actor=office)
    with translation.override("en"):
        result = services.score_apply(sheet=sheet, criterion_id=item.pk, points_text="5", note="", actor=inspector)
    assert not result.ok and "was locked on" in result.errors["points"]
    with pytest.raises(ValidationError) as refused:
        services.team_save(round_=open_round, name="新组", leader=inspector, members=[], actor=office)
    assert refused.value.code == "locked"
    with pytest.raises(ValidationError):
        services.round_transition(round_=open_round, action="open", actor=office)


def test_the_round_moves_draft_open_closed_locked_and_a_double_click_changes_nothing(make_round, office):
    round_ = make_round(open_=False)
    assert not round_.scheme.frozen
    services.round_transition(round_=round_, action="open", actor=office)
    round_.scheme.refresh_from_db()
    assert round_.scheme.frozen and round_.status == RoundStatus.OPEN
    with pytest.raises(ValidationError):
        services.round_transition(round_=round_, action="open", actor=office)
    with pytest.raises(ValidationError):
        services.round_transition(round_=round_, action="lock", actor=office)  # close first
    services.round_transition(round_=round_, action="close", actor=office)
    services.round_transition(round_=round_, action="lock", actor=office)
    assert round_.status == RoundStatus.LOCKED and round_.locked_by == office


def test_an_empty_round_cannot_be_opened(make_round, office):
    round_ = make_round(open_=False, units=[])
    with pytest.raises(ValidationError):
        services.round_transition(round_=round_, action="open", actor=office)


def test_only_inspectors_can_be_in_a_team(make_round, office, liaison_a):
    round_ = make_round(open_=False)
    with pytest.raises(ValidationError) as refused:
        services.team_save(round_=round_, name="乙组", leader=office, members=[liaison_a], actor=office)
    assert "members" in refused.value.message_dict


def test_one_inspector_submitting_settles_the_result(sheet, inspector, open_round, unit_a):
    score_all(sheet, ["9", "4.5", "5"], inspector)
    services.sheet_submit(sheet=sheet, actor=inspector)
    round_unit = round_unit_of(open_round, unit_a)
    assert SettledScore.objects.filter(round_unit=round_unit).count() == 3
    assert round_unit_totals(round_ids=[open_round.pk]) == {(open_round.pk, unit_a.pk): Decimal("18.5")}
    # Submitted: the inspector's own changes stop.
    item = items_of(open_round.scheme)[0]
    assert not services.score_apply(sheet=sheet, criterion_id=item.pk, points_text="1", note="x",
                                    actor=inspector).ok


def test_an_incomplete_sheet_cannot_be_submitted(sheet, inspector):
    item = items_of(sheet.round_unit.round.scheme)[0]
    services.score_apply(sheet=sheet, criterion_id=item.pk, points_text="9", note="", actor=inspector)
    with pytest.raises(ValidationError) as refused:
        services.sheet_submit(sheet=sheet, actor=inspector)
    assert len(refused.value.messages) == 2


def test_two_inspectors_then_the_leader_settles_one_result_per_item(make_round, inspector, inspector2, unit_a,
                                                                    campaign):
    round_ = make_round(members=[inspector2])
    round_unit = round_unit_of(round_, unit_a)
    first = services.sheet_for(round_unit=round_unit, inspector=inspector)
    second = services.sheet_for(round_unit=round_unit, inspector=inspector2)
    score_all(first, ["9", "5", "5"], inspector)
    score_all(second, ["7", "4", "5"], inspector2)
    services.sheet_submit(sheet=first, actor=inspector)
    services.sheet_submit(sheet=second, actor=inspector2)
    assert not SettledScore.objects.exists()  # two sheets: the leader decides
    items = items_of(round_.scheme)
    errors = services.round_unit_settle(round_unit=round_unit, actor=inspector, entries={
        items[0].pk: ("8", ""), items[1].pk: ("4.5", "")})
    assert items[1].pk in errors and "note" in errors[items[1].pk]  # required note
    assert items[2].pk in errors  # every item must be settled
    assert not SettledScore.objects.exists()
    errors = services.round_unit_settle(round_unit=round_unit, actor=inspector, entries={
        items[0].pk: ("8", ""), items[1].pk: ("4.5", "方案未经党组研究"), items[2].pk: ("5", "")})
    assert errors == {}
    assert round_unit_totals(round_ids=[round_.pk]) == {(round_.pk, unit_a.pk): Decimal("17.5")}
    assert rounds_for_campaign(campaign=campaign) == [round_]


def test_round_unit_totals_leave_out_units_not_scored(make_round, office, inspector, unit_a, unit_b):
    first = make_round(order=1)
    second = make_round(order=2, units=[unit_a])
    sheet = services.sheet_for(round_unit=round_unit_of(first, unit_a), inspector=inspector)
    score_all(sheet, ["10", "5", "5"], inspector)
    services.sheet_submit(sheet=sheet, actor=inspector)
    totals = round_unit_totals(round_ids=[first.pk, second.pk])
    assert totals == {(first.pk, unit_a.pk): Decimal("20")}  # unit_b took part but was not scored
    assert round_unit_totals(round_ids=[]) == {}


def test_new_versions_are_numbered_in_turn_and_a_frozen_scheme_refuses_every_edit(open_round, office):
    scheme = open_round.scheme
    scheme.refresh_from_db()
    second = services.scheme_new_version(scheme=scheme, actor=office)
    third = services.scheme_new_version(scheme=scheme, actor=office)
    assert (second.version, third.version) == (2, 3) and second.family == scheme.family
    assert second.criteria.count() == scheme.criteria.count() and not second.frozen
    item = items_of(scheme)[0]
    for attempt in (lambda: services.criterion_delete(criterion=item, actor=office),
                    lambda: services.scheme_update(scheme=scheme, name="改名", description="", actor=office),
                    lambda: services.criterion_save(scheme=scheme, criterion=item, actor=office, parent=item.parent,
                                                    title="改", max_points=Decimal(10), step=Decimal(1))):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.code == "frozen"


def test_a_key_used_on_another_sheet_is_refused(open_round, unit_a, unit_b, inspector):
    item = items_of(open_round.scheme)[0]
    sheet_a = services.sheet_for(round_unit=round_unit_of(open_round, unit_a), inspector=inspector)
    sheet_b = services.sheet_for(round_unit=round_unit_of(open_round, unit_b), inspector=inspector)
    key = uuid.uuid4()
    services.score_apply(sheet=sheet_a, criterion_id=item.pk, points_text="5", note="", key=key, actor=inspector)
    with pytest.raises(ValidationError):
        services.score_apply(sheet=sheet_b, criterion_id=item.pk, points_text="5", note="", key=key, actor=inspector)
    assert not Score.objects.filter(sheet=sheet_b).exists()


def test_submitting_twice_submits_once(sheet, inspector):
    score_all(sheet, ["10", "5", "5"], inspector)
    first = services.sheet_submit(sheet=sheet, actor=inspector).submitted_at
    assert services.sheet_submit(sheet=sheet, actor=inspector).submitted_at == first
