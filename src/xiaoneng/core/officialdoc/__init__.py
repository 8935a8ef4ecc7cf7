"""Chinese official documents (.docx) in the GB/T 9704-2012 layout; see docs/officialdoc.md."""

from .document import DOCX_CONTENT_TYPE, OfficialDocument, chinese_date, docx_response
from .fonts import FONT_FALLBACKS, FontSettingError, resolve_fonts

__all__ = [
    "DOCX_CONTENT_TYPE",
    "FONT_FALLBACKS",
    "FontSettingError",
    "OfficialDocument",
    "chinese_date",
    "docx_response",
    "resolve_fonts",
]
