"""Forms for onboarding, the profile, the account and importing one's data. Every message is translated."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta
from functools import lru_cache

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm, SetPasswordMixin
from django.utils.translation import gettext_lazy as _

from knipa.accounts import password_rules
from knipa.accounts.backends import find_user
from knipa.accounts.models import (
    BODY_CHOICES,
    GOAL_CHOICES,
    RECENT_EVENT_CHOICES,
    RECENT_EVENT_CHOICES_WITHOUT_BIRTH,
    Profile,
)
from knipa.program.safety import RecentEvent, asks_about_pregnancy, may_have_given_birth

# The birth or operation the safety question asks about: within the last year (V3 covers the
# first year after a birth); an earlier one is answered "No".
EVENT_WITHIN = timedelta(days=365)

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _yes_no_to_bool(value: str) -> bool:
    return value == "yes"


def _bool_to_yes_no(value: bool | None) -> str | None:
    if value is None:
        return None
    return "yes" if value else "no"


class BodyForm(forms.ModelForm):
    body = forms.ChoiceField(
        label=_("How should the instructions describe your body?"),
        help_text=_("The squeeze is described a little differently depending on the body. You can change this later."),
        choices=BODY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose one of the options.")},
    )

    class Meta:
        model = Profile
        fields = ["body"]


class GoalsForm(forms.ModelForm):
    goals = forms.MultipleChoiceField(
        label=_("Why do you want to train?"),
        help_text=_("Choose as many as fit."),
        choices=GOAL_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one reason.")},
    )

    class Meta:
        model = Profile
        fields = ["goals"]


class SafetyForm(forms.ModelForm):
    pain = forms.TypedChoiceField(
        label=_("Do you have pain in the genital area, or does it hurt when you squeeze?"),
        choices=YES_NO,
        coerce=_yes_no_to_bool,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please answer yes or no.")},
    )
    recent_event = forms.ChoiceField(
        label=_("Have you given birth, or had surgery in the pelvis or genital area, in the last year?"),
        choices=RECENT_EVENT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose one of the options.")},
    )
    event_on = forms.DateField(
        label=_("When was it?"),
        help_text=_("The day of the birth or the operation. An approximate day is fine."),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Please give a date like 2026-05-24.")},
    )
    go_ahead = forms.BooleanField(
        label=_("Whoever treated me has said that I may start pelvic floor training: a midwife or doctor after a "
                "birth, a doctor after an operation."),
        help_text=_("Only if you have given birth or had surgery in the last year."),
        required=False,
    )
    pregnant = forms.TypedChoiceField(
        label=_("Are you pregnant?"),
        choices=YES_NO,
        coerce=_yes_no_to_bool,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please answer yes or no.")},
    )

    class Meta:
        model = Profile
        fields = ["pain", "recent_event", "event_on", "go_ahead", "pregnant"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model stores booleans; the radio buttons speak yes/no.
        for name in ("pain", "pregnant"):
            self.initial[name] = _bool_to_yes_no(getattr(self.instance, name))
        body = self.instance.body
        if not may_have_given_birth(body):
            # S2, W3: after prostate surgery, say; never a birth, and a doctor's go-ahead.
            self.fields["recent_event"].choices = RECENT_EVENT_CHOICES_WITHOUT_BIRTH
            self.fields["recent_event"].label = _("Have you had surgery in the pelvis or genital area in the last year?")
            self.fields["go_ahead"].label = _("My doctor has said that I may start pelvic floor training.")
            self.fields["go_ahead"].help_text = _("Only if you have had surgery in the last year.")
            self.fields["event_on"].help_text = _("The day of the operation. An approximate day is fine.")
        if not asks_about_pregnancy(body):
            del self.fields["pregnant"]  # asked only where it can apply

    def clean(self):
        cleaned = super().clean()
        event = cleaned.get("recent_event")
        if event == RecentEvent.NONE:
            # A go-ahead and a day only mean something after a birth or an operation (S2).
            cleaned["go_ahead"] = False
            cleaned["event_on"] = None
        elif event and "event_on" not in self.errors:
            day = cleaned.get("event_on")
            today = self.instance.today()
            if day is None:
                self.add_error("event_on", _("Please give the day, approximately, so that we can follow the "
                                             "weeks after it."))
            elif day > today:
                self.add_error("event_on", _("That day has not come yet. Give the day it happened."))
            elif today - day > EVENT_WITHIN:
                self.add_error("event_on", _("That is more than a year ago. Then answer No to this question."))
        return cleaned

    def save(self, commit=True):
        profile = super().save(commit=False)
        if "pregnant" not in self.fields:
            profile.pregnant = False
        if commit:
            profile.save()
        return profile


@lru_cache(maxsize=1)
def time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(zone for zone in zoneinfo.available_timezones() if "/" in zone or zone == "UTC")
    return [(zone, zone.replace("_", " ")) for zone in zones]


class TimeZoneForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        help_text=_("Used for reminders and to show your training at the right local time."),
        error_messages={
            "required": _("Please choose a time zone."),
            "invalid_choice": _("That is not a time zone we know. Please choose one from the list."),
        },
    )

    class Meta:
        model = Profile
        fields = ["time_zone"]

    def __init__(self, *args, detect: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()
        if detect:
            # static/knipa/js/timezone.js replaces the default with the browser's own zone.
            self.fields["time_zone"].widget.attrs["data-detect-time-zone"] = "true"


def _address_field() -> forms.EmailField:
    return forms.EmailField(
        label=_("E-mail address (optional)"), required=False, max_length=254,  # as the user's `email`
        help_text=_("For resetting a forgotten password and, if you want, reminders by e-mail. We first send a "
                    "link to confirm that the address is yours. Never shown to anyone."),
        error_messages={"invalid": _("Please give a valid e-mail address.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


# Django's stock texts for passwords ("Password confirmation", "Enter the same password as before,
# for verification.", "This field is required.") replaced by Knipa's own (issue 15, item 11a).
PASSWORD_MISMATCH = _("The two passwords are not the same. Type the same password in both fields.")


def word_new_passwords(form, first: str, second: str, first_label, second_label) -> None:
    """Knipa's labels, help and messages on a form's two new-password fields."""
    form.fields[first].label = first_label
    form.fields[first].help_text = password_rules.help_text()
    form.fields[first].error_messages["required"] = _("Please choose a password.")
    form.fields[second].label = second_label
    form.fields[second].help_text = _("Type the same password again, so that we know it is the one you meant.")
    form.fields[second].error_messages["required"] = _("Please type the password once more.")


class SecureProfileForm(SetPasswordMixin, forms.ModelForm):
    """Give a browser-bound profile a username and password, so it can be opened anywhere."""

    error_messages = {"password_mismatch": PASSWORD_MISMATCH}
    password1, password2 = SetPasswordMixin.create_password_fields()
    # Not the model's field: a changed address must go through knipa.accounts.emails (unconfirmed
    # until its owner opens the link), which the view does after saving.
    email = _address_field()

    class Meta:
        model = get_user_model()
        fields = ["username"]
        help_texts = {
            "username": _("Letters, digits and @ . + - _ only. You log in with it."),
        }
        error_messages = {
            "username": {
                "required": _("Please choose a username."),
                "unique": _("That username is taken. Please choose another one."),
                "invalid": _("A username may have letters, digits and @ . + - _ only, no spaces."),
                "max_length": _("That username is too long: at most %(limit_value)d characters."),
            },
        }

    def __init__(self, *args, mail_available: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The generated name of a browser-bound profile is not something to keep.
        self.initial["username"] = ""
        self.initial["email"] = self.instance.email
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.order_fields(["username", "email"])
        word_new_passwords(self, "password1", "password2", _("Password"), _("Password again"))
        if not mail_available:
            del self.fields["email"]  # no mail server: an address could never be confirmed

    def clean_username(self):
        # Logging in does not care about case (knipa.accounts.backends), so "Anna" must not be
        # claimed beside "anna": the two would be one name with two passwords.
        username = self.cleaned_data["username"]
        other = find_user(username)
        if other is not None and other.pk != self.instance.pk:
            raise forms.ValidationError(_("That username is taken. Please choose another one."), code="unique")
        return username

    def clean(self):
        self.validate_passwords()
        return super().clean()

    def _post_clean(self):
        super()._post_clean()
        self.validate_password_for_user(self.instance)

    def save(self, commit=True):
        user = super().save(commit=False)
        return self.set_password_and_save(user, commit=commit)


class EmailAddressForm(forms.Form):
    email = _address_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")
        self.fields["email"].help_text = _("Leave it empty to remove your address. A new address gets a link to "
                                           "confirm it; until it is opened, Knipa sends nothing else to it.")


class PasswordResetRequestForm(forms.Form):
    name = forms.CharField(
        label=_("Your username or e-mail address"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
        error_messages={"required": _("Please give your username or your e-mail address.")},
    )


class UsernamePasswordForm(AuthenticationForm):
    """Django's username-and-password form in Knipa's words: a person's login (LoginForm) and a
    clinician's (knipa.clinicians.forms) say the same."""

    # Plainly what went wrong; Django's own says both fields may be case-sensitive, which the
    # username is not here (knipa.accounts.backends).
    error_messages = {
        "invalid_login": _("The username or the password is wrong. Check them and try again."),
        "inactive": _("This account cannot be used."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocapitalize"] = "none"
        self.fields["username"].error_messages["required"] = _("Please give your username.")
        self.fields["password"].error_messages["required"] = _("Please give your password.")


class LoginForm(UsernamePasswordForm):
    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        # A clinician signs in at /clinic/login/, with a second factor (knipa.clinicians.signin);
        # here they would get a session without it. Asked by the reverse relation's name, since
        # knipa.clinicians is a layer above this room and cannot be imported here.
        if hasattr(user, "clinician"):
            raise forms.ValidationError(
                _("This is a clinician's account. Clinicians log in on their own page, with a second step."),
                code="clinician")


class KnipaPasswordChangeForm(PasswordChangeForm):
    """Django's password change in Knipa's words."""

    error_messages = {
        "password_mismatch": PASSWORD_MISMATCH,
        "password_incorrect": _("That is not your current password. Please try again."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Your current password")
        self.fields["old_password"].error_messages["required"] = _("Please give your current password.")
        word_new_passwords(self, "new_password1", "new_password2", _("New password"), _("New password again"))


class KnipaSetPasswordForm(SetPasswordForm):
    """A new password after a reset link, in Knipa's words."""

    error_messages = {"password_mismatch": PASSWORD_MISMATCH}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        word_new_passwords(self, "new_password1", "new_password2", _("New password"), _("New password again"))


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, delete my account and everything in it. This cannot be undone."),
        error_messages={"required": _("Tick the box to confirm that you want to delete everything.")},
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            # A browser-bound profile has no password; holding the browser is the proof.
            del self.fields["password"]
        else:
            self.fields["password"].required = True
            self.fields["password"].error_messages["required"] = _("Enter your password to confirm.")

    def clean_password(self):
        password = self.cleaned_data.get("password", "")
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not right."))
        return password
