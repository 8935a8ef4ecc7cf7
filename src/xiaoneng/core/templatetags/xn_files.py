"""``{% unit_documents unit %}``: the unit's documents and an upload form, scoped to the viewer."""

from __future__ import annotations

from django import template

from xiaoneng.core.files.checks import BUSINESS_KINDS
from xiaoneng.core.files.forms import accept_attribute
from xiaoneng.core.files.selectors import stored_file_list_for_user
from xiaoneng.core.scoping import can_write

register = template.Library()


@register.inclusion_tag("core/_file_list.html", takes_context=True)
def unit_documents(context, unit):
    request = context["request"]
    user = request.user
    return {
        "request": request,
        "unit": unit,
        "files": stored_file_list_for_user(user=user, linked_to=unit),
        "can_upload": can_write(user, unit),
        "accept": accept_attribute(BUSINESS_KINDS),
        "csrf_token": context.get("csrf_token"),
    }
