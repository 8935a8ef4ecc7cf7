"""The bulletin (.docx) and 附表2 (.xlsx), opened back with python-docx and openpyxl."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook

from xiaoneng.publicity.bulletins import documents
from xiaoneng.publicity.bulletins.snapshot import same_ranking, snapshot_changes, snapshot_of, totals

from .test_bulletins_support import ranking, row

CAMPAIGN = SimpleNamespace(pk=7, title="2026年全市卫生系统效能年活动宣传工作")
HEADER = documents.BulletinHeader(title="关于2026年10月全市卫生健康宣传信息工作情况的通报",
                                  issuer="示范市卫生健康委员会效能办", issued_on=dt.date(2026, 11, 5),
                                  number="示卫效〔2026〕3号", recipients="各县区卫生健康局，市直各医疗卫生单位：")


def _open(content: bytes):
    return Document(io.BytesIO(content))


def _texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def _table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in r.cells] for r in table.rows]


def test_snapshot_keeps_every_figure_as_it_was_and_reads_back_exactly():
    snap = snapshot_of(ranking(CAMPAIGN))
    assert snap["campaign_title"] == CAMPAIGN.title and (snap["year"], snap["month"]) == (2026, 10)
    first = snap["groups"][0]["rows"][0]
    assert first == {"unit_id": 1, "unit_name": "东城区卫生健康局", "rank": 1, "tied": False, "points": "36.50",
                     "items": 5, "adoptions": 4, "by_level": {"province": 1, "city": 3}, "vetoed": False,
                     "year_points": "109.50", "campaign_points": "146.00"}
    assert Decimal(first["points"]) == Decimal("36.50")
    assert totals(snap) == {"items": 20, "adoptions": 12, "units": 5,
                            "by_level": {"province": 1, "city": 10, "central": 1}}


def test_summary_sentence_counts_items_and_adoptions_by_level_highest_first():
    sentence = documents.summary_sentence(snapshot_of(ranking(CAMPAIGN)))
    assert sentence == ("2026年10月，5个单位共上报信息20条，被各级媒体（含网站）采用12条，"
                        "其中中央级1条、省级1条、市级10条。")


def test_bulletin_has_title_summary_ranking_tables_tie_break_issuer_and_date():
    snap = snapshot_of(ranking(CAMPAIGN))
    doc = _open(documents.bulletin_docx(snapshot=snap, header=HEADER))
    texts = _texts(doc)
    assert HEADER.title in texts
    assert "示卫效〔2026〕3号" in texts
    assert HEADER.recipients in texts
    assert any("上报信息20条" in t and "采用12条" in t for t in texts)
    assert "（一）县区卫生健康局" in texts and "（二）市直医疗卫生单位" in texts
    tie = next(t for t in texts if t.startswith("排名规则"))
    assert "1. 上级媒体采用数" in tie and "2. 采用稿件数" in tie and "并列" in tie
    assert any("北山区卫生健康局本月实行一票否决" in t for t in texts)
    assert "示范市卫生健康委员会效能办" in texts
    assert "2026年11月5日" in texts
    assert len(doc.tables) == 2
    county = _table_rows(doc.tables[0])
    assert county[0] == ["名次", "单位", "采用数", "得分"]
    assert county[1] == ["1", "东城区卫生健康局", "4", "36.50"]
    assert county[2] == ["2（并列）", "西城区卫生健康局", "2", "20.00"]
    assert county[3] == ["2（并列）", "南湖区卫生健康局", "2", "20.00"]
    assert county[4] == ["4", "北山区卫生健康局（一票否决）", "1", "0.00"]
    assert _table_rows(doc.tables[1])[1] == ["1", "示范市第一人民医院", "3", "12.25"]


def test_bulletin_layout_is_gbt_9704_a4_with_official_margins_and_title_font():
    doc = _open(documents.bulletin_docx(snapshot=snapshot_of(ranking(CAMPAIGN)), header=HEADER))
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    assert abs(section.top_margin - Mm(37)) < Mm(0.5) and abs(section.bottom_margin - Mm(35)) < Mm(0.5)
    assert abs(section.left_margin - Mm(28)) < Mm(0.5) and abs(section.right_margin - Mm(26)) < Mm(0.5)
    title = next(p for p in doc.paragraphs if p.text == HEADER.title)
    run = title.runs[0]
    east_asia = run._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
    assert east_asia == "方正小标宋简体"
    assert run.font.size.pt == 22
    body = next(p for p in doc.paragraphs if p.text.startswith("2026年10月，"))
    assert body.runs[0].font.size.pt == 16
    assert "28" in doc.sections[0]._sectPr.xml or "docGrid" in doc.sections[0]._sectPr.xml
    assert 'w:linePitch="579"' in doc.sections[0]._sectPr.xml


def test_revised_bulletin_says_which_revision_why_and_what_changed_under_the_title():
    first = snapshot_of(ranking(CAMPAIGN))
    corrected = ranking(CAMPAIGN)
    corrected.groups[0].rows[1] = row(2, "西城区卫生健康局", 2, "22.00", items=4, adoptions=3)
    corrected.groups[0].rows[2] = row(3, "南湖区卫生健康局", 3, "20.00", items=3, adoptions=2)
    second = snapshot_of(corrected)
    changes = snapshot_changes(first, second)
    assert [(c["unit_name"], c["old_rank"], c["new_rank"], c["old_points"], c["new_points"]) for c in changes] == [
        ("西城区卫生健康局", 2, 2, "20.00", "22.00"), ("南湖区卫生健康局", 2, 3, "20.00", "20.00")]
    doc = _open(documents.bulletin_docx(snapshot=second, header=HEADER, revision_number=2,
                                        revision_note="补录西城区10月28日省级网站采用1条", changes=changes))
    texts = _texts(doc)
    index = texts.index(HEADER.title)
    assert texts[index + 1] == "（第1次修订，2026年11月5日。修订说明：补录西城区10月28日省级网站采用1条）"
    assert any("本通报为第2版" in t for t in texts)
    assert _table_rows(doc.tables[-1])[1:] == [["西城区卫生健康局", "县区卫生健康局", "2", "2", "20.00", "22.00"],
                                               ["南湖区卫生健康局", "县区卫生健康局", "2", "3", "20.00", "20.00"]]


def test_unchanged_ranking_is_the_same_and_a_changed_one_is_not():
    assert same_ranking(snapshot_of(ranking(CAMPAIGN)), snapshot_of(ranking(CAMPAIGN)))
    other = ranking(CAMPAIGN)
    other.groups[1].rows[0] = row(5, "示范市第一人民医院", 1, "12.50", items=6, adoptions=3)
    assert not same_ranking(snapshot_of(ranking(CAMPAIGN)), snapshot_of(other))


def test_units_added_or_removed_between_revisions_are_listed():
    before = snapshot_of(ranking(CAMPAIGN))
    after_ranking = ranking(CAMPAIGN)
    after_ranking.groups[1].rows.append(row(6, "示范市中医院", 2, "3.00"))
    after_ranking.groups[0].rows.pop()  # 北山区 leaves
    kinds = {c["unit_name"]: c["kind"] for c in snapshot_changes(before, snapshot_of(after_ranking))}
    assert kinds == {"示范市中医院": "added", "北山区卫生健康局": "removed"}


def _report_rows():
    return [
        documents.ReportRow(title="东城区开展义诊进社区活动", outlet="健康报", level="中央级", kind="报刊",
                            adopted_on=dt.date(2026, 10, 8), page_or_url="第3版", points=Decimal("10.00"),
                            evidence_name="健康报第3版.jpg", evidence_link="https://xn.example/files/12/"),
        documents.ReportRow(title="=HYPERLINK(\"http://evil\",\"点我\")", outlet="+示范日报", level="市级",
                            kind="网站", adopted_on=dt.date(2026, 10, 9), page_or_url="@SUM(A1:A2)",
                            points=Decimal("2.50"), evidence_name="-截图.png", evidence_link=""),
    ]


def test_form2_lists_adoptions_with_evidence_and_totals():
    content = documents.unit_report_xlsx(unit_name="东城区卫生健康局", campaign_title=CAMPAIGN.title, year=2026,
                                         month=10, rows=_report_rows(), items_sent=5, made_on=dt.date(2026, 11, 3))
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "附表2"
    assert sheet["A1"].value == "附表2"
    assert sheet["A2"].value == "东城区卫生健康局2026年10月媒体（含网站）信息采用情况统计表"
    assert [c.value for c in sheet[4]] == documents.FORM2_HEADERS
    first = [c.value for c in sheet[5]]
    assert first[:5] == [1, "东城区开展义诊进社区活动", "健康报", "中央级", "报刊"]
    assert first[5].date() == dt.date(2026, 10, 8)
    assert first[6:] == ["第3版", 10, "健康报第3版.jpg", "https://xn.example/files/12/"]
    total = [c.value for c in sheet[7]]
    assert total[0] == "合计" and total[1] == "本月上报信息5条，被采用2次" and total[7] == 12.5
    assert sheet["I3"].value == "填报日期：2026年11月3日"


def test_form2_writes_formula_like_values_as_text():
    content = documents.unit_report_xlsx(unit_name="=cmd|' /C calc'!A0", campaign_title="@活动", year=2026, month=10,
                                         rows=_report_rows())
    book = load_workbook(io.BytesIO(content))
    values = [cell.value for r in book.active.iter_rows() for cell in r if isinstance(cell.value, str)]
    assert not any(v.startswith(("=", "+", "-", "@")) for v in values), values
    row6 = [c.value for c in book.active[6]]
    assert row6[1] == "'=HYPERLINK(\"http://evil\",\"点我\")" and row6[2] == "'+示范日报"
    assert row6[6] == "'@SUM(A1:A2)" and row6[8] == "'-截图.png"
    assert book.active["A2"].value.startswith("'=cmd")


@pytest.mark.parametrize(("value", "text"), [("36.5", "36.50"), ("0.005", "0.01"), (None, "—"), ("-2.345", "-2.35")])
def test_points_print_with_two_decimals_half_up(value, text):
    assert documents.points_text(value) == text
