"""Securing a profile, logging in elsewhere, passwords, logging out and deleting everything."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from knipa import settings as production_settings

from knipa.accounts.models import Profile
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another quite long passphrase 42"


def start_profile(client):
    client.post(reverse("accounts:begin"))
    for step, data in [
        ("body", {"body": "neutral"}),
        ("goals", {"goals": ["faecal_leakage"]}),
        ("safety", {"pain": "no", "recent_event": "none", "pregnant": "no"}),
        ("time-zone", {"time_zone": "Asia/Kathmandu"}),
    ]:
        client.post(reverse("accounts:onboarding", args=[step]), data)
    return Profile.objects.get(user_id=client.session["_auth_user_id"])


def test_a_browser_profile_can_be_secured_and_opened_on_another_device(client, client_factory):
    start_profile(client)
    response = client.post(
        reverse("accounts:account"),
        {"username": "morning-squeezer", "email": "", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    profile = Profile.objects.get()
    assert profile.secured and profile.user.username == "morning-squeezer"
    # Still logged in here after the password was set.
    assert client.get(reverse("today:home")).status_code == 200

    other_device = client_factory()
    login = other_device.post(reverse("accounts:login"), {"username": "morning-squeezer", "password": NEW_PASSWORD})
    assert login.status_code == 302
    page = other_device.get(reverse("accounts:profile"))
    assert "Asia/Kathmandu" in page.content.decode()


@override_settings(PASSWORD_HASHERS=production_settings.PASSWORD_HASHERS)  # the suite hashes fast otherwise
def test_passwords_are_hashed_with_argon2(client):
    start_profile(client)
    client.post(
        reverse("accounts:account"),
        {"username": "argon", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert get_user_model().objects.get().password.startswith("argon2$")


def test_securing_with_mismatched_or_weak_passwords_is_refused_and_keeps_the_username(client):
    start_profile(client)
    response = client.post(
        reverse("accounts:account"),
        {"username": "keepme", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
    )
    assert response.status_code == 200
    assert "password2" in response.context["form"].errors
    assert 'value="keepme"' in response.content.decode()
    response = client.post(reverse("accounts:account"), {"username": "keepme", "password1": "12345678", "password2": "12345678"})
    assert "password2" in response.context["form"].errors
    assert Profile.objects.get().secured is False
    assert not get_user_model().objects.get().has_usable_password()


def test_a_taken_username_is_refused_with_a_clear_message(client, stranger):
    start_profile(client)
    response = client.post(
        reverse("accounts:account"),
        {"username": "stranger", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert "username" in response.context["form"].errors
    assert Profile.objects.get(user__username__startswith="browser-").secured is False


@override_settings(EMAIL_REMINDERS=True)  # the address is asked for only where mail can be sent
def test_an_invalid_email_is_refused(client):
    start_profile(client)
    response = client.post(
        reverse("accounts:account"),
        {"username": "mail", "email": "not-an-address", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert "email" in response.context["form"].errors


def test_logging_out_ends_the_session(owner_client):
    response = owner_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert owner_client.get(reverse("today:home"))["Location"].split("?")[0] == reverse("accounts:login")


def test_a_wrong_password_is_refused_with_a_message(client, owner):
    response = client.post(reverse("accounts:login"), {"username": "owner", "password": "wrong password"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_the_password_can_be_changed_and_the_old_one_stops_working(owner_client, client_factory, owner):
    response = owner_client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:account")
    assert owner_client.get(reverse("today:home")).status_code == 200  # still logged in
    fresh = client_factory()
    assert fresh.post(reverse("accounts:login"), {"username": "owner", "password": PASSWORD}).status_code == 200
    assert fresh.post(reverse("accounts:login"), {"username": "owner", "password": NEW_PASSWORD}).status_code == 302


def test_changing_the_password_needs_the_old_one(owner_client):
    response = owner_client.post(
        reverse("accounts:password_change"),
        {"old_password": "not it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "old_password" in response.context["form"].errors


def test_deleting_the_account_needs_confirmation_and_keeps_everything_until_then(owner_client, owner):
    response = owner_client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert "confirm" in response.context["form"].errors
    response = owner_client.post(reverse("accounts:delete"), {"confirm": "on", "password": "wrong"})
    assert "password" in response.context["form"].errors
    assert Profile.objects.filter(pk=owner.pk).exists()


def test_deleting_the_account_removes_the_person_and_every_answer(owner_client, owner, stranger):
    response = owner_client.post(reverse("accounts:delete"), {"confirm": "on", "password": PASSWORD})
    assert response["Location"] == reverse("content:start")
    assert not get_user_model().objects.filter(username="owner").exists()
    assert not Profile.objects.filter(pk=owner.pk).exists()
    assert Profile.objects.filter(pk=stranger.pk).exists()
    assert owner_client.get(reverse("today:home"))["Location"].split("?")[0] == reverse("accounts:login")


def test_a_browser_profile_is_deleted_with_a_tick_alone(client):
    start_profile(client)
    response = client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert response.status_code == 302
    assert not Profile.objects.exists() and not get_user_model().objects.exists()


def test_repeated_wrong_passwords_lock_the_login_for_a_while(client, owner, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "owner", "password": "guess"})
    response = client.post(reverse("accounts:login"), {"username": "owner", "password": PASSWORD})
    assert response.status_code == 429
    assert "15" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_for_that_username_only(client, owner, stranger, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "owner", "password": "guess"})
    response = client.post(reverse("accounts:login"), {"username": "stranger", "password": PASSWORD})
    assert response.status_code == 302


def test_deleting_an_account_also_forgets_its_failed_login_attempts(owner_client, owner, client_factory):
    client_factory().post(reverse("accounts:login"), {"username": "owner", "password": "guess"})
    assert AccessAttempt.objects.filter(username="owner").exists()
    owner_client.post(reverse("accounts:delete"), {"confirm": "on", "password": PASSWORD})
    assert not AccessAttempt.objects.filter(username="owner").exists()


def test_the_login_page_warns_before_leaving_an_unsaved_browser_profile(client):
    start_profile(client)
    response = client.get(reverse("accounts:login"))
    assert response.context["unsecured_profile_here"] is True
