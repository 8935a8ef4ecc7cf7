"""Survey forms: validation and field messages only."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.campaigns.forms import DateInput, StyledMixin
from xiaoneng.org.models import Unit

from .models import DistributionMethod, Question, QuestionKind, Questionnaire

MAX_COMMENT = 1000


class QuestionnaireForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class QuestionForm(StyledMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), max_length=300)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    choices = forms.CharField(label=_("Options (one per line)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    scale_max = forms.IntegerField(label=_("Highest rating"), min_value=2, max_value=10, initial=5, required=False)
    satisfied = forms.CharField(
        label=_("Answers counted as satisfied"), required=False, max_length=100,
        help_text=_("Option numbers (1 = first option) or ratings, separated by commas, e.g. 1,2 or 4,5. "
                    "Leave empty if the question does not count towards the satisfaction rate."))

    def clean_satisfied(self):
        raw = self.cleaned_data["satisfied"].replace("，", ",")
        try:
            values = [int(part) for part in raw.split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("Write numbers separated by commas, e.g. 1,2.")) from None
        return values

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        satisfied = data["satisfied"]
        if data["kind"] == QuestionKind.SINGLE:
            satisfied = [value - 1 for value in satisfied]  # people count options from 1
        return {"kind": data["kind"], "text": data["text"], "required": data["required"],
                "choices": data["choices"].splitlines(), "scale_max": data["scale_max"] or 5,
                "satisfied": satisfied}


class SurveyForm(StyledMixin, forms.Form):
    questionnaire = forms.ModelChoiceField(label=_("Questionnaire"), queryset=Questionnaire.objects.all())
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("First day"), widget=DateInput)
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput)
    target_rate = forms.DecimalField(label=_("Target satisfaction rate (%)"), min_value=0, max_value=100,
                                     decimal_places=2, initial=90)
    period_days = forms.IntegerField(
        label=_("Days per answering period"), min_value=1, max_value=366, initial=30,
        help_text=_("An open link accepts one answer per phone or browser for each person rated in each period."))

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The last day must not be before the first day."))
        return data


class DistributionForm(StyledMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.all())
    ward = forms.CharField(label=_("Ward or department"), max_length=100, required=False)
    subject = forms.CharField(label=_("Person or team rated"), max_length=100, required=False,
                              help_text=_("E.g. a doctor's or nurse's name and job, or 领导班子."))
    method = forms.ChoiceField(label=_("Method"), choices=DistributionMethod.choices)


class CodesForm(StyledMixin, forms.Form):
    count = forms.IntegerField(label=_("Number of codes"), min_value=1, max_value=2000, initial=50)


class AnswerForm(forms.Form):
    """The patient's form: one field per question, plus the form key, a code and a honeypot."""

    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # Left empty by people; filled by bots that fill every field.
    website = forms.CharField(required=False, max_length=200, widget=forms.TextInput(
        attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args, questions: list[Question], needs_code: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        if needs_code:
            self.fields["code"] = forms.CharField(
                label=_("One-time code"), max_length=20,
                widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off",
                                              "autocapitalize": "characters", "spellcheck": "false"}))
        for question in questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.TEXT:
                self.fields[name] = forms.CharField(
                    label=question.text, required=question.required, max_length=MAX_COMMENT,
                    widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
            else:
                self.fields[name] = forms.TypedChoiceField(
                    label=question.text, required=question.required, coerce=int, empty_value=None,
                    choices=[(str(value), label) for value, label in question.answer_values()],
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                    error_messages={"required": _("Please answer this question.")})

    def question_rows(self) -> list[dict]:
        """What the answering page draws, without Django's per-option widget templates (the page
        is the hot path of a survey: drawn for every patient, on a phone)."""
        rows = []
        for number, question in enumerate(self.questions, start=1):
            name = f"q{question.pk}"
            current = self.data.get(name, "") if self.is_bound else ""
            rows.append({
                "number": number, "name": name, "text": question.text, "required": question.required,
                "kind": question.kind,
                "options": [(str(value), label, str(value) == current) for value, label in question.answer_values()],
                "value": current, "errors": self.errors.get(name, []) if self.is_bound else [],
            })
        return rows

    def answers(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))
