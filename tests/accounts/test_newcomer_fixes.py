"""Issue 15, the newcomer walk: a deep link opened while logged out, and the login's words."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def _next_of(location: str) -> str:
    parts = urlsplit(location)
    assert parts.path == LOGIN, location
    return parse_qs(parts.query)["next"][0]


@pytest.mark.parametrize("path", ["/train/", "/plan/", "/train/?practice=daily_life", reverse("reminders:page")])
def test_a_logged_out_deep_link_leads_to_the_login_with_the_way_back(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert _next_of(response["Location"]) == path


def test_the_login_says_why_it_is_shown_and_offers_to_start_anew(client):
    html = client.get(LOGIN + "?next=/train/").content.decode()
    assert 'id="login-to-continue"' in html
    assert f'href="{reverse("content:start")}"' in html
    assert 'name="next" value="/train/"' in html


def test_after_logging_in_the_person_lands_where_they_were_going(client, owner):
    response = client.post(LOGIN + "?next=/train/", {"username": "owner", "password": PASSWORD, "next": "/train/"})
    assert response.status_code == 302 and response["Location"] == "/train/"


@pytest.mark.parametrize("target", ["https://evil.example/train/", "//evil.example/", "javascript:alert(1)"])
def test_a_way_back_to_another_site_is_ignored(client, owner, target):
    html = client.get(LOGIN, {"next": target}).content.decode()
    assert 'name="next" value=""' in html  # the language switch keeps the page's own address, harmlessly
    assert 'id="login-to-continue"' not in html
    response = client.post(LOGIN, {"username": "owner", "password": PASSWORD, "next": target})
    assert response.status_code == 302 and response["Location"] == reverse("today:home")


def test_a_logged_out_post_goes_to_the_login_without_a_way_back(client):
    response = client.post(reverse("accounts:account"), {})
    assert response.status_code == 302 and response["Location"] == LOGIN
