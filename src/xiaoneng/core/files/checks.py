"""What an uploaded file really is, decided from its bytes, never from its name.

``check_upload`` recognises the few kinds a bureau exchanges (Word/WPS, Excel, PDF, JPG,
PNG), refuses everything else with a message a person can act on, and makes sure that
the name's extension agrees with the content. Office Open XML files are zips: their entry
count and uncompressed size are checked (streaming, so a lying header is caught too)
before anything parses them, and macro-enabled documents are refused. Images are checked
for their pixel count from the header alone, and GPS positions are removed from JPEG EXIF
and PNG eXIf without re-encoding the picture.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CHUNK = 64 * 1024


@dataclass(frozen=True)
class Kind:
    code: str
    content_type: str
    extensions: tuple[str, ...]
    label: str


KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        Kind("doc", "application/msword", ("doc",), "Word"),
        Kind("wps", "application/vnd.ms-works", ("wps",), "WPS"),
        Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",),
             "Word"),
        Kind("xls", "application/vnd.ms-excel", ("xls",), "Excel"),
        Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",), "Excel"),
        Kind("pdf", "application/pdf", ("pdf",), "PDF"),
        Kind("jpg", "image/jpeg", ("jpg", "jpeg"), "JPG"),
        Kind("png", "image/png", ("png",), "PNG"),
    )
}
# What units send with reports, news items and rectification evidence.
BUSINESS_KINDS = frozenset({"doc", "docx", "wps", "pdf", "xls", "xlsx", "jpg", "png"})
# What a member of the public may attach to a case.
PUBLIC_KINDS = frozenset({"jpg", "png", "pdf"})

_WORD_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
# Markup a browser could be tricked into running if it ever sniffed the file.
_MARKUP = re.compile(rb"<\s*(script|html|svg|body|iframe|!doctype|object|embed)\b", re.IGNORECASE)


@dataclass
class CheckedUpload:
    """A file that passed the checks, ready to be written to storage."""

    name: str
    kind: str
    content_type: str
    size: int
    sha256: str
    content: IO[bytes]


def _reject(message: str, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _kind_list(allowed: frozenset[str]) -> str:
    return "、".join(sorted({ext for code in allowed for ext in KINDS[code].extensions[:1]}))


def sanitize_name(name: str) -> str:
    """The last path part of ``name``, without control or direction characters, at most 200 chars."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Cc and Cf include NUL, newlines and the right-to-left override used to disguise ".exe".
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn"})
    name = re.sub(r'[<>:"|?*]', "_", name).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ext[:10]
    stem = stem[: 200 - len(ext) - 1] if ext else stem[:200]
    return f"{stem}.{ext}" if ext and stem else (stem or "")


def _read_head(stream: IO[bytes], size: int = 8192) -> bytes:
    stream.seek(0)
    head = stream.read(size)
    stream.seek(0)
    return head


def _sniff(stream: IO[bytes], head: bytes) -> str:
    """A first guess from magic numbers: a kind code, or the name of something refused."""
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF") or head[:4] in (
        b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xcf", b"\xca\xfe\xba\xbe"
    ):
        return "executable"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _sniff_ole(stream)
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    if b"<svg" in text[:4096]:
        return "svg"
    if _MARKUP.search(text) or text.startswith(b"<"):
        return "html"
    return "unknown"


def _sniff_ole(stream: IO[bytes]) -> str:
    """Word/WPS or Excel 97-2003 by the names of their streams (stored as UTF-16 in the directory)."""
    stream.seek(0)
    data = stream.read()
    stream.seek(0)

    def has(name: str) -> bool:
        return name.encode("utf-16-le") in data

    if has("_VBA_PROJECT") or has("Macros"):
        return "macro"
    if has("WordDocument"):
        return "ole_word"
    if has("Workbook") or has("Book"):
        return "xls"
    return "ole_other"


def _check_zip(stream: IO[bytes]) -> str:
    """Entry count and real uncompressed size first, then the declared content types."""
    max_entries = settings.UPLOAD_ZIP_MAX_ENTRIES
    max_bytes = settings.UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES
    limit_mb = max_bytes // (1024 * 1024)
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _reject(_("The file is damaged or not a valid document."), "corrupt") from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > max_entries:
            raise _reject(_("The document contains too many parts to be checked safely."), "zip_too_many_entries")
        if sum(entry.file_size for entry in entries) > max_bytes:
            raise _reject(_("The document expands to more than %(limit)s MB and cannot be accepted."),
                          "zip_too_large", limit=limit_mb)
        names = {entry.filename for entry in entries}
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            return "macro"
        # The headers may lie about sizes: decompress in chunks and stop at the cap.
        total = 0
        try:
            for entry in entries:
                with archive.open(entry) as member:
                    while chunk := member.read(CHUNK):
                        total += len(chunk)
                        if total > max_bytes:
                            raise _reject(
                                _("The document expands to more than %(limit)s MB and cannot be accepted."),
                                "zip_too_large", limit=limit_mb)
            if "[Content_Types].xml" not in names:
                return "zip"
            content_types = archive.read("[Content_Types].xml")
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise _reject(_("The file is damaged or not a valid document."), "corrupt") from exc
    return _office_kind(content_types)


def _office_kind(content_types: bytes) -> str:
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(content_types)
    except (DefusedXmlException, ElementTree.ParseError) as exc:
        raise _reject(_("The file is damaged or not a valid document."), "corrupt") from exc
    declared = {element.get("ContentType", "") for element in root.iter()}
    if any("macroenabled" in ct.lower() or "vbaproject" in ct.lower() for ct in declared):
        return "macro"
    if _WORD_CT in declared:
        return "docx"
    if _SHEET_CT in declared:
        return "xlsx"
    return "zip"


def _check_image(stream: IO[bytes], kind: str) -> None:
    """The header's dimensions against the pixel cap; nothing is decoded."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = settings.UPLOAD_IMAGE_MAX_PIXELS
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            # Between the cap and twice the cap Pillow only warns; the check below refuses it.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(stream)
        with image:
            width, height = image.size
            expected = {"jpg": "JPEG", "png": "PNG"}[kind]
            if image.format != expected:
                raise _reject(_("The file is damaged or not a valid image."), "corrupt")
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels(None) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _reject(_("The file is damaged or not a valid image."), "corrupt") from exc
    finally:
        stream.seek(0)
    if width * height > settings.UPLOAD_IMAGE_MAX_PIXELS:
        raise _too_many_pixels(width * height)


def _too_many_pixels(pixels: int | None) -> ValidationError:
    limit = settings.UPLOAD_IMAGE_MAX_PIXELS // 1_000_000
    if pixels is None:
        return _reject(_("The image is too large (at most %(limit)s megapixels)."), "image_too_large", limit=limit)
    return _reject(_("The image is too large (%(pixels)s megapixels; at most %(limit)s)."), "image_too_large",
                   pixels=round(pixels / 1_000_000, 1), limit=limit)


def strip_jpeg_gps(data: bytes) -> bytes:
    """The JPEG with the GPS block removed from its EXIF segment; the picture data is copied as is."""
    from PIL import Image

    if not data.startswith(b"\xff\xd8"):
        return data
    out = bytearray(b"\xff\xd8")
    pos = 2
    changed = False
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker in (0xDA, 0xD9):  # start of scan / end of image: the rest is picture data
            break
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        segment = data[pos:pos + 2 + length]
        payload = segment[4:]
        if marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
            exif = Image.Exif()
            try:
                exif.load(payload)
            except Exception:  # noqa: BLE001 - unreadable EXIF: drop the whole segment
                exif = None
            if exif is None:
                changed = True
                pos += 2 + length
                continue
            if 0x8825 in exif:
                del exif[0x8825]
                new_payload = exif.tobytes()
                if len(new_payload) + 2 <= 0xFFFF:
                    segment = b"\xff\xe1" + struct.pack(">H", len(new_payload) + 2) + new_payload
                else:
                    segment = b""
                changed = True
        out += segment
        pos += 2 + length
    if not changed:
        return data
    out += data[pos:]
    return bytes(out)


def strip_png_exif(data: bytes) -> bytes:
    """The PNG without its eXIf chunks (where a GPS position would be)."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or b"eXIf" not in data:
        return data
    out = bytearray(data[:8])
    pos = 8
    while pos + 8 <= len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        chunk_type = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if chunk_type != b"eXIf":
            out += data[pos:end]
        pos = end
    return bytes(out)


def _hash_and_size(stream: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    stream.seek(0)
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return digest.hexdigest(), size


def check_upload(upload, *, allowed_kinds: frozenset[str] = BUSINESS_KINDS) -> CheckedUpload:
    """Decide what ``upload`` is from its content; raise ValidationError (with a code) if refused."""
    size = upload.size if upload.size is not None else 0
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        raise _reject(_("The file is larger than %(limit)s MB."), "too_large", limit=limit // (1024 * 1024))
    stream = upload.file if hasattr(upload, "file") else upload
    head = _read_head(stream)
    if not head:
        raise _reject(_("The file is empty."), "empty")
    sniffed = _sniff(stream, head)
    if sniffed == "zip":
        sniffed = _check_zip(stream)
    name = sanitize_name(getattr(upload, "name", "") or "")
    stem, dot, ext = name.rpartition(".")
    ext = ext.lower() if dot else ""
    kinds = _kind_list(allowed_kinds)
    if sniffed == "ole_word":
        sniffed = "wps" if ext == "wps" else "doc"
    refusals = {
        "executable": (_("Programs cannot be uploaded."), "executable"),
        "svg": (_("SVG images are not accepted; upload a JPG or PNG image instead."), "svg"),
        "html": (_("Web pages and scripts cannot be uploaded."), "html"),
        "macro": (_("Office files with macros (such as .docm or .xlsm) are not accepted; save the document "
                    "as .docx or .xlsx without macros."), "macro"),
        "gif": (_("GIF images are not accepted; upload a JPG or PNG image instead."), "type_not_allowed"),
    }
    if sniffed in refusals:
        message, code = refusals[sniffed]
        raise _reject(message, code)
    if sniffed not in KINDS:
        raise _reject(_("The type of this file could not be recognised. Accepted types: %(kinds)s."),
                      "unknown_type", kinds=kinds)
    kind = KINDS[sniffed]
    if kind.code not in allowed_kinds:
        raise _reject(_("This type of file is not accepted here. Accepted types: %(kinds)s."),
                      "type_not_allowed", kinds=kinds)
    if not dot:
        name = f"{name or 'file'}.{kind.extensions[0]}"
    elif ext not in kind.extensions:
        raise _reject(
            _("The file name ends in .%(ext)s but the file is a %(kind)s file. Save it in the right format or "
              "correct the name."), "extension_mismatch", ext=ext, kind=kind.label)
    if kind.code in {"pdf", "jpg", "png"} and _MARKUP.search(head[:1024]):
        raise _reject(_("The file contains web page code and cannot be accepted."), "embedded_markup")
    content: IO[bytes] = stream
    if kind.code in {"jpg", "png"}:
        _check_image(stream, kind.code)
        stream.seek(0)
        original = stream.read()
        cleaned = strip_jpeg_gps(original) if kind.code == "jpg" else strip_png_exif(original)
        content = io.BytesIO(cleaned)
    sha256, real_size = _hash_and_size(content)
    if real_size == 0:
        raise _reject(_("The file is empty."), "empty")
    if real_size > limit:
        raise _reject(_("The file is larger than %(limit)s MB."), "too_large", limit=limit // (1024 * 1024))
    return CheckedUpload(name=name, kind=kind.code, content_type=kind.content_type, size=real_size,
                         sha256=sha256, content=content)
