"""Issue 15: the calendar's addresses come from the request unless the host set KNIPA_PUBLIC_URL."""

from __future__ import annotations

import icalendar
import pytest
from django.test import override_settings
from django.urls import reverse

from knipa.reminders.models import ReminderSettings

pytestmark = pytest.mark.django_db

PAGE = reverse("reminders:page")
LINK = reverse("reminders:calendar_link")
ON_ANOTHER_PORT = {"HTTP_HOST": "127.0.0.1:8101"}


def english(client):
    client.cookies["knipa_language"] = "en"
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def train_urls(ics: bytes) -> set[str]:
    return {str(event["URL"]) for event in icalendar.Calendar.from_ical(ics).walk("VEVENT")}


@override_settings(PUBLIC_URL="http://127.0.0.1:8000", PUBLIC_URL_GIVEN=False, ALLOWED_HOSTS=["127.0.0.1"])
def test_a_server_on_another_port_gives_calendar_links_to_that_port(owner_client, owner, client):
    owner_client.post(LINK, {"action": "create"}, **ON_ANOTHER_PORT)
    token = ReminderSettings.objects.get(profile=owner).calendar_token
    html = owner_client.get(PAGE, **ON_ANOTHER_PORT).content.decode()
    assert f'value="http://127.0.0.1:8101/calendar/{token}.ics"' in html
    assert f'href="webcal://127.0.0.1:8101/calendar/{token}.ics"' in html
    assert ":8000" not in html
    feed = client.get(f"/calendar/{token}.ics", **ON_ANOTHER_PORT).content
    assert train_urls(feed) == {"http://127.0.0.1:8101/train/"}
    download = owner_client.get(reverse("reminders:calendar_download"), **ON_ANOTHER_PORT).content
    assert train_urls(download) == {"http://127.0.0.1:8101/train/"}


@override_settings(PUBLIC_URL="https://knipa.example.se", PUBLIC_URL_GIVEN=True, ALLOWED_HOSTS=["127.0.0.1"])
def test_a_public_address_the_host_set_wins_over_the_request(owner_client, owner, client):
    owner_client.post(LINK, {"action": "create"}, **ON_ANOTHER_PORT)
    token = ReminderSettings.objects.get(profile=owner).calendar_token
    html = owner_client.get(PAGE, **ON_ANOTHER_PORT).content.decode()
    assert f'value="https://knipa.example.se/calendar/{token}.ics"' in html
    assert f'href="webcal://knipa.example.se/calendar/{token}.ics"' in html
    assert train_urls(client.get(f"/calendar/{token}.ics", **ON_ANOTHER_PORT).content) == {
        "https://knipa.example.se/train/"}


def test_the_first_address_does_not_speak_of_an_earlier_one(owner_client):
    first = english(owner_client).post(LINK, {"action": "create"}, follow=True)
    assert messages_of(first) == ["Your calendar address is ready."]
    renewed = owner_client.post(LINK, {"action": "regenerate"}, follow=True)
    assert messages_of(renewed) == ["Your new calendar address is ready. The earlier address no longer works."]


@pytest.mark.parametrize("action", ["create", "regenerate", "revoke", "nonsense"])
def test_a_calendar_choice_returns_to_the_calendar_card(owner_client, action):
    response = owner_client.post(LINK, {"action": action})
    assert response.status_code == 302 and response["Location"] == PAGE + "#calendar"
    assert 'id="calendar"' in owner_client.get(PAGE).content.decode()


def test_the_copy_button_works_without_inline_script_and_the_field_is_the_fallback(owner_client):
    owner_client.post(LINK, {"action": "create"})
    html = owner_client.get(PAGE).content.decode()
    assert 'data-copy="calendar-url"' in html and " hidden>" in html  # shown by copy.js only
    assert 'id="calendar-url" class="copy-field" type="text" readonly' in html
    assert "/static/knipa/js/copy." in html


def test_a_stranger_cannot_touch_anyone_elses_calendar_address(owner_client, owner, stranger_client):
    owner_client.post(LINK, {"action": "create"})
    token = ReminderSettings.objects.get(profile=owner).calendar_token
    stranger_client.post(LINK, {"action": "revoke"})
    assert ReminderSettings.objects.get(profile=owner).calendar_token == token
    assert token not in stranger_client.get(PAGE).content.decode()
