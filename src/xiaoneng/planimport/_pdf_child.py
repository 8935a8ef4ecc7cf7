"""Extract the text layer of a PDF inside a child process with hard limits.

Run as a script (`python _pdf_child.py MAX_MB CPU_S MAX_CHARS`), the PDF on standard
input, one JSON object on standard output. PDF parsers can be driven into huge
allocations and long loops (nested FlateDecode, deep object graphs); the kernel's
limits end the child without touching the caller. Self-contained on purpose: it is
started by path and imports nothing from the package.
"""

import io
import json
import sys


def _limit(memory_mb: int, cpu_seconds: int) -> None:
    try:
        import resource  # noqa: PLC0415  (POSIX only)
    except ImportError:  # pragma: no cover - Windows has no rlimits
        return
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def _answer(payload: dict) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False))
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    memory_mb, cpu_seconds, max_chars = (int(a) for a in argv[:3])
    data = sys.stdin.buffer.read()
    _limit(memory_mb, cpu_seconds)
    try:
        from pypdf import PdfReader  # noqa: PLC0415
        from pypdf.errors import FileNotDecryptedError, PdfReadError  # noqa: PLC0415
    except ImportError:
        _answer({"ok": False, "code": "unsupported"})
        return 0
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                # An empty user password only restricts copying; anything else is locked.
                if not reader.decrypt(""):
                    _answer({"ok": False, "code": "encrypted"})
                    return 0
            except Exception:  # noqa: BLE001  (missing AES support counts as locked too)
                _answer({"ok": False, "code": "encrypted"})
                return 0
        parts = []
        total = 0
        pages = 0
        for page in reader.pages:
            pages += 1
            text = page.extract_text() or ""
            parts.append(text)
            total += len(text)
            if total > max_chars or pages > 2000:
                _answer({"ok": False, "code": "too_large"})
                return 0
        _answer({"ok": True, "text": "\n".join(parts), "pages": pages})
    except FileNotDecryptedError:
        _answer({"ok": False, "code": "encrypted"})
    except MemoryError:
        _answer({"ok": False, "code": "limit"})
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
        AssertionError,
        ZeroDivisionError,
    ):
        _answer({"ok": False, "code": "malformed"})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
