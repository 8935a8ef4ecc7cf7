"""The results workbook of a survey: one sheet of rates, one per question, one of comments."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from xiaoneng.core.xlsx import safe_cell

from . import selectors


def survey_results_xlsx(*, user, survey) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Satisfaction")[:31]
    sheet.append([safe_cell(survey.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Dates"), f"{survey.starts_on:%Y-%m-%d} — {survey.ends_on:%Y-%m-%d}",
                  _("Target satisfaction rate (%)"), float(survey.target_rate)])
    sheet.append([])
    headers = [_("Unit · ward · person rated"), _("Responses"), _("Satisfied answers"),
               _("Answers counted"), _("Satisfaction rate (%)"), _("Meets target")]
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in selectors.survey_results(user=user, survey=survey):
        s = row.satisfaction
        sheet.append([safe_cell(row.label), s.responses, s.satisfied, s.counted,
                      float(s.rate) if s.rate is not None else None,
                      "" if row.meets_target is None else (_("Yes") if row.meets_target else _("No"))])
    sheet.column_dimensions["A"].width = 40
    for column in "BCDEF":
        sheet.column_dimensions[column].width = 16

    answers = workbook.create_sheet(_("Answers")[:31])
    answers.append([_("Question"), _("Answer"), _("Count"), _("Counts as satisfied")])
    comments = workbook.create_sheet(_("Comments")[:31])
    comments.append([_("Question"), _("Comment")])
    for breakdown in selectors.question_breakdown(user=user, survey=survey, comment_limit=10_000):
        for label, count, is_satisfied in breakdown.counts:
            answers.append([safe_cell(breakdown.question.text), safe_cell(label), count,
                            _("Yes") if is_satisfied else ""])
        for text in breakdown.comments:
            comments.append([safe_cell(breakdown.question.text), safe_cell(text)])
    answers.column_dimensions["A"].width = 50
    comments.column_dimensions["A"].width = 40
    comments.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
