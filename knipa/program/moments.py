"""Dates and times people give us, and turning stored instants into their own local time.

Two jobs, in plain Python like the rest of the clinical core:

- The range a date may have when a person (or an imported file) tells us about something that
  happened: not before 1 January 2000 (Knipa and the guide it follows are far younger; an earlier
  year is a slip of the finger, like year 1) and not more than a day after the person's own today
  (a phone's clock or a time zone may be a little ahead; tomorrow's diary is not a diary).
  Days planned ahead (a quiet day without reminders) may be up to a year ahead.
- Converting a stored instant to a person's local time without ever failing. Python's datetime
  stops at the years 1 and 9999: an instant stored near either end (from before these bounds, or
  written by hand) moved to a zone far east or west (Pacific/Kiritimati is UTC+14, Etc/GMT+12 is
  UTC-12) would leave that range and raise OverflowError, and a page showing it would fail. Here
  such a conversion gives the nearest time that exists instead, so the page renders, shows the odd
  row as it is, and the person can delete it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

# The earliest day something a person reports may have happened on.
EARLIEST_DAY = date(2000, 1, 1)
EARLIEST = datetime.combine(EARLIEST_DAY, time(0), tzinfo=UTC)
# How far past "now" (or the person's today) a thing that happened may lie: clocks and zones differ.
FUTURE_LEEWAY = timedelta(days=1)
# How far ahead a person may plan a day (a day without reminders).
PLANNED_AHEAD = timedelta(days=366)


def happened_in_range(moment: datetime, now: datetime) -> bool:
    """Whether an instant lies between EARLIEST and a day after `now` (both aware)."""
    return EARLIEST <= moment <= now + FUTURE_LEEWAY


def day_in_range(day: date, today: date) -> bool:
    """Whether a day something happened on lies between EARLIEST_DAY and the day after `today`."""
    return EARLIEST_DAY <= day <= shift(today, FUTURE_LEEWAY)


def planned_day_in_range(day: date, today: date) -> bool:
    """Whether a day planned ahead lies between `today` and a year after it."""
    return today <= day <= shift(today, PLANNED_AHEAD)


def shift(day: date, delta: timedelta) -> date:
    """`day + delta`, stopping at the calendar's first and last day instead of failing."""
    try:
        return day + delta
    except OverflowError:
        return date.max if delta > timedelta(0) else date.min


def local(moment: datetime, zone: tzinfo) -> datetime:
    """`moment` in `zone`; where that would leave the years 1-9999, the nearest time that exists.

    The edge returned is in `zone` and lies inside the range in UTC too, so it can be converted
    again (to UTC for a query, to another zone) without failing.
    """
    try:
        return moment.astimezone(zone)
    except OverflowError:
        edge = datetime.max if moment.year > 5000 else datetime.min
        return edge.replace(tzinfo=zone)


def local_date(moment: datetime, zone: tzinfo) -> date:
    return local(moment, zone).date()


def wall_clock(moment: datetime, zone: tzinfo) -> datetime:
    """The local time in `zone` as a naive datetime: what a clock on the wall there shows."""
    return local(moment, zone).replace(tzinfo=None)


def start_of_day(day: date, zone: tzinfo) -> datetime:
    """Midnight at the start of `day` in `zone`, as a UTC instant (for a query): at the calendar's
    ends, where that instant does not exist, the first or last instant that does."""
    try:
        return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    except OverflowError:
        return (datetime.max if day.year > 5000 else datetime.min).replace(tzinfo=UTC)
