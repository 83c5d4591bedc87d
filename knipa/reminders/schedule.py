"""When reminders are due: the person's local wall-clock times, turned into UTC instants (H1).

Plain Python (no Django), tested directly. Times are chosen as local wall-clock times in the
person's zone and stored in UTC once computed, with `zoneinfo`:

- On the night the clocks go forward, a time that does not exist (02:30 in Stockholm on the last
  Sunday of March) fires at the first valid minute after it (03:00).
- On the night the clocks go back, a time that exists twice (02:30 on the last Sunday of October)
  fires once, at its first occurrence.

The schedule follows the plan: as many times as the plan's rounds a day, on as many days as the
plan's days a week (every day at first, 3-4 days a week later, 1-3 in maintenance). The person
chooses the days themselves, any number from one to seven; choosing another number changes the
plan's days a week (knipa.training.plans.choose_days_per_week), so the two always agree. When the
plan itself changes the number, the days are suggested anew (DEFAULT_WEEKDAYS).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Used when the person has chosen fewer times than the plan has rounds a day: morning, midday,
# evening, the times most people can fit a round into (mainstream habit advice; H1 gives none).
DEFAULT_TIMES = (time(8, 0), time(13, 0), time(19, 0))
# Which weekdays (Monday = 0) to suggest for a number of days a week: spread out, with rest
# days between training days where the plan trains to fatigue (E1).
DEFAULT_WEEKDAYS = {
    7: (0, 1, 2, 3, 4, 5, 6),
    6: (0, 1, 2, 3, 4, 5),
    5: (0, 1, 2, 3, 4),
    4: (0, 1, 3, 5),
    3: (0, 2, 4),
    2: (0, 3),
    1: (6,),
}


@dataclass(frozen=True)
class Schedule:
    """The reminder times that apply now, in the person's zone."""

    times: tuple[time, ...]
    weekdays: frozenset[int]
    zone: ZoneInfo
    quiet_dates: frozenset[date] = frozenset()


def schedule_for(chosen_times: Iterable[time], chosen_weekdays: Iterable[int], rounds_per_day: int,
                 days_per_week: int, zone: ZoneInfo, quiet_dates: Iterable[date] = ()) -> Schedule:
    """The person's own times and days, fitted to what the plan asks for now."""
    times = sorted(set(chosen_times))[:rounds_per_day]
    for default in DEFAULT_TIMES:
        if len(times) >= rounds_per_day:
            break
        if all(abs(_minutes(default) - _minutes(t)) >= 60 for t in times):
            times.append(default)
    times = sorted(times)
    weekdays = frozenset(chosen_weekdays)
    if len(weekdays) != days_per_week:
        # The plan changed how many days a week: suggest days again rather than keep a number of
        # days the plan no longer asks for.
        weekdays = frozenset(DEFAULT_WEEKDAYS[max(1, min(7, days_per_week))])
    return Schedule(tuple(times), weekdays, zone, frozenset(quiet_dates))


def _minutes(at: time) -> int:
    return at.hour * 60 + at.minute


def _exists(local: datetime, zone: ZoneInfo) -> bool:
    """Whether a naive wall-clock time happens in the zone (it does not in a spring-forward gap)."""
    aware = local.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == local


def wall_clock_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant a wall-clock time on a day means in the zone (see the module's rules)."""
    local = datetime.combine(day, at)
    while not _exists(local, zone):
        # In the gap: move to the next whole minute until the clock shows it again.
        local = (local + timedelta(minutes=1)).replace(second=0, microsecond=0)
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)


def due_times(schedule: Schedule, start: datetime, end: datetime) -> Iterator[tuple[int, datetime]]:
    """Each (slot, due instant in UTC) with start <= due < end, in order; slot 0 is the day's first."""
    first_day = start.astimezone(schedule.zone).date() - timedelta(days=1)
    last_day = end.astimezone(schedule.zone).date() + timedelta(days=1)
    day = first_day
    while day <= last_day:
        if day.weekday() in schedule.weekdays and day not in schedule.quiet_dates:
            for slot, at in enumerate(schedule.times):
                due = wall_clock_to_utc(day, at, schedule.zone)
                if start <= due < end:
                    yield slot, due
        day += timedelta(days=1)
