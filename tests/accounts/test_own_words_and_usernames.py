"""Knipa's own words on the account forms, and usernames in any case (issue 15, items 11a and 11f).

a: Django's stock texts ("Password confirmation", "This field is required.", the validators' help)
are replaced by Knipa's; "correct the marked fields" shows only when a field is marked, so a wrong
password at login says plainly that the username or the password is wrong.
f: "Anna" and "anna" are one person: logging in finds either, django-axes counts both as one
username, and claiming a name that differs from a taken one only by case is refused."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, make_person

pytestmark = pytest.mark.django_db

STOCK = ("This field is required", "Password confirmation", "for verification", "case-sensitive",
         "didn’t match", "already exists", "can’t be", "entirely numeric", "too common")


def visitor(language: str = "en") -> Client:
    client = Client()
    client.cookies["knipa_language"] = language
    return client


def browser_profile(language: str = "en") -> Client:
    client = visitor(language)
    client.post(reverse("accounts:begin"))
    return client


def claim(client: Client, username: str, password: str = "a long passphrase of mine", again: str | None = None):
    return client.post(reverse("accounts:account"), {"username": username, "password1": password,
                                                     "password2": password if again is None else again})


def login(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


# --- a: the words ---------------------------------------------------------------------------

def test_a_wrong_password_says_so_plainly_and_marks_no_fields(owner):
    html = login(visitor(), "owner", "not it").content.decode()
    assert "The username or the password is wrong." in html
    assert "correct the marked fields" not in html
    assert "case-sensitive" not in html


def test_a_wrong_password_in_swedish_says_so_plainly(owner):
    html = login(visitor("sv"), "owner", "not it").content.decode()
    assert "Användarnamnet eller lösenordet är fel." in html
    assert "Rätta de markerade fälten" not in html


def test_an_empty_login_marks_the_fields_in_knipas_words(owner):
    html = visitor().post(reverse("accounts:login"), {"username": "", "password": ""}).content.decode()
    assert "Please correct the marked fields below." in html
    assert html.count("Please correct the marked fields below.") == 1
    assert "Please give your username." in html and "Please give your password." in html
    assert "This field is required" not in html


def test_saving_a_profile_speaks_knipas_words_not_djangos():
    client = browser_profile()
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Password again" in page and "At least 10 characters." in page
    assert not [text for text in STOCK if text in page]
    refused = claim(client, "", "12345678901", again="something else").content.decode()
    assert "Please choose a username." in refused
    assert "The two passwords are not the same." in refused
    assert not [text for text in STOCK if text in refused]


@pytest.mark.parametrize(("password", "words"), [
    ("short", "at least 10 characters"),
    ("12345678901234", "only digits"),
    ("password1234", "Many people use that password"),
    ("newcomer-anna", "too much like your username"),
])
def test_each_password_rule_is_told_in_knipas_words(password, words):
    html = claim(browser_profile(), "newcomer-anna", password).content.decode()
    assert words in html
    assert not [text for text in STOCK if text in html]


def test_the_swedish_password_fields_have_knipas_words():
    page = browser_profile("sv").get(reverse("accounts:account")).content.decode()
    assert "Lösenordsbekräftelse" not in page and "för verifiering" not in page
    assert "Minst 10 tecken." in page


def test_changing_the_password_speaks_knipas_words(owner_client):
    owner_client.cookies["knipa_language"] = "en"
    page = owner_client.get(reverse("accounts:password_change")).content.decode()
    assert "Your current password" in page and "New password again" in page
    refused = owner_client.post(reverse("accounts:password_change"), {
        "old_password": "wrong", "new_password1": "a long passphrase", "new_password2": "a long passphrase"})
    html = refused.content.decode()
    assert "That is not your current password." in html
    assert not [text for text in STOCK if text in html]


# --- f: usernames in any case ---------------------------------------------------------------

def test_a_username_logs_in_whatever_its_case(owner):
    client = visitor()
    response = login(client, "OWNER")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == owner.user.pk


def test_a_wrong_password_in_another_case_still_fails(owner):
    client = visitor()
    assert login(client, "Owner", "guess").status_code == 200
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_in_any_case_add_up_to_one_lockout(owner, settings):
    client = visitor()
    spellings = ["owner", "Owner", "OWNER", "oWnEr", "OwNeR"]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, spellings[attempt % len(spellings)], "guess")
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"owner"}
    assert login(client, "owner").status_code == 429


def test_deleting_an_account_forgets_failed_logins_in_any_case(owner_client, owner):
    login(visitor(), "OWNER", "guess")
    owner_client.post(reverse("accounts:delete"), {"confirm": "on", "password": PASSWORD})
    assert not AccessAttempt.objects.exists()


def test_a_username_that_differs_only_by_case_cannot_be_claimed(owner):
    client = browser_profile()
    html = claim(client, "Owner").content.decode()
    assert "That username is taken. Please choose another one." in html
    assert not get_user_model().objects.filter(username="Owner").exists()


def test_an_older_pair_that_differs_only_by_case_still_logs_in_the_exact_one_first():
    older = make_person("Anna")
    exact = make_person("anna")
    client = visitor()
    assert login(client, "anna").status_code == 302
    assert int(client.session["_auth_user_id"]) == exact.user.pk
    other = visitor()
    assert login(other, "ANNA").status_code == 302
    assert int(other.session["_auth_user_id"]) == older.user.pk


def test_a_browser_profile_begun_under_djangos_own_backend_stays_logged_in(owner):
    # Sessions from before this backend name Django's ModelBackend; they must still open.
    client = visitor()
    client.force_login(owner.user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("today:home")).status_code == 200
