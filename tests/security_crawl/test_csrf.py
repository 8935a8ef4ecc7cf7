"""SECURITY-CHECKS 17: every URL refuses a POST without a CSRF token; nothing is csrf_exempt."""

from __future__ import annotations

from django.http import HttpResponseForbidden
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from .crawler import kwarg_combinations, routes

# Views allowed to skip the CSRF check, each with the reason it was accepted. Empty by design.
REVIEWED_CSRF_EXEMPT: dict[str, str] = {}


def csrf_rejected(request, reason=""):
    """Stands in for the real failure view, so the test knows the refusal came from the CSRF check."""
    response = HttpResponseForbidden("csrf")
    response["X-Test-Csrf-Rejected"] = reason or "yes"
    return response


def test_post_without_token_is_refused_on_every_url(world, settings):
    settings.CSRF_FAILURE_VIEW = "tests.security_crawl.test_csrf.csrf_rejected"
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.office)
    problems = []
    checked = 0
    for route in routes():
        if route.kwarg_names:
            kwargs = next(kwarg_combinations(route, world, "a"), None) or next(
                kwarg_combinations(route, world, "b"), None)
            if kwargs is None:
                problems.append(f"{route.display}: no seeded id fits its kwargs; add a seed or KWARG_KINDS entry")
                continue
        else:
            kwargs = {}
        url = route.url(**kwargs)
        response = client.post(url, {"name": "x", "unit": world.unit_a.pk})
        checked += 1
        if response.status_code != 403 or not response.has_header("X-Test-Csrf-Rejected"):
            problems.append(f"POST {url}: {response.status_code} without a CSRF token")
    assert not problems, "\n".join(problems)
    assert checked == len(routes())


def test_htmx_post_with_a_wrong_token_header_is_refused(world, settings):
    settings.CSRF_FAILURE_VIEW = "tests.security_crawl.test_csrf.csrf_rejected"
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.liaison_a)
    client.get("/")  # receive a CSRF cookie, then send a token that does not match it
    response = client.post("/files/upload/", {"unit": world.unit_a.pk}, HTTP_HX_REQUEST="true",
                           HTTP_X_CSRFTOKEN="x" * 32)
    assert response.status_code == 403
    assert response.has_header("X-Test-Csrf-Rejected")


def test_csrf_refusal_tells_the_user_to_reload_the_page(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.liaison_a)
    response = client.post("/files/upload/", {"unit": world.unit_a.pk})
    assert response.status_code == 403
    with translation.override("zh-hans"):
        expected = gettext("Request refused")
    assert expected in response.content.decode()


def test_no_view_is_csrf_exempt_unless_reviewed():
    exempt = {route.name or route.display for route in routes() if getattr(route.callback, "csrf_exempt", False)}
    assert exempt <= set(REVIEWED_CSRF_EXEMPT), f"csrf_exempt views not reviewed: {sorted(exempt - set(REVIEWED_CSRF_EXEMPT))}"
