"""The GB/T 9704 official document: read the .docx back and check what a reader would see."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from lxml import etree

from xiaoneng.core.officialdoc import FONT_FALLBACKS, FontSettingError, OfficialDocument, resolve_fonts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TWIPS_PER_MM = 1440 / 25.4


def make_doc(**kwargs) -> OfficialDocument:
    params = {
        "title": "关于2026年10月宣传信息工作情况的通报",
        "issuer": "某市卫生健康局办公室",
        "date": datetime.date(2026, 11, 5),
        "number": "某卫办宣〔2026〕3号",
        "recipients": "各区县卫生健康局，局属各单位：",
    }
    params.update(kwargs)
    return OfficialDocument(**params)


def sample() -> OfficialDocument:
    doc = make_doc()
    doc.heading("一、总体情况", level=1)
    doc.paragraph("2026年10月，全市卫生健康系统共报送宣传信息312篇，被各级媒体采用186篇次。")
    doc.heading("（一）医院组", level=2)
    doc.heading("1. 采用情况", level=3)
    doc.table(
        headers=["名次", "单位", "得分"],
        rows=[["1", "市第一人民医院", Decimal("36.50")], ["2", "市中医医院", "35.00"]],
        caption="表1 2026年10月宣传信息工作排名",
    )
    doc.note("排名规则：按得分从高到低排列，得分相同的比较采用数。")
    return doc


def open_docx(content: bytes):
    return Document(io.BytesIO(content))


def xml_part(content: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return etree.fromstring(archive.read(name))  # noqa: S320 - our own output


def east_asia(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def paragraph_by_text(document, text: str):
    return next(p for p in document.paragraphs if p.text == text)


def test_page_is_a4_with_standard_margins():
    section = open_docx(sample().render()).sections[0]
    assert abs(section.page_width.mm - 210) < 0.1
    assert abs(section.page_height.mm - 297) < 0.1
    assert abs(section.top_margin.mm - 37) < 0.1
    assert abs(section.bottom_margin.mm - 35) < 0.1
    assert abs(section.left_margin.mm - 28) < 0.1
    assert abs(section.right_margin.mm - 26) < 0.1


def test_grid_gives_22_lines_of_28_characters():
    content = sample().render()
    grid = xml_part(content, "word/document.xml").find(f".//{W}body/{W}sectPr/{W}docGrid")
    assert grid.get(f"{W}type") == "linesAndChars"
    pitch = int(grid.get(f"{W}linePitch"))
    text_height = (297 - 37 - 35) * TWIPS_PER_MM
    assert int(text_height // pitch) == 22
    # Word: character pitch = Normal font size + charSpace/4096 pt.
    styles = xml_part(content, "word/styles.xml")
    normal = styles.find(f"{W}style[@{W}styleId='Normal']")
    normal_pt = int(normal.find(f"{W}rPr/{W}sz").get(f"{W}val")) / 2
    char_pt = normal_pt + int(grid.get(f"{W}charSpace")) / 4096
    text_width_pt = (210 - 28 - 26) / 25.4 * 72
    assert int(text_width_pt // char_pt) == 28
    # Body lines use that pitch as fixed line spacing.
    body = paragraph_by_text(
        open_docx(content), "2026年10月，全市卫生健康系统共报送宣传信息312篇，被各级媒体采用186篇次。"
    )
    assert body.paragraph_format.line_spacing.twips == pitch
    assert str(body.paragraph_format.line_spacing_rule).startswith("EXACTLY")


def test_title_body_and_heading_fonts():
    document = open_docx(sample().render())
    title = paragraph_by_text(document, "关于2026年10月宣传信息工作情况的通报")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert east_asia(title.runs[0]) == "方正小标宋简体"
    assert title.runs[0].font.name == "方正小标宋简体"
    assert title.runs[0].font.size.pt == 22

    body = paragraph_by_text(
        document, "2026年10月，全市卫生健康系统共报送宣传信息312篇，被各级媒体采用186篇次。"
    )
    assert east_asia(body.runs[0]) == "仿宋_GB2312"
    assert body.runs[0].font.size.pt == 16
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    # First line indented two characters (2 × 15.79 pt).
    assert abs(body.paragraph_format.first_line_indent.pt - 31.6) < 0.2

    expected = {
        "一、总体情况": ("黑体", False),
        "（一）医院组": ("楷体_GB2312", False),
        "1. 采用情况": ("仿宋_GB2312", True),
    }
    for text, (font, bold) in expected.items():
        run = paragraph_by_text(document, text).runs[0]
        assert east_asia(run) == font, text
        assert run.font.size.pt == 16
        assert bool(run.font.bold) is bold, text


def test_number_and_recipients_come_before_the_body():
    texts = [p.text for p in open_docx(sample().render()).paragraphs if p.text]
    assert texts[:3] == [
        "某卫办宣〔2026〕3号",
        "关于2026年10月宣传信息工作情况的通报",
        "各区县卫生健康局，局属各单位：",
    ]
    recipients = paragraph_by_text(open_docx(sample().render()), "各区县卫生健康局，局属各单位：")
    assert recipients.paragraph_format.first_line_indent is None  # 顶格


def test_number_and_recipients_are_optional():
    doc = make_doc(number=None, recipients=None)
    doc.paragraph("正文。")
    texts = [p.text for p in open_docx(doc.render()).paragraphs if p.text]
    assert texts == [
        "关于2026年10月宣传信息工作情况的通报",
        "正文。",
        "某市卫生健康局办公室",
        "2026年11月5日",
    ]


def test_revision_note_is_shown_under_the_title():
    doc = make_doc(revision_note="（2026年11月8日更正，第2版）")
    doc.paragraph("正文。")
    texts = [p.text for p in open_docx(doc.render()).paragraphs if p.text]
    assert texts[1:3] == ["关于2026年10月宣传信息工作情况的通报", "（2026年11月8日更正，第2版）"]
    note = paragraph_by_text(open_docx(doc.render()), "（2026年11月8日更正，第2版）")
    assert note.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert east_asia(note.runs[0]) == "楷体_GB2312"


def test_issuer_and_date_end_the_document_right_aligned():
    document = open_docx(sample().render())
    paragraphs = [p for p in document.paragraphs if p.text]
    issuer, date = paragraphs[-2], paragraphs[-1]
    assert (issuer.text, date.text) == ("某市卫生健康局办公室", "2026年11月5日")
    assert issuer.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # Issuer two characters from the right; the date starts two characters right of the issuer.
    pitch_pt = 16 - 849 / 4096
    assert abs(issuer.paragraph_format.right_indent.pt - 2 * pitch_pt) < 0.5
    issuer_start = issuer.paragraph_format.right_indent.pt + 10 * pitch_pt
    date_start = date.paragraph_format.right_indent.pt + 6.5 * pitch_pt
    assert abs((issuer_start - date_start) - 2 * pitch_pt) < 0.5
    # A blank line separates them from the text above, and the last body paragraph keeps
    # with them so they never stand alone on a page.
    all_paragraphs = document.paragraphs
    index = next(i for i, p in enumerate(all_paragraphs) if p.text == "某市卫生健康局办公室")
    assert all_paragraphs[index - 1].text == ""
    assert all_paragraphs[index - 2].text.startswith("排名规则")
    assert all(p.paragraph_format.keep_with_next for p in all_paragraphs[index - 2 : index + 1])


def test_date_accepts_datetime_and_rejects_strings():
    doc = make_doc(date=datetime.datetime(2026, 1, 9, 15, 0))
    assert [p.text for p in open_docx(doc.render()).paragraphs if p.text][-1] == "2026年1月9日"
    with pytest.raises(ValueError, match="date"):
        make_doc(date="2026-01-09")


def test_table_content_borders_widths_and_repeated_header():
    content = sample().render()
    document = open_docx(content)
    table = document.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["名次", "单位", "得分"],
        ["1", "市第一人民医院", "36.50"],
        ["2", "市中医医院", "35.00"],
    ]
    tbl = table._tbl
    assert tbl.tr_lst[0].trPr.find(qn("w:tblHeader")) is not None
    assert all(tr.trPr.find(qn("w:tblHeader")) is None for tr in tbl.tr_lst[1:])
    borders = tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.tag.split("}")[1] for b in borders} >= {"top", "left", "bottom", "right", "insideH", "insideV"}
    assert all(b.get(qn("w:val")) == "single" for b in borders)
    widths = [int(c.get(qn("w:w"))) for c in tbl.tblGrid.findall(qn("w:gridCol"))]
    assert abs(sum(widths) / TWIPS_PER_MM - 156) < 0.1
    assert widths[1] > widths[0] and widths[1] > widths[2]  # unit names get the room
    # Numbers centred, unit names left, header centred in 黑体, cells 四号.
    header, first = table.rows[0].cells, table.rows[1].cells
    assert all(c.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER for c in header)
    assert east_asia(header[1].paragraphs[0].runs[0]) == "黑体"
    assert first[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert first[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert first[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert first[1].paragraphs[0].runs[0].font.size.pt == 14
    assert east_asia(first[1].paragraphs[0].runs[0]) == "仿宋_GB2312"
    caption = paragraph_by_text(document, "表1 2026年10月宣传信息工作排名")
    assert caption.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_given_column_widths_are_scaled_to_the_text_width():
    doc = make_doc()
    doc.table(headers=["a", "b"], rows=[["1", "2"]], col_widths_mm=[10, 30])
    tbl = open_docx(doc.render()).tables[0]._tbl
    widths = [int(c.get(qn("w:w"))) / TWIPS_PER_MM for c in tbl.tblGrid.findall(qn("w:gridCol"))]
    assert abs(widths[0] - 39) < 0.1 and abs(widths[1] - 117) < 0.1


def test_empty_table_says_none_and_short_rows_are_padded():
    doc = make_doc()
    doc.table(headers=["名次", "单位", "得分"], rows=[])
    doc.table(headers=["名次", "单位", "得分"], rows=[["1", None]])
    document = open_docx(doc.render())
    empty, short = document.tables
    assert len(empty.rows) == 2
    assert {c.text for c in empty.rows[1].cells} == {"无"}
    assert [c.text for c in short.rows[1].cells] == ["1", "", ""]


def test_table_without_headers_is_a_label_value_form():
    doc = make_doc()
    doc.table(
        headers=None, rows=[["督办事项", "群众反映某医院挂号难"], ["办理时限", "2026年11月12日前", "x"]]
    )
    table = open_docx(doc.render()).tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["督办事项", "群众反映某医院挂号难", ""],
        ["办理时限", "2026年11月12日前", "x"],
    ]
    assert table._tbl.tr_lst[0].trPr.find(qn("w:tblHeader")) is None
    with pytest.raises(ValueError, match="without headers"):
        doc.table(headers=None, rows=[])


def test_bad_table_input_gets_a_clear_message():
    doc = make_doc()
    with pytest.raises(ValueError, match="row 1 has 4 cells"):
        doc.table(headers=["a", "b"], rows=[["1", "2", "3", "4"]])
    with pytest.raises(ValueError, match="one width per column"):
        doc.table(headers=["a", "b"], rows=[], col_widths_mm=[10])
    with pytest.raises(ValueError, match="level"):
        doc.heading("五级", level=5)
    with pytest.raises(ValueError, match="title"):
        make_doc(title="  ")


def test_odd_text_is_escaped_and_control_characters_dropped():
    odd = 'A&B <script>alert("x")</script> ]]> \x00\x07\x1b\ufffe末'
    doc = make_doc(title="关于<通报>&更正", issuer="办公室 & <局>")
    doc.paragraph(odd)
    doc.table(headers=["单位<名>"], rows=[[odd]])
    content = doc.render()
    document = open_docx(content)
    expected = 'A&B <script>alert("x")</script> ]]> 末'
    assert paragraph_by_text(document, expected)
    assert document.tables[0].rows[1].cells[0].text == expected
    assert paragraph_by_text(document, "关于<通报>&更正")
    raw = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml")
    assert b"<script>" not in raw and b"&lt;script&gt;" in raw


def test_very_long_unit_names_wrap_inside_the_fixed_table():
    long_name = "市第二人民医院（市传染病医院、市肿瘤防治研究所联合体）暨某某区域医疗中心" * 3
    doc = make_doc()
    doc.table(headers=["名次", "单位", "得分"], rows=[["1", long_name, "30.00"], ["2", "x" * 300, "1"]])
    tbl = open_docx(doc.render()).tables[0]._tbl
    assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    widths = [int(c.get(qn("w:w"))) for c in tbl.tblGrid.findall(qn("w:gridCol"))]
    assert abs(sum(widths) / TWIPS_PER_MM - 156) < 0.1
    assert min(widths) / TWIPS_PER_MM > 10  # the number columns keep their room
    assert open_docx(doc.render()).tables[0].rows[1].cells[1].text == long_name


def test_multiline_paragraph_text_becomes_paragraphs():
    doc = make_doc(number=None, recipients=None)
    doc.paragraph("第一段。\r\n\n第二段。")
    texts = [p.text for p in open_docx(doc.render()).paragraphs if p.text]
    assert texts[1:3] == ["第一段。", "第二段。"]


def test_attachment_note_sits_before_the_issuer():
    doc = make_doc()
    doc.attachment_note(["附件：1. 采用明细", "2. 信息员名单"])
    doc.paragraph("正文。")
    texts = [p.text for p in open_docx(doc.render()).paragraphs if p.text]
    assert texts[-4:] == ["附件：1. 采用明细", "2. 信息员名单", "某市卫生健康局办公室", "2026年11月5日"]


def test_page_numbers_outside_in_song_four():
    content = sample().render()
    document = open_docx(content)
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    odd = section.footer.paragraphs[0]
    even = section.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    for paragraph in (odd, even):
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert {east_asia(r) for r in paragraph.runs} == {"宋体"}
        assert {r.font.size.pt for r in paragraph.runs} == {14}
        assert "PAGE" in "".join(t.text for t in paragraph._p.iter(qn("w:instrText")))


def test_font_table_names_the_fallbacks():
    fonts = xml_part(sample().render(), "word/fontTable.xml")
    alt = {
        f.get(f"{W}name"): f.find(f"{W}altName").get(f"{W}val")
        for f in fonts
        if f.find(f"{W}altName") is not None
    }
    for official, fallbacks in FONT_FALLBACKS.items():
        assert alt[official].split(",") == list(fallbacks)
    assert alt["仿宋_GB2312"].startswith("仿宋,FangSong")


def test_fallback_mapping_covers_the_official_fonts():
    for font in ("方正小标宋简体", "仿宋_GB2312", "楷体_GB2312", "黑体"):
        assert FONT_FALLBACKS[font]
        assert any("Noto" in name for name in FONT_FALLBACKS[font])


def test_operator_overrides_font_names(settings):
    settings.OFFICIAL_FONTS = '{"方正小标宋简体": "方正小标宋_GBK", "黑体": ["方正黑体_GBK", "SimHei"]}'
    doc = sample()
    content = doc.render()
    document = open_docx(content)
    assert (
        east_asia(paragraph_by_text(document, "关于2026年10月宣传信息工作情况的通报").runs[0])
        == "方正小标宋_GBK"
    )
    assert east_asia(paragraph_by_text(document, "一、总体情况").runs[0]) == "方正黑体_GBK"
    fonts = xml_part(content, "word/fontTable.xml")
    alt = {
        f.get(f"{W}name"): f.find(f"{W}altName").get(f"{W}val")
        for f in fonts
        if f.find(f"{W}altName") is not None
    }
    assert alt["方正小标宋_GBK"].split(",")[0] == "方正小标宋简体"  # the official name stays a fallback
    assert alt["方正黑体_GBK"] == "SimHei"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "not valid JSON"),
        ('["x"]', "JSON object"),
        ('{"Arial": "x"}', "unknown font Arial"),
        ('{"黑体": 3}', "font name or a list"),
        ('{"黑体": " "}', "empty font name"),
    ],
)
def test_bad_font_setting_is_reported_clearly(raw, message):
    with pytest.raises(FontSettingError, match=message):
        resolve_fonts(raw)


def test_render_twice_gives_the_same_text():
    doc = sample()
    first = [p.text for p in open_docx(doc.render()).paragraphs]
    assert first == [p.text for p in open_docx(doc.render()).paragraphs]


def test_body_characters_fit_28_per_line():
    document = open_docx(sample().render())
    body = paragraph_by_text(
        document, "2026年10月，全市卫生健康系统共报送宣传信息312篇，被各级媒体采用186篇次。"
    )
    rpr = body.runs[0]._element.rPr
    condense_pt = int(rpr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    advance = 16 + condense_pt
    line_pt = (210 - 28 - 26) / 25.4 * 72
    assert 28 * advance <= line_pt < 29 * advance


def test_issuer_and_date_have_no_automatic_digit_spacing():
    document = open_docx(sample().render())
    date = paragraph_by_text(document, "2026年11月5日")
    assert date._p.pPr.find(qn("w:autoSpaceDN")).get(qn("w:val")) == "0"


def _pdf_text(tmp_path, content: bytes, name: str, page: int) -> list[str]:
    path = tmp_path / f"{name}.docx"
    path.write_bytes(content)
    subprocess.run(  # noqa: S603
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],  # noqa: S607
        check=True,
        capture_output=True,
        timeout=180,
    )
    result = subprocess.run(  # noqa: S603
        ["pdftotext", "-f", str(page), "-l", str(page), str(tmp_path / f"{name}.pdf"), "-"],  # noqa: S607
        check=True,
        capture_output=True,
        timeout=60,
    )
    return [line for line in result.stdout.decode().splitlines() if line.strip()]


def _can_render() -> bool:
    if not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("fc-list")):
        return False
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, timeout=30, check=False)  # noqa: S607
    return bool(fonts.stdout.strip())


@pytest.mark.skipif(not _can_render(), reason="LibreOffice, poppler or a Chinese font not installed")
def test_libreoffice_lays_out_22_lines_of_28_characters(tmp_path):
    doc = make_doc(number=None, recipients=None)
    doc.paragraph("一二三四五六七八九十" * 6)
    for index in range(60):
        doc.paragraph(f"第{index + 1}段")
    first_page = _pdf_text(tmp_path, doc.render(), "grid", 1)
    assert first_page[1] == "一二三四五六七八九十" * 2 + "一二三四五六"  # 2 characters indent + 26
    assert first_page[2] == "七八九十" + "一二三四五六七八九十" * 2 + "一二三四"  # a full line: 28
    second_page = _pdf_text(tmp_path, doc.render(), "grid2", 2)
    assert len([line for line in second_page if line.startswith("第")]) == 22


def test_title_line_break_is_kept():
    doc = make_doc(title="关于2026年10月宣传信息\n工作情况的通报")
    title = open_docx(doc.render()).paragraphs[2]
    assert title.text == "关于2026年10月宣传信息\n工作情况的通报"
    assert title._p.find(f".//{qn('w:br')}") is not None
