"""The host makes clinician accounts (issue 16: never by signing up): with `knipa manage clinician`
or the staff page, which needs a staff account that passed the second factor too. A new clinician
sets their password with a link that works once, for three days."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from knipa.clinicians import signin, welcome
from knipa.clinicians.models import Clinic, Clinician
from knipa.sessions.models import Session
from tests.clinicians.people import PASSWORD, app_of, english, make_clinician, make_staff, verified_client

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Bäckenbotten är stark 2026"


def run(*args) -> str:
    out = StringIO()
    call_command("clinician", *args, stdout=out)
    return out.getvalue()


def link_path(output: str) -> str:
    return urlsplit(re.search(r"https?://[^\s<]+/clinic/welcome/[^\s</]+/", output).group(0)).path


def set_password(path: str, password: str = NEW_PASSWORD) -> Client:
    browser = english(Client())
    answer = browser.get(path)  # Django's view puts the token in the session and leaves the address
    assert answer.status_code == 302
    form_path = answer["Location"]
    answer = browser.post(form_path, {"new_password1": password, "new_password2": password})
    assert answer.status_code == 302 and answer["Location"] == "/clinic/login/", answer.content.decode()[:500]
    return browser


def test_the_command_makes_a_clinic_and_a_clinician_whose_link_sets_the_password_once():
    run("add-clinic", "Kvinnohälsan Söder")
    output = run("add", "--clinic", "kvinnohälsan söder", "--username", "eva", "--name", "Eva Berg",
                 "--profession", "midwife")
    clinician = Clinician.objects.get(user__username="eva")
    assert clinician.clinic.name == "Kvinnohälsan Söder" and clinician.profession == "midwife"
    assert not clinician.user.has_usable_password()
    path = link_path(output)
    set_password(path)
    clinician.user.refresh_from_db()
    assert clinician.user.check_password(NEW_PASSWORD)
    # Spent: the same link opens nothing any more.
    again = english(Client()).get(path, follow=True)
    assert "This link does not work" in again.content.decode()


def test_a_welcome_link_works_for_three_days_and_not_after(monkeypatch):
    clinician = make_clinician()
    path = welcome.welcome_path(clinician.user)
    generator = welcome.welcome_tokens
    now = generator._now()
    monkeypatch.setattr(type(generator), "_now", lambda self: now + timedelta(days=2, hours=23))
    assert english(Client()).get(path).status_code == 302  # still valid: on to the form
    monkeypatch.setattr(type(generator), "_now", lambda self: now + timedelta(days=3, minutes=1))
    answer = english(Client()).get(path)
    assert answer.status_code == 200 and "This link does not work" in answer.content.decode()


def test_a_persons_password_reset_link_is_not_a_clinicians_welcome_link():
    from django.contrib.auth.tokens import default_token_generator

    clinician = make_clinician()
    token = default_token_generator.make_token(clinician.user)
    assert not welcome.welcome_tokens.check_token(clinician.user, token)


def test_the_command_refuses_a_clinic_that_does_not_exist_and_a_taken_username(owner):
    with pytest.raises(CommandError, match="add-clinic"):
        run("add", "--clinic", "Nowhere", "--username", "x", "--name", "X", "--profession", "nurse")
    run("add-clinic", "Somewhere")
    with pytest.raises(CommandError, match="taken"):
        run("add", "--clinic", "Somewhere", "--username", "OWNER", "--name", "X", "--profession", "nurse")
    assert not Clinician.objects.exists()


def test_the_command_lists_clinicians_with_their_second_factor():
    connected = make_clinician("anna", clinic="Norr")
    app_of(connected.user)
    make_clinician("bo", clinic="Norr")
    output = run("list")
    assert "Norr" in output
    assert re.search(r"anna\t.*second factor connected", output)
    assert re.search(r"bo\t.*no second factor yet", output)


def test_deactivating_signs_the_clinician_out_and_they_cannot_sign_in_again():
    clinician = make_clinician()
    browser = verified_client(clinician.user)
    assert browser.get("/clinic/").status_code == 200
    run("deactivate", "physio")
    assert not Session.objects.filter(user=clinician.user).exists()
    assert browser.get("/clinic/").status_code == 302
    answer = english(Client()).post("/clinic/login/", {"username": "physio", "password": PASSWORD})
    assert answer.status_code == 200 and signin.PENDING_KEY not in answer.wsgi_request.session
    clinician.refresh_from_db()
    assert not clinician.active


def test_resetting_the_second_factor_forgets_the_app_and_the_codes_and_asks_for_a_new_app():
    clinician = make_clinician()
    app_of(clinician.user)
    signin.new_recovery_codes(clinician.user)
    browser = verified_client(clinician.user)
    run("reset-2fa", "physio")
    assert not TOTPDevice.objects.filter(user=clinician.user).exists()
    assert not StaticDevice.objects.filter(user=clinician.user).exists()
    assert browser.get("/clinic/").status_code == 302
    answer = english(Client()).post("/clinic/login/", {"username": "physio", "password": PASSWORD})
    assert answer["Location"] == "/clinic/login/setup/"


def test_the_command_names_every_action_in_its_help():
    from knipa.clinicians.management.commands.clinician import Command

    help_text = Command().create_parser("knipa manage", "clinician").format_help()
    for action in ("add-clinic", "add", "list", "link", "deactivate", "reset-2fa"):
        assert re.search(rf"^\s+{re.escape(action)}\s+\S", help_text, re.MULTILINE), action


def test_the_staff_page_needs_a_staff_account_that_passed_the_second_factor():
    staff = make_staff()
    clinician = make_clinician()
    assert Client().get("/clinic/staff/")["Location"].startswith("/clinic/login/")
    half = Client()
    half.force_login(staff)  # the password, not the second factor
    assert half.get("/clinic/staff/")["Location"].startswith("/clinic/login/")
    assert verified_client(clinician.user).get("/clinic/staff/").status_code == 403
    assert verified_client(staff).get("/clinic/staff/").status_code == 200


def test_staff_make_a_clinic_and_a_clinician_and_see_the_link_once():
    browser = verified_client(make_staff())
    answer = browser.post("/clinic/staff/", {"make": "clinic", "clinic-name": "Bäckencentrum"})
    assert answer.status_code == 302
    clinic = Clinic.objects.get(name="Bäckencentrum")
    answer = browser.post("/clinic/staff/", {"make": "clinician", "clinician-clinic": str(clinic.pk),
                                             "clinician-username": "sara", "clinician-display_name": "Sara Ek",
                                             "clinician-profession": "physiotherapist"})
    assert answer.status_code == 200
    html = answer.content.decode()
    path = link_path(html)
    set_password(path)
    assert get_user_model().objects.get(username="sara").check_password(NEW_PASSWORD)
    assert "/clinic/welcome/" not in browser.get("/clinic/staff/").content.decode()


def test_staff_are_told_plainly_when_a_username_is_taken(owner):
    browser = verified_client(make_staff())
    clinic = Clinic.objects.create(name="Väst")
    answer = browser.post("/clinic/staff/", {"make": "clinician", "clinician-clinic": str(clinic.pk),
                                             "clinician-username": "Owner", "clinician-display_name": "X",
                                             "clinician-profession": "nurse"})
    assert answer.status_code == 200 and "That username is taken" in answer.content.decode()
    assert not Clinician.objects.exists()


def test_staff_deactivate_a_clinician_and_reset_their_second_factor():
    browser = verified_client(make_staff())
    clinician = make_clinician()
    app_of(clinician.user)
    assert browser.post(f"/clinic/staff/clinicians/{clinician.pk}/reset-2fa/").status_code == 302
    assert not TOTPDevice.objects.filter(user=clinician.user).exists()
    assert browser.post(f"/clinic/staff/clinicians/{clinician.pk}/deactivate/").status_code == 302
    clinician.refresh_from_db()
    assert not clinician.active and not clinician.user.is_active
    assert browser.post(f"/clinic/staff/clinicians/{clinician.pk}/promote/").status_code == 404
