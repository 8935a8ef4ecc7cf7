"""SECURITY-CHECKS 18: payloads typed into text fields never come back as markup on any page."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .crawler import SKIP_GET, kwarg_combinations, routes

CORPUS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "'><svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">点我</a>',
    "<iframe src=javascript:alert(1)>",
    "<body onload=alert(1)>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    "<details open ontoggle=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    '<div hx-get="/" hx-trigger="load">',
    "<!--<img src=x onerror=alert(1)>-->",
]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "hx-get", "hx-post"}


class MarkupAudit(HTMLParser):
    """Collects what would run: inline scripts, event handlers, javascript: URLs, injected htmx."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and not names.get("src") and names.get("type") not in {"application/json"}:
            self.findings.append("inline <script>")
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.findings.append(f"<{tag} {name}=javascript:…>")
            if name in {"hx-get", "hx-post"} and tag == "div" and names.get("hx-trigger") == "load":
                self.findings.append("injected htmx element")


def payloads():
    filler = st.text(alphabet="甲乙丙 &", max_size=3)
    return st.builds(lambda before, core, after: f"{before}{core}{after}", filler, st.sampled_from(CORPUS), filler)


def pages_showing_text(clients, world) -> list[tuple[object, str]]:
    """(client, url) of every HTML page, argument-free or about A's objects, that shows any of
    the text fields: found by storing a sentinel in each field and looking for it."""
    sentinels = []
    for index, (_label, _max_length, store) in enumerate(world.text_setters):
        sentinel = f"哨兵{index}号"
        store(sentinel)
        sentinels.append(sentinel)
    pages = []
    for client in clients:
        urls = []
        for route in routes():
            if route.name in SKIP_GET:
                continue
            combos = [{}] if not route.kwarg_names else list(kwarg_combinations(route, world, "a"))
            urls.extend(route.url(**kwargs) for kwargs in combos)
        for url in dict.fromkeys(urls):
            response = client.get(url)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                continue
            html = response.content.decode()
            if any(sentinel in html for sentinel in sentinels):
                pages.append((client, url))
    return pages


def test_text_fields_render_payloads_as_text_everywhere(world, client_for):
    pages = pages_showing_text([client_for(world.liaison_a), client_for(world.office)], world)
    assert len(pages) >= 5, pages

    @settings(max_examples=40, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(payload=payloads())
    def check(payload):
        stored = []
        for _label, max_length, store in world.text_setters:
            value = payload[:max_length]
            store(value)
            stored.append(value)
        problems = []
        for client, url in pages:
            html = client.get(url).content.decode()
            for value in stored:
                if ("<" in value or '"' in value) and value in html:
                    problems.append(f"{url}: raw {value!r}")
            audit = MarkupAudit()
            audit.feed(html)
            problems.extend(f"{url}: {finding}" for finding in audit.findings)
        assert not problems, "\n".join(problems)

    check()


def test_markup_audit_flags_what_would_run_and_passes_escaped_text():
    audit = MarkupAudit()
    audit.feed('<p>&lt;script&gt;</p><img src=x onerror=alert(1)><script>x()</script>'
               '<a href=" javascript:alert(1)">a</a><script src="/static/core/app.js"></script>')
    assert audit.findings == ["<img onerror=…>", "inline <script>", "<a href=javascript:…>"]
