"""Check 13 and the upload rules of check 14/15: files are judged by their bytes, not their names."""

from __future__ import annotations

import io
import time

import pytest
from django.core.exceptions import ValidationError

from xiaoneng.core.files.checks import BUSINESS_KINDS, PUBLIC_KINDS, check_upload, sanitize_name

from . import samples


def rejection(name: str, data: bytes, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(samples.upload(name, data), **kwargs)
    assert caught.value.messages and all(caught.value.messages), "a refusal always says why"
    return caught.value


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("工作总结.pdf", samples.PDF, "pdf"),
        ("工作总结.docx", samples.docx(), "docx"),
        ("统计表.xlsx", samples.xlsx(), "xlsx"),
        ("旧版报告.doc", samples.ole("Root Entry", "WordDocument"), "doc"),
        ("金山报告.wps", samples.ole("Root Entry", "WordDocument"), "wps"),
        ("旧版报表.xls", samples.ole("Root Entry", "Workbook"), "xls"),
        ("现场照片.png", samples.png(), "png"),
        ("现场照片.JPG", samples.jpeg_with_gps(), "jpg"),
    ],
)
def test_allowed_business_files_are_accepted_by_content(name, data, kind):
    checked = check_upload(samples.upload(name, data, content_type="text/html"))
    assert checked.kind == kind
    assert checked.name == name


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("通知.pdf", samples.EXE, "executable"),
        ("logo.svg", samples.SVG_WITH_SCRIPT, "svg"),
        ("logo.svg", samples.SVG_PLAIN, "svg"),
        ("logo.png", samples.SVG_WITH_SCRIPT, "svg"),
        ("动图.gif", samples.GIF_HTML_POLYGLOT, "type_not_allowed"),
        ("照片.jpg", samples.GIF_HTML_POLYGLOT, "type_not_allowed"),
        ("报告.docx", samples.docm(), "macro"),
        ("报告.doc", samples.ole("Root Entry", "WordDocument", "Macros", "VBA"), "macro"),
        ("页面.html", samples.HTML, "html"),
        ("页面.pdf", samples.HTML, "html"),
        ("空文件.pdf", b"", "empty"),
        ("说明.txt", "只是一段文字".encode(), "unknown_type"),
        ("报告.pdf", samples.docx(), "extension_mismatch"),
        ("报告.xlsx", samples.docx(), "extension_mismatch"),
        ("报表.doc", samples.ole("Root Entry", "Workbook"), "extension_mismatch"),
        ("混合.pdf", b"%PDF-1.4\n<html><script>alert(1)</script>\n%%EOF", "embedded_markup"),
    ],
)
def test_dangerous_or_disguised_files_are_refused_with_a_reason(name, data, code):
    assert rejection(name, data).code == code


def test_public_uploads_accept_only_images_and_pdf():
    assert check_upload(samples.upload("照片.png", samples.png()), allowed_kinds=PUBLIC_KINDS).kind == "png"
    assert rejection("报告.docx", samples.docx(), allowed_kinds=PUBLIC_KINDS).code == "type_not_allowed"
    assert "docx" in BUSINESS_KINDS


def test_file_over_the_upload_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    error = rejection("大文件.pdf", samples.PDF + b"0" * 2048)
    assert error.code == "too_large"


def test_docx_with_thousands_of_entries_is_refused_before_parsing():
    started = time.monotonic()
    assert rejection("炸弹.docx", samples.zip_with_entries(5000)).code == "zip_too_many_entries"
    assert time.monotonic() - started < 2


def test_docx_that_expands_beyond_the_cap_is_refused(settings):
    settings.UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES = 8 * 1024 * 1024
    assert rejection("炸弹.docx", samples.zip_with_big_entry(16 * 1024 * 1024)).code == "zip_too_large"


def test_docx_whose_header_lies_about_its_size_is_refused(settings):
    settings.UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES = 8 * 1024 * 1024
    assert rejection("炸弹.docx", samples.zip_with_lying_header(16 * 1024 * 1024)).code in {"zip_too_large",
                                                                                         "corrupt"}


def test_image_above_the_pixel_cap_is_refused_without_decoding():
    data = samples.png_header_only(50_000, 50_000)
    assert len(data) < 2048
    started = time.monotonic()
    assert rejection("巨图.png", data).code == "image_too_large"
    assert time.monotonic() - started < 1


def test_image_just_over_forty_megapixels_is_refused_with_its_size():
    error = rejection("大图.png", samples.png_header_only(8000, 5001))
    assert error.code == "image_too_large"


def test_gps_position_is_removed_from_jpeg_but_orientation_is_kept():
    from PIL import Image

    checked = check_upload(samples.upload("现场.jpg", samples.jpeg_with_gps()))
    with Image.open(io.BytesIO(checked.content.read())) as image:
        exif = image.getexif()
        assert 0x8825 not in exif
        assert exif.get(0x0112) == 6
        assert image.size == (16, 16)


def test_gps_block_is_removed_from_png_exif():
    from PIL import Image

    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 7.0)}
    checked = check_upload(samples.upload("截图.png", samples.png(exif=exif.tobytes())))
    data = checked.content.read()
    assert b"eXIf" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (8, 8)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\王\\桌面\\报告.docx", "报告.docx"),
        ("报告\u202efdp.exe", "报告fdp.exe"),
        ("a\x00b.pdf", "ab.pdf"),
        ('<script>"x".pdf', "_script__x_.pdf"),
        ("  .hidden.pdf ", "hidden.pdf"),
    ],
)
def test_original_names_are_reduced_to_a_safe_file_name(given, expected):
    assert sanitize_name(given) == expected


def test_long_names_keep_their_extension():
    name = sanitize_name("很长" * 200 + ".docx")
    assert len(name) <= 200
    assert name.endswith(".docx")


def test_file_without_extension_gets_the_extension_of_its_content():
    assert check_upload(samples.upload("扫描件", samples.PDF)).name == "扫描件.pdf"
