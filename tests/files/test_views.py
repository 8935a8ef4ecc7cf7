"""Serving and uploading files through scoped views (checks 13 and 16)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from xiaoneng.core.files.services import file_store
from xiaoneng.core.models import StoredFile

from . import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_of_a(unit_a, liaison_a):
    return file_store(upload=samples.upload("甲县自查报告.pdf", samples.PDF), unit=unit_a, user=liaison_a,
                      linked_to=unit_a)


def download(client, stored):
    return client.get(reverse("core:file_download", args=[stored.pk]))


def test_liaison_of_another_unit_cannot_download_the_file(client_for, liaison_b, file_of_a):
    response = download(client_for(liaison_b), file_of_a)
    assert response.status_code in {403, 404}
    assert not response.has_header("Content-Disposition")
    assert samples.PDF not in response.content


def test_liaison_of_the_unit_downloads_the_file_as_a_sandboxed_attachment(client_for, liaison_a, file_of_a):
    response = download(client_for(liaison_a), file_of_a)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.PDF
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('甲县自查报告.pdf')}" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_office_download_of_a_units_file_is_audited(client_for, office, file_of_a):
    from xiaoneng.core.audit.models import AuditEvent

    assert download(client_for(office), file_of_a).status_code == 200
    event = AuditEvent.objects.get(action="file.download", object_id=str(file_of_a.pk))
    assert event.actor == office


def test_administrators_see_no_business_files(client_for, system_admin, file_of_a):
    assert download(client_for(system_admin), file_of_a).status_code in {403, 404}


def test_anonymous_visitor_is_sent_to_login_for_a_file(client, file_of_a):
    response = download(client, file_of_a)
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_files_are_not_under_any_public_url(client_for, liaison_a, file_of_a):
    client = client_for(liaison_a)
    for path in (f"/media/{file_of_a.storage_name}", f"/files/{file_of_a.storage_name}",
                 f"/static/{file_of_a.storage_name}"):
        assert client.get(path).status_code == 404


def post_upload(client, unit, files, **extra):
    return client.post(reverse("core:file_upload"), {"unit": unit.pk, "files": files, **extra})


def test_liaison_uploads_several_documents_to_their_unit(client_for, liaison_a, unit_a):
    response = post_upload(client_for(liaison_a), unit_a, [
        samples.upload("自查报告.docx", samples.docx()), samples.upload("现场.png", samples.png()),
    ])
    assert response.status_code == 302
    assert response["Location"] == reverse("org:unit_detail", args=[unit_a.pk])
    assert sorted(StoredFile.objects.filter(unit=unit_a).values_list("original_name", flat=True)) == [
        "现场.png", "自查报告.docx"]


def test_every_file_of_a_multiple_field_is_checked(client_for, liaison_a, unit_a):
    response = post_upload(client_for(liaison_a), unit_a, [
        samples.upload("自查报告.docx", samples.docx()), samples.upload("发票.pdf", samples.EXE),
        samples.upload("图标.svg", samples.SVG_WITH_SCRIPT),
    ])
    assert response.status_code == 400
    body = response.content.decode()
    assert "发票.pdf" in body and "图标.svg" in body
    assert "<script>alert" not in body
    assert StoredFile.objects.count() == 0


def test_liaison_cannot_upload_to_another_unit(client_for, liaison_a, unit_b):
    response = post_upload(client_for(liaison_a), unit_b, [samples.upload("自查报告.pdf", samples.PDF)])
    assert response.status_code in {403, 404}
    assert StoredFile.objects.count() == 0


def test_bureau_leader_may_read_but_not_upload(client_for, bureau_leader, unit_a):
    response = post_upload(client_for(bureau_leader), unit_a, [samples.upload("批示.pdf", samples.PDF)])
    assert response.status_code == 403
    assert StoredFile.objects.count() == 0


def test_upload_with_next_returns_to_a_local_page_only(client_for, liaison_a, unit_a):
    client = client_for(liaison_a)
    local = post_upload(client, unit_a, [samples.upload("一.pdf", samples.PDF)], next="/org/units/")
    assert local["Location"] == "/org/units/"
    foreign = post_upload(client, unit_a, [samples.upload("二.pdf", samples.PDF + b" ")], next="https://evil.example/")
    assert foreign["Location"] == reverse("org:unit_detail", args=[unit_a.pk])


def test_more_than_one_hundred_files_in_one_request_is_a_bad_request(client_for, liaison_a, unit_a):
    files = [SimpleUploadedFile(f"{index}.pdf", samples.PDF) for index in range(101)]
    response = post_upload(client_for(liaison_a), unit_a, files)
    assert response.status_code == 400
    assert StoredFile.objects.count() == 0


def test_a_25_mb_upload_is_refused_with_413(client_for, liaison_a, unit_a):
    big = SimpleUploadedFile("大文件.pdf", samples.PDF + b"0" * (25 * 1024 * 1024))
    response = post_upload(client_for(liaison_a), unit_a, [big])
    assert response.status_code == 413
    body = response.content.decode()
    assert "20 MB" in body
    assert StoredFile.objects.count() == 0
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.pdf"))


def test_oversized_request_is_refused_before_its_body_is_read():
    from xiaoneng.core.limits import RequestSizeLimitMiddleware

    class Untouchable:
        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    def view(request):
        raise AssertionError("the view was called")

    request = RequestFactory().generic(
        "POST", "/files/upload/", content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1))
    request.META["wsgi.input"] = Untouchable()
    request._stream = Untouchable()
    response = RequestSizeLimitMiddleware(view)(request)
    assert response.status_code == 413


def test_unit_documents_fragment_lists_only_visible_files_and_offers_upload(rf, liaison_a, unit_a, file_of_a):
    request = rf.get(f"/org/units/{unit_a.pk}/")
    request.user = liaison_a
    html = Template("{% load xn_files %}{% unit_documents unit %}").render(Context({"request": request,
                                                                                     "unit": unit_a}))
    assert "甲县自查报告.pdf" in html
    assert reverse("core:file_download", args=[file_of_a.pk]) in html
    assert 'name="files" multiple' in html


def test_unit_documents_fragment_offers_no_upload_to_bureau_leader(rf, bureau_leader, unit_a, file_of_a):
    request = rf.get(f"/org/units/{unit_a.pk}/")
    request.user = bureau_leader
    html = Template("{% load xn_files %}{% unit_documents unit %}").render(Context({"request": request,
                                                                                     "unit": unit_a}))
    assert "甲县自查报告.pdf" in html
    assert 'name="files"' not in html
