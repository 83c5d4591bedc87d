"""What a clinician sees of the people who share with them, and only what each share covers.

Every function here takes a `Share` that knipa.sharing.access found active for the requesting
clinician, and reads only the scopes it covers: a missing scope gives None ("not shared" on the
page), never a number computed from data the person did not share. The numbers are the person's
own pages' numbers (knipa.outcomes.progress, knipa.program.outcomes, knipa.training.plans): the
clinician sees what the person sees.

Attention, most urgent first (the follow-up list is sorted by it):
- a seek-care rule fires (V1-V3, knipa.program.outcomes.care_advice; needs rounds and check-ins),
- pain reported: the pain path (S1, the person's safety answer, part of the plan), a round stopped
  for pain, or pain in the latest check-in,
- no round for a week,
- adherence below the plan over the last four weeks (under V1/V2's 70 %).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knipa.outcomes import progress
from knipa.outcomes.models import CheckIn, DiaryEntry, Leak
from knipa.program.moments import local_date, start_of_day
from knipa.program.outcomes import ADHERENCE_NEEDED, CareAdvice, adherence as adherence_share, week_start
from knipa.program.plan import RoundStatus
from knipa.program.safety import TrainingPath
from knipa.sharing.models import Scope, Share
from knipa.training.models import ExerciseRecord, TrainingRound
from knipa.training.plan_texts import stage_name
from knipa.training.plans import current_plan

# "Adherence over the last four weeks" and "no round for a week" (issue 16).
ADHERENCE_WEEKS = 4
QUIET_DAYS = 7


class Attention:
    """Why a person is near the top of the list; the order is the urgency."""

    SEEK_CARE = "seek_care"
    PAIN = "pain"
    NO_ROUNDS = "no_rounds"
    LOW_ADHERENCE = "low_adherence"
    ORDER = (SEEK_CARE, PAIN, NO_ROUNDS, LOW_ADHERENCE)
    LABELS = {
        SEEK_CARE: _("Advised to seek care"),
        PAIN: _("Pain reported"),
        NO_ROUNDS: _("No round for a week"),
        LOW_ADHERENCE: _("Trains less than the plan"),
    }


def covered(share: Share) -> dict[str, bool]:
    """{scope: shared?} for templates: `covers.rounds`, `covers.plan` ..."""
    return {scope.value: scope.value in share.scopes for scope in Scope}


def shown_name(share: Share) -> str:
    """The name the person chose for this clinician to see, else the share's number.

    Never the username: the consent screen promises that it is not shared (it is half of the
    person's login), and a profile only this browser holds has none anyone chose. The name is
    asked for on the consent screen when knipa.sharing offers it (`Share.label`)."""
    label = getattr(share, "label", "")
    if label:
        return label
    return str(_("Person %(number)s") % {"number": share.pk})


@dataclass(frozen=True)
class Trend:
    first: int
    latest: int
    count: int

    @property
    def direction(self) -> str:
        # A lower leakage index is better (ICIQ-style severity index: how often x how much).
        return "better" if self.latest < self.first else "worse" if self.latest > self.first else "same"


@dataclass
class Row:
    share: Share
    name: str
    covers: dict[str, bool]
    stage: str | None = None
    adherence: float | None = None
    last_round: date | None = None
    trend: Trend | None = None
    improvement: str | None = None  # PGI-I, the latest answer
    care_advice: list[CareAdvice] | None = None  # None: the share does not cover what it is made of
    attention: list[str] = field(default_factory=list)

    @property
    def adherence_percent(self) -> int | None:
        return None if self.adherence is None else round(self.adherence * 100)

    @property
    def attention_labels(self) -> list[str]:
        return [str(Attention.LABELS[reason]) for reason in self.attention]

    @property
    def sort_key(self) -> tuple:
        first = min((Attention.ORDER.index(reason) for reason in self.attention), default=len(Attention.ORDER))
        # Then more reasons first, then the longest without a round, then the name.
        return (first, -len(self.attention), self.last_round or date.min, self.name.lower())


def adherence_recently(profile, now: datetime) -> float | None:
    """The plan's adherence formula (V1, V2: knipa.program.outcomes.adherence) over the last four
    weeks, or since onboarding when that is shorter; None before there is a plan to follow."""
    if profile.onboarded_at is None:
        return None
    zone = profile.zone
    today = local_date(now, zone)
    since_day = max(today - timedelta(weeks=ADHERENCE_WEEKS), local_date(profile.onboarded_at, zone))
    state = current_plan(profile)
    return adherence_share(
        rounds_done=len(progress.plan_round_starts(profile, start_of_day(since_day, zone))),
        rounds_per_day=state.parameters.rounds_per_day,
        days_per_week=state.parameters.days_per_week,
        days_of_training=(today - since_day).days,
    )


def last_round_day(profile) -> date | None:
    started = TrainingRound.objects.filter(profile=profile).order_by("-started_at").values_list(
        "started_at", flat=True).first()
    return local_date(started, profile.zone) if started else None


def pain_in_rounds(profile, since: datetime) -> bool:
    """S1: a round since `since` stopped for pain, or an exercise in it that hurt."""
    return (TrainingRound.objects.filter(profile=profile, started_at__gte=since,
                                         status=RoundStatus.STOPPED_FOR_PAIN).exists()
            or ExerciseRecord.objects.filter(training_round__profile=profile,
                                             training_round__started_at__gte=since, pain=True).exists())


def check_in_trend(check_ins: list[CheckIn]) -> Trend | None:
    if not check_ins:
        return None
    return Trend(first=check_ins[0].scores().index, latest=check_ins[-1].scores().index, count=len(check_ins))


def latest_improvement(check_ins: list[CheckIn]) -> str | None:
    for check_in in reversed(check_ins):
        if check_in.improvement:
            return check_in.get_improvement_display()
    return None


def care_advice(share: Share, now: datetime) -> list[CareAdvice] | None:
    """The seek-care advice the person sees (V1-V3), when the share covers what it is made of:
    check-ins and rounds. None when it does not."""
    if not (Scope.CHECK_INS.value in share.scopes and Scope.ROUNDS.value in share.scopes):
        return None
    return progress.advice_for(share.profile, now)


def row(share: Share, now: datetime | None = None) -> Row:
    """One person on the follow-up list, from the scopes their share covers."""
    now = now or timezone.now()
    profile = share.profile
    covers = covered(share)
    result = Row(share=share, name=shown_name(share), covers=covers)
    recent = now - timedelta(weeks=ADHERENCE_WEEKS)
    pain = False
    if covers["plan"]:
        state = current_plan(profile)
        result.stage = stage_name(state.current_stage)
        pain = pain or profile.training_path is TrainingPath.RELAXATION  # S1, the pain path
    if covers["rounds"]:
        result.adherence = adherence_recently(profile, now)
        result.last_round = last_round_day(profile)
        pain = pain or pain_in_rounds(profile, recent)
        quiet_since = local_date(now, profile.zone) - timedelta(days=QUIET_DAYS)
        if profile.onboarded_at is not None and local_date(profile.onboarded_at, profile.zone) <= quiet_since \
                and (result.last_round is None or result.last_round <= quiet_since):
            result.attention.append(Attention.NO_ROUNDS)
        if result.adherence is not None and result.adherence < ADHERENCE_NEEDED:
            result.attention.append(Attention.LOW_ADHERENCE)
    if covers["check_ins"]:
        check_ins = list(CheckIn.objects.filter(profile=profile).order_by("at", "id"))
        result.trend = check_in_trend(check_ins)
        result.improvement = latest_improvement(check_ins)
        pain = pain or bool(check_ins and check_ins[-1].pain)
    if pain:
        result.attention.append(Attention.PAIN)
    result.care_advice = care_advice(share, now)
    if result.care_advice:
        result.attention.append(Attention.SEEK_CARE)
    result.attention.sort(key=Attention.ORDER.index)
    return result


def follow_up_rows(shares, now: datetime | None = None) -> list[Row]:
    now = now or timezone.now()
    return sorted((row(share, now) for share in shares), key=lambda item: item.sort_key)


def weeks_shared(share: Share, now: datetime) -> list[progress.Week]:
    """The progress page's weeks, with the leaks counted only from what the share covers: the leak
    log with check-ins, the diary's leaks with the diary."""
    profile = share.profile
    weeks = progress.weeks(profile, now)
    if not weeks:
        return weeks
    since = start_of_day(weeks[0].start, profile.zone)
    moments = []
    if Scope.CHECK_INS.value in share.scopes:
        moments += list(Leak.objects.filter(profile=profile, at__gte=since).values_list("at", flat=True))
    if Scope.DIARY.value in share.scopes:
        moments += list(DiaryEntry.objects.filter(profile=profile, at__gte=since, kind=DiaryEntry.Kind.LEAK)
                        .values_list("at", flat=True))
    counts: dict[date, int] = {}
    for moment in moments:
        start = week_start(local_date(moment, profile.zone))
        counts[start] = counts.get(start, 0) + 1
    return [replace(week, leaks=counts.get(week.start, 0)) for week in weeks]
