"""Writing occurrences down before they are due (the first half of the outbox).

A worker plans each person's next 36 hours of reminders as `Occurrence` rows; the unique
constraint (person, slot, due time) makes planning idempotent, so two workers planning the same
person at once write each occurrence once. When the person's times or the plan's rhythm change,
the waiting future occurrences are withdrawn and planned again.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone

from knipa.accounts.models import Profile
from knipa.accounts.pagecache import move_version_on
from knipa.program.plan import DEFAULT_RHYTHM
from knipa.reminders.models import Occurrence, ReminderSettings
from knipa.reminders.schedule import Schedule, due_times, schedule_for
from knipa.training.models import Plan
from knipa.training.plans import frequency_changed

HORIZON = timedelta(hours=36)
# Plan again when less than this much of the horizon is left.
REPLAN_BEFORE = timedelta(hours=24)


def settings_for(profile: Profile) -> ReminderSettings:
    """The person's reminder settings, stored (for a change the person makes)."""
    settings, _created = ReminderSettings.objects.get_or_create(profile=profile)
    return settings


def settings_to_show(profile: Profile) -> ReminderSettings:
    """The person's reminder settings to read: the defaults, unsaved, when they have none yet."""
    return ReminderSettings.objects.filter(profile=profile).first() or ReminderSettings(profile=profile)


def reminders_set_up(profile: Profile) -> bool:
    """Whether the person gets reminders in any way: notifications, e-mail or a calendar feed."""
    return ReminderSettings.objects.filter(profile=profile).filter(
        Q(by_push=True) | Q(by_email=True) | ~Q(calendar_token="")).exists()


def parse_times(values: list[str]) -> list[time]:
    parsed = []
    for value in values:
        try:
            parsed.append(time.fromisoformat(value))
        except (TypeError, ValueError):
            continue
    return parsed


def parse_dates(values: list[str]) -> list[date]:
    parsed = []
    for value in values:
        try:
            parsed.append(date.fromisoformat(value))
        except (TypeError, ValueError):
            continue
    return parsed


def rhythm(profile: Profile) -> tuple[int, int]:
    """The plan's rounds a day and days a week; before there is a plan, a new plan's (E0: 3 a day)."""
    plan = Plan.objects.filter(profile=profile).only("rounds_per_day", "days_per_week").first()
    return (plan.rounds_per_day, plan.days_per_week) if plan else DEFAULT_RHYTHM


def schedule_of(settings: ReminderSettings, rounds_per_day: int | None = None,
                days_per_week: int | None = None) -> Schedule:
    if rounds_per_day is None or days_per_week is None:
        rounds_per_day, days_per_week = rhythm(settings.profile)
    return schedule_for(parse_times(settings.times), settings.weekdays, rounds_per_day, days_per_week,
                        settings.profile.zone, parse_dates(settings.quiet_dates))


def wants_reminders(settings: ReminderSettings) -> bool:
    return not settings.paused and (settings.by_push or settings.by_email)


def plan_person(settings: ReminderSettings, now: datetime) -> int:
    """Write the person's occurrences up to the horizon; returns how many were new."""
    if not wants_reminders(settings):
        return 0
    start = max(settings.planned_until or now, now)
    end = now + HORIZON
    rows = [
        Occurrence(profile_id=settings.profile_id, slot=slot, due_at=due, next_attempt_at=due)
        for slot, due in due_times(schedule_of(settings), start, end)
    ]
    created = Occurrence.objects.bulk_create(rows, ignore_conflicts=True)
    ReminderSettings.objects.filter(pk=settings.pk).update(planned_until=end)
    if rows:
        move_version_on(settings.profile_id)  # the reminders page lists what is coming
    return len(created)


def plan_due_people(now: datetime, limit: int = 200) -> int:
    """One planning step for a worker: people whose written-down horizon is running out."""
    due = (
        ReminderSettings.objects.select_related("profile")
        .filter(paused=False)
        .filter(Q(by_push=True) | Q(by_email=True))
        .filter(Q(planned_until__isnull=True) | Q(planned_until__lt=now + REPLAN_BEFORE))
        .order_by("planned_until")[:limit]
    )
    return sum(plan_person(settings, now) or 0 for settings in due) if due else 0


def replan(profile: Profile, now: datetime) -> None:
    """Withdraw the waiting future occurrences; the next planning step writes them anew."""
    with transaction.atomic():
        Occurrence.objects.filter(profile=profile, status=Occurrence.Status.PENDING, due_at__gt=now,
                                  snoozed=False, attempts=0).delete()
        ReminderSettings.objects.filter(profile=profile).update(planned_until=None)


def devices_changed(profile: Profile) -> None:
    """After a browser was removed: with no browser left, notifications are off."""
    from knipa.reminders.models import PushSubscription

    if not PushSubscription.objects.filter(profile=profile).exists():
        ReminderSettings.objects.filter(profile=profile).update(by_push=False)
        replan(profile, timezone.now())


@receiver(frequency_changed)
def plan_rhythm_changed(sender, profile: Profile, at: datetime, **kwargs) -> None:
    # The plan now trains on other days or a different number of times a day (E1, K2).
    replan(profile, at)
