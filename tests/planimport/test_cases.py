"""Small cases of the genre: time expressions, targets, headings and repairs."""

from __future__ import annotations

import pytest

from xiaoneng.planimport import extract_text
from xiaoneng.planimport.repair import repair


def _schedule(body: str, year: int | None = 2023) -> list[dict]:
    header = f"{year}年卫生健康工作方案\n" if year else "卫生健康工作方案\n"
    answer = extract_text(header + body)
    return [{k: v for k, v in item.items() if k not in ("text", "span")} for item in answer["schedule"]]


SCHEDULE_CASES = [
    ("各单位于2月14日前报送名单。", [{"kind": "deadline", "end": "2023-02-14"}]),
    ("请于3月底前完成自查。", [{"kind": "deadline", "end": "2023-03-31"}]),
    ("2024年6月30日之前上报总结。", [{"kind": "deadline", "end": "2024-06-30"}]),
    (
        "力争10月按期完工,12月投入使用。",
        [{"kind": "deadline", "end": "2023-10-31"}, {"kind": "deadline", "end": "2023-12-31"}],
    ),
    ("2025年完成所有村卫生室的标准化建设。", [{"kind": "deadline", "end": "2025-12-31"}]),
    ("每月5日前报送上月信息。", [{"kind": "recurring", "freq": "monthly", "day": 5}]),
    ("每季度召开一次联席会议。", [{"kind": "recurring", "freq": "quarterly"}]),
    ("每周进行一次卫生检查。", [{"kind": "recurring", "freq": "weekly"}]),
    ("每半年通报一次进展。", [{"kind": "recurring", "freq": "half-yearly"}]),
    ("每年组织一次考核。", [{"kind": "recurring", "freq": "yearly"}]),
    ("7月和12月各评议一次。", [{"kind": "recurring", "freq": "yearly", "months": [7, 12]}]),
    ("每天检查一次。", []),
    ("每半月组织一次业务学习。", []),
    ("在每一阶段结束后的第1个星期内报送小结。", [{"kind": "relative", "anchor": "phase_end", "days": 7}]),
    (
        "收到通知后5个工作日内反馈意见。",
        [{"kind": "relative", "anchor": "receipt", "days": 5, "workdays": True}],
    ),
    ("会议结束后3日内报送纪要。", [{"kind": "relative", "anchor": "event", "days": 3}]),
    (
        "(一)宣传发动阶段(2008年3月至4月)",
        [{"kind": "phase", "name": "宣传发动阶段", "start": "2008-03-01", "end": "2008-04-30"}],
    ),
    (
        "(二)自查自纠阶段(3-9月)。",
        [{"kind": "phase", "name": "自查自纠阶段", "start": "2023-03-01", "end": "2023-09-30"}],
    ),
    (
        "3月1日至3月31日为动员部署阶段。",
        [{"kind": "phase", "name": "动员部署阶段", "start": "2023-03-01", "end": "2023-03-31"}],
    ),
    (
        "1、整改工作进度。7月中旬至8月下旬,边查边改。",
        [{"kind": "phase", "name": "整改工作进度", "start": "2023-07-11", "end": "2023-08-31"}],
    ),
    ("召开动员大会(时间:7月21日下午)。", [{"kind": "event", "start": "2023-07-21", "end": "2023-07-21"}]),
    ("开展督查(时间:8月2日—4日)。", [{"kind": "event", "start": "2023-08-02", "end": "2023-08-04"}]),
    ("于5月中旬组织知识竞赛。", [{"kind": "event", "start": "2023-05-11", "end": "2023-05-20"}]),
    ("利用“7.11”世界人口日开展宣传。", [{"kind": "event", "start": "2023-07-11", "end": "2023-07-11"}]),
    ("4月3日,省政府网站刊登了我区经验。", []),
    ("截止9月30日,全市出生8833人。", []),
]


@pytest.mark.parametrize(("body", "expected"), SCHEDULE_CASES)
def test_schedule_reads_each_phrasing(body, expected):
    assert _schedule(body) == expected


def test_dates_without_a_known_year_use_month_day_form():
    assert _schedule("各单位于2月14日前报送名单。", year=None) == [{"kind": "deadline", "end": "--02-14"}]


def test_reference_year_comes_from_the_document_number():
    answer = extract_text("某卫健发〔2021〕12号\n关于印发工作方案的通知\n一、工作安排\n3月10日前报送。")
    assert answer["doc_number"] == "某卫健发〔2021〕12号"
    assert answer["reference_year"] == 2021
    assert answer["schedule"][0]["end"] == "2021-03-10"


def _targets(body: str) -> list[tuple]:
    answer = extract_text("2023年工作计划\n" + body)
    return [(t["op"], t["value"], t["unit"]) for t in answer["targets"]]


TARGET_CASES = [
    ("群众满意度达到90%以上。", [(">=", 90, "%")]),
    ("孕产妇死亡率控制在30/10万以下。", [("<=", 30, "1/100000")]),
    ("婴儿死亡率控制在16‰以下。", [("<=", 16, "‰")]),
    ("抗菌药物使用率不超过20%。", [("<=", 20, "%")]),
    ("门诊等候时间低于30%。", [("<", 30, "%")]),
    ("覆盖率超过80%。", [(">", 80, "%")]),
    ("每年开展培训活动不低于4次。", [(">=", 4, "次")]),
    ("争取门诊人次增加20%。", [(">=", 20, "%")]),
    ("计划创建3个卫生村。", [(">=", 3, "个")]),
    ("无偿献血56000毫升。", []),
    ("确保采血量达到5000毫升以上。", [(">=", 5000, "ml")]),
    ("开展1至2次集体采访活动。", []),
    ("确保发放准确率达xx%。", []),
    ("45岁以下的干部参加培训。", []),
    ("今年以来,共发放资料3000份。", []),
    ("推出一项具有本地特色的宣传活动。", []),
    ("各乡镇至少要确定一名通讯报道员。", [(">=", 1, "名")]),
]


@pytest.mark.parametrize(("body", "expected"), TARGET_CASES)
def test_targets_read_each_phrasing(body, expected):
    assert _targets(body) == expected


def test_three_rates_in_one_phrase_are_three_targets():
    answer = extract_text("使药具应用率、有效率、随访率达98%以上。")
    assert [t["indicator"] for t in answer["targets"]] == ["药具应用率", "药具有效率", "药具随访率"]


HEADING_CASES = [
    ("一、指导思想", (1, "指导思想")),
    ("（一）加强领导。各单位要……", (2, "加强领导")),
    ("(二)落实责任", (2, "落实责任")),
    ("1.深化改革。内容", (3, "深化改革")),
    ("2、完善制度", (3, "完善制度")),
    ("3．加强监管", (3, "加强监管")),
    ("（1）抓好载体建设。", (4, "抓好载体建设")),
    ("3.2020年9月国家予以通报表扬。", (3, "2020年9月国家予以通报表扬")),
    ("一是比创建氛围。", None),
    ("5.29是协会日。", None),
]


@pytest.mark.parametrize(("line", "expected"), HEADING_CASES)
def test_headings_follow_gb_t_9704_levels(line, expected):
    headings = extract_text("工作方案\n" + line)["headings"]
    assert [(h["level"], h["title"]) for h in headings] == ([expected] if expected else [])


REPAIR_CASES = [
    ("衛(wèi)生系統(tǒng)", "卫生系统"),
    ("。ㄒ唬┱匍_不同形式會議", "（一）召开不同形式会议"),
    ("。ǘ┡沙龆讲榻M進(jìn)行督查", "（二）派出督查组进行督查"),
    ("關於開展活動的通知", "关于开展活动的通知"),
    ("引用(WHO)标准", "引用(WHO)标准"),
]


@pytest.mark.parametrize(("original", "expected"), REPAIR_CASES)
def test_repairs_restore_readable_simplified_text(original, expected):
    assert repair(original).text == expected


def test_width_is_folded_for_matching_but_offsets_stay():
    doc = repair("（一）目标：９０％")
    assert doc.match == "(一)目标:90%"
    assert doc.text == "（一）目标：９０％"
    assert doc.span(5, 8) == [5, 8]


def test_web_residue_is_set_aside():
    text = "工作方案\n时间:2022-09-29 01:27:27\n一、任务\n2月14日前报送。\n上一篇:某方案 下一篇:某计划\n【某方案】相关文章:\n自查报告07-11\n"
    answer = extract_text(text)
    assert [h["title"] for h in answer["headings"]] == ["任务"]
    assert answer["reference_year"] is None  # the page's posting time is not the plan's year
    assert [s["end"] for s in answer["schedule"]] == ["--02-14"]


def test_spans_of_repaired_text_point_at_the_original():
    original = "一、工作任務\n2月14日前報送名單。"
    answer = extract_text(original)
    start, end = answer["schedule"][0]["span"]
    assert original[start:end] == "2月14日前"
