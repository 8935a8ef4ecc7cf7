"""The text of a .docx: paragraphs, numbered lists and tables, in document order.

Word stores automatic numbering ("一、", "（一）", "1.") apart from the text, in
numbering.xml; a plan's headings are often numbered that way, so the numbers are
rendered back in. The XML is parsed with defusedxml (no DTD, no entities, no external
references) and each part is read through a size cap, because the zip header that
declares its size may lie.
"""

from __future__ import annotations

import zipfile
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .errors import ArchiveBombError, MalformedFileError, UnsafeXMLError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CN_DIGITS = "零一二三四五六七八九"


def _read_part(archive: zipfile.ZipFile, name: str, cap: int) -> bytes | None:
    try:
        handle = archive.open(name)
    except KeyError:
        return None
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
        raise MalformedFileError() from exc
    chunks = []
    total = 0
    try:
        with handle:
            while True:
                chunk = handle.read(64 * 1024)
                if not chunk:
                    break
                total += len(chunk)
                if total > cap:
                    raise ArchiveBombError()
                chunks.append(chunk)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise MalformedFileError() from exc
    return b"".join(chunks)


def _parse(data: bytes) -> Element:
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeXMLError() from exc
    except (ParseError, ValueError, UnicodeError) as exc:
        raise MalformedFileError() from exc


def _chinese(n: int) -> str:
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def _format(n: int, fmt: str) -> str:
    if fmt.startswith(("chinese", "ideograph", "japaneseCounting", "taiwaneseCounting")):
        return _chinese(n)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen":
        return f"({n})"
    return str(n)


class _Numbering:
    """Renders list numbers the way Word would show them (for the formats plans use)."""

    def __init__(self, root: Element | None) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if root is None:
            return
        abstract = {}
        for node in root.findall(f"{W}abstractNum"):
            levels = {}
            for lvl in node.findall(f"{W}lvl"):
                ilvl = int(lvl.get(f"{W}ilvl", "0") or 0)
                fmt = lvl.find(f"{W}numFmt")
                text = lvl.find(f"{W}lvlText")
                start = lvl.find(f"{W}start")
                levels[ilvl] = (
                    fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{W}val", "") if text is not None else "",
                    int(start.get(f"{W}val", "1") or 1) if start is not None else 1,
                )
            abstract[node.get(f"{W}abstractNumId")] = levels
        for num in root.findall(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                self.levels[num.get(f"{W}numId")] = abstract.get(ref.get(f"{W}val"), {})

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        fmt, text, start = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt in ("bullet", "none"):
            return ""
        label = text
        for k in range(ilvl, -1, -1):
            if f"%{k + 1}" in label:
                k_fmt = levels.get(k, ("decimal", "", 1))[0]
                label = label.replace(
                    f"%{k + 1}", _format(counters.get(k, levels.get(k, ("", "", 1))[2]), k_fmt)
                )
        return label


def _paragraph(node: Element, numbering: _Numbering) -> str:
    parts = []
    props = node.find(f"{W}pPr")
    if props is not None:
        num = props.find(f"{W}numPr")
        if num is not None:
            num_id = num.find(f"{W}numId")
            ilvl = num.find(f"{W}ilvl")
            if num_id is not None:
                level = int(ilvl.get(f"{W}val", "0") or 0) if ilvl is not None else 0
                parts.append(numbering.label(num_id.get(f"{W}val", ""), level))
    for element in node.iter():
        if element.tag == f"{W}t" and element.text:
            parts.append(element.text)
        elif element.tag == f"{W}tab":
            parts.append("\t")
        elif element.tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
    return "".join(parts)


def _blocks(container: Element, numbering: _Numbering, out: list[str]) -> None:
    for child in container:
        if child.tag == f"{W}p":
            out.append(_paragraph(child, numbering))
        elif child.tag == f"{W}tbl":
            for row in child.iter(f"{W}tr"):
                cells = []
                for cell in row.findall(f"{W}tc"):
                    inner: list[str] = []
                    _blocks(cell, numbering, inner)
                    cells.append(" ".join(p for p in inner if p.strip()))
                out.append("\t".join(cells))
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}body"):
            _blocks(child, numbering, out)


def docx_text(archive: zipfile.ZipFile, cap: int) -> tuple[str, list[str]]:
    """Text of the document body plus notes (external links seen, not followed)."""
    notes = []
    numbering_xml = _read_part(archive, "word/numbering.xml", cap)
    numbering = _Numbering(_parse(numbering_xml) if numbering_xml else None)
    rels = _read_part(archive, "word/_rels/document.xml.rels", cap)
    if rels:
        external = [
            r.get("Target", "")
            for r in _parse(rels).iter(f"{REL}Relationship")
            if r.get("TargetMode") == "External"
        ]
        if external:
            notes.append(f"external relationships ignored: {len(external)}")
    document = _read_part(archive, "word/document.xml", cap)
    root = _parse(document or b"")
    body = root.find(f"{W}body")
    out: list[str] = []
    if body is not None:
        _blocks(body, numbering, out)
    return "\n".join(out), notes
