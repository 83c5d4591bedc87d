"""The person's forms for sharing: what to share (the consent), and a clinician's code."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from knipa.sharing.access import CODE_LENGTH, normalise
from knipa.sharing.models import Scope

# Each scope in plain words: exactly what the clinician will see when it is ticked.
SCOPE_EXPLAINED = {
    Scope.ROUNDS: _("Training rounds: when you trained, which exercises, how long you held and what you answered "
                    "after each exercise, pain included."),
    Scope.PLAN: _("The plan and its history: your stage, your numbers, and every change with its reason."),
    Scope.CHECK_INS: _("Check-ins and leak log: your answers about leaks, bother and how you feel it is going, "
                       "and each leak you noted."),
    Scope.DIARY: _("Bladder diary: what you drank, when you went to the toilet, how much, and any leaks or pads."),
}
# What a physiotherapist needs to follow the training is ticked; the more private notes are not.
SENSIBLE_SCOPES = [Scope.ROUNDS.value, Scope.PLAN.value]


class ScopesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(
            choices=[(scope.value, SCOPE_EXPLAINED[scope]) for scope in Scope],
            label=_("What may they see?"),
            help_text=_("Tick what you want to share. Nothing else is shared: not your name, your username, your "
                        "e-mail address or your answers about your body."),
            error_messages={"required": _("Tick at least one thing to share.")},
            **kwargs,
        )


class LabelField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            required=False, max_length=80, strip=True,
            label=_("The name they see (if you want)"),
            help_text=_("For example your first name and an initial, so that they know who you are. Leave it "
                        "empty and they see only a number."),
            error_messages={"max_length": _("At most 80 characters.")},
            **kwargs,
        )
        self.widget.attrs.update({"autocomplete": "off"})


class ShareForm(forms.Form):
    scopes = ScopesField(initial=SENSIBLE_SCOPES)
    label = LabelField()


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(error_messages={"required": _("Type the code you were given.")}, **kwargs)
        self.widget.attrs.update({"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                                  "maxlength": "20"})

    def clean(self, value):
        value = normalise(super().clean(value))
        if len(value) != CODE_LENGTH:
            raise forms.ValidationError(gettext("A code has %(length)d letters and digits, like ABCD-EFGH.")
                                        % {"length": CODE_LENGTH})
        return value


class EnterCodeForm(forms.Form):
    code = CodeField(label=_("The code from your clinician"),
                     help_text=_("Eight letters and digits, like ABCD-EFGH."))


class ConsentForm(forms.Form):
    """The consent screen after a clinician's code: the code again (hidden) and the scopes."""

    code = CodeField(widget=forms.HiddenInput)
    scopes = ScopesField(initial=SENSIBLE_SCOPES)
    label = LabelField()


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))],
                               error_messages={"required": _("Choose whether to accept or decline."),
                                               "invalid_choice": _("Choose whether to accept or decline.")})
