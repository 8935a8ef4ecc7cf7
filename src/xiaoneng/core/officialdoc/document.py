"""A Chinese official document (.docx) in the GB/T 9704-2012 layout.

Usage::

    doc = OfficialDocument(title="关于……的通报", issuer="某市卫生健康局办公室",
                           date=datetime.date(2026, 11, 5), number="某卫办宣〔2026〕3号",
                           recipients="各区县卫生健康局，局属各单位：")
    doc.heading("一、总体情况", level=1)
    doc.paragraph("正文……")
    doc.table(headers=["名次", "单位", "得分"], rows=[["1", "市第一人民医院", "36.50"]], caption="表1 …")
    doc.note("排名规则：……")
    content = doc.render()

The blocks are recorded and the .docx is built on ``render()``, so rendering twice gives
the same document.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from . import layout as L
from .fonts import (
    BODY_FONT,
    HEI_FONT,
    KAI_FONT,
    SONG_FONT,
    TITLE_FONT,
    FontChoice,
    configured_fonts,
    resolve_fonts,
)

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Characters XML 1.0 cannot hold (python-docx/lxml would refuse them): dropped.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NUMERIC = re.compile(r"^[\s+\-−—–]*[\d.,，．%％‰]+[\s%％‰分名项条次个篇家]*$")

EMPTY_TABLE_TEXT = "无"

# heading level -> (official font, bold)
HEADING_FONTS = {1: (HEI_FONT, False), 2: (KAI_FONT, False), 3: (BODY_FONT, True), 4: (BODY_FONT, False)}


def clean_text(value: Any) -> str:
    """Text safe for the document: str(), line ends normalised, XML-illegal characters removed."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_UNSAFE.sub("", text)


def display_width(text: str) -> float:
    """Width in body characters: full-width (CJK) 1, half-width (digits, Latin) 0.5."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.5 for ch in text)


def chinese_date(value: datetime.date) -> str:
    """成文日期 in Arabic numerals without padding: 2026年11月5日."""
    return f"{value.year}年{value.month}月{value.day}日"


@dataclass
class _Block:
    kind: str
    data: dict = field(default_factory=dict)


class OfficialDocument:
    """Collects the parts of one official document and renders it as .docx bytes."""

    def __init__(
        self,
        title: str,
        issuer: str,
        date: datetime.date,
        number: str | None = None,
        recipients: str | None = None,
        *,
        revision_note: str | None = None,
        fonts: str | Mapping | None = None,
    ) -> None:
        self.title = clean_text(title).strip()
        if not self.title:
            raise ValueError("An official document needs a title.")
        self.issuer = clean_text(issuer).strip()
        if isinstance(date, datetime.datetime):
            date = date.date()
        if not isinstance(date, datetime.date):
            raise ValueError("The date (成文日期) must be a datetime.date.")
        self.date = date
        self.number = clean_text(number).strip() or None
        self.recipients = clean_text(recipients).strip() or None
        self.revision_note = clean_text(revision_note).strip() or None
        self.fonts: dict[str, FontChoice] = resolve_fonts(fonts) if fonts is not None else configured_fonts()
        self._blocks: list[_Block] = []
        self._attachments: list[str] = []

    # ----- content -------------------------------------------------------------------
    def heading(self, text: str, level: int = 1) -> None:
        """A structure heading: 1 一、黑体; 2 （一）楷体_GB2312; 3 1. 仿宋 bold; 4 (1) 仿宋 (all 三号)."""
        if level not in HEADING_FONTS:
            raise ValueError(f"Heading level must be 1 to 4, not {level!r}.")
        self._blocks.append(_Block("heading", {"text": clean_text(text).strip(), "level": level}))

    def paragraph(self, text: str) -> None:
        """Body text: 仿宋_GB2312 三号, first line indented two characters; a blank line starts a new paragraph."""
        for part in clean_text(text).split("\n"):
            if part.strip():
                self._blocks.append(_Block("paragraph", {"text": part.strip()}))

    def note(self, text: str) -> None:
        """An explanatory paragraph (e.g. the tie-break rule), laid out like body text."""
        for part in clean_text(text).split("\n"):
            if part.strip():
                self._blocks.append(_Block("note", {"text": part.strip()}))

    def blank_line(self) -> None:
        self._blocks.append(_Block("blank"))

    def page_break(self) -> None:
        self._blocks.append(_Block("page_break"))

    def attachment_note(self, lines: Iterable[str]) -> None:
        """附件说明, placed after the body, before the issuer: ["附件：1. 名称", "2. 名称"]."""
        cleaned = [clean_text(line).strip() for line in lines]
        cleaned = [line for line in cleaned if line]
        if cleaned and not cleaned[0].startswith("附件"):
            cleaned[0] = "附件：" + cleaned[0]
        self._attachments.extend(cleaned)

    def table(
        self,
        headers: Sequence[Any] | None,
        rows: Iterable[Sequence[Any]],
        caption: str | None = None,
        col_widths_mm: Sequence[float] | None = None,
        *,
        align: Sequence[str] | None = None,
    ) -> None:
        """A bordered table over the full 156 mm text width, header row repeated on each page.

        Cells may be any value (None -> empty). Numeric columns are centred, text columns left;
        ``align`` ("left"/"center"/"right" per column) overrides. ``col_widths_mm`` is scaled
        to the text width. No rows -> one row saying 无. ``headers=None`` (or empty) gives a
        table without a header row, e.g. the label/value form of a 督办单; its width is the
        longest row's.
        """
        raw_rows = [[clean_text(c).strip() for c in row] for row in rows]
        has_header = bool(headers)
        head = [clean_text(h).strip() for h in headers] if has_header else []
        if not has_header:
            width = max((len(r) for r in raw_rows), default=0)
            if not width:
                raise ValueError("A table without headers needs at least one row with a cell.")
            head = [""] * width
        body: list[list[str]] = []
        for index, cells in enumerate(raw_rows, start=1):
            if len(cells) > len(head):
                raise ValueError(
                    f"Table row {index} has {len(cells)} cells but the table has {len(head)} columns."
                )
            body.append(cells + [""] * (len(head) - len(cells)))
        if col_widths_mm is not None and len(col_widths_mm) != len(head):
            raise ValueError("col_widths_mm needs one width per column.")
        if col_widths_mm is not None and any(w <= 0 for w in col_widths_mm):
            raise ValueError("Column widths must be positive.")
        if align is not None:
            if len(align) != len(head) or any(a not in ("left", "center", "right") for a in align):
                raise ValueError('align needs one of "left", "center", "right" per column.')
        self._blocks.append(
            _Block(
                "table",
                {
                    "headers": head,
                    "has_header": has_header,
                    "rows": body,
                    "caption": clean_text(caption).strip() or None,
                    "widths": list(col_widths_mm) if col_widths_mm is not None else None,
                    "align": list(align) if align is not None else None,
                },
            )
        )

    # ----- rendering ---------------------------------------------------------------
    def render(self) -> bytes:
        builder = _Builder(self)
        return builder.build()


def column_widths_twips(
    headers: list[str], rows: list[list[str]], widths_mm: list[float] | None
) -> list[int]:
    """Column widths summing to the text width: given widths scaled, else by content width."""
    total = L.TEXT_WIDTH_TWIPS
    if widths_mm is not None:
        weights = [float(w) for w in widths_mm]
    else:
        weights = []
        for col, header in enumerate(headers):
            widest = max([display_width(header)] + [display_width(r[col]) for r in rows] or [1.0])
            weights.append(min(max(widest, 2.0), 16.0) + 1.0)
    scale = total / sum(weights)
    out = [int(w * scale) for w in weights]
    out[-1] += total - sum(out)
    return out


def column_alignments(headers: list[str], rows: list[list[str]]) -> list[str]:
    """Centre a column whose cells are all numbers or short (名次, 得分, 等次); else left."""
    result = []
    for col in range(len(headers)):
        values = [r[col] for r in rows if r[col]]
        short_or_number = all(_NUMERIC.match(v) or display_width(v) <= 4 for v in values)
        result.append("center" if short_or_number else "left")
    return result


_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _set(parent, tag: str, **attrs: str):
    """Get or create child ``tag`` of parent (appended) and set w:-attributes."""
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        parent.append(child)
    for key, value in attrs.items():
        child.set(qn(f"w:{key}"), str(value))
    return child


class _Builder:
    def __init__(self, source: OfficialDocument) -> None:
        self.src = source
        self.doc = Document()
        self.body_font = source.fonts[BODY_FONT].name

    def font(self, official: str) -> str:
        return self.src.fonts[official].name

    # ----- document-wide ----------------------------------------------------------
    def build(self) -> bytes:
        self._drop_template_extras()
        self._defaults()
        self._page()
        self._front_matter()
        for block in self.src._blocks:
            getattr(self, f"_block_{block.kind}")(**block.data)
        self._closing()
        self._footer()
        self._font_table()
        self._properties()
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()

    def _drop_template_extras(self) -> None:
        # The template's first (empty) paragraph, its Word 2010 style copy and its thumbnail.
        body = self.doc.element.body
        for p in body.findall(qn("w:p")):
            body.remove(p)
        part = self.doc.part
        for rid, rel in list(part.rels.items()):
            if rel.reltype.endswith("/stylesWithEffects"):
                part.drop_rel(rid)
        package = part.package
        for rid, rel in list(package.rels.items()):
            if rel.reltype.endswith("/thumbnail"):
                package.rels.pop(rid)
        settings = self.doc.settings.element
        for tag in ("w:savePreviewPicture",):
            for el in settings.findall(qn(tag)):
                settings.remove(el)

    def _defaults(self) -> None:
        styles = self.doc.styles.element
        rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        fonts = rpr.find(qn("w:rFonts"))
        for attr in list(fonts.attrib):
            del fonts.attrib[attr]
        self._fill_rfonts(fonts, self.body_font)
        _set(rpr, "w:sz", val=L.BODY_PT * 2)
        _set(rpr, "w:szCs", val=L.BODY_PT * 2)
        _set(rpr, "w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA")
        ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
        _set(ppr, "w:spacing", before=0, after=0, line=L.LINE_PITCH_TWIPS, lineRule="exact")
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(L.BODY_PT)
        normal.font.name = self.body_font
        self._fill_rfonts(normal.element.get_or_add_rPr().get_or_add_rFonts(), self.body_font)
        settings = self.doc.settings.element
        lang = settings.find(qn("w:themeFontLang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
        control = settings.find(qn("w:characterSpacingControl"))
        if control is not None:
            control.set(qn("w:val"), "compressPunctuation")
        self.doc.settings.odd_and_even_pages_header_footer = True

    def _page(self) -> None:
        sect = self.doc.sections[0]._sectPr
        _set(sect, "w:pgSz", w=L.mm_to_twips(L.PAGE_WIDTH_MM), h=L.mm_to_twips(L.PAGE_HEIGHT_MM))
        _set(
            sect,
            "w:pgMar",
            top=L.mm_to_twips(L.MARGIN_TOP_MM),
            bottom=L.mm_to_twips(L.MARGIN_BOTTOM_MM),
            left=L.mm_to_twips(L.MARGIN_LEFT_MM),
            right=L.mm_to_twips(L.MARGIN_RIGHT_MM),
            header=L.HEADER_DISTANCE_TWIPS,
            footer=L.FOOTER_DISTANCE_TWIPS,
            gutter=0,
        )
        grid = _set(sect, "w:docGrid")
        for attr in list(grid.attrib):
            del grid.attrib[attr]
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(L.LINE_PITCH_TWIPS))
        grid.set(qn("w:charSpace"), str(L.CHAR_SPACE))

    # ----- paragraphs and runs ----------------------------------------------------
    @staticmethod
    def _fill_rfonts(rfonts, name: str) -> None:
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            rfonts.set(qn(f"w:{attr}"), name)
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            rfonts.attrib.pop(qn(f"w:{attr}"), None)
        rfonts.set(qn("w:hint"), "eastAsia")

    def _run(self, paragraph, text: str, font: str, size_pt: float, *, bold: bool = False):
        run = paragraph.add_run(text)
        run.font.size = Pt(size_pt)
        run.font.bold = bold
        rpr = run._element.get_or_add_rPr()
        self._fill_rfonts(rpr.get_or_add_rFonts(), font)
        size = rpr.find(qn("w:sz"))
        if size_pt == L.BODY_PT:
            # 三号 condensed by 0.3 pt: 28 characters fill the 156 mm line (see _paragraph).
            spacing = OxmlElement("w:spacing")
            spacing.set(qn("w:val"), str(L.BODY_CONDENSE_TWIPS))
            size.addprevious(spacing)
        size_cs = OxmlElement("w:szCs")
        size_cs.set(qn("w:val"), str(int(size_pt * 2)))
        size.addnext(size_cs)
        return run

    def _paragraph(
        self,
        text: str,
        *,
        font: str,
        size_pt: float = L.BODY_PT,
        align: str = "both",
        first_line_chars: float = 0,
        left_chars: float = 0,
        right_chars: float = 0,
        hanging_chars: float = 0,
        bold: bool = False,
        keep_next: bool = False,
        container=None,
        line_twips: int = L.LINE_PITCH_TWIPS,
        snap: bool = False,
        autospace: bool = True,
    ):
        """One paragraph with exact line spacing.

        The section declares the 22 × 28 grid (w:docGrid linesAndChars, 579 twips, charSpace
        -849), so Word/WPS page setup shows 每页22行 每行28字 and typed additions follow it.
        Our own paragraphs do not snap to the character grid (snap=False): LibreOffice puts a
        glyph wider than a grid cell into two cells, spreading 三号 text to ~14 per line.
        Instead the exact 28.95 pt line spacing gives 22 lines and 三号 runs condensed by
        0.3 pt (15.7 pt) give 28 characters per line in Word, WPS and LibreOffice alike.
        """
        paragraph = (container or self.doc).add_paragraph()
        ppr = paragraph._p.get_or_add_pPr()
        if keep_next:
            _set(ppr, "w:keepNext")
        if not autospace:
            # No extra space between Chinese and digits, so widths are as computed.
            _set(ppr, "w:autoSpaceDE", val=0)
            _set(ppr, "w:autoSpaceDN", val=0)
        if not snap:
            _set(ppr, "w:snapToGrid", val=0)
        _set(ppr, "w:spacing", before=0, after=0, line=line_twips, lineRule="exact")
        indent = {}
        pitch = L.CHAR_PITCH_TWIPS
        if first_line_chars:
            indent.update(
                firstLineChars=round(first_line_chars * 100), firstLine=round(first_line_chars * pitch)
            )
        if hanging_chars:
            indent.update(hangingChars=round(hanging_chars * 100), hanging=round(hanging_chars * pitch))
        if left_chars:
            indent.update(leftChars=round(left_chars * 100), left=round(left_chars * pitch))
        if right_chars:
            indent.update(rightChars=round(right_chars * 100), right=round(right_chars * pitch))
        if indent:
            _set(ppr, "w:ind", **indent)
        if align == "both":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        else:
            paragraph.alignment = _ALIGN[align]
        if text:
            self._run(paragraph, text, font, size_pt, bold=bold)
        else:
            # An empty line still carries the body font size so its height is the grid's.
            mark = _set(ppr, "w:rPr")
            self._fill_rfonts(_set(mark, "w:rFonts"), font)
            _set(mark, "w:sz", val=int(size_pt * 2))
        return paragraph

    def _blank(self, *, keep_next: bool = False):
        return self._paragraph("", font=self.body_font, keep_next=keep_next)

    def _keep_last_with_next(self) -> None:
        """The issuer and date never stand alone on a page: the last body block keeps with them."""
        body = self.doc.element.body
        blocks = [el for el in body if el.tag in (qn("w:p"), qn("w:tbl"))]
        if not blocks:
            return
        last = blocks[-1]
        if last.tag == qn("w:tbl"):
            paragraphs = last.findall(qn("w:tr"))[-1].iter(qn("w:p"))
        else:
            paragraphs = [last]
        for p in paragraphs:
            ppr = p.find(qn("w:pPr"))
            if ppr is not None and ppr.find(qn("w:keepNext")) is None:
                ppr.insert(0, OxmlElement("w:keepNext"))

    # ----- parts ------------------------------------------------------------------
    def _front_matter(self) -> None:
        src = self.src
        if src.number:
            self._paragraph(src.number, font=self.body_font, align="center")
            self._blank()
        self._paragraph(
            src.title, font=self.font(TITLE_FONT), size_pt=L.TITLE_PT, align="center", keep_next=True
        )
        if src.revision_note:
            self._paragraph(src.revision_note, font=self.font(KAI_FONT), align="center", keep_next=True)
        self._blank()
        if src.recipients:
            self._paragraph(src.recipients, font=self.body_font, align="both")

    def _block_heading(self, text: str, level: int) -> None:
        official, bold = HEADING_FONTS[level]
        self._paragraph(text, font=self.font(official), first_line_chars=2, bold=bold, keep_next=True)

    def _block_paragraph(self, text: str) -> None:
        self._paragraph(text, font=self.body_font, first_line_chars=2)

    _block_note = _block_paragraph

    def _block_blank(self) -> None:
        self._blank()

    def _block_page_break(self) -> None:
        paragraph = self._blank()
        paragraph.paragraph_format.page_break_before = True

    def _block_table(self, headers, has_header, rows, caption, widths, align) -> None:
        if caption:
            self._paragraph(caption, font=self.font(HEI_FONT), align="center", keep_next=True)
        n = len(headers)
        widths_twips = column_widths_twips(headers, rows, widths)
        aligns = align or column_alignments(headers, rows)
        header_rows = 1 if has_header else 0
        table = self.doc.add_table(rows=header_rows + max(len(rows), 1), cols=n)
        tbl = table._tbl
        tblpr = tbl.tblPr
        for child in list(tblpr):
            tblpr.remove(child)
        _set(tblpr, "w:tblW", w=L.TEXT_WIDTH_TWIPS, type="dxa")
        _set(tblpr, "w:jc", val="center")
        borders = _set(tblpr, "w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            _set(borders, f"w:{side}", val="single", sz=4, space=0, color="000000")
        _set(tblpr, "w:tblLayout", type="fixed")
        margins = _set(tblpr, "w:tblCellMar")
        for side in ("left", "right"):
            _set(margins, f"w:{side}", w=85, type="dxa")
        _set(
            tblpr,
            "w:tblLook",
            val="04A0",
            firstRow=1,
            lastRow=0,
            firstColumn=0,
            lastColumn=0,
            noHBand=1,
            noVBand=1,
        )
        for grid_col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths_twips, strict=True):
            grid_col.set(qn("w:w"), str(width))

        def fill(row, values, *, header: bool) -> None:
            trpr = row._tr.get_or_add_trPr()
            _set(trpr, "w:cantSplit")
            if header:
                _set(trpr, "w:tblHeader")
            _set(trpr, "w:trHeight", val=L.mm_to_twips(8), hRule="atLeast")
            for col, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                tcpr = cell._tc.get_or_add_tcPr()
                _set(tcpr, "w:tcW", w=widths_twips[col], type="dxa")
                _set(tcpr, "w:vAlign", val="center")
                for p in list(cell._tc.findall(qn("w:p"))):
                    cell._tc.remove(p)
                self._paragraph(
                    value,
                    font=self.font(HEI_FONT) if header else self.body_font,
                    size_pt=L.TABLE_PT,
                    align="center" if header else aligns[col],
                    container=cell,
                    line_twips=L.TABLE_LINE_TWIPS,
                )

        if has_header:
            fill(table.rows[0], headers, header=True)
        if rows:
            for row, values in zip(table.rows[header_rows:], rows, strict=True):
                fill(row, values, header=False)
        else:
            row = table.rows[header_rows]
            fill(row, [EMPTY_TABLE_TEXT] + [""] * (n - 1), header=False)
            if n > 1:
                merged = row.cells[0].merge(row.cells[n - 1])
                paragraphs = merged.paragraphs
                for extra in paragraphs[1:]:
                    merged._tc.remove(extra._p)
                paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
                _set(merged._tc.get_or_add_tcPr(), "w:tcW", w=L.TEXT_WIDTH_TWIPS, type="dxa")

    def _closing(self) -> None:
        src = self.src
        self._keep_last_with_next()
        if src._attachments:
            self._blank(keep_next=True)
            first, *rest = src._attachments
            self._paragraph(first, font=self.body_font, first_line_chars=2, keep_next=True)
            # Later lines align under the first attachment's name: two characters + "附件：".
            offset = 2 + display_width("附件：")
            for line in rest:
                self._paragraph(line, font=self.body_font, left_chars=offset, keep_next=True)
        if not src.issuer:
            date_text = chinese_date(src.date)
            self._blank(keep_next=True)
            self._paragraph(date_text, font=self.body_font, align="right", right_chars=4, autospace=False)
            return
        issuer_lines = [line.strip() for line in src.issuer.split("\n") if line.strip()]
        date_text = chinese_date(src.date)
        issuer_width = max(display_width(line) for line in issuer_lines)
        date_width = display_width(date_text)
        # GB/T 9704 7.3.5.2: issuer two characters from the right; the date starts two
        # characters right of the issuer's first character; a longer date keeps two
        # characters from the right and pushes the issuer right.
        issuer_right = 2.0
        date_right = issuer_right + issuer_width - date_width - 2
        if date_right < 2:
            date_right = 2.0
            issuer_right = max(date_right + date_width + 2 - issuer_width, 0.0)
        self._blank(keep_next=True)
        for line in issuer_lines:
            self._paragraph(
                line,
                font=self.body_font,
                align="right",
                right_chars=issuer_right,
                keep_next=True,
                autospace=False,
            )
        self._paragraph(
            date_text, font=self.body_font, align="right", right_chars=date_right, autospace=False
        )

    def _footer(self) -> None:
        section = self.doc.sections[0]
        font = self.font(SONG_FONT)
        for footer, align, indent in (
            (section.footer, "right", "right"),  # odd pages: outside = right
            (section.even_page_footer, "left", "left"),  # even pages: outside = left
        ):
            footer.is_linked_to_previous = False
            for p in list(footer._element.findall(qn("w:p"))):
                footer._element.remove(p)
            paragraph = footer.add_paragraph()
            ppr = paragraph._p.get_or_add_pPr()
            _set(ppr, "w:snapToGrid", val=0)
            _set(ppr, "w:spacing", before=0, after=0, line=L.FOOTER_LINE_TWIPS, lineRule="exact")
            _set(ppr, "w:ind", **{indent: round(L.CHAR_PITCH_TWIPS)})
            paragraph.alignment = _ALIGN[align]
            self._run(paragraph, "— ", font, L.PAGE_NUMBER_PT)
            self._page_field(paragraph, font)
            self._run(paragraph, " —", font, L.PAGE_NUMBER_PT)

    def _page_field(self, paragraph, font: str) -> None:
        def fld(kind: str):
            run = self._run(paragraph, "", font, L.PAGE_NUMBER_PT)
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)

        fld("begin")
        instr_run = self._run(paragraph, "", font, L.PAGE_NUMBER_PT)
        instr = OxmlElement("w:instrText")
        instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        instr.text = " PAGE "
        instr_run._element.append(instr)
        fld("separate")
        self._run(paragraph, "1", font, L.PAGE_NUMBER_PT)
        fld("end")

    def _font_table(self) -> None:
        part = next(p for p in self.doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
        root = etree.fromstring(part.blob)  # noqa: S320 - python-docx's own template part
        used = {choice.name: choice for choice in self.src.fonts.values()}
        for font in root.findall(qn("w:font")):
            if font.get(qn("w:name")) in used:
                root.remove(font)
        for name, choice in used.items():
            font = etree.SubElement(root, qn("w:font"))
            font.set(qn("w:name"), name)
            if choice.fallbacks:
                etree.SubElement(font, qn("w:altName")).set(qn("w:val"), ",".join(choice.fallbacks))
            panose, family, pitch = choice.traits
            if choice.name == choice.official:
                etree.SubElement(font, qn("w:panose1")).set(qn("w:val"), panose)
            etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")
            etree.SubElement(font, qn("w:family")).set(qn("w:val"), family)
            etree.SubElement(font, qn("w:pitch")).set(qn("w:val"), pitch)
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _properties(self) -> None:
        props = self.doc.core_properties
        props.title = self.src.title[:255]
        props.author = self.src.issuer[:255]
        props.last_modified_by = self.src.issuer[:255]
        props.language = "zh-CN"
        props.revision = 1
        now = datetime.datetime.now(tz=datetime.UTC).replace(microsecond=0, tzinfo=None)
        props.created = now
        props.modified = now
        props.comments = ""
        props.keywords = ""
        props.subject = self.src.number or ""


def docx_response(content: bytes, filename: str):
    """A .docx download: attachment (Chinese names per RFC 5987), never cached."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response
