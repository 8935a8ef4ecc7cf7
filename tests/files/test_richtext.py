"""Rich text keeps a small allowlist (check 18): formatting survives, anything that runs does not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.security_crawl.test_xss import CORPUS, MarkupAudit
from xiaoneng.core.richtext import sanitize_html


def test_formatting_of_a_news_item_survives():
    html = ("<h2>甲县开展义诊</h2><p>本次活动<strong>共服务</strong><em>群众</em><u>500</u>人。</p>"
            "<ul><li>一</li></ul><ol><li>二</li></ol><blockquote>引用</blockquote><br>")
    assert sanitize_html(html) == html


def test_links_keep_only_web_and_mail_targets_and_open_without_referrer():
    assert sanitize_html('<a href="https://wsjkw.example.cn/a">原文</a>') == (
        '<a href="https://wsjkw.example.cn/a" rel="noopener noreferrer">原文</a>')
    assert sanitize_html('<a href="mailto:office@example.cn">邮件</a>') == (
        '<a href="mailto:office@example.cn" rel="noopener noreferrer">邮件</a>')
    for target in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
                   "data:text/html,<script>alert(1)</script>", "vbscript:x", "/relative", "//evil.example/x"):
        assert "href" not in sanitize_html(f'<a href="{target}">x</a>'), target


def test_images_only_show_files_of_this_site():
    assert sanitize_html('<img src="/files/12/" alt="现场">') == '<img src="/files/12/" alt="现场">'
    for source in ("https://evil.example/x.png", "/files/12/../../admin", "data:image/svg+xml,<svg onload=x>",
                   "javascript:alert(1)"):
        assert "src" not in sanitize_html(f'<img src="{source}">'), source


@pytest.mark.parametrize("payload", CORPUS)
def test_xss_corpus_leaves_nothing_that_runs(payload):
    cleaned = sanitize_html(payload)
    audit = MarkupAudit()
    audit.feed(cleaned)
    assert audit.findings == []
    for tag in ("<script", "<svg", "<iframe", "<style", "<math", "<body", "<details", "<div"):
        assert tag not in cleaned.lower()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(CORPUS) | st.sampled_from(["<p>", "</p>", "<a href='", "'>", "甲", "<strong>"]),
                max_size=6).map("".join))
def test_any_mix_of_payloads_and_tags_is_cleaned(payload):
    cleaned = sanitize_html(payload)
    audit = MarkupAudit()
    audit.feed(cleaned)
    assert audit.findings == []
    assert sanitize_html(cleaned) == cleaned
