"""Units and ranking groups: the office manages them, a liaison only reads their own unit."""

import pytest

from xiaoneng.core.audit.models import AuditEvent
from xiaoneng.org.models import Unit

pytestmark = pytest.mark.django_db


def unit_form(**overrides):
    data = {"name": "丙区卫生健康局", "short_name": "丙区", "kind": "county_bureau", "parent": "",
            "ranking_group": "", "order": "5", "is_active": "on"}
    data.update(overrides)
    return data


def test_office_creates_a_unit_and_the_creation_is_audited(client_for, office, bureau, groups):
    response = client_for(office).post("/org/units/new/", unit_form(parent=bureau.pk,
                                                                    ranking_group=groups["county"].pk))
    unit = Unit.objects.get(name="丙区卫生健康局")
    assert response.status_code == 302 and response["Location"] == f"/org/units/{unit.pk}/"
    assert unit.parent == bureau and unit.ranking_group == groups["county"] and unit.order == 5
    event = AuditEvent.objects.get(action="unit.create")
    assert event.actor_name == "office_wang" and event.object_id == str(unit.pk)


def test_double_submit_of_a_new_unit_creates_one_unit(client_for, office):
    client = client_for(office)
    first = client.post("/org/units/new/", unit_form())
    second = client.post("/org/units/new/", unit_form())
    assert first.status_code == 302
    assert second.status_code == 200
    assert Unit.objects.filter(name="丙区卫生健康局").count() == 1
    form = second.context["form"]
    assert "name" in form.errors
    assert 'value="丙区卫生健康局"' in second.content.decode()  # what was typed is kept


def test_a_unit_created_in_a_race_gets_a_field_message_not_a_server_error(office, rf):
    from django.core.exceptions import ValidationError

    from xiaoneng.org.services import unit_create

    unit_create(data={"name": "并发单位"})
    with pytest.raises(ValidationError) as caught:
        unit_create(data={"name": "并发单位"})
    assert "name" in caught.value.error_dict
    assert Unit.objects.filter(name="并发单位").count() == 1


def test_form_errors_are_shown_next_to_the_field_and_input_is_kept(client_for, office):
    response = client_for(office).post("/org/units/new/", unit_form(name="", short_name="保留的简称", order="-3"))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "order"}
    body = response.content.decode()
    assert 'value="保留的简称"' in body
    assert body.count("invalid-feedback") == 2


def test_office_edits_a_unit_and_the_change_is_audited(client_for, office, unit_a):
    response = client_for(office).post(f"/org/units/{unit_a.pk}/edit/", unit_form(
        name=unit_a.name, short_name="甲", parent=unit_a.parent_id, ranking_group=unit_a.ranking_group_id))
    assert response.status_code == 302
    unit_a.refresh_from_db()
    assert unit_a.short_name == "甲" and unit_a.kind == "county_bureau"
    event = AuditEvent.objects.get(action="unit.update")
    assert event.detail["short_name"] == ["甲县", "甲"]


def test_a_unit_cannot_be_moved_under_its_own_sub_unit(client_for, office, bureau, unit_a):
    response = client_for(office).post(f"/org/units/{bureau.pk}/edit/", unit_form(
        name=bureau.name, kind="bureau", parent=unit_a.pk))
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    bureau.refresh_from_db()
    assert bureau.parent is None


def test_deleting_a_unit_with_people_is_refused_with_the_reason(client_for, office, unit_a, liaison_a):
    response = client_for(office).post(f"/org/units/{unit_a.pk}/delete/", follow=True)
    assert Unit.objects.filter(pk=unit_a.pk).exists()
    body = response.content.decode()
    assert ("无法删除" in body or "cannot be deleted" in body)
    assert not AuditEvent.objects.filter(action="unit.delete").exists()


def test_deleting_a_unit_with_sub_units_is_refused(client_for, office, bureau, unit_a):
    client_for(office).post(f"/org/units/{bureau.pk}/delete/")
    assert Unit.objects.filter(pk=bureau.pk).exists()


def test_office_deletes_an_unused_unit(client_for, office):
    unit = Unit.objects.create(name="空单位")
    response = client_for(office).post(f"/org/units/{unit.pk}/delete/")
    assert response.status_code == 302
    assert not Unit.objects.filter(pk=unit.pk).exists()
    assert AuditEvent.objects.filter(action="unit.delete", object_repr="空单位").count() == 1


def test_office_deactivates_a_unit_instead_of_deleting_it(client_for, office, unit_a, liaison_a):
    data = unit_form(name=unit_a.name, kind="county_bureau", parent=unit_a.parent_id,
                     ranking_group=unit_a.ranking_group_id)
    del data["is_active"]
    client_for(office).post(f"/org/units/{unit_a.pk}/edit/", data)
    unit_a.refresh_from_db()
    assert unit_a.is_active is False


def test_unit_search_finds_by_name_and_short_name(client_for, office, unit_a, unit_b):
    client = client_for(office)
    by_name = client.get("/org/units/", {"q": "甲县卫生"}).content.decode()
    by_short = client.get("/org/units/", {"q": "乙院"}).content.decode()
    assert "甲县卫生健康局" in by_name and "乙市人民医院" not in by_name
    assert "乙市人民医院" in by_short and "甲县卫生健康局" not in by_short


def test_liaison_sees_only_their_own_unit(client_for, liaison_a, unit_a, unit_b):
    client = client_for(liaison_a)
    body = client.get("/org/units/").content.decode()
    assert "甲县卫生健康局" in body and "乙市人民医院" not in body
    assert client.get(f"/org/units/{unit_a.pk}/").status_code == 200
    assert client.get(f"/org/units/{unit_b.pk}/").status_code == 403


def test_liaison_and_unit_leader_get_403_on_every_unit_write(client_for, liaison_a, leader_a, unit_a, groups):
    for person in (liaison_a, leader_a):
        client = client_for(person)
        assert client.get("/org/units/new/").status_code == 403
        assert client.post("/org/units/new/", unit_form()).status_code == 403
        assert client.get(f"/org/units/{unit_a.pk}/edit/").status_code == 403
        assert client.post(f"/org/units/{unit_a.pk}/edit/", unit_form(name="改名")).status_code == 403
        assert client.post(f"/org/units/{unit_a.pk}/delete/").status_code == 403
        assert client.get("/org/units/export/").status_code == 403
        assert client.get("/org/units/import/").status_code == 403
        assert client.get("/org/units/template/").status_code == 403
        assert client.post("/org/groups/new/", {"name": "x", "order": 1}).status_code == 403
        assert client.post(f"/org/groups/{groups['city'].pk}/delete/").status_code == 403
    assert not Unit.objects.filter(name__in=["丙区卫生健康局", "改名"]).exists()
    assert Unit.objects.filter(pk=unit_a.pk).exists()


def test_liaison_unit_pages_show_no_management_buttons(client_for, liaison_a, unit_a):
    body = client_for(liaison_a).get(f"/org/units/{unit_a.pk}/").content.decode()
    assert f"/org/units/{unit_a.pk}/edit/" not in body
    assert "/org/units/new/" not in client_for(liaison_a).get("/org/units/").content.decode()


def test_office_creates_a_ranking_group_once_on_double_submit(client_for, office):
    from xiaoneng.org.models import RankingGroup

    client = client_for(office)
    client.post("/org/groups/new/", {"name": "专科医院组", "order": 3})
    second = client.post("/org/groups/new/", {"name": "专科医院组", "order": 3})
    assert RankingGroup.objects.filter(name="专科医院组").count() == 1
    assert "name" in second.context["form"].errors


def test_a_ranking_group_with_units_cannot_be_deleted(client_for, office, unit_a, groups):
    from xiaoneng.org.models import RankingGroup

    client_for(office).post(f"/org/groups/{groups['county'].pk}/delete/")
    assert RankingGroup.objects.filter(pk=groups["county"].pk).exists()


def test_every_org_page_opens_for_the_office(client_for, office, unit_a, liaison_a, groups):
    client = client_for(office)
    for url in ["/org/units/", "/org/units/new/", f"/org/units/{unit_a.pk}/", f"/org/units/{unit_a.pk}/edit/",
                f"/org/units/{unit_a.pk}/delete/", "/org/units/import/", "/org/groups/", "/org/groups/new/",
                f"/org/groups/{groups['city'].pk}/edit/", "/org/people/", "/org/people/new/",
                f"/org/people/{liaison_a.pk}/", f"/org/people/{liaison_a.pk}/edit/", "/org/people/import/"]:
        assert client.get(url).status_code == 200, url
