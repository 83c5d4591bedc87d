"""The numbers behind the progress page and the seek-care advice, from the person's own data.

Weeks are the person's own (their time zone, Monday to Sunday). Only the plan's rounds count: finished,
not practice (E6) and not a round that hurt (S1), by one rule, knipa.program.plan.counts_toward_plan. The
rules (adherence, the seek-care advice) are knipa.program.outcomes; this module gathers their
inputs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from knipa.accounts.models import Profile
from knipa.outcomes.models import CheckIn, DiaryEntry, Leak
from knipa.program.moments import local_date, start_of_day, wall_clock
from knipa.program.outcomes import (
    NEEDS_HELP_AFTER_ROUNDS,
    PGI_FROM_WEEK,
    CareAdvice,
    DiaryEntry as DiaryLine,
    DiaryKind,
    DiarySummary,
    Situation,
    adherence as adherence_share,
    care_advice,
    check_in_due,
    summarise_diary,
    week_start,
)
from knipa.program.plan import Felt, RoundStatus, counts_toward_plan
from knipa.program.safety import Goal
from knipa.training import plans
from knipa.training.models import ExerciseRecord, TrainingRound

WEEKS_SHOWN = 26


@dataclass(frozen=True)
class Week:
    start: date
    training_days: int
    rounds: int
    strength_hold: float | None
    strength_reps: int | None
    endurance_seconds: float | None
    leaks: int


def plan_round_starts(profile: Profile, since: datetime) -> list[datetime]:
    """When each of the plan's rounds since `since` started (knipa.program.plan.counts_toward_plan)."""
    rounds = (TrainingRound.objects.filter(profile=profile, started_at__gte=since)
              .annotate(hurt=Exists(ExerciseRecord.objects.filter(training_round=OuterRef("pk"), pain=True)))
              .values_list("started_at", "stage", "status", "hurt"))
    return [started for started, stage, status, hurt in rounds if counts_toward_plan(stage, status, hurt)]


def _local_day(moment: datetime, profile: Profile) -> date:
    # Never fails, even for a moment stored at the calendar's very end (knipa.program.moments).
    return local_date(moment, profile.zone)


def weeks(profile: Profile, now: datetime | None = None) -> list[Week]:
    """One row per week, from the first week with any data (at most 26 weeks back) to this week."""
    now = now or timezone.now()
    zone = profile.zone
    this_week = week_start(now.astimezone(zone).date())
    earliest = this_week - timedelta(weeks=WEEKS_SHOWN - 1)
    since = datetime.combine(earliest, time(0), tzinfo=zone)
    rounds = plan_round_starts(profile, since)
    # S1: a round that hurt is not training shown as progress, here as in the plan's milestones.
    hurt = ExerciseRecord.objects.filter(training_round__profile=profile, pain=True).values("training_round")
    records = (ExerciseRecord.objects.filter(training_round__profile=profile, training_round__started_at__gte=since)
               .exclude(training_round__in=hurt).exclude(training_round__status=RoundStatus.STOPPED_FOR_PAIN)
               .values("training_round__started_at", "exercise", "planned_squeeze_seconds", "achieved_reps",
                       "held_seconds"))
    leaks = list(Leak.objects.filter(profile=profile, at__gte=since).values_list("at", flat=True))
    leaks += list(DiaryEntry.objects.filter(profile=profile, at__gte=since, kind=DiaryEntry.Kind.LEAK)
                  .values_list("at", flat=True))
    days_by_week: dict[date, set[date]] = {}
    rounds_by_week: Counter = Counter()
    for started in rounds:
        day = _local_day(started, profile)
        days_by_week.setdefault(week_start(day), set()).add(day)
        rounds_by_week[week_start(day)] += 1
    hold: dict[date, float] = {}
    reps: dict[date, int] = {}
    endurance: dict[date, float] = {}
    for record in records:
        key = week_start(_local_day(record["training_round__started_at"], profile))
        if record["exercise"] == "E1":
            hold[key] = max(hold.get(key, 0), record["planned_squeeze_seconds"])
            reps[key] = max(reps.get(key, 0), record["achieved_reps"])
        elif record["exercise"] == "E3" and record["held_seconds"] is not None:
            endurance[key] = max(endurance.get(key, 0), record["held_seconds"])
    leaks_by_week = Counter(week_start(_local_day(at, profile)) for at in leaks)
    first_data = min([*days_by_week, *leaks_by_week, this_week])
    result = []
    start = max(first_data, earliest)
    while start <= this_week:
        result.append(Week(start, len(days_by_week.get(start, ())), rounds_by_week.get(start, 0), hold.get(start),
                           reps.get(start), endurance.get(start), leaks_by_week.get(start, 0)))
        start += timedelta(weeks=1)
    return result


def training_weeks(profile: Profile, now: datetime | None = None) -> int:
    state = plans.current_plan(profile)
    if state.training_started_on is None:
        return 0
    now = now or timezone.now()
    return max(0, (now.astimezone(profile.zone).date() - state.training_started_on).days // 7)


def adherence(profile: Profile, now: datetime | None = None) -> float:
    """Rounds done since basic training began, as a share of what the plan asks for (0 before)."""
    state = plans.current_plan(profile)
    if state.training_started_on is None:
        return 0.0
    now = now or timezone.now()
    since = start_of_day(state.training_started_on, profile.zone)
    return adherence_share(
        rounds_done=len(plan_round_starts(profile, since)),
        rounds_per_day=state.parameters.rounds_per_day,
        days_per_week=state.parameters.days_per_week,
        days_of_training=(now.astimezone(profile.zone).date() - state.training_started_on).days,
    )


def felt_squeeze(profile: Profile) -> tuple[bool | None, ...]:
    """Per recent round, oldest first: did the person feel the squeeze (E0) or the lift (T3)?"""
    answers: dict = {}
    records = (ExerciseRecord.objects
               .filter(training_round__profile=profile, exercise__in=("E0", "E1"))
               .exclude(felt_clearly=Felt.UNKNOWN.value, felt_lift=Felt.UNKNOWN.value)
               .order_by("-training_round__started_at")
               .values_list("training_round_id", "felt_clearly", "felt_lift")[:NEEDS_HELP_AFTER_ROUNDS * 4])
    for round_id, clearly, lift in records:
        answers.setdefault(round_id, []).extend(answer for answer in (clearly, lift) if answer)
    return tuple(reversed([(Felt.YES in given) for given in answers.values()]))


def situation(profile: Profile, now: datetime | None = None) -> Situation:
    check_ins = tuple(c.scores() for c in CheckIn.objects.filter(profile=profile))
    today = (now or timezone.now()).astimezone(profile.zone).date()
    return Situation(
        check_ins=check_ins,
        weeks_of_training=training_weeks(profile, now),
        adherence=adherence(profile, now),
        after_childbirth=profile.safety_answers.within_first_year_after_birth(today),  # V3: the whole first year
        faecal_leakage=Goal.FAECAL_LEAKAGE in profile.goal_set,
        felt_squeeze=felt_squeeze(profile),
    )


def advice_for(profile: Profile, now: datetime | None = None) -> list[CareAdvice]:
    return care_advice(situation(profile, now))


def check_in_is_due(profile: Profile, now: datetime | None = None) -> bool:
    last = CheckIn.objects.filter(profile=profile).aggregate(last=Max("at"))["last"]
    return check_in_due(last, now or timezone.now())


def asks_improvement(profile: Profile, now: datetime | None = None) -> bool:
    """PGI-I from week four: four weeks after the first check-in."""
    first = CheckIn.objects.filter(profile=profile).order_by("at").values_list("at", flat=True).first()
    return first is not None and (now or timezone.now()) - first >= timedelta(weeks=PGI_FROM_WEEK)


DIARY_DAYS = 3


def diary_summary(profile: Profile) -> DiarySummary | None:
    """The usual summaries of the latest three diary days (the diary is kept for three days)."""
    zone = profile.zone
    lines = [
        DiaryLine(at=wall_clock(entry.at, zone), kind=DiaryKind(entry.kind),
                  volume_ml=entry.volume_ml, urgency=entry.urgency, night=True if entry.woke_me else None)
        for entry in DiaryEntry.objects.filter(profile=profile)
    ]
    latest_days = sorted({line.at.date() for line in lines})[-DIARY_DAYS:]
    return summarise_diary([line for line in lines if line.at.date() in latest_days])
