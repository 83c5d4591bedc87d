"""Reminders in a real browser (spec H1): choosing times, downloading the calendar file, and the
service worker showing a pushed reminder in the person's language. Chromium cannot reach a real
push service here, so the DevTools protocol delivers the push message to the registered service
worker, with the payload the dispatcher builds. Every landing gets the harness's checks (language,
zero axe violations, no console or CSP problems)."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from knipa.reminders.dispatcher import message_for
from knipa.reminders.models import Occurrence, ReminderSettings
from tests.conftest import make_person
from tests.e2e.test_player import log_in_as

REMINDERS = reverse("reminders:page")
TITLES = {"sv": "Dags för knipträning", "en": "Time for your pelvic floor round"}


@pytest.fixture(params=["sv", "en"])
def language(request) -> str:
    return request.param


@pytest.fixture
def person(transactional_db, tab, language):
    profile = make_person(f"habit-{language}", time_zone="Europe/Stockholm")
    log_in_as(tab, profile.user.get_username(), language)
    tab.visit(REMINDERS)
    return tab, profile


def test_choosing_reminder_times_saves_them_and_the_page_says_so(person):
    tab, profile = person
    page = tab.page
    times = page.locator("input[type=time]")
    assert times.count() == 3  # finding the muscles: three rounds a day (E0)
    for index, value in enumerate(["07:10", "12:40", "21:05"]):
        times.nth(index).fill(value)
    tab.submit("form[action$='/reminders/schedule/'] button[type=submit]")
    assert ReminderSettings.objects.get(profile=profile).times == ["07:10", "12:40", "21:05"]
    assert page.locator(".messages").count() == 1
    assert page.locator("input[type=time]").nth(2).input_value() == "21:05"


def test_no_day_chosen_is_marked_and_nothing_is_saved(person):
    tab, profile = person
    # Any number of days from one to seven is the person's choice (the plan follows it); none is not.
    for day in range(7):
        tab.page.locator(f"input[name=weekdays][value='{day}']").uncheck()
    tab.submit("form[action$='/reminders/schedule/'] button[type=submit]")
    assert tab.page.locator(".field--error input[name=weekdays]").count() == 7
    assert ReminderSettings.objects.get(profile=profile).weekdays == []


def test_the_downloaded_calendar_file_has_the_chosen_times_with_alarms(person):
    tab, _profile = person
    page = tab.page
    page.locator("input[type=time]").first.fill("06:50")
    tab.submit("form[action$='/reminders/schedule/'] button[type=submit]")
    with page.expect_download() as download_info:
        page.locator(f"a[href='{reverse('reminders:calendar_download')}']").click()
    calendar = icalendar.Calendar.from_ical(open(download_info.value.path(), "rb").read())
    events = calendar.walk("VEVENT")
    assert events[0]["DTSTART"].dt.strftime("%H:%M") == "06:50"
    assert str(events[0]["DTSTART"].dt.tzinfo) == "Europe/Stockholm"
    assert all(event.walk("VALARM") for event in events)


def test_a_pushed_reminder_is_shown_as_a_notification_in_the_persons_language(person, live_server, language):
    tab, profile = person
    page = tab.page
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    cdp = page.context.new_cdp_session(page)
    registrations: list[dict] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    page.wait_for_function("() => navigator.serviceWorker.ready.then(() => true)")
    deadline = time.monotonic() + 10
    while not [r for r in registrations if not r.get("isDeleted")] and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    [registration] = [r for r in registrations if not r.get("isDeleted")][-1:]
    profile.refresh_from_db()  # the language the person chose in the browser
    due = timezone.now() + timedelta(minutes=1)
    occurrence = Occurrence.objects.create(profile=profile, slot=0, due_at=due, next_attempt_at=due)
    payload = message_for(occurrence).push_payload().decode()
    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": live_server.url.rstrip("/"), "registrationId": registration["registrationId"], "data": payload})
    shown = None
    deadline = time.monotonic() + 10
    while not shown and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        shown = page.evaluate("""() => navigator.serviceWorker.ready
            .then((r) => r.getNotifications())
            .then((list) => list.map((n) => ({title: n.title, body: n.body, tag: n.tag, lang: n.lang,
                                              url: n.data.url})))""")
    assert shown == [{"title": TITLES[language], "body": json.loads(payload)["body"],
                      "tag": f"knipa-{occurrence.pk}", "lang": language, "url": "/train/"}]
