"""Fuzzing the whole pipeline (SECURITY-CHECKS 29): no exception outside the declared
ones, every input within 2 s. XIAONENG_FUZZ_EXAMPLES raises the example count (CI: 10000).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xiaoneng.planimport import PlanReadError, extract_bytes, extract_text

EXAMPLES = int(os.environ.get("XIAONENG_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=2000, suppress_health_check=[HealthCheck.too_slow])

# Pieces of the genre, so that random text reaches the rules and not only the fast paths.
FRAGMENTS = st.sampled_from(
    [
        "一、",
        "（一）",
        "(二)",
        "1.",
        "2、",
        "（3）",
        "。ㄒ唬",
        "衛(wèi)生",
        "2008年",
        "3月",
        "至",
        "4月",
        "—",
        "-",
        "5日",
        "前",
        "每月",
        "每季度",
        "各",
        "一次",
        "阶段",
        "(",
        ")",
        "结束后的第",
        "1个星期内",
        "收到后",
        "工作日内",
        "达到",
        "90%",
        "以上",
        "以下",
        "控制在",
        "30/10万",
        "16‰",
        "不少于",
        "两场",
        "上旬",
        "中旬",
        "下旬",
        "“5.29”",
        "上一篇:",
        "相关文章:",
        "07-11",
        "\n",
        "，",
        ",",
        "；",
        "年底前",
        "xx%",
        "1至2次",
        "宜卫办[2013]79号",
        "2013年5月8日",
        "安庆市卫生局",
        "目标",
        "确保",
        "了",
        "截止",
        "和",
        "、",
        "个",
        "名",
        "3-9月",
        "为宣传阶段",
    ]
)
GENRE_TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=80).map("".join)


def _check_answer(answer: dict, length: int) -> None:
    for field in ("headings", "schedule", "targets"):
        for item in answer[field]:
            start, end = item["span"]
            assert 0 <= start <= end <= length


@FUZZ
@given(st.text(max_size=2000))
def test_any_text_extracts_without_error(text):
    _check_answer(extract_text(text), len(text))


@FUZZ
@given(GENRE_TEXT)
def test_genre_like_text_extracts_without_error(text):
    _check_answer(extract_text(text), len(text))


@FUZZ
@given(st.binary(max_size=4000), st.sampled_from(["plan.txt", "plan.docx", "plan.pdf", "plan"]))
def test_any_bytes_either_read_or_raise_a_declared_error(data, name):
    try:
        extract_bytes(data, name)
    except PlanReadError as error:
        assert error.message and error.message_en and error.code


@settings(max_examples=min(EXAMPLES, 50), deadline=2000)
@given(st.binary(max_size=2000))
def test_corrupt_zip_bytes_raise_declared_errors(data):
    try:
        extract_bytes(b"PK\x03\x04" + data, "plan.docx")
    except PlanReadError:
        pass
