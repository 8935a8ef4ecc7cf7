"""Small sample files built in code: honest ones and the tricks check 13 lists."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"This program cannot be run in DOS mode" * 10
SVG_WITH_SCRIPT = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                   b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>')
SVG_PLAIN = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
GIF_HTML_POLYGLOT = b"GIF89a/*\x01\x00\x01\x00\x00\xff\x00,*/=1;<html><script>alert(1)</script></html>"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ole(*stream_names: str) -> bytes:
    """A stand-in for an OLE compound file: the magic and the directory's UTF-16 stream names."""
    body = b"".join(name.encode("utf-16-le") + b"\x00\x00" for name in stream_names)
    return OLE_MAGIC + b"\x00" * 504 + body + b"\x00" * 512


def docx(text: str = "甲县卫生健康局工作报告") -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx(value: str = "甲县") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def docm() -> bytes:
    """A macro-enabled Word document (what Word saves as .docm)."""
    source = zipfile.ZipFile(io.BytesIO(docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                ).replace(b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
            target.writestr(item, data)
        target.writestr("word/vbaProject.bin", b"\x00" * 64)
    return out.getvalue()


def zip_with_entries(count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        target.writestr("[Content_Types].xml", b"<Types/>")
        for index in range(count):
            target.writestr(f"word/part{index}.xml", b"")
    return out.getvalue()


def zip_with_big_entry(size: int) -> bytes:
    """An honest zip bomb: one entry of ``size`` zero bytes, compressed to almost nothing."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        with target.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return out.getvalue()


def zip_with_lying_header(real_size: int) -> bytes:
    """A zip whose headers claim a 10 KB entry that really expands to ``real_size`` bytes."""
    data = bytearray(zip_with_big_entry(real_size))
    # Patch the uncompressed size in the local header and in the central directory.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        position = data.find(signature)
        while position != -1:
            data[position + offset:position + offset + 4] = struct.pack("<I", 10 * 1024)
            position = data.find(signature, position + 4)
    return bytes(data)


def png(width: int = 8, height: int = 8, *, exif: bytes | None = None) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG", exif=exif or b"")
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels (an image bomb)."""
    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(
        b"IEND", b"")


def jpeg_with_gps() -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: keep
    exif[0x010F] = "相机厂"  # make
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 7.0), 3: "E", 4: (121.0, 28.0, 30.0)}
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 120, 200)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
