"""What "today" means for a person: rounds done today and this week against the plan.

Days and weeks are the person's own (their time zone; weeks start on Monday, as in Sweden);
timestamps are stored in UTC. Which rounds count are two rules of knipa.program.plan: today's rounds
(`counts_toward_today`) are finished rounds at the plan's current stage, not the daily-life practice
(E6), not a round that hurt (S1); the week's rounds and days (`counts_toward_plan`) are the same
without the stage, exactly as the progress page counts its weeks. The home page and the end of a
round show these numbers (docs/plan.md, "The numbers a person sees").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from knipa.accounts.models import Profile
from knipa.program.moments import local
from knipa.program.plan import PlanState, counts_toward_plan, counts_toward_today
from knipa.training.models import ExerciseRecord, TrainingRound


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
        .annotate(hurt=Exists(ExerciseRecord.objects.filter(training_round=OuterRef("pk"), pain=True)))
        .values_list("started_at", "stage", "status", "hurt")
    )
    # A round stored at the calendar's very end must not fail the page (knipa.program.moments).
    rounds = [(local(started, zone), stage, status, hurt) for started, stage, status, hurt in week]
    plan_days = [started.date() for started, stage, status, hurt in rounds if counts_toward_plan(stage, status, hurt)]
    p = state.parameters
    return Today(
        rounds_today=sum(1 for started, stage, status, hurt in rounds
                         if started >= midnight and counts_toward_today(stage, status, hurt, state)),
        rounds_planned_today=p.rounds_per_day,
        rounds_this_week=len(plan_days),
        rounds_planned_this_week=p.rounds_per_day * p.days_per_week,
        days_this_week=len(set(plan_days)),
        days_planned_this_week=p.days_per_week,
    )
