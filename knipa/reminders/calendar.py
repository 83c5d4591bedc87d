"""The calendar feed: the person's reminder times as recurring events with alarms (.ics).

Works with any phone's calendar, even where notifications are off: one weekly recurring event
per reminder time, on the plan's days, in the person's own time zone (with its VTIMEZONE, so
the calendar keeps 08:00 at 08:00 across daylight-saving changes), an alarm at the start, and
the quiet days left out. Subscribed calendars fetch it again now and then, so a change of plan
reaches them without the person doing anything.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import icalendar
from django.conf import settings as django_settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from knipa.reminders.models import ReminderSettings
from knipa.reminders.planning import schedule_of

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def calendar_for(reminder_settings: ReminderSettings, round_minutes: int, now: datetime | None = None) -> bytes:
    profile = reminder_settings.profile
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
                event.add("uid", f"knipa-{profile.pk}-{slot}@knipa")
                event.add("dtstamp", now)
                event.add("summary", _("Pelvic floor round"))
                event.add("description", _("A guided round in Knipa: %(url)s") % {
                    "url": f"{django_settings.PUBLIC_URL}/train/"})
                event.add("url", f"{django_settings.PUBLIC_URL}/train/")
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

