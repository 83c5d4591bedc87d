"""A clinician signs in with a password and a second factor (issue 16): an authenticator app
(TOTP, set up at the first sign-in) or a recovery code, used once. The password alone logs nobody
in, wrong codes are refused and throttled, and people and clinicians stay on their own pages."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from knipa.accounts.models import Profile
from knipa.clinicians import signin
from tests.clinicians.people import PASSWORD, app_of, code_for, english, make_clinician, verified_client

pytestmark = pytest.mark.django_db


def give_password(browser: Client, username: str = "physio", password: str = PASSWORD):
    return browser.post("/clinic/login/", {"username": username, "password": password})


def signed_in_user_id(browser: Client):
    return browser.session.get("_auth_user_id")


def test_a_new_clinician_connects_an_app_and_gets_ten_recovery_codes_shown_once():
    clinician = make_clinician()
    browser = english(Client())
    answer = give_password(browser)
    assert answer.status_code == 302 and answer["Location"] == "/clinic/login/setup/"
    page = browser.get("/clinic/login/setup/")
    assert page.status_code == 200
    html = page.content.decode()
    # The QR code is an image of a data: address (the CSP's img-src allows data:, no inline style).
    assert re.search(r'<img class="qr-code" src="data:image/svg\+xml', html)
    secret = browser.session[signin.ENROL_KEY]
    assert signin.secret_as_text(secret) in html  # the key by hand, too
    assert not TOTPDevice.objects.filter(user=clinician.user).exists()  # a GET never writes a device

    answer = browser.post("/clinic/login/setup/", {"code": code_for(secret)})
    assert answer.status_code == 302 and answer["Location"] == "/clinic/login/recovery-codes/"
    assert signed_in_user_id(browser) == str(clinician.user.pk)
    codes_page = browser.get("/clinic/login/recovery-codes/").content.decode()
    shown = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page)
    assert len(shown) == 10
    assert set(shown) == set(StaticToken.objects.filter(device__user=clinician.user).values_list("token", flat=True))
    again = browser.get("/clinic/login/recovery-codes/").content.decode()
    assert not any(code in again for code in shown)  # shown once
    assert browser.get("/clinic/").status_code == 200


def test_the_password_alone_logs_nobody_in():
    make_clinician()
    browser = english(Client())
    answer = give_password(browser)
    assert answer.status_code == 302
    assert signed_in_user_id(browser) is None
    assert browser.get("/clinic/").status_code == 302
    assert browser.get("/api/rounds").status_code == 401


def test_a_clinician_with_an_app_signs_in_with_the_password_and_the_code_it_shows():
    clinician = make_clinician()
    device = app_of(clinician.user)
    browser = english(Client())
    answer = browser.post("/clinic/login/", {"username": "Physio", "password": PASSWORD, "next": "/clinic/connect/"})
    assert answer["Location"] == "/clinic/login/code/"
    answer = browser.post("/clinic/login/code/", {"code": code_for(device.key)})
    assert answer.status_code == 302 and answer["Location"] == "/clinic/connect/"
    assert signed_in_user_id(browser) == str(clinician.user.pk)
    assert browser.get("/clinic/").status_code == 200


def test_a_code_already_used_does_not_sign_in_a_second_time():
    clinician = make_clinician()
    device = app_of(clinician.user)
    code = code_for(device.key)
    first = english(Client())
    give_password(first)
    assert first.post("/clinic/login/code/", {"code": code}).status_code == 302
    second = english(Client())
    give_password(second)
    answer = second.post("/clinic/login/code/", {"code": code})
    assert answer.status_code in {200, 429}
    assert signed_in_user_id(second) is None


def test_a_recovery_code_signs_in_once_and_is_then_used_up():
    clinician = make_clinician()
    app_of(clinician.user)
    codes = signin.new_recovery_codes(clinician.user)
    browser = english(Client())
    give_password(browser)
    answer = browser.post("/clinic/login/code/", {"code": codes[3].upper()[:4] + " " + codes[3][4:]})
    assert answer.status_code == 302 and signed_in_user_id(browser) == str(clinician.user.pk)
    assert signin.recovery_codes_left(clinician.user) == 9

    later = english(Client())
    give_password(later)
    answer = later.post("/clinic/login/code/", {"code": codes[3]})
    assert signed_in_user_id(later) is None
    assert answer.status_code == 200 and "That code is not right" in answer.content.decode()


def test_a_wrong_code_is_refused_and_the_next_try_must_wait():
    clinician = make_clinician()
    device = app_of(clinician.user)
    browser = english(Client())
    give_password(browser)
    wrong = f"{(int(code_for(device.key)) + 1) % 1_000_000:06d}"
    answer = browser.post("/clinic/login/code/", {"code": wrong})
    assert answer.status_code == 200 and signed_in_user_id(browser) is None
    # Straight after a wrong code even the right one waits (django-otp: 1, 2, 4 ... seconds).
    answer = browser.post("/clinic/login/code/", {"code": code_for(device.key)})
    assert answer.status_code == 429 and int(answer["Retry-After"]) >= 1
    assert signed_in_user_id(browser) is None
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_five_wrong_codes_end_the_sign_in_and_the_password_is_asked_again(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # this test counts the sign-in's own limit, not the wait
    clinician = make_clinician()
    device = app_of(clinician.user)
    browser = english(Client())
    give_password(browser)
    wrong = f"{(int(code_for(device.key)) + 7) % 1_000_000:06d}"
    for _attempt in range(signin.MAX_WRONG_CODES - 1):
        assert browser.post("/clinic/login/code/", {"code": wrong}).status_code == 200
    answer = browser.post("/clinic/login/code/", {"code": wrong})
    assert answer.status_code == 302 and answer["Location"] == "/clinic/login/"
    answer = browser.post("/clinic/login/code/", {"code": code_for(device.key)})
    assert answer["Location"] == "/clinic/login/" and signed_in_user_id(browser) is None


def test_a_sign_in_left_at_the_code_step_expires(monkeypatch):
    clinician = make_clinician()
    device = app_of(clinician.user)
    browser = english(Client())
    give_password(browser)
    later = time.time() + signin.PENDING_FOR.total_seconds() + 5
    monkeypatch.setattr(signin.time, "time", lambda: later)
    answer = browser.post("/clinic/login/code/", {"code": code_for(device.key, at=later)})
    assert answer["Location"] == "/clinic/login/" and signed_in_user_id(browser) is None


def test_a_persons_account_cannot_sign_in_as_a_clinician(owner):
    browser = english(Client())
    answer = browser.post("/clinic/login/", {"username": "owner", "password": PASSWORD})
    assert answer.status_code == 200
    assert "The username or the password is wrong" in answer.content.decode()
    assert signin.PENDING_KEY not in browser.session


def test_a_clinician_cannot_log_in_on_the_persons_login_page_and_never_gets_a_profile():
    clinician = make_clinician()
    browser = english(Client())
    answer = browser.post("/login/", {"username": "physio", "password": PASSWORD})
    assert answer.status_code == 200 and signed_in_user_id(browser) is None
    assert "clinician" in answer.content.decode()
    verified = verified_client(clinician.user)
    for path in ("/home/", "/plan/", "/account/", "/progress/", "/account/data/summary/"):
        answer = verified.get(path)
        assert answer.status_code == 302 and answer["Location"] == "/clinic/", path
    assert not Profile.objects.filter(user=clinician.user).exists()


def test_a_session_without_the_second_factor_does_not_reach_the_clinic():
    clinician = make_clinician()
    browser = english(Client())
    browser.force_login(clinician.user)  # a session from before the second factor, say
    answer = browser.get("/clinic/")
    assert answer.status_code == 302 and answer["Location"].startswith("/clinic/login/?next=")


def test_a_person_gets_no_clinic_page(owner_client):
    assert owner_client.get("/clinic/").status_code == 403
    assert owner_client.get("/clinic/staff/").status_code == 403


def test_wrong_passwords_lock_the_clinic_sign_in_as_they_lock_a_persons_login(settings):
    make_clinician()
    browser = english(Client())
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert give_password(browser, password="wrong password").status_code == 200
    locked = give_password(browser, password="wrong password")
    assert locked.status_code == 429
    assert 'href="/clinic/login/"' in locked.content.decode()
    assert give_password(browser).status_code == 429  # the right one too, until the cool-off
