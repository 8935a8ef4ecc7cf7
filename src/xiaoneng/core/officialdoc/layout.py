"""The GB/T 9704-2012 page figures, in millimetres and in Word's units (twips = 1/20 pt)."""

from __future__ import annotations

PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 37
MARGIN_BOTTOM_MM = 35
MARGIN_LEFT_MM = 28
MARGIN_RIGHT_MM = 26
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 156
TEXT_HEIGHT_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM  # 225

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

TITLE_PT = 22  # 二号
BODY_PT = 16  # 三号
TABLE_PT = 14  # 四号
PAGE_NUMBER_PT = 14  # 四号

TWIPS_PER_MM = 1440 / 25.4


def mm_to_twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


TEXT_WIDTH_TWIPS = mm_to_twips(TEXT_WIDTH_MM)  # 8844
# 225 mm / 22 lines = 579.8 twips; 579 (28.95 pt) is what Word and WPS templates use:
# 22 lines fit in the text area, a 23rd does not.
LINE_PITCH_TWIPS = 579
# w:charSpace is the pitch minus the Normal font size, in 1/4096 pt:
# 156 mm / 28 = 15.7928 pt; (15.7928 - 16) * 4096 = -849.
CHAR_SPACE = -849
CHAR_PITCH_TWIPS = (BODY_PT + CHAR_SPACE / 4096) * 20  # 315.85
# 三号 runs are condensed by 0.3 pt (w:spacing -6): 28 × 15.7 pt = 439.6 pt fits the 442.2 pt
# line, 29 do not; it is also what keeps LibreOffice at 28 per line (see document._paragraph).
BODY_CONDENSE_TWIPS = -6
TABLE_LINE_TWIPS = 400  # exact 20 pt lines in table cells (四号 text)
# The page number line starts 7 mm below the text area: 35 - 7 = 28 mm above the page edge,
# minus the footer line's own height (exact 16 pt).
FOOTER_LINE_TWIPS = 320
FOOTER_DISTANCE_TWIPS = mm_to_twips(MARGIN_BOTTOM_MM - 7) - FOOTER_LINE_TWIPS
HEADER_DISTANCE_TWIPS = mm_to_twips(15)
