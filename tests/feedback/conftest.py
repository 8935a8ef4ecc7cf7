"""Fixtures for the cases tests: a filed complaint about unit A, a report, a calendar-neutral clock."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def file_case(db, bureau):
    from xiaoneng.feedback.services import case_file

    def make(**overrides):
        data = {"kind": "complaint", "unit": None, "what": "挂号窗口工作人员态度生硬，排队一个小时无人解释。",
                "where": "门诊大厅", "name": "张三", "phone": "13812345678"}
        data.update(overrides)
        return case_file(**data)

    return make


@pytest.fixture
def assigned_case(file_case, office, unit_a):
    from xiaoneng.feedback import services

    filed = file_case(unit=unit_a)
    services.case_accept(case_id=filed.case.pk, actor=office, assignee_unit=unit_a)
    filed.case.refresh_from_db()
    return filed
