"""Plan import: read a work plan (.txt/.docx/.pdf) and extract its structure.

Pure Python and free of Django so that the command, the import job and the fuzzer share
one code path. `extract_plan(path)` returns the SCHEMA.md answer (with a source "span"
on every item); every failure a file can cause is a `PlanReadError`.
"""

from __future__ import annotations

import os
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
    UnsafeXMLError,
    UnsupportedFormatError,
)
from .extract import extract_text
from .readers import MAX_FILE_BYTES, PlanText, read_plan, read_plan_bytes

__all__ = [
    "ArchiveBombError",
    "BinaryFileError",
    "EmptyFileError",
    "EncodingError",
    "EncryptedFileError",
    "FileTooLargeError",
    "MalformedFileError",
    "NoTextLayerError",
    "ParseLimitError",
    "PlanReadError",
    "PlanText",
    "UnsafeXMLError",
    "UnsupportedFormatError",
    "extract_bytes",
    "extract_plan",
    "extract_text",
    "read_plan",
    "read_plan_bytes",
]


def extract_plan(path: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES) -> dict:
    """Read the plan at `path` and return its SCHEMA.md answer."""
    plan = read_plan(path, max_bytes=max_bytes)
    return _answer(plan, Path(path).name)


def extract_bytes(data: bytes, name: str = "", *, max_bytes: int = MAX_FILE_BYTES) -> dict:
    """Same as `extract_plan` for an upload held in memory."""
    return _answer(read_plan_bytes(data, name, max_bytes=max_bytes), name)


def _answer(plan: PlanText, name: str) -> dict:
    answer = extract_text(plan.text, name)
    answer["source"] = {"format": plan.format, "encoding": plan.encoding, "notes": plan.notes}
    return answer
