"""Django's password validators with Knipa's own words (AUTH_PASSWORD_VALIDATORS in settings).

The rules are Django's; only what the person reads changes: Django's stock texts ("Your password
can't be too similar to your other personal information.") are stiff, and their Swedish is
Django's, not ours (issue 15, item 11a)."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "Your password needs at least %(min_length)d character.",
            "Your password needs at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self):
        return ngettext(
            "At least %(min_length)d character.",
            "At least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("Your password is too much like your username or e-mail address. Choose one that is harder "
                 "to guess.")

    def get_help_text(self):
        return _("Not like your username.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return _("Many people use that password, so it is easy to guess. Choose another one.")

    def get_help_text(self):
        return _("Not a password many others use.")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self):
        return _("Your password cannot be only digits. Add a few letters or words.")

    def get_help_text(self):
        return _("Not only digits.")


def help_text() -> str:
    """The rules in one short line under the new password field."""
    return " ".join(str(validator.get_help_text())
                    for validator in password_validation.get_default_password_validators())
