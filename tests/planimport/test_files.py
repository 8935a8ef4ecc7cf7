"""Hostile and malformed files (SECURITY-CHECKS 14, 15): each a clear error, fast, small.

Every test file is built here in tmp_path; nothing binary is committed.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from xiaoneng.planimport import (
    ArchiveBombError,
    BinaryFileError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    MalformedFileError,
    NoTextLayerError,
    PlanReadError,
    UnsafeXMLError,
    extract_plan,
    read_plan,
)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
SRC = Path(__file__).resolve().parents[2] / "src"


def _paragraph(text: str, num: tuple[int, int] | None = None) -> str:
    props = (
        f'<w:pPr><w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr></w:pPr>'
        if num
        else ""
    )
    return f"<w:p>{props}<w:r><w:t>{text}</w:t></w:r></w:p>"


def _document(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'


def _write_docx(path: Path, document: str, extra: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", document)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return path


def _timed(call, limit: float = 2.0):
    started = time.perf_counter()
    try:
        call()
    finally:
        elapsed = time.perf_counter() - started
        assert elapsed <= limit, f"took {elapsed:.2f}s"


# --- a good .docx -----------------------------------------------------------------

NUMBERING = (
    f'<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{W_NS}">'
    '<w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
    '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
)


def test_docx_paragraphs_numbered_lists_and_tables_are_read_in_order(tmp_path):
    table = (
        "<w:tbl><w:tr><w:tc>" + _paragraph("阶段") + "</w:tc><w:tc>" + _paragraph("时间") + "</w:tc></w:tr>"
        "<w:tr><w:tc>"
        + _paragraph("宣传发动阶段")
        + "</w:tc><w:tc>"
        + _paragraph("2023年3月1日至3月31日")
        + "</w:tc></w:tr></w:tbl>"
    )
    body = (
        _paragraph("2023年爱国卫生月活动方案")
        + _paragraph("工作目标", (1, 0))
        + _paragraph("群众满意度达到90%以上。")
        + _paragraph("工作安排", (1, 0))
        + _paragraph("宣传发动", (1, 1))
        + _paragraph("各单位于3月10日前报送方案。", (1, 2))
        + table
    )
    path = _write_docx(tmp_path / "plan.docx", _document(body), {"word/numbering.xml": NUMBERING})
    answer = extract_plan(path)
    assert [(h["level"], h["marker"], h["title"]) for h in answer["headings"]] == [
        (1, "一、", "工作目标"),
        (1, "二、", "工作安排"),
        (2, "（一）", "宣传发动"),
        (3, "1.", "各单位于3月10日前报送方案"),
    ]
    assert {"kind": "deadline", "end": "2023-03-10"}.items() <= answer["schedule"][0].items()
    assert answer["targets"][0]["value"] == 90
    text = read_plan(path).text
    assert text.index("工作安排") < text.index("宣传发动阶段\t2023年3月1日至3月31日")


def test_docx_external_relationships_are_reported_not_followed(tmp_path):
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
        'Target="http://127.0.0.1:9/x.png" TargetMode="External"/></Relationships>'
    )
    path = _write_docx(
        tmp_path / "rels.docx", _document(_paragraph("一、工作目标")), {"word/_rels/document.xml.rels": rels}
    )
    answer = extract_plan(path)
    assert any("external" in note for note in answer["source"]["notes"])


# --- zip bombs (check 14) --------------------------------------------------------------


def _honest_bomb(path: Path, size: int) -> Path:
    """A document.xml of `size` bytes of spaces inside a ~1 MB zip, written in chunks."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as handle:
            chunk = b" " * (4 * 1024 * 1024)
            for _ in range(size // len(chunk)):
                handle.write(chunk)
    return path


def _lie_about_size(path: Path, name: str, declared: int) -> None:
    """Rewrite the uncompressed size of entry `name` in both zip headers."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    local = data.find(b"PK\x03\x04")
    while local != -1:
        name_length = struct.unpack_from("<H", data, local + 26)[0]
        if data[local + 30 : local + 30 + name_length] == encoded:
            struct.pack_into("<I", data, local + 22, declared)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_length] == encoded:
            struct.pack_into("<I", data, central + 24, declared)
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))


def test_honest_zip_bomb_is_rejected_fast(tmp_path):
    path = _honest_bomb(tmp_path / "bomb.docx", 1024 * 1024 * 1024)
    assert path.stat().st_size < 8 * 1024 * 1024
    with pytest.raises(ArchiveBombError) as caught:
        _timed(lambda: read_plan(path))
    assert caught.value.message and caught.value.message_en


def test_zip_bomb_with_a_lying_header_is_caught_while_streaming(tmp_path):
    path = _write_docx(tmp_path / "liar.docx", _document(_paragraph("一、" + "效" * 20_000_000)))
    _lie_about_size(path, "word/document.xml", 10 * 1024)
    with pytest.raises(PlanReadError):
        _timed(lambda: read_plan(path))


def test_zip_with_5000_entries_is_rejected_fast(tmp_path):
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", _document(_paragraph("一、目标")))
        for index in range(5000):
            archive.writestr(f"word/media/{index}.xml", "")
    with pytest.raises(ArchiveBombError):
        _timed(lambda: read_plan(path))


def test_zip_bomb_reading_keeps_memory_small(tmp_path):
    """Peak RSS of a fresh process reading the bomb grows by at most 100 MB."""
    path = _honest_bomb(tmp_path / "bomb.docx", 1024 * 1024 * 1024)
    script = (
        "import resource, sys\n"
        "from xiaoneng.planimport import read_plan, PlanReadError\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n    read_plan(sys.argv[1])\nexcept PlanReadError:\n    pass\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC)},
        timeout=60,
        check=True,
    )
    assert int(result.stdout.strip()) <= 100 * 1024  # kilobytes on Linux


# --- XML bombs (check 15) ---------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
    f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol4;</w:t></w:r></w:p></w:body></w:document>'
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>'
)


@pytest.mark.parametrize(
    "document", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"]
)
def test_xml_entities_in_docx_are_refused(tmp_path, document):
    path = _write_docx(tmp_path / "xml.docx", document)
    with pytest.raises(UnsafeXMLError) as caught:
        _timed(lambda: read_plan(path))
    assert "root:" not in str(caught.value)


# --- PDFs ---------------------------------------------------------------------------------


def _pdf_with_text(path: Path, text: str) -> Path:
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    path.write_bytes(out.getvalue())
    return path


def test_pdf_text_layer_is_read(tmp_path):
    path = _pdf_with_text(tmp_path / "plan.pdf", "Work plan 2023: report every month")
    assert "Work plan 2023" in read_plan(path).text


def test_encrypted_pdf_is_refused(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    source = _pdf_with_text(tmp_path / "plain.pdf", "Secret plan")
    writer = pypdf.PdfWriter(clone_from=str(source))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(EncryptedFileError):
        _timed(lambda: read_plan(path), 5.0)


def test_scanned_pdf_without_text_is_refused(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(NoTextLayerError) as caught:
        _timed(lambda: read_plan(path), 5.0)
    assert "扫描" in caught.value.message


def _deflated_zeros(chunks: int) -> bytes:
    """A zlib stream of `chunks` x 16 MB of zeros, built from one repeated flushed block."""
    chunk = b"\0" * (16 * 1024 * 1024)
    compressor = zlib.compressobj(9)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush()[:-4]  # the checksum covers two chunks only: recompute it
    size = chunks * len(chunk)
    return first + repeated * (chunks - 1) + tail + struct.pack(">I", ((size % 65521) << 16) | 1)


def test_nested_flate_pdf_bomb_is_rejected_within_limits(tmp_path):
    outer = zlib.compress(_deflated_zeros(64), 9)  # 1 GB after two FlateDecodes
    path = _pdf_with_text(tmp_path / "bomb.pdf", "x")
    data = path.read_bytes()
    bomb_stream = (
        b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n" % len(outer)
        + outer
        + b"\nendstream"
    )
    data = data.replace(b"4 0 obj\n", b"4 0 obj\n" + bomb_stream + b"\nendobj\n9 0 obj\n", 1)
    path.write_bytes(data)
    with pytest.raises(PlanReadError):
        _timed(lambda: read_plan(path), 5.5)


# --- plain files -------------------------------------------------------------------------


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(EmptyFileError):
        read_plan(path)


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(BinaryFileError):
        read_plan(path)


def test_oversize_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes("一、目标\n".encode() * 1000)
    with pytest.raises(FileTooLargeError):
        read_plan(path, max_bytes=1024)


def test_docx_that_is_not_a_zip_is_malformed(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_bytes("一、工作目标".encode())
    with pytest.raises(MalformedFileError):
        read_plan(path)


def test_encrypted_office_file_is_refused(tmp_path):
    path = tmp_path / "locked.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    with pytest.raises(EncryptedFileError):
        read_plan(path)


SAMPLE = "一、工作目標\n群眾滿意度達到90%以上。\n二、工作安排\n各單位於2月14日前報送名單。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16", "utf-16-le"])
def test_common_chinese_encodings_are_recognised(tmp_path, encoding):
    path = tmp_path / "plan.txt"
    path.write_bytes(SAMPLE.encode(encoding))
    assert read_plan(path).text == SAMPLE
    answer = extract_plan(path)
    assert [h["title"] for h in answer["headings"]] == ["工作目标", "工作安排"]
    assert answer["targets"][0]["value"] == 90


def test_read_error_messages_are_chinese_first_with_english_and_code():
    error = EmptyFileError()
    assert error.message.startswith("文件")
    assert error.message_en.startswith("The file")
    assert error.code == "empty"
    assert json.dumps({"code": error.code})
