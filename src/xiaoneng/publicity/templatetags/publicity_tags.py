"""Template filters of the publicity screens."""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import mark_safe

from xiaoneng.core.richtext import sanitize_html

register = template.Library()


_TEXT = re.compile(r">([^<]*)<")


def _quote_text(match: re.Match) -> str:
    return ">" + match.group(1).replace('"', "&quot;").replace("'", "&#x27;") + "<"


@register.filter
def richtext(value: str) -> str:
    """Stored bodies were sanitised on input; sanitising again on output keeps a bad row harmless,
    and quotes in the text are escaped too, so no text can ever read as an attribute."""
    clean = _TEXT.sub(_quote_text, f"<i>{sanitize_html(value or '')}</i>")[3:-4]
    return mark_safe(clean)  # noqa: S308 - sanitize_html output is the allowlisted subset


@register.filter
def web_link(value: str) -> str:
    """The link only if it is an http(s) address; anything else (javascript:...) becomes empty."""
    text = (value or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else ""
