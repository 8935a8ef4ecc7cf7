"""The errors a plan import can raise.

Every failure a user can cause with a file is one of these, so callers (the import job,
the command, the fuzzer) catch `PlanReadError` and nothing broader. Each carries a
Chinese message for the screen, an English equivalent for logs, and a stable code.
"""

from __future__ import annotations


class PlanReadError(Exception):
    """A file could not be read as a plan; `message` is shown to the user."""

    code = "unreadable"
    default_message = "无法读取该文件。"
    default_message_en = "The file could not be read."

    def __init__(self, message: str | None = None, message_en: str | None = None) -> None:
        self.message = message or self.default_message
        self.message_en = message_en or self.default_message_en
        super().__init__(f"{self.message} ({self.message_en})")


class EmptyFileError(PlanReadError):
    code = "empty"
    default_message = "文件为空或没有可识别的文字。"
    default_message_en = "The file is empty or holds no readable text."


class FileTooLargeError(PlanReadError):
    code = "too_large"
    default_message = "文件超过大小限制。"
    default_message_en = "The file is larger than the size limit."


class UnsupportedFormatError(PlanReadError):
    code = "unsupported"
    default_message = "不支持的文件格式,请上传 .txt、.docx 或 .pdf 文件。"
    default_message_en = "Unsupported file format; upload a .txt, .docx or .pdf file."


class BinaryFileError(UnsupportedFormatError):
    code = "binary"
    default_message = "文件不是文本文件,无法识别其中的文字。"
    default_message_en = "The file is binary, not text."


class EncodingError(PlanReadError):
    code = "encoding"
    default_message = "无法识别文件的文字编码。"
    default_message_en = "The text encoding of the file could not be recognised."


class EncryptedFileError(PlanReadError):
    code = "encrypted"
    default_message = "文件已加密,请先解除密码保护再上传。"
    default_message_en = "The file is encrypted; remove the password and upload it again."


class NoTextLayerError(PlanReadError):
    code = "no_text"
    default_message = "PDF 中没有文字层(可能是扫描件),请上传可复制文字的版本。"
    default_message_en = "The PDF has no text layer (probably a scan); upload a text version."


class MalformedFileError(PlanReadError):
    code = "malformed"
    default_message = "文件已损坏或格式不正确。"
    default_message_en = "The file is damaged or not in the format its name claims."


class ArchiveBombError(PlanReadError):
    code = "bomb"
    default_message = "文件结构异常(解压后过大或条目过多),已拒绝处理。"
    default_message_en = "The file expands too much or has too many entries; it was rejected."


class UnsafeXMLError(PlanReadError):
    code = "unsafe_xml"
    default_message = "文件包含不安全的 XML 结构(实体或外部引用),已拒绝处理。"
    default_message_en = "The file contains unsafe XML (entities or external references)."


class ParseLimitError(PlanReadError):
    code = "limit"
    default_message = "文件解析超时或占用内存过多,已停止处理。"
    default_message_en = "Parsing the file took too long or too much memory and was stopped."
