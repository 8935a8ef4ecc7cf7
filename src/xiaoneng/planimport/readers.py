"""Read an uploaded plan (.txt, .docx, .pdf) into text, safely.

Uploads come from anyone with an account, so every reader assumes a hostile file: sizes
are checked before work is done, a .docx (a zip) is measured before it is opened and
read through a streaming cap (its header may lie), its XML is parsed without DTDs or
entities, and a PDF is parsed in a child process under memory and time limits. Every
failure is a `PlanReadError` with a message a user can act on.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import (
    ArchiveBombError,
    BinaryFileError,
    EmptyFileError,
    EncodingError,
    EncryptedFileError,
    FileTooLargeError,
    MalformedFileError,
    NoTextLayerError,
    ParseLimitError,
    PlanReadError,
    UnsupportedFormatError,
)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_TEXT_CHARS = 5_000_000
DOCX_MAX_ENTRIES = 1000
DOCX_MAX_TOTAL_BYTES = 100 * 1024 * 1024
DOCX_MAX_PART_BYTES = 30 * 1024 * 1024
DOCX_MAX_RATIO = 200
PDF_MEMORY_MB = 512
PDF_CPU_SECONDS = 4
PDF_WALL_SECONDS = 5.0

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class PlanText:
    """The text of a plan as read, with what the reader noticed on the way."""

    text: str
    format: str
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)


def read_plan(path: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES) -> PlanText:
    """Read the plan at `path`; the size is checked before the file is read."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise FileTooLargeError(
                f"文件超过大小限制({max_bytes // (1024 * 1024)} MB)。",
                f"The file is larger than the {max_bytes // (1024 * 1024)} MB limit.",
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise PlanReadError("无法打开文件。", f"The file could not be opened: {exc.strerror}") from exc
    return read_plan_bytes(data, path.name, max_bytes=max_bytes)


def read_plan_bytes(data: bytes, name: str = "", *, max_bytes: int = MAX_FILE_BYTES) -> PlanText:
    """Read a plan from its bytes; `name` (the upload's file name) only breaks ties."""
    if len(data) > max_bytes:
        raise FileTooLargeError()
    if not data.strip():
        raise EmptyFileError()
    suffix = Path(name).suffix.lower()
    if data.startswith(ZIP_MAGIC):
        return _read_docx(data)
    if data.startswith(OLE_MAGIC):
        if suffix in (".docx", ".xlsx"):
            raise EncryptedFileError()  # an encrypted OOXML file is an OLE container
        raise UnsupportedFormatError(
            "不支持旧版 .doc 格式,请另存为 .docx 后上传。", "Old .doc files are not supported; save as .docx."
        )
    if data[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return _read_pdf(data)
    if suffix in (".docx", ".pdf"):
        raise MalformedFileError()
    return _read_text(data)


# --- plain text -------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _looks_utf16(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    # ASCII-heavy UTF-16 has a NUL in every other byte; CJK UTF-16 has few NULs but
    # decodes cleanly and mostly into CJK, which is checked by the caller.
    if odd_nuls > half * 0.3 and even_nuls < half * 0.05:
        return "utf-16-le"
    if even_nuls > half * 0.3 and odd_nuls < half * 0.05:
        return "utf-16-be"
    return None


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise EncodingError() from exc
    utf16 = _looks_utf16(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if len(data) % 2 == 0:
        # UTF-16 without a BOM: Chinese text has few NUL bytes, so judge by what it reads as.
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _chinese_score(text) > 1.3:
                return text, encoding
    if b"\x00" in data[:8192]:
        raise BinaryFileError()
    candidates = []
    for encoding in ("gb18030", "big5"):
        try:
            candidates.append((data.decode(encoding), encoding))
        except UnicodeDecodeError:
            continue
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        return max(candidates, key=lambda c: _chinese_score(c[0]))
    raise EncodingError()


def _chinese_score(text: str) -> float:
    """Share of common-text characters; a wrong CJK codec yields rare ones and symbols."""
    sample = text[:20000]
    common = sum(
        1 for ch in sample if "\u4e00" <= ch <= "\u9fa5" or ch.isascii() or ch in "，。、；：“”（）《》！？"
    )
    return common / max(len(sample), 1) + _frequent_share(sample)


_FREQUENT = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞卫健康疾病医疗计宣督检"
)


def _frequent_share(sample: str) -> float:
    cjk = [ch for ch in sample if "\u4e00" <= ch <= "\u9fff"]
    if not cjk:
        return 0.0
    return sum(1 for ch in cjk if ch in _FREQUENT) / len(cjk)


def _read_text(data: bytes) -> PlanText:
    text, encoding = _decode(data)
    text = text.lstrip("\ufeff")
    _check_text(text)
    return PlanText(text=text, format="txt", encoding=encoding)


def _check_text(text: str) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise FileTooLargeError()
    if not text.strip():
        raise EmptyFileError()
    sample = text[:8192]
    controls = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    if controls > max(8, len(sample) * 0.02):
        raise BinaryFileError()


# --- docx ---------------------------------------------------------------------------


def _read_docx(data: bytes) -> PlanText:
    from .docx import docx_text  # noqa: PLC0415  (only docx uploads pay for the import)

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise MalformedFileError() from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > DOCX_MAX_ENTRIES:
            raise ArchiveBombError(
                f"文件包含过多条目({len(infos)} 个),已拒绝处理。",
                f"The file has {len(infos)} entries; it was rejected.",
            )
        total = sum(info.file_size for info in infos)
        if total > DOCX_MAX_TOTAL_BYTES:
            raise ArchiveBombError()
        for info in infos:
            if info.flag_bits & 0x1:
                raise EncryptedFileError()
            if info.file_size > 1024 * 1024 and info.file_size > DOCX_MAX_RATIO * max(info.compress_size, 1):
                raise ArchiveBombError()
        names = {info.filename for info in infos}
        if "word/document.xml" not in names:
            raise UnsupportedFormatError(
                "压缩包不是 Word 文档(.docx)。", "The zip file is not a Word document."
            )
        text, notes = docx_text(archive, DOCX_MAX_PART_BYTES)
    _check_text(text)
    return PlanText(text=text, format="docx", notes=notes)


# --- pdf ----------------------------------------------------------------------------


def _read_pdf(data: bytes) -> PlanText:
    child = Path(__file__).with_name("_pdf_child.py")
    command = [
        sys.executable,
        "-P",
        "-s",
        str(child),
        str(PDF_MEMORY_MB),
        str(PDF_CPU_SECONDS),
        str(MAX_TEXT_CHARS),
    ]
    try:
        result = subprocess.run(  # noqa: S603  (fixed command, our own interpreter)
            command,
            input=data,
            capture_output=True,
            timeout=PDF_WALL_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ParseLimitError() from exc
    try:
        answer = json.loads(result.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        # Killed by its limits (no answer) or crashed: either way not readable here.
        error = ParseLimitError if result.returncode < 0 or not result.stdout else MalformedFileError
        raise error() from exc
    if not answer.get("ok"):
        code = answer.get("code")
        errors = {
            "encrypted": EncryptedFileError,
            "too_large": FileTooLargeError,
            "limit": ParseLimitError,
            "unsupported": UnsupportedFormatError,
        }
        raise errors.get(code, MalformedFileError)()
    text = answer.get("text") or ""
    if sum(1 for ch in text if not ch.isspace()) < 10:
        raise NoTextLayerError()
    _check_text(text)
    return PlanText(text=text, format="pdf", notes=[f"pages: {answer.get('pages')}"])
