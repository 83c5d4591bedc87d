"""What "today" means for a person: rounds done today and this week against the plan.

Days and weeks are the person's own (their time zone; weeks start on Monday, as in Sweden);
timestamps are stored in UTC. The daily-life practice (E6) is extra and does not count as a round
(knipa.program.rounds.PRACTICE_STAGES).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from knipa.accounts.models import Profile
from knipa.program.moments import local
from knipa.program.plan import PlanState
from knipa.training.models import TrainingRound


@dataclass(frozen=True)
class Today:
    rounds_today: int
    rounds_planned_today: int
    rounds_this_week: int
    rounds_planned_this_week: int
    days_this_week: int
    days_planned_this_week: int

    @property
    def done_for_today(self) -> bool:
        return self.rounds_today >= self.rounds_planned_today


def today_for(profile: Profile, state: PlanState, now: datetime | None = None) -> Today:
    zone = profile.zone
    local_now = (now or timezone.now()).astimezone(zone)
    midnight = datetime.combine(local_now.date(), time(0), tzinfo=zone)
    monday = midnight - timedelta(days=local_now.weekday())
    week = (
        TrainingRound.objects.filter(profile=profile, started_at__gte=monday)
        .counted()
        .values_list("started_at", flat=True)
    )
    # A round stored at the calendar's very end must not fail the page (knipa.program.moments).
    starts = [local(started, zone) for started in week]
    p = state.parameters
    return Today(
        rounds_today=sum(1 for started in starts if started >= midnight),
        rounds_planned_today=p.rounds_per_day,
        rounds_this_week=len(starts),
        rounds_planned_this_week=p.rounds_per_day * p.days_per_week,
        days_this_week=len({started.date() for started in starts}),
        days_planned_this_week=p.days_per_week,
    )
