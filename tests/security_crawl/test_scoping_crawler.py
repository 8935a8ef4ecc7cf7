"""SECURITY-CHECKS 8: the liaison of unit A walks every URL pattern and never meets unit B.

No list of URLs: the crawler reads the resolver, so new apps are covered when they land.
Apps add their data to ``seeds.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import resolve_url

from .crawler import SKIP_GET, body_text, kwarg_combinations, leaked, routes

ACCEPTED_FOR_B_OBJECTS = {403, 404, 405}


class Crawl:
    def __init__(self, client, world):
        self.client = client
        self.world = world
        self.login_path = resolve_url(settings.LOGIN_URL)
        self.problems: list[str] = []
        self.requests = 0
        self.denied_routes: set[str] = set()

    def get(self, url: str, *, expect_denied: bool, echoed: str = "", **headers) -> None:
        """GET ``url`` and record what is wrong; ``echoed`` is B's text the user typed (a search
        box may show it back, that is not a leak, but anything else of B is)."""
        self.requests += 1
        response = self.client.get(url, **headers)
        markers = self.world.b_markers - {echoed}
        label = f"GET {url}{' (htmx)' if headers else ''}"
        status = response.status_code
        if status >= 500:
            self.problems.append(f"{label}: {status}")
            return
        text = body_text(response)
        found = leaked(text, markers)
        if found:
            self.problems.append(f"{label}: shows unit B's {found}")
        if status in (301, 302, 303, 307, 308):
            location = response["Location"]
            if location.split("?")[0] == self.login_path:
                self.problems.append(f"{label}: a signed-in user was sent to the login page")
                return
            target = self.client.get(location)
            found = leaked(body_text(target), markers) if target.status_code < 500 else []
            if found:
                self.problems.append(f"{label} → {location}: shows unit B's {found}")
            return
        if expect_denied:
            if status in ACCEPTED_FOR_B_OBJECTS:
                return
            self.problems.append(f"{label}: answered {status} for an object of unit B (expected 403/404)")


def test_liaison_of_unit_a_never_sees_unit_b_anywhere(world, client_for):
    crawl = Crawl(client_for(world.liaison_a), world)
    all_routes = routes()
    for route in all_routes:
        if route.name in SKIP_GET:
            continue
        if not route.kwarg_names:
            url = route.url()
            crawl.get(url, expect_denied=False)
            crawl.get(url, expect_denied=False, HTTP_HX_REQUEST="true")
            for query in world.b_queries:
                crawl.get(f"{url}?q={query}", expect_denied=False, echoed=query)
            continue
        for kwargs in kwarg_combinations(route, world, "b"):
            crawl.get(route.url(**kwargs), expect_denied=True)
            crawl.denied_routes.add(route.name or route.display)
        for kwargs in kwarg_combinations(route, world, "a"):
            crawl.get(route.url(**kwargs), expect_denied=False)
    assert not crawl.problems, "\n".join(crawl.problems)
    # The crawl really reached B's objects through the views that serve them.
    assert {"core:file_download", "org:unit_detail", "org:person_detail"} <= crawl.denied_routes
    assert crawl.requests > 3 * len(all_routes) // 2


def test_crawler_sees_a_leak_when_there_is_one(world, client_for):
    """The crawler's own check: B's file, downloaded by the office, is found in the body."""
    crawl = Crawl(client_for(world.office), world)
    file_b = world.b_objects["file"][0]
    crawl.get(f"/files/{file_b}/", expect_denied=True)
    assert any("B-ONLY-CONTENT" in problem for problem in crawl.problems)
    assert any("expected 403/404" in problem for problem in crawl.problems)


def test_crawler_finds_every_registered_app(world):
    names = {route.name.split(":")[0] for route in routes() if route.name and ":" in route.name}
    assert {"core", "org", "security", "audit", "jobs"} <= names
