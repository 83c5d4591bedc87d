"""Personal data belongs to its owner: a stranger and an anonymous visitor get none of it."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PERSONAL_PAGES = [
    reverse("today:home"),
    reverse("accounts:profile"),
    reverse("accounts:account"),
    reverse("accounts:delete"),
    reverse("accounts:password_change"),
    reverse("data:page"),
    reverse("data:summary"),
    reverse("accounts:onboarding", args=["body"]) + "?from=profile",
    reverse("accounts:onboarding", args=["goals"]) + "?from=profile",
    reverse("accounts:onboarding", args=["safety"]) + "?from=profile",
    reverse("accounts:onboarding", args=["time-zone"]) + "?from=profile",
]

# Details only the owner's pages may show (see the `owner` fixture).
OWNER_MARKS = ["Pacific/Chatham", "owner", "COPD"]


def test_the_owner_sees_their_own_answers(owner_client):
    html = owner_client.get(reverse("accounts:profile")).content.decode()
    assert "Pacific/Chatham" in html
    edit = owner_client.get(reverse("accounts:onboarding", args=["time-zone"]) + "?from=profile").content.decode()
    assert '<option value="Pacific/Chatham" selected>' in edit


@pytest.mark.parametrize("path", PERSONAL_PAGES)
def test_an_anonymous_visitor_is_sent_away_without_personal_data(client, owner, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].split("?")[0] in {reverse("content:start"), reverse("accounts:login")}
    body = client.get(response["Location"]).content.decode()
    for mark in OWNER_MARKS[:1]:
        assert mark not in body


@pytest.mark.parametrize("path", PERSONAL_PAGES)
def test_a_stranger_sees_only_their_own_data_on_every_personal_page(stranger_client, owner, path):
    response = stranger_client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    # The time zone list offers every zone; only the selected one is personal.
    assert '<option value="Pacific/Chatham" selected>' not in html
    html = re.sub(r"<option [^>]*>[^<]*</option>", "", html)
    assert "Pacific/Chatham" not in html
    assert ">owner<" not in html


def test_a_stranger_cannot_change_anyone_elses_answers(stranger_client, owner, stranger):
    stranger_client.post(reverse("accounts:onboarding", args=["body"]) + "?from=profile", {"body": "vagina"})
    owner.refresh_from_db()
    stranger.refresh_from_db()
    assert owner.body == "penis"
    assert stranger.body == "vagina"


def test_a_stranger_deleting_their_account_leaves_the_owner_untouched(stranger_client, owner):
    from tests.conftest import PASSWORD

    stranger_client.post(reverse("accounts:delete"), {"confirm": "on", "password": PASSWORD})
    owner.refresh_from_db()
    assert owner.user.is_active


def test_anonymous_posts_change_nothing(client, owner):
    for path in [reverse("training:go_ahead"), reverse("accounts:delete"), reverse("accounts:account")]:
        response = client.post(path, {"confirm": "on"})
        assert response.status_code in {302, 403}
    owner.refresh_from_db()
    assert owner.user.is_active
