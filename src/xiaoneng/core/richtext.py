"""Rich text from users (news items, bulletins' remarks) reduced to a small, safe HTML allowlist.

Output of ``sanitize_html`` may be marked safe in templates; nothing else from a user may.
Links keep only http, https and mailto targets and open without referrer or opener;
images may only show files this site serves (``/files/<id>/``), never another origin.
"""

from __future__ import annotations

import re

import nh3

ALLOWED_TAGS = frozenset({
    "p", "br", "strong", "em", "u", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "a", "img",
})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt"}}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
_OWN_FILE = re.compile(r"^/files/\d+/$")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value if _LINK.match(value.strip()) else None
    if tag == "img" and attribute == "src":
        return value if _OWN_FILE.match(value.strip()) else None
    return value


def sanitize_html(value: str | None) -> str:
    """``value`` with every tag, attribute and URL outside the allowlist removed."""
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(LINK_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_filter_attribute,
        clean_content_tags={"script", "style"},
    )
