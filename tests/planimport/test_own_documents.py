"""Small plans of the genre written for these tests (not from the shared samples)."""

from __future__ import annotations

from xiaoneng.planimport import extract_text

NOTICE = """关于印发《某市2023年爱国卫生月活动实施方案》的通知
某卫健发〔2023〕15号

各区县卫生健康局，委直属各单位：
现将《某市2023年爱国卫生月活动实施方案》印发给你们，请认真贯彻执行。

一、工作目标
全市健康素养水平达到28%以上，农村卫生厕所普及率不低于95%，重点场所控烟合格率超过80%。
二、实施步骤
（一）动员部署阶段（3月20日—3月31日）。各区县制定实施方案。
（二）集中整治阶段（4月1日—4月25日）。每周组织一次集中清理活动。
（三）总结评估阶段（4月26日—4月30日）。各单位于4月28日前将活动总结报送市爱卫办。
三、工作要求
（一）及时报送信息。各单位每月25日前报送月度统计表；收到督办通知后3个工作日内反馈整改情况。
（二）强化督导检查。市爱卫办将于4月中旬组织督导检查。

某市卫生健康委员会
2023年3月15日
"""

PLAN = """2024年基本公共卫生服务项目工作计划
一、工作目标
（一）居民电子健康档案建档率保持在90%以上。
（二）高血压患者规范管理率不低于65%，糖尿病患者规范管理率不低于65%。
二、主要措施
1、加强培训。全年举办培训班4期，每季度开展一次业务督导。
2、加强考核。6月底前完成半年考核，12月20日前完成年度考核；每半年通报一次考核结果。
3、加强宣传。利用“9.28”全国高血压日开展义诊宣传活动。
三、进度安排
第一阶段（1-3月）：制定方案，部署工作。
第二阶段（4-10月）：全面实施。
"""


def _plain(items: list[dict]) -> list[dict]:
    return [
        {k: v for k, v in item.items() if k not in ("text", "span", "name", "indicator")} for item in items
    ]


def test_notice_with_document_number_and_signature():
    answer = extract_text(NOTICE)
    assert answer["title"] == "关于印发《某市2023年爱国卫生月活动实施方案》的通知"
    assert (answer["doc_number"], answer["issuer"], answer["issue_date"], answer["reference_year"]) == (
        "某卫健发〔2023〕15号",
        "某市卫生健康委员会",
        "2023-03-15",
        2023,
    )
    assert [(h["level"], h["title"]) for h in answer["headings"]][:3] == [
        (1, "工作目标"),
        (1, "实施步骤"),
        (2, "动员部署阶段（3月20日—3月31日）"),
    ]
    assert _plain(answer["schedule"]) == [
        {"kind": "phase", "start": "2023-03-20", "end": "2023-03-31"},
        {"kind": "phase", "start": "2023-04-01", "end": "2023-04-25"},
        {"kind": "recurring", "freq": "weekly"},
        {"kind": "phase", "start": "2023-04-26", "end": "2023-04-30"},
        {"kind": "deadline", "end": "2023-04-28"},
        {"kind": "recurring", "freq": "monthly", "day": 25},
        {"kind": "relative", "anchor": "receipt", "days": 3, "workdays": True},
        {"kind": "event", "start": "2023-04-11", "end": "2023-04-20"},
    ]
    assert _plain(answer["targets"]) == [
        {"op": ">=", "value": 28, "unit": "%"},
        {"op": ">=", "value": 95, "unit": "%"},
        {"op": ">", "value": 80, "unit": "%"},
    ]


def test_plan_with_unnamed_stages_and_observance_days():
    answer = extract_text(PLAN)
    assert answer["reference_year"] == 2024
    assert _plain(answer["schedule"]) == [
        {"kind": "recurring", "freq": "quarterly"},
        {"kind": "deadline", "end": "2024-06-30"},
        {"kind": "deadline", "end": "2024-12-20"},
        {"kind": "recurring", "freq": "half-yearly"},
        {"kind": "event", "start": "2024-09-28", "end": "2024-09-28"},
        {"kind": "phase", "start": "2024-01-01", "end": "2024-03-31"},
        {"kind": "phase", "start": "2024-04-01", "end": "2024-10-31"},
    ]
    assert [t["indicator"] for t in answer["targets"]] == [
        "居民电子健康档案建档率",
        "高血压患者规范管理率",
        "糖尿病患者规范管理率",
        "举办培训班",
    ]
