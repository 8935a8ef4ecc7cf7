"""Walk every URL pattern the project registers, with the ids of a seeded world.

Nothing here lists URLs: ``routes()`` reads Django's resolver (namespaced includes too), so
a view added by any app is crawled the day it lands. ``body_text`` turns any response into
searchable text (HTML, JSON with its \\u escapes, files, and the XML inside xlsx/docx).
"""

from __future__ import annotations

import io
import itertools
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter
from django.urls.resolvers import RegexPattern, RoutePattern

from .seeds import KWARG_KINDS, World

# Not crawled with GET, each with its reason. (POSTs to them are still CSRF-checked.)
SKIP_GET: dict[str, str] = {
    "security:logout": "ends the crawler's own session",
    "set_language": "POST-only language switch; changes the session's language for the rest of the crawl",
}
MAX_COMBINATIONS = 60


@dataclass
class Route:
    name: str | None
    display: str
    callback: Any
    pieces: list[Any]
    converters: dict[str, Any] = field(default_factory=dict)
    default_args: dict[str, Any] = field(default_factory=dict)

    @property
    def kwarg_names(self) -> list[str]:
        return [name for name in self.converters if name not in self.default_args]

    def url(self, **kwargs: Any) -> str:
        if self.name:
            return reverse(self.name, kwargs=kwargs or None)
        path = ""
        for piece in self.pieces:
            if not isinstance(piece, RoutePattern):
                raise AssertionError(f"unnamed regex URL pattern {self.display}: give it a name")

            def substitute(match: re.Match) -> str:
                key = match.group("name")
                return self.converters[key].to_url(kwargs[key])

            path += re.sub(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>", substitute, str(piece._route))
        return "/" + path.lstrip("/")


def routes() -> list[Route]:
    """Every URL pattern of the project, with its full name and converters."""
    found: list[Route] = []

    def walk(resolver: URLResolver, pieces: list[Any], namespace: str | None) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                child = entry.namespace
                joined = f"{namespace}:{child}" if namespace and child else (child or namespace)
                walk(entry, [*pieces, entry.pattern], joined)
            elif isinstance(entry, URLPattern):
                all_pieces = [*pieces, entry.pattern]
                converters: dict[str, Any] = {}
                for piece in all_pieces:
                    if isinstance(piece, RoutePattern):
                        converters.update(piece.converters)
                    elif isinstance(piece, RegexPattern):
                        converters.update({group: None for group in piece.regex.groupindex})
                name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
                display = "".join(str(piece) for piece in all_pieces)
                found.append(Route(name=name, display=f"/{display} ({name or 'unnamed'})", callback=entry.callback,
                                   pieces=all_pieces, converters=converters,
                                   default_args=dict(entry.default_args)))

    walk(get_resolver(), [], None)
    return found


def candidate_values(world: World, side: str, kwarg: str, converter: Any) -> list[Any]:
    kind = KWARG_KINDS.get(kwarg)
    values = world.ids(side, kind)
    if isinstance(converter, IntConverter):
        return [value for value in values if isinstance(value, int)]
    if isinstance(converter, UUIDConverter):
        return [value for value in values if not isinstance(value, int | str)]
    # str, slug, path and regex groups: whatever string identifiers the world has, and the ids.
    return [str(value) for value in values] or ([] if side == "a" else sorted(world.b_markers)[:3])


def kwarg_combinations(route: Route, world: World, side: str) -> Iterator[dict[str, Any]]:
    """Assignments of the route's kwargs using ids of one side (A or B), at most MAX_COMBINATIONS."""
    names = route.kwarg_names
    pools = [candidate_values(world, side, name, route.converters[name]) for name in names]
    if any(not pool for pool in pools):
        return
    yield from itertools.islice((dict(zip(names, combo, strict=True)) for combo in itertools.product(*pools)),
                                MAX_COMBINATIONS)


def body_text(response) -> str:
    """Everything a user could read from the response: body, files inside zips, download names."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    parts = [raw.decode("utf-8", errors="replace")]
    if raw.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            for entry in archive.infolist():
                if entry.file_size < 50 * 1024 * 1024:
                    parts.append(archive.read(entry).decode("utf-8", errors="replace"))
    for header in ("Content-Disposition", "Location", "HX-Redirect", "HX-Trigger"):
        if response.has_header(header):
            parts.append(response[header])
    return "\n".join(parts)


def marker_forms(marker: str) -> set[str]:
    """A marker as it may appear: plain, JSON-escaped, percent-encoded (download names, URLs)."""
    return {marker, json.dumps(marker)[1:-1], quote(marker), quote(marker, safe="").lower()}


def leaked(text: str, markers: set[str]) -> list[str]:
    return sorted(marker for marker in markers if any(form in text for form in marker_forms(marker)))
