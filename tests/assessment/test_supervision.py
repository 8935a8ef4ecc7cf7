"""Problems and rectification: visits and findings, the four checks, verification, overdue, the public wall."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xiaoneng.assessment.supervision import selectors, services
from xiaoneng.assessment.supervision.models import (
    FourCheck,
    Problem,
    ProblemSource,
    ProblemStatus,
    ProblemUpdate,
    VisitKind,
)

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82")


def photo(name="现场.png"):
    return SimpleUploadedFile(name, PNG, "image/png")


@pytest.fixture
def visit(office, unit_a, inspector):
    return services.visit_create(user=office, unit=unit_a, visit_date=dt.date(2026, 11, 2), kind=VisitKind.COVERT,
                                 team=[inspector], team_note="第三方暗访机构")


@pytest.fixture
def problem(office, unit_a, liaison_a):
    return services.problem_create(unit=unit_a, description="窗口服务态度生硬，群众反映强烈", source=ProblemSource.VISIT,
                                   source_ref="2026年11月暗访", actor=office, measures="开展服务礼仪培训，实行首问负责制",
                                   owner=liaison_a, due_date=dt.date(2026, 12, 31))


def record_all_checks(user, problem):
    for kind in FourCheck.values:
        services.problem_check_record(user=user, problem=problem, kind=kind, note=f"{kind} 已落实")


# --- Visits and findings ----------------------------------------------------------------------

def test_a_finding_with_photos_becomes_a_problem_of_the_visited_unit_in_one_step(office, visit, unit_a):
    finding = services.finding_add(user=office, visit=visit, description="导诊台无人值守", photos=[photo()])
    problem = services.finding_to_problem(user=office, finding=finding)
    assert (problem.unit, problem.source, problem.finding, problem.status) == (
        unit_a, ProblemSource.VISIT, finding, ProblemStatus.OPEN)
    assert problem.description == "导诊台无人值守" and problem.due_date > timezone.localdate()
    assert services.finding_to_problem(user=office, finding=finding) == problem  # a second click: the same one
    assert Problem.objects.count() == 1


def test_an_inspector_on_the_team_adds_findings_and_one_not_on_it_cannot(visit, inspector, make_person, bureau):
    services.finding_add(user=inspector, visit=visit, description="候诊区吸烟无人劝阻")
    outsider = make_person("inspector_zhou", unit=bureau, roles=["inspector"])
    with pytest.raises(PermissionDenied):
        services.finding_add(user=outsider, visit=visit, description="x")


def test_a_finding_with_a_file_that_is_not_a_photo_is_refused_whole(office, visit):
    from xiaoneng.assessment.supervision.models import Finding

    with pytest.raises(ValidationError) as error:
        services.finding_add(user=office, visit=visit, description="照片", photos=[
            SimpleUploadedFile("evil.png", b"MZ\x90\x00 not an image", "image/png")])
    assert "photos" in error.value.message_dict
    assert not Finding.objects.exists()


def test_a_liaison_sees_visits_of_their_unit_only(client_for, visit, liaison_a, liaison_b):
    assert client_for(liaison_a).get(f"/supervision/visits/{visit.pk}/").status_code == 200
    assert client_for(liaison_b).get(f"/supervision/visits/{visit.pk}/").status_code == 403
    assert client_for(liaison_b).get("/supervision/visits/999999/").status_code == 404


# --- The four checks and closing -------------------------------------------------------------

def test_closing_before_the_four_checks_is_refused_and_names_what_is_missing(liaison_a, problem):
    services.problem_check_record(user=liaison_a, problem=problem, kind=FourCheck.FACTS, note="已调查核实")
    with pytest.raises(ValidationError) as error:
        services.problem_submit(user=liaison_a, problem=problem)
    message = " ".join(error.value.messages)
    assert "Responsibility assigned" in message or "责任明确" in message
    assert "Facts established" not in message and "事实查清" not in message
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN


def test_a_rectified_problem_is_closed_only_by_the_office_verifying_it(office, liaison_a, problem):
    record_all_checks(liaison_a, problem)
    services.problem_submit(user=liaison_a, problem=problem)
    assert problem.status == ProblemStatus.SUBMITTED
    with pytest.raises(PermissionDenied):
        services.problem_verify(user=liaison_a, problem=problem)
    services.problem_verify(user=office, problem=problem, text="复查属实")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED and problem.closed_at and problem.verified_by == office
    kinds = list(problem.updates.values_list("kind", flat=True))
    assert kinds[0] == "created" and kinds[-2:] == ["submitted", "verified"]


def test_verifying_twice_or_after_a_return_changes_the_state_once(office, liaison_a, problem):
    record_all_checks(liaison_a, problem)
    services.problem_submit(user=liaison_a, problem=problem)
    stale = Problem.objects.get(pk=problem.pk)
    services.problem_return(user=office, problem=problem, text="佐证材料不全")
    with pytest.raises(ValidationError) as error:
        services.problem_verify(user=office, problem=stale)
    assert error.value.code == "stale"
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.OPEN


def test_returning_needs_a_reason(office, liaison_a, problem):
    record_all_checks(liaison_a, problem)
    services.problem_submit(user=liaison_a, problem=problem)
    with pytest.raises(ValidationError):
        services.problem_return(user=office, problem=problem, text=" ")


def test_a_closed_problem_refuses_changes(office, liaison_a, problem):
    record_all_checks(liaison_a, problem)
    services.problem_submit(user=liaison_a, problem=problem)
    services.problem_verify(user=office, problem=problem)
    for call in (lambda: services.problem_progress_add(user=liaison_a, problem=problem, text="补充"),
                 lambda: services.problem_check_record(user=liaison_a, problem=problem, kind="facts", note="x"),
                 lambda: services.problem_update(user=liaison_a, problem=problem, data={"measures": "改"})):
        with pytest.raises(ValidationError):
            call()


def test_another_units_liaison_cannot_touch_the_problem(liaison_b, problem):
    with pytest.raises(PermissionDenied):
        services.problem_progress_add(user=liaison_b, problem=problem, text="x")
    with pytest.raises(PermissionDenied):
        services.problem_check_record(user=liaison_b, problem=problem, kind="facts", note="x")


def test_progress_with_evidence_is_kept_with_its_files(liaison_a, problem):
    from xiaoneng.core.models import StoredFile

    update = services.problem_progress_add(user=liaison_a, problem=problem, text="已组织全员培训", files=[photo("培训.png")])
    stored = StoredFile.objects.get()
    assert stored.linked_to == update and stored.unit == problem.unit


def test_progress_without_text_or_evidence_is_refused(liaison_a, problem):
    with pytest.raises(ValidationError):
        services.problem_progress_add(user=liaison_a, problem=problem, text="  ")
    assert not ProblemUpdate.objects.filter(kind="progress").exists()


def test_the_person_responsible_must_belong_to_the_problems_unit(office, liaison_b, problem):
    with pytest.raises(ValidationError):
        services.problem_update(user=office, problem=problem, data={"owner": liaison_b})


def test_problem_create_checks_the_source_and_who_may_record(unit_a, unit_b, liaison_a):
    with pytest.raises(ValidationError):
        services.problem_create(unit=unit_a, description="x", source="rumour", actor=liaison_a)
    with pytest.raises(PermissionDenied):
        services.problem_create(unit=unit_b, description="x", source=ProblemSource.SELF_INSPECTION, actor=liaison_a)
    own = services.problem_create(unit=unit_a, description="自查发现台账不全", source=ProblemSource.SELF_INSPECTION,
                                  actor=liaison_a)
    assert own.unit == unit_a


# --- Overdue ----------------------------------------------------------------------------------

def test_overdue_is_past_the_due_date_and_not_closed(office, liaison_a, unit_a):
    today = timezone.localdate()
    make = lambda days, **kw: services.problem_create(  # noqa: E731
        unit=unit_a, description=f"问题{days}", source="other", actor=office, due_date=today + dt.timedelta(days=days),
        measures="整改", **kw)
    late, due_today, later = make(-1), make(0), make(5)
    closed_late = make(-3)
    record_all_checks(liaison_a, closed_late)
    services.problem_submit(user=liaison_a, problem=closed_late)
    services.problem_verify(user=office, problem=closed_late)
    assert [selectors.is_overdue(p) for p in (late, due_today, later)] == [True, False, False]
    assert not selectors.is_overdue(Problem.objects.get(pk=closed_late.pk))
    counts = selectors.problem_counts_for_user(user=office)
    assert (counts.overdue, counts.open, counts.closed) == (1, 3, 1)
    assert list(selectors.problem_list_for_user(user=office, overdue=True)) == [late]


# --- Screens ----------------------------------------------------------------------------------

def test_the_unit_closes_through_the_screens_and_is_refused_with_the_reason_first(client_for, office, liaison_a,
                                                                                  problem):
    client = client_for(liaison_a)
    url = f"/supervision/problems/{problem.pk}/"
    response = client.post(url + "submit/", follow=True)
    page = response.content.decode()
    assert "四" in page or "four checks" in page
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.OPEN
    for kind in FourCheck.values:
        assert client.post(url + "check/", {"kind": kind, "note": "已落实"}).status_code == 302
    assert client.post(url + "submit/").status_code == 302
    assert client.post(url + "verify/").status_code == 403
    assert client_for(office).post(url + "verify/", {"text": "属实"}).status_code == 302
    assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.CLOSED


def test_a_check_without_a_note_is_refused_at_the_field(client_for, liaison_a, problem):
    response = client_for(liaison_a).post(f"/supervision/problems/{problem.pk}/check/", {"kind": "facts", "note": ""})
    assert response.status_code == 400 and "invalid-feedback" in response.content.decode()
    assert not problem.checks.exists()


def test_a_liaison_lists_only_their_units_problems(client_for, office, unit_b, liaison_a, problem):
    services.problem_create(unit=unit_b, description="乙院独有的问题", source="other", actor=office)
    page = client_for(liaison_a).get("/supervision/problems/").content.decode()
    assert "窗口服务态度生硬" in page and "乙院独有的问题" not in page
    assert client_for(liaison_a).get(
        f"/supervision/problems/{Problem.objects.get(unit=unit_b).pk}/").status_code == 403


def test_every_page_renders_for_the_office_and_the_liaison(client_for, office, liaison_a, visit, problem):
    services.finding_add(user=office, visit=visit, description="发现")
    for user in (office, liaison_a):
        client = client_for(user)
        for url in ("/supervision/", "/supervision/problems/", "/supervision/visits/",
                    f"/supervision/visits/{visit.pk}/", f"/supervision/problems/{problem.pk}/",
                    f"/supervision/problems/{problem.pk}/edit/", "/supervision/targets/",
                    "/supervision/problems/new/"):
            assert client.get(url).status_code == 200, (user, url)
    assert client_for(office).get("/supervision/visits/new/").status_code == 200
    assert client_for(liaison_a).get("/supervision/visits/new/").status_code == 403


def test_the_office_records_a_visit_and_a_finding_through_the_screens(client_for, office, unit_a, inspector):
    client = client_for(office)
    response = client.post("/supervision/visits/new/", {"unit": unit_a.pk, "visit_date": "2026-11-03",
                                                        "kind": "covert", "team": [inspector.pk], "team_note": ""})
    assert response.status_code == 302
    visit_url = response["Location"]
    response = client.post(visit_url, {"description": "药房未公示药品价格", "photos": [photo()]})
    assert response.status_code == 302
    page = client.get(visit_url).content.decode()
    assert "药房未公示药品价格" in page and "现场.png" in page


def test_administrators_see_no_problems(client_for, system_admin, problem):
    assert client_for(system_admin).get("/supervision/problems/").status_code == 403


# --- The public wall --------------------------------------------------------------------------

def test_the_public_wall_shows_public_problems_by_unit_without_any_personal_data(client, office, liaison_a, problem,
                                                                                  unit_b):
    liaison_a.phone = "13812341234"
    liaison_a.save(update_fields=["phone"])
    hidden = services.problem_create(unit=unit_b, description="未公开的问题", source="other", actor=office)
    services.problem_progress_add(user=liaison_a, problem=problem, text="甲联络 已于11月5日完成培训")
    assert "窗口服务态度生硬" not in client.get("/supervision/public/").content.decode()
    services.problem_publish(user=office, problem=problem, public=True)
    response = client.get("/supervision/public/")  # anonymous: no sign-in needed
    page = response.content.decode()
    assert response.status_code == 200
    assert "甲县卫生健康局" in page and "窗口服务态度生硬" in page and "开展服务礼仪培训" in page
    for personal in ("甲联络", "liaison_a", "13812341234", "1234", "王效能", "office_wang", "第三方"):
        assert personal not in page, personal
    assert "未公开的问题" not in page and hidden.unit.name not in page


def test_only_the_office_marks_problems_public(liaison_a, problem):
    with pytest.raises(PermissionDenied):
        services.problem_publish(user=liaison_a, problem=problem, public=True)


def test_the_public_wall_shows_the_status_as_it_changes(client, office, liaison_a, problem):
    services.problem_publish(user=office, problem=problem, public=True)
    record_all_checks(liaison_a, problem)
    services.problem_submit(user=liaison_a, problem=problem)
    services.problem_verify(user=office, problem=problem)
    page = client.get("/supervision/public/").content.decode()
    assert "Rectified and closed" in page or "已整改销号" in page or "整改" in page
