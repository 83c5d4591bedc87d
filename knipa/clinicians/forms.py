"""The clinician's sign-in forms, in Knipa's words."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from knipa.accounts.forms import UsernamePasswordForm
from knipa.clinicians.access import may_use_clinic


class ClinicSignInForm(UsernamePasswordForm):
    """Username and password (django-axes counts the wrong ones, as for people), in the words of a
    person's login; a person's account here gets the same answer as a wrong password, so the form
    does not tell which accounts exist."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not may_use_clinic(user):
            raise self.get_invalid_login_error()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("The six digits your authenticator app shows now, or one of your recovery codes."),
        error_messages={"required": _("Please give the code.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none",
                                      "spellcheck": "false"}),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("The six digits the app shows"),
        max_length=12,
        help_text=_("They change every 30 seconds. Type the ones shown now."),
        error_messages={"required": _("Please give the code.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class WelcomePasswordForm(SetPasswordForm):
    """The clinician's first password, set from the host's link."""

    error_messages = {"password_mismatch": _(
        "The two passwords are not the same. Type the same password in both fields.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label = _("New password")
        first.help_text = " ".join(str(text) for text in password_validation.password_validators_help_texts())
        first.error_messages["required"] = _("Please choose a password.")
        second.label = _("New password again")
        second.help_text = _("Type the same password again, so that we know it is the one you meant.")
        second.error_messages["required"] = _("Please type the password once more.")
