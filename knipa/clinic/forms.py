"""The clinician's forms: a prescription, a person's code, and the host's staff forms.

The prescription's numbers are checked by the program's own rules (knipa.program.plan:
check_prescription, PARAMETER_BOUNDS, rest >= hold, T4), never by rules written here: the form only
turns text into whole numbers and the program's answer into words.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from knipa.clinicians.models import Profession
from knipa.program.plan import PARAMETER_BOUNDS, PRESCRIBED_NUMBERS, ParameterProblem, check_prescription
from knipa.program.rounds import MAIN_PATH
from knipa.sharing.models import PrescriptionMode
from knipa.training.models import POSITION_CHOICES
from knipa.training.plan_texts import PARAMETER_LABELS, stage_name

NOTE_LENGTH = 1000
CHOOSE_ONE = {"required": _("Please choose one of the options."),
              "invalid_choice": _("Please choose one of the options.")}


class PrescriptionForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"),
        help_text=_("On the pain path or soon after a birth or operation, the side path stays first; these numbers "
                    "wait behind it."),
        error_messages=CHOOSE_ONE,
    )
    positions = forms.MultipleChoiceField(
        label=_("Positions"),
        help_text=_("None chosen: every position the round allows."),
        choices=POSITION_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Please choose one of the options.")},
    )
    mode = forms.ChoiceField(
        label=_("How the plan uses the numbers"),
        choices=[(PrescriptionMode.FIXED.value, _("Keep them fixed: the plan does not grow by itself")),
                 (PrescriptionMode.STARTING_POINT.value,
                  _("A new starting point: the plan grows from them by the person's reports"))],
        widget=forms.RadioSelect,
        error_messages=CHOOSE_ONE,
    )
    note = forms.CharField(
        label=_("A note to the person"),
        help_text=_("Optional. Shown with the numbers when they decide."),
        required=False,
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Please keep the note under %(limit_value)d characters.")},
    )

    field_order = ["stage", *PRESCRIBED_NUMBERS, "positions", "mode", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [(stage.value, stage_name(stage)) for stage in MAIN_PATH]
        for name in PRESCRIBED_NUMBERS:
            low, high = PARAMETER_BOUNDS[name]
            self.fields[name] = forms.IntegerField(
                label=PARAMETER_LABELS[name],
                help_text=_("From %(low)d to %(high)d.") % {"low": low, "high": high},
                error_messages={"required": _("Please give a number."), "invalid": _("Please give a whole number.")},
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": low, "max": high}),
            )
        self.order_fields(self.field_order)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        for name, problem in check_prescription(self.parameters()).items():
            self.add_error(name if name in self.fields else None, self._words(name, problem))
        return cleaned

    def parameters(self) -> dict:
        """The values in the program's names (knipa.program.plan.PRESCRIPTION_FIELDS)."""
        cleaned = self.cleaned_data
        values = {name: cleaned.get(name) for name in PRESCRIBED_NUMBERS}
        values["stage"] = cleaned.get("stage")
        values["positions"] = list(cleaned.get("positions") or [])
        return values

    @staticmethod
    def _words(name: str, problem: ParameterProblem) -> str:
        low, high = PARAMETER_BOUNDS.get(name, (None, None))
        if problem is ParameterProblem.TOO_LOW:
            return _("The lowest safe value is %(limit_value)s.") % {"limit_value": low}
        if problem is ParameterProblem.TOO_HIGH:
            return _("The highest safe value is %(limit_value)s.") % {"limit_value": high}
        if problem is ParameterProblem.REST_SHORTER_THAN_HOLD:
            # T4: relax completely and rest at least as long as the squeeze lasted.
            return _("The rest must be at least as long as the squeeze, so the muscles recover fully.")
        if problem is ParameterProblem.MISSING:
            return _("Please give a number.")
        return _("Please choose one of the options.")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The person's code"),
        help_text=_("Eight letters and digits, for example ABCD-EFGH. The person makes it in Knipa under "
                    "Account, Sharing."),
        max_length=40,
        error_messages={"required": _("Please give the code.")},
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}),
    )


class ClinicForm(forms.Form):
    name = forms.CharField(label=_("The clinic's name"), max_length=200,
                           error_messages={"required": _("Please give the clinic a name.")})


class ClinicianForm(forms.Form):
    clinic = forms.ChoiceField(label=_("Clinic"), error_messages=CHOOSE_ONE)
    username = forms.CharField(label=_("Username"), max_length=150,
                               help_text=_("What they log in with: letters, digits and @ . + - _"),
                               error_messages={"required": _("Please give a username.")},
                               widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}))
    display_name = forms.CharField(label=_("Name shown to people"), max_length=200,
                                   help_text=_("For example “Eva Berg, physiotherapist”."),
                                   error_messages={"required": _("Please give the name people see.")})
    profession = forms.ChoiceField(label=_("Profession"), choices=Profession.choices, error_messages=CHOOSE_ONE)

    def __init__(self, *args, clinics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].choices = [("", "—"), *[(str(clinic.pk), clinic.name) for clinic in clinics]]
