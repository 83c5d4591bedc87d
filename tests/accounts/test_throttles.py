"""Throttles per client address (review findings 2 and 4): starting a profile, claiming a username and
importing data are counted per address in the database, and past the limit answered with a clear,
translated 429 and Retry-After, while another address goes on as before."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from knipa.accounts.models import Profile
from knipa.training.models import TrainingRound
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

HOME = "203.0.113.7"
ELSEWHERE = "198.51.100.9"


def visitor(address: str = HOME, language: str = "en") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies["knipa_language"] = language
    return client


def test_starting_profiles_from_one_address_stops_at_the_limit(settings):
    settings.BEGIN_LIMIT_PER_HOUR = 3
    for _ in range(3):
        assert visitor().post(reverse("accounts:begin")).status_code == 302
    refused = visitor().post(reverse("accounts:begin"))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 3600
    assert "Many new profiles have been started from your network" in refused.content.decode()
    assert Profile.objects.count() == 3
    # Another address is not affected.
    assert visitor(ELSEWHERE).post(reverse("accounts:begin")).status_code == 302
    assert Profile.objects.count() == 4


def test_the_refusal_to_start_is_in_swedish_by_default(settings):
    settings.BEGIN_LIMIT_PER_HOUR = 1
    visitor(language="sv").post(reverse("accounts:begin"))
    refused = visitor(language="sv").post(reverse("accounts:begin"))
    assert refused.status_code == 429
    assert 'lang="sv"' in refused.content.decode() and "För många försök" in refused.content.decode()


def browser_profile(address: str = HOME) -> Client:
    client = visitor(address)
    client.post(reverse("accounts:begin"))
    return client


def claim(client: Client, username: str, password: str = "Ab1 another long passphrase"):
    return client.post(reverse("accounts:account"), {"username": username, "password1": password,
                                                     "password2": password})


def test_probing_usernames_by_claiming_them_stops_at_the_limit_whatever_the_answer(settings, owner):
    settings.USERNAME_CLAIM_LIMIT = 4
    client = browser_profile()
    for _ in range(4):
        # "owner" exists: the form says so, which is exactly what must not come cheaply.
        assert "is taken" in claim(client, "owner").content.decode()
    for username in ("owner", "nobody-has-this-name"):
        refused = claim(client, username)
        assert refused.status_code == 429 and int(refused["Retry-After"]) == 15 * 60
        html = refused.content.decode()
        assert "Please wait 15 minutes" in html and "is taken" not in html and username not in html
    assert not Profile.objects.filter(secured=True).exclude(user__username="owner").exists()


def test_the_claim_limit_is_per_address_and_a_new_browser_profile_does_not_reset_it(settings, owner):
    settings.USERNAME_CLAIM_LIMIT = 2
    first = browser_profile()
    claim(first, "owner")
    claim(first, "owner")
    # A fresh profile from the same address is still counted against the address...
    assert claim(browser_profile(), "owner").status_code == 429
    # ...and one from elsewhere is not.
    elsewhere = browser_profile(ELSEWHERE)
    assert claim(elsewhere, "my-own-name").status_code == 302
    assert get_user_model().objects.filter(username="my-own-name").exists()


def test_logging_in_is_throttled_by_axes_and_claiming_no_less(settings, owner, client):
    # The bar claiming must not fall under: a few wrong passwords per username and address.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "owner", "password": "wrong"}, REMOTE_ADDR=HOME)
    assert client.post(reverse("accounts:login"), {"username": "owner", "password": PASSWORD},
                       REMOTE_ADDR=HOME).status_code == 429
    assert settings.USERNAME_CLAIM_LIMIT <= 10


def upload(client: Client, content: bytes = b"not json"):
    return client.post(reverse("data:page"), {"file": SimpleUploadedFile("knipa.json", content,
                                                                         content_type="application/json")})


def test_imports_from_one_address_stop_at_the_limit(settings):
    settings.IMPORT_LIMIT_PER_HOUR = 2
    client = browser_profile()
    for _ in range(2):
        assert upload(client).status_code == 200  # refused by the form: not an export
    refused = upload(client, json.dumps({"format": "knipa-export"}).encode())
    assert refused.status_code == 429 and int(refused["Retry-After"]) == 3600
    assert "Many imports have been made from your network" in refused.content.decode()
    assert not TrainingRound.objects.exists()
    assert upload(browser_profile(ELSEWHERE)).status_code == 200
