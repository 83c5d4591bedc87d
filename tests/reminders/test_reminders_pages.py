"""The reminders page, the calendar feed, the push subscription API and the service worker:
choices saved and validated, the feed a calendar can read, and a stranger gets nothing (spec H1)."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from knipa.reminders.dispatcher import snooze_token
from knipa.reminders.models import Occurrence, PushSubscription, ReminderSettings
from knipa.training import plans

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies["knipa_language"] = "en"
    return client


def schedule(times, weekdays, **extra):
    data = {f"time_{i}": t for i, t in enumerate(times)}
    data["weekdays"] = [str(d) for d in weekdays]
    data.update(extra)
    return data


def test_the_page_asks_for_as_many_times_as_the_plan_has_rounds_a_day(owner_client, owner):  # E0: 3 a day
    html = english(owner_client).get(reverse("reminders:page")).content.decode()
    assert html.count('type="time"') == 3
    assert "Your plan has 7 training days a week right now." in html


def test_chosen_times_and_days_are_saved_and_planned_again(owner_client, owner):
    client = english(owner_client)
    response = client.post(reverse("reminders:schedule"), schedule(["07:15", "12:30", "20:00"], range(7)), follow=True)
    assert "Your reminder times are saved." in response.content.decode()
    saved = ReminderSettings.objects.get(profile=owner)
    assert saved.times == ["07:15", "12:30", "20:00"]
    assert saved.planned_until is None  # the worker plans again from now


@pytest.mark.parametrize(("data", "message"), [
    (schedule(["07:00", "07:00", "20:00"], range(7)), "Choose a different time for each reminder."),
    (schedule(["07:00", "12:00", "20:00"], []), "Please choose at least one day."),
    (schedule(["7 o'clock", "12:00", "20:00"], range(7)), "Please give a time like 08:00."),
    (schedule(["07:00", "12:00", ""], range(7)), "Please choose a time."),
])
def test_bad_choices_are_refused_with_a_clear_message_and_nothing_is_lost(owner_client, owner, data, message):
    client = english(owner_client)
    client.post(reverse("reminders:schedule"), schedule(["06:45", "12:00", "21:00"], range(7)))
    response = client.post(reverse("reminders:schedule"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ReminderSettings.objects.get(profile=owner).times == ["06:45", "12:00", "21:00"]


def test_pausing_and_quiet_days(owner_client, owner):
    client = english(owner_client)
    client.post(reverse("reminders:pause"), {"paused": "yes"})
    assert ReminderSettings.objects.get(profile=owner).paused
    assert "All reminders are paused." in client.get(reverse("reminders:page")).content.decode()
    client.post(reverse("reminders:pause"), {"paused": "no"})
    assert not ReminderSettings.objects.get(profile=owner).paused
    tomorrow = (timezone.now().astimezone(owner.zone) + timedelta(days=1)).date()
    client.post(reverse("reminders:quiet_add"), {"day": tomorrow.isoformat()})
    assert ReminderSettings.objects.get(profile=owner).quiet_dates == [tomorrow.isoformat()]
    response = client.post(reverse("reminders:quiet_add"), {"day": "2020-01-01"})
    assert "That day has already passed." in response.content.decode()
    client.post(reverse("reminders:quiet_remove"), {"day": tomorrow.isoformat()})
    assert ReminderSettings.objects.get(profile=owner).quiet_dates == []


def test_the_calendar_feed_has_recurring_events_with_alarms_in_the_persons_time_zone(owner_client, owner, client):
    english(owner_client).post(reverse("reminders:schedule"), schedule(["07:15", "12:30", "20:00"], range(7)))
    owner_client.post(reverse("reminders:calendar_link"), {"action": "create"})
    token = ReminderSettings.objects.get(profile=owner).calendar_token
    response = client.get(f"/calendar/{token}.ics")  # no login: the token is the key
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = [c for c in calendar.walk("VEVENT")]
    assert [e["DTSTART"].dt.strftime("%H:%M") for e in events] == ["07:15", "12:30", "20:00"]
    assert {str(e["DTSTART"].dt.tzinfo) for e in events} == {"Pacific/Chatham"}
    assert all(e["RRULE"]["FREQ"] == ["WEEKLY"] and len(e["RRULE"]["BYDAY"]) == 7 for e in events)
    assert all(e.walk("VALARM") for e in events)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Pacific/Chatham"]


def test_the_calendar_follows_the_plan_when_it_trains_fewer_days(owner_client, owner, client):  # E1, K2
    owner_client.post(reverse("reminders:calendar_link"), {"action": "create"})
    token = ReminderSettings.objects.get(profile=owner).calendar_token
    numbers = {**plans.current_plan(owner).parameters.as_dict(), "days_per_week": 3, "rounds_per_day": 1}
    plans.set_numbers(owner, numbers)
    calendar = icalendar.Calendar.from_ical(client.get(f"/calendar/{token}.ics").content)
    [event] = calendar.walk("VEVENT")
    assert event["RRULE"]["BYDAY"] == ["MO", "WE", "FR"]


def test_a_new_calendar_address_retires_the_old_and_a_stopped_one_answers_nothing(owner_client, owner, client):
    owner_client.post(reverse("reminders:calendar_link"), {"action": "create"})
    old = ReminderSettings.objects.get(profile=owner).calendar_token
    owner_client.post(reverse("reminders:calendar_link"), {"action": "regenerate"})
    new = ReminderSettings.objects.get(profile=owner).calendar_token
    assert new != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    owner_client.post(reverse("reminders:calendar_link"), {"action": "revoke"})
    assert client.get(f"/calendar/{new}.ics").status_code == 404


def test_the_downloaded_calendar_is_the_persons_own(owner_client, owner, stranger_client, stranger, client):
    english(owner_client).post(reverse("reminders:schedule"), schedule(["05:05", "12:30", "20:00"], range(7)))
    mine = owner_client.get(reverse("reminders:calendar_download"))
    assert mine["Content-Disposition"] == 'attachment; filename="knipa.ics"'
    assert b"050500" in mine.content
    assert b"050500" not in stranger_client.get(reverse("reminders:calendar_download")).content
    assert client.get(reverse("reminders:calendar_download")).status_code == 302  # anonymous: to the login


SUBSCRIPTION = {"endpoint": "https://fcm.googleapis.com/fcm/send/abc123",
                "keys": {"p256dh": "B" + "a" * 86, "auth": "c" * 22}, "label": "Chrome, Android"}


def test_a_browser_subscribes_and_reminders_by_notification_are_on(owner_client, owner):
    response = owner_client.post("/api/push/subscriptions", SUBSCRIPTION, content_type="application/json")
    assert response.status_code == 201
    assert ReminderSettings.objects.get(profile=owner).by_push
    again = owner_client.post("/api/push/subscriptions", SUBSCRIPTION, content_type="application/json")
    assert again.status_code == 200
    assert PushSubscription.objects.filter(profile=owner).count() == 1
    assert len(owner_client.get("/api/push/key").json()["application_server_key"]) == 87


@pytest.mark.parametrize("endpoint", [
    "https://internal.example.org/push/1",  # not a push service: the worker must never post there
    "http://fcm.googleapis.com/fcm/send/abc",  # push services use https
    "http://127.0.0.1:9/push/1",  # loopback only when the host allows it
])
def test_an_endpoint_that_is_not_a_known_push_service_is_refused(owner_client, endpoint):
    response = owner_client.post("/api/push/subscriptions", {**SUBSCRIPTION, "endpoint": endpoint},
                                 content_type="application/json")
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "endpoint"


def test_removing_the_last_browser_turns_notifications_off(owner_client, owner):
    owner_client.post("/api/push/subscriptions", SUBSCRIPTION, content_type="application/json")
    response = owner_client.post("/api/push/subscriptions/remove", {"endpoint": SUBSCRIPTION["endpoint"]},
                                 content_type="application/json")
    assert response.status_code == 204
    assert not PushSubscription.objects.filter(profile=owner).exists()
    assert not ReminderSettings.objects.get(profile=owner).by_push


def test_a_stranger_can_neither_remove_a_device_nor_snooze_a_reminder_of_someone_else(
        owner_client, owner, stranger_client, stranger):
    owner_client.post("/api/push/subscriptions", SUBSCRIPTION, content_type="application/json")
    device = PushSubscription.objects.get(profile=owner)
    assert stranger_client.post(reverse("reminders:remove_device", args=[device.id])).status_code == 404
    stranger_client.post("/api/push/subscriptions/remove", {"endpoint": SUBSCRIPTION["endpoint"]},
                         content_type="application/json")
    assert PushSubscription.objects.filter(profile=owner).exists()
    due = timezone.now() + timedelta(hours=2)
    occurrence = Occurrence.objects.create(profile=owner, slot=0, due_at=due, next_attempt_at=due)
    assert stranger_client.post(reverse("reminders:snooze_upcoming", args=[occurrence.id])).status_code == 404
    html = english(stranger_client).get(reverse("reminders:page")).content.decode()
    assert "Chrome, Android" not in html


def test_an_upcoming_reminder_can_be_moved_thirty_minutes_later(owner_client, owner):
    due = (timezone.now() + timedelta(hours=2)).replace(second=0, microsecond=0)
    occurrence = Occurrence.objects.create(profile=owner, slot=0, due_at=due, next_attempt_at=due)
    owner_client.post(reverse("reminders:snooze_upcoming", args=[occurrence.id]))
    assert Occurrence.objects.get(id=occurrence.id).status == Occurrence.Status.CANCELLED
    assert Occurrence.objects.get(profile=owner, due_at=due + timedelta(minutes=30)).snoozed


def test_a_notifications_snooze_button_works_with_its_token_only(client, owner):
    due = timezone.now() - timedelta(minutes=5)  # the notification came five minutes ago
    occurrence = Occurrence.objects.create(profile=owner, slot=0, due_at=due, next_attempt_at=due,
                                           status=Occurrence.Status.SENT)
    assert client.post(reverse("reminders:snooze_token"), {"token": snooze_token(occurrence)}).status_code == 200
    assert Occurrence.objects.filter(profile=owner, snoozed=True).count() == 1
    assert client.post(reverse("reminders:snooze_token"), {"token": "made-up"}).status_code == 400


def test_the_service_worker_is_served_from_the_root_as_javascript(client):
    response = client.get("/sw.js")
    assert response["Content-Type"].startswith("text/javascript")
    assert b'addEventListener("push"' in response.content
    assert response["Cache-Control"] == "no-cache"


def test_the_history_shows_what_was_sent_and_delivery_errors_in_plain_words(owner_client, owner):
    due = timezone.now() - timedelta(hours=1)
    Occurrence.objects.create(profile=owner, slot=0, due_at=due, next_attempt_at=due, status="failed", deliveries=[
        {"channel": "push", "target_id": 1, "target": "Firefox, Linux", "result": "failed",
         "error": "The push service refused the notification (400).", "at": due.isoformat()}])
    html = english(owner_client).get(reverse("reminders:page")).content.decode()
    assert "Could not be delivered" in html
    assert "Firefox, Linux: The push service refused the notification (400)." in html


def test_coming_up_and_what_was_sent_are_shown_in_the_persons_own_time(owner_client, owner):
    # The owner lives in Pacific/Chatham: 10:00 UTC on 3 December is 23:45 there.
    from datetime import datetime, timezone as dt_timezone

    sent = datetime(2026, 12, 3, 10, 0, tzinfo=dt_timezone.utc)
    Occurrence.objects.create(profile=owner, slot=0, due_at=sent, next_attempt_at=sent, status="sent", sent_at=sent)
    coming = (timezone.now() + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    Occurrence.objects.create(profile=owner, slot=1, due_at=coming, next_attempt_at=coming)
    html = owner_client.get(reverse("reminders:page")).content.decode()
    assert "23:45" in html and "10:00" not in html
