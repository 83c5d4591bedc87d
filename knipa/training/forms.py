"""Forms for the plan page: the person's own numbers and the movements they practise (E5)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from knipa.program.plan import PARAMETER_BOUNDS, ParameterProblem, check_parameters
from knipa.training.plan_texts import MOVEMENT_LABELS, PARAMETER_LABELS


class PlanNumbersForm(forms.Form):
    """Squeeze and rest seconds, squeezes, rounds and days, within the safe bounds of the plan."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in PARAMETER_BOUNDS.items():
            self.fields[name] = forms.IntegerField(
                label=PARAMETER_LABELS[name],
                min_value=low,
                max_value=high,
                help_text=_("From %(low)d to %(high)d.") % {"low": low, "high": high},
                error_messages={
                    "required": _("Please give a number."),
                    "invalid": _("Please give a whole number."),
                    "min_value": _("The lowest safe value is %(limit_value)s."),
                    "max_value": _("The highest safe value is %(limit_value)s."),
                },
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def clean(self):
        cleaned = super().clean()
        if all(name in cleaned for name in PARAMETER_BOUNDS):
            problems = check_parameters(cleaned)
            if problems.get("strength_rest_seconds") is ParameterProblem.REST_SHORTER_THAN_HOLD:
                # T4: relax completely and rest at least as long as the squeeze lasted.
                self.add_error("strength_rest_seconds",
                               _("Rest at least as long as you hold the squeeze, so the muscles recover fully."))
        return cleaned


class MovementsForm(forms.Form):
    movements = forms.MultipleChoiceField(
        label=_("Which movements cause you trouble?"),
        help_text=_("You squeeze first, then do the movement, then relax. Choose at least one."),
        choices=list(MOVEMENT_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one movement.")},
    )
