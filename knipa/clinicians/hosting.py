"""What the host does with clinician accounts, for both the command line (`knipa manage clinician`)
and the staff page (/clinic/staff/): make clinics and clinicians, give a new set-password link,
deactivate an account, reset its second factor. Nobody becomes a clinician any other way.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from knipa.clinicians import signin
from knipa.clinicians.models import Clinic, Clinician, Profession
from knipa.clinicians.welcome import welcome_link


class Refused(ValueError):
    """What the host asked cannot be done; the message says why, translated, and `field` which
    value it is about (for a form), when it is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def add_clinic(name: str) -> Clinic:
    name = " ".join(name.split())
    if not name:
        raise Refused(_("Please give the clinic a name."), "name")
    if len(name) > Clinic._meta.get_field("name").max_length:
        raise Refused(_("The name is too long."), "name")
    if Clinic.objects.filter(name__iexact=name).exists():
        raise Refused(_("There is already a clinic with that name."), "name")
    return Clinic.objects.create(name=name)


def find_clinic(name: str) -> Clinic:
    clinic = Clinic.objects.filter(name__iexact=" ".join(name.split())).first()
    if clinic is None:
        raise Refused(_("There is no clinic with that name."))
    return clinic


def check_username(username: str) -> str:
    username = username.strip()
    if not username:
        raise Refused(_("Please give a username."), "username")
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise Refused(_("A username may have letters, digits and @ . + - _ only."), "username") from None
    if len(username) > get_user_model()._meta.get_field("username").max_length:
        raise Refused(_("The username is too long."), "username")
    # Usernames are one whatever their case (knipa.accounts.backends): "Eva" is taken if "eva" is.
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise Refused(_("That username is taken. Please choose another."), "username")
    return username


def add_clinician(clinic: Clinic, username: str, display_name: str, profession: str) -> tuple[Clinician, str]:
    """A new clinician account with no password yet, and the link (three days, once) to set one."""
    username = check_username(username)
    display_name = " ".join(display_name.split())
    if not display_name:
        raise Refused(_("Please give the name people see."), "display_name")
    if profession not in Profession.values:
        raise Refused(_("Please choose a profession from the list."), "profession")
    with transaction.atomic():
        user = get_user_model().objects.create_user(username=username)  # an unusable password
        clinician = Clinician.objects.create(user=user, clinic=clinic, display_name=display_name,
                                             profession=profession)
    return clinician, welcome_link(user)


def find_clinician(username: str) -> Clinician:
    clinician = Clinician.objects.select_related("user", "clinic").filter(
        user__username__iexact=username.strip()).first()
    if clinician is None:
        raise Refused(_("There is no clinician with that username."))
    return clinician


def new_link(clinician: Clinician) -> str:
    """A new set-password link (a forgotten password): the old password stops working when it is used."""
    if not clinician.active:
        raise Refused(_("This clinician is deactivated."))
    return welcome_link(clinician.user)


def deactivate(clinician: Clinician) -> None:
    """The account can no longer sign in, and its sessions end now; shares with it show nothing
    (knipa.sharing.access checks `active`). The row stays, so people's logs keep the name."""
    with transaction.atomic():
        Clinician.objects.filter(pk=clinician.pk).update(active=False)
        get_user_model().objects.filter(pk=clinician.user_id).update(is_active=False)
        signin.end_sessions(clinician.user)
    clinician.active = False


def reset_second_factor(clinician: Clinician) -> None:
    """A lost phone: the authenticator app and recovery codes are forgotten, and the next sign-in
    connects a new app. Sessions end now."""
    signin.reset_second_factor(clinician.user)


def has_second_factor(user) -> bool:
    return signin.totp_device(user) is not None
