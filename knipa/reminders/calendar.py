"""The calendar feed: the person's reminder times as recurring events with alarms (.ics).

Works with any phone's calendar, even where notifications are off: one weekly recurring event
per reminder time, on the plan's days, in the person's own time zone (with its VTIMEZONE, so
the calendar keeps 08:00 at 08:00 across daylight-saving changes), an alarm at the start, and
the quiet days left out. Subscribed calendars fetch it again now and then, so a change of plan
reaches them without the person doing anything.

Each event's UID is an HMAC of the calendar's secret and the reminder's slot: it says nothing of
the person (no id), stays the same on every fetch (so calendars update the events instead of
adding them again), and changes when the person renews the secret address, so that nothing links
the events of the old address to those of the new one.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from functools import lru_cache
from urllib.parse import urlsplit

import icalendar
from django.conf import settings as django_settings
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from knipa.reminders.models import ReminderSettings
from knipa.reminders.planning import schedule_of

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
LOOPBACK_HOSTS = {"", "localhost", "127.0.0.1", "::1"}


@lru_cache(maxsize=4)
def uid_domain(public_url: str) -> str:
    """The UID's right-hand side (RFC 5545 suggests the host that made it): the public host,
    or "knipa" while the site is only on this machine."""
    host = (urlsplit(public_url).hostname or "").lower()
    return "knipa" if host in LOOPBACK_HOSTS or host.endswith(".localhost") else host


def event_uid(reminder_settings: ReminderSettings, slot: int) -> str:
    secret = reminder_settings.calendar_token
    if secret:
        key = secret.encode()
    else:
        # A download without a calendar address: a secret of the server's, per person, stands in.
        key = salted_hmac("knipa.reminders.calendar.uid", str(reminder_settings.profile_id),
                          algorithm="sha256").digest()
    digest = hmac.new(key, f"slot-{slot}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"{digest}@{uid_domain(django_settings.PUBLIC_URL)}"


def calendar_for(reminder_settings: ReminderSettings, round_minutes: int, now: datetime | None = None,
                 public_base: str | None = None) -> bytes:
    """`public_base` is where the events' links point (the address the calendar was fetched from,
    knipa.accounts.emails.public_base); the UIDs keep to KNIPA_PUBLIC_URL, so that they never change
    with the address a calendar happens to use."""
    profile = reminder_settings.profile
    train_url = f"{(public_base or django_settings.PUBLIC_URL).rstrip('/')}/train/"
    now = now or timezone.now()
    zone = profile.zone
    with translation.override(profile.language or "sv"):
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Knipa//Reminders//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", _("Pelvic floor training"))
        calendar.add("x-wr-timezone", str(zone))
        # Ask subscribed calendars to look again every few hours, so plan changes arrive.
        calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT6H")
        if not reminder_settings.paused:
            schedule = schedule_of(reminder_settings)
            today = now.astimezone(zone).date()
            for slot, at in enumerate(schedule.times):
                event = icalendar.Event()
                event.add("uid", event_uid(reminder_settings, slot))
                event.add("dtstamp", now)
                event.add("summary", _("Pelvic floor round"))
                event.add("description", _("A guided round in Knipa: %(url)s") % {"url": train_url})
                event.add("url", train_url)
                start = datetime.combine(today, at, tzinfo=zone)
                event.add("dtstart", start)
                event.add("duration", timedelta(minutes=max(1, round_minutes)))
                event.add("rrule", {"freq": "weekly",
                                    "byday": [WEEKDAY_CODES[d] for d in sorted(schedule.weekdays)]})
                for quiet in sorted(schedule.quiet_dates):
                    if quiet >= today:
                        event.add("exdate", datetime.combine(quiet, at, tzinfo=zone))
                alarm = icalendar.Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", _("Time for your pelvic floor round"))
                alarm.add("trigger", timedelta(0))
                event.add_component(alarm)
                calendar.add_component(event)
        calendar.add_missing_timezones()
    return calendar.to_ical()

