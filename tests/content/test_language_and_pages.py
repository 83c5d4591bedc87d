"""The start page, the language switch and the public pages, in Swedish and English."""

import pytest
from django.urls import reverse

from knipa.accounts.models import Profile

pytestmark = pytest.mark.django_db


def test_the_start_page_is_in_swedish_by_default_even_for_an_english_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "Börja träna" in html
    assert response["Content-Language"] == "sv"


def test_the_start_page_offers_a_visible_switch_to_english(client):
    html = client.get("/").content.decode()
    assert 'name="language" value="en" lang="en"' in html
    assert "English" in html


def test_switching_to_english_is_remembered_on_later_pages(client):
    response = client.post(reverse("content:set_language"), {"language": "en", "next": "/privacy/"})
    assert response.status_code == 302 and response["Location"] == "/privacy/"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Start training" in html
    assert 'value="sv" lang="sv"' in html  # and the way back


def test_a_logged_in_persons_language_follows_them_to_another_device(owner_client, owner, client_factory):
    owner_client.post(reverse("content:set_language"), {"language": "en", "next": "/"})
    owner.refresh_from_db()
    assert owner.language == "en"
    other_device = client_factory(owner.user)
    assert '<html lang="en">' in other_device.get(reverse("today:home")).content.decode()


def test_an_unknown_language_is_ignored(client):
    client.post(reverse("content:set_language"), {"language": "xx", "next": "/"})
    assert '<html lang="sv">' in client.get("/").content.decode()


def test_the_language_switch_never_redirects_to_another_site(client):
    response = client.post(reverse("content:set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_language_switch_needs_a_valid_csrf_token():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("content:set_language"), {"language": "en"})
    assert response.status_code == 403


def test_a_visitor_who_is_logged_in_goes_from_the_start_page_to_their_home(owner_client):
    assert owner_client.get("/")["Location"] == reverse("today:home")


def test_the_privacy_page_is_public(client):
    assert client.get(reverse("content:privacy")).status_code == 200


def test_a_profile_keeps_its_language_after_the_cookie_is_gone(client, client_factory):
    client.post(reverse("content:set_language"), {"language": "en", "next": "/"})
    client.post(reverse("accounts:begin"))
    profile = Profile.objects.get()
    fresh = client_factory(profile.user)  # same person, no language cookie
    assert '<html lang="en">' in fresh.get(reverse("accounts:onboarding", args=["body"])).content.decode()


def test_logging_in_brings_the_persons_language_to_the_device_and_it_stays_after_logout(owner, client_factory):
    from tests.conftest import PASSWORD

    owner.language = "en"
    owner.save()
    device = client_factory()
    response = device.post(reverse("accounts:login"), {"username": "owner", "password": PASSWORD})
    assert response.cookies["knipa_language"].value == "en"
    device.post(reverse("accounts:logout"))
    assert '<html lang="en">' in device.get("/").content.decode()
