"""Assessment screens through the HTTP client: the office, inspectors, liaisons; plain form and JSON paths."""

from __future__ import annotations

import io
import json
import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xiaoneng.assessment import services
from xiaoneng.assessment.models import Criterion, Round, RoundStatus, Score, ScorePhoto, SettledScore, Team

from .conftest import items_of, round_unit_of, score_all

pytestmark = pytest.mark.django_db


def change(client, round_unit, criterion, points, note="", key=None):
    body = {"key": str(key or uuid.uuid4()), "criterion": criterion.pk, "points": points, "note": note}
    return client.post(f"/assessment/score/{round_unit.pk}/change/", json.dumps(body),
                       content_type="application/json")


def test_office_builds_a_scheme_in_the_browser(client_for, office):
    client = client_for(office)
    response = client.post("/assessment/schemes/new/", {"name": "督查考核标准", "description": ""})
    scheme_url = response["Location"]
    scheme_pk = int(scheme_url.rstrip("/").split("/")[-1])
    response = client.post(f"/assessment/schemes/{scheme_pk}/criteria/new/", {"code": "一", "title": "组织领导"})
    assert response.status_code == 302
    category = Criterion.objects.get(scheme_id=scheme_pk, parent=None)
    response = client.post(f"/assessment/schemes/{scheme_pk}/criteria/new/", {
        "parent": category.pk, "code": "1", "title": "成立领导小组", "max_points": "5", "step": "2"})
    assert response.status_code == 400
    assert "multiple of the step" in response.content.decode() or "步长" in response.content.decode()
    response = client.post(f"/assessment/schemes/{scheme_pk}/criteria/new/", {
        "parent": category.pk, "code": "1", "title": "成立领导小组", "max_points": "5", "step": "0.5",
        "note_required": "on"})
    assert response.status_code == 302
    page = client.get(scheme_url).content.decode()
    assert "成立领导小组" in page
    category.refresh_from_db()
    assert category.max_points == Decimal("5")


def test_a_frozen_scheme_refuses_edits_and_a_new_version_is_editable(client_for, office, open_round):
    scheme = open_round.scheme
    client = client_for(office)
    item = items_of(scheme)[0]
    response = client.post(f"/assessment/schemes/{scheme.pk}/criteria/{item.pk}/", {
        "parent": item.parent_id, "code": "1", "title": "改过的内容", "max_points": "10", "step": "1"})
    assert response.status_code == 400
    assert "frozen" in response.content.decode() or "冻结" in response.content.decode()
    item.refresh_from_db()
    assert item.title != "改过的内容"
    response = client.post(f"/assessment/schemes/{scheme.pk}/new-version/")
    new_pk = int(response["Location"].rstrip("/").split("/")[-1])
    copy_item = Criterion.objects.get(scheme_id=new_pk, code="1")
    response = client.post(f"/assessment/schemes/{new_pk}/criteria/{copy_item.pk}/", {
        "parent": copy_item.parent_id, "code": "1", "title": "改过的内容", "max_points": "10", "step": "1"})
    assert response.status_code == 302
    open_round.refresh_from_db()
    assert open_round.scheme_id == scheme.pk  # the round keeps its version
    assert Criterion.objects.get(pk=copy_item.pk).title == "改过的内容"


def test_office_opens_assigns_closes_and_locks_a_round(client_for, office, campaign, scheme, inspector, unit_a):
    client = client_for(office)
    response = client.post("/assessment/rounds/new/", {"campaign": campaign.pk, "scheme": scheme.pk,
                                                       "name": "第一轮督查", "order": ""})
    round_ = Round.objects.get(name="第一轮督查")
    assert response.status_code == 302
    response = client.post(f"/assessment/rounds/{round_.pk}/open/")
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.DRAFT  # no units yet
    client.post(f"/assessment/rounds/{round_.pk}/teams/new/", {"name": "第一组", "leader": inspector.pk})
    team = Team.objects.get(round=round_)
    client.post(f"/assessment/rounds/{round_.pk}/assign/", {"team": team.pk, "units": [unit_a.pk]})
    for action in ("open", "close", "lock"):
        client.post(f"/assessment/rounds/{round_.pk}/{action}/")
    round_.refresh_from_db()
    assert round_.status == RoundStatus.LOCKED
    page = client.get(f"/assessment/rounds/{round_.pk}/").content.decode()
    assert 'data-testid="locked"' in page
    response = client.post(f"/assessment/rounds/{round_.pk}/teams/{team.pk}/", {"name": "改名", "leader": inspector.pk})
    assert response.status_code == 400
    assert "locked" in response.content.decode() or "锁定" in response.content.decode()
    assert Team.objects.get(pk=team.pk).name == "第一组"


def test_inspector_scores_with_the_plain_form_and_bad_fields_keep_what_was_typed(client_for, inspector, open_round,
                                                                                  unit_a):
    round_unit = round_unit_of(open_round, unit_a)
    items = items_of(open_round.scheme)
    client = client_for(inspector)
    assert client.get(f"/assessment/score/{round_unit.pk}/").status_code == 200
    response = client.post(f"/assessment/score/{round_unit.pk}/", {
        f"points_{items[0].pk}": "12", f"note_{items[0].pk}": "",
        f"points_{items[1].pk}": "3", f"note_{items[1].pk}": "",
        f"points_{items[2].pk}": "4", f"note_{items[2].pk}": "台账不全"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="12"' in page and "台账不全" in page
    assert not Score.objects.exists()  # all or nothing
    response = client.post(f"/assessment/score/{round_unit.pk}/", {
        f"points_{items[0].pk}": "10", f"points_{items[1].pk}": "3", f"note_{items[1].pk}": "未印发",
        f"points_{items[2].pk}": "4", f"note_{items[2].pk}": "台账不全"})
    assert response.status_code == 302
    assert Score.objects.count() == 3


def test_the_json_path_refuses_at_the_field_and_applies_each_key_once(client_for, inspector, open_round, unit_a):
    round_unit = round_unit_of(open_round, unit_a)
    item = items_of(open_round.scheme)[0]
    client = client_for(inspector)
    refused = change(client, round_unit, item, "abc").json()
    assert refused["ok"] is False and "points" in refused["errors"]
    key = uuid.uuid4()
    assert change(client, round_unit, item, "7", key=key).json()["ok"] is True
    again = change(client, round_unit, item, "7", key=key).json()
    assert again["replayed"] is True
    assert Score.objects.get().points == Decimal("7")
    assert client.post(f"/assessment/score/{round_unit.pk}/change/", "not json",
                       content_type="application/json").status_code == 400


def test_inspector_sees_only_the_units_of_their_teams(client_for, inspector, inspector2, make_round, unit_a, unit_b,
                                                      liaison_a):
    round_ = make_round(units=[unit_a])
    other_team = services.team_save(round_=round_, name="第二组", leader=inspector2, members=[],
                                    actor=round_.created_by)
    services.round_units_assign(round_=round_, team=other_team, units=[unit_b], actor=round_.created_by)
    mine, theirs = round_unit_of(round_, unit_a), round_unit_of(round_, unit_b)
    client = client_for(inspector)
    home = client.get("/assessment/").content.decode()
    assert unit_a.name in home and unit_b.name not in home
    assert client.get(f"/assessment/score/{theirs.pk}/").status_code == 403
    assert change(client, theirs, items_of(round_.scheme)[0], "5").status_code == 403
    assert client.get("/assessment/score/999999/").status_code == 404
    assert client.get(f"/assessment/settle/{theirs.pk}/").status_code == 403
    assert client_for(liaison_a).get(f"/assessment/score/{mine.pk}/").status_code == 403
    assert client_for(liaison_a).get("/assessment/schemes/").status_code == 403


def test_liaison_sees_the_settled_result_only_once_the_round_is_locked(client_for, office, inspector, open_round,
                                                                       unit_a, unit_b, liaison_a, liaison_b):
    ru_a, ru_b = round_unit_of(open_round, unit_a), round_unit_of(open_round, unit_b)
    for round_unit in (ru_a, ru_b):
        sheet = services.sheet_for(round_unit=round_unit, inspector=inspector)
        score_all(sheet, ["9", "4.5", "5"], inspector)
        services.sheet_submit(sheet=sheet, actor=inspector)
    client = client_for(liaison_a)
    assert client.get(f"/assessment/unit-report/{ru_a.pk}/").status_code == 404
    services.round_transition(round_=open_round, action="close", actor=office)
    services.round_transition(round_=open_round, action="lock", actor=office)
    page = client.get(f"/assessment/unit-report/{ru_a.pk}/").content.decode()
    assert "18.50" in page
    assert ru_a.unit.name in client.get("/assessment/").content.decode()
    assert client.get(f"/assessment/unit-report/{ru_b.pk}/").status_code == 403
    assert client_for(office).get(f"/assessment/unit-report/{ru_b.pk}/").status_code == 200


def test_leader_settles_two_sheets_side_by_side(client_for, make_round, inspector, inspector2, unit_a):
    round_ = make_round(members=[inspector2], units=[unit_a])
    round_unit = round_unit_of(round_, unit_a)
    score_all(services.sheet_for(round_unit=round_unit, inspector=inspector), ["9", "5", "5"], inspector)
    score_all(services.sheet_for(round_unit=round_unit, inspector=inspector2), ["7", "5", "5"], inspector2)
    page = client_for(inspector).get(f"/assessment/settle/{round_unit.pk}/").content.decode()
    assert "周督查" in page and "吴督查" in page and "table-warning" in page
    assert client_for(inspector2).post(f"/assessment/settle/{round_unit.pk}/", {}).status_code == 403
    items = items_of(round_.scheme)
    response = client_for(inspector).post(f"/assessment/settle/{round_unit.pk}/", {
        f"points_{items[0].pk}": "8", f"points_{items[1].pk}": "5", f"points_{items[2].pk}": "5"})
    assert response.status_code == 302
    assert sorted(SettledScore.objects.values_list("points", flat=True)) == [Decimal(5), Decimal(5), Decimal(8)]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_photos_are_checked_by_content_and_shown_only_to_the_team(client_for, inspector, open_round, unit_a,
                                                                  liaison_a, office):
    round_unit = round_unit_of(open_round, unit_a)
    item = items_of(open_round.scheme)[0]
    client = client_for(inspector)
    fake = SimpleUploadedFile("现场.png", b"MZ not an image", content_type="image/png")
    response = client.post(f"/assessment/score/{round_unit.pk}/", {f"points_{item.pk}": "10",
                                                                   f"photo_{item.pk}": fake})
    assert response.status_code == 400 and not ScorePhoto.objects.exists()
    good = SimpleUploadedFile("现场.png", _png(), content_type="image/png")
    response = client.post(f"/assessment/score/{round_unit.pk}/", {f"points_{item.pk}": "10",
                                                                   f"photo_{item.pk}": good})
    assert response.status_code == 302
    photo = ScorePhoto.objects.get()
    assert client.get(f"/assessment/photos/{photo.pk}/").status_code == 200
    assert client_for(office).get(f"/assessment/photos/{photo.pk}/").status_code == 200
    assert client_for(liaison_a).get(f"/assessment/photos/{photo.pk}/").status_code == 403


def test_locked_round_page_shows_why_and_json_changes_are_refused(client_for, office, inspector, open_round, unit_a):
    round_unit = round_unit_of(open_round, unit_a)
    services.round_transition(round_=open_round, action="close", actor=office)
    services.round_transition(round_=open_round, action="lock", actor=office)
    client = client_for(inspector)
    page = client.get(f"/assessment/score/{round_unit.pk}/").content.decode()
    assert 'data-testid="refusal"' in page and "disabled" in page
    result = change(client, round_unit, items_of(open_round.scheme)[0], "5").json()
    assert result["ok"] is False and result["errors"]["points"]
    response = client.post(f"/assessment/score/{round_unit.pk}/", {})
    assert response.status_code == 400
    assert not Score.objects.exists()
