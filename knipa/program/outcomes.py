"""Is it working? Scores, bands, diary summaries and when to seek care (spec V1-V4, K1).

Plain Python, tested directly. The questionnaires are public-domain instruments (not the licensed
ICIQ family):

- The incontinence severity index (Sandvik et al.): how often urine leaks (1-4) times how much
  (1-3), 1-12, in four bands: slight 1-2, moderate 3-6, severe 8-9, very severe 12. We add 0 for
  "never leaks", which the index leaves out.
- The patient global impression of improvement (PGI-I): seven steps from very much better (1) to
  very much worse (7); 4 is no change. Asked from week four.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import IntEnum, StrEnum
from statistics import mean


class LeakFrequency(IntEnum):
    NEVER = 0
    LESS_THAN_MONTHLY = 1
    FEW_TIMES_A_MONTH = 2
    FEW_TIMES_A_WEEK = 3
    EVERY_DAY_OR_NIGHT = 4


class LeakAmount(IntEnum):
    NONE = 0
    DROPS = 1
    SMALL_SPLASHES = 2
    MORE = 3


class SeverityBand(StrEnum):
    NONE = "none"
    SLIGHT = "slight"
    MODERATE = "moderate"
    SEVERE = "severe"
    VERY_SEVERE = "very_severe"


BAND_ORDER = [SeverityBand.NONE, SeverityBand.SLIGHT, SeverityBand.MODERATE, SeverityBand.SEVERE,
              SeverityBand.VERY_SEVERE]


def severity_index(frequency: LeakFrequency, amount: LeakAmount) -> int:
    """Sandvik's index: frequency x amount, 0 when there is no leakage."""
    if frequency == LeakFrequency.NEVER or amount == LeakAmount.NONE:
        return 0
    return int(frequency) * int(amount)


def severity_band(index: int) -> SeverityBand:
    if not 0 <= index <= 12:
        raise ValueError(f"a severity index is 0-12, not {index}")
    if index == 0:
        return SeverityBand.NONE
    if index <= 2:
        return SeverityBand.SLIGHT
    if index <= 6:
        return SeverityBand.MODERATE
    if index <= 9:
        return SeverityBand.SEVERE
    return SeverityBand.VERY_SEVERE


class Improvement(IntEnum):
    """PGI-I: how the condition is now, compared with before training."""

    VERY_MUCH_BETTER = 1
    MUCH_BETTER = 2
    A_LITTLE_BETTER = 3
    NO_CHANGE = 4
    A_LITTLE_WORSE = 5
    MUCH_WORSE = 6
    VERY_MUCH_WORSE = 7


PGI_FROM_WEEK = 4  # the impression of improvement is asked from week four on
CHECK_IN_EVERY = timedelta(weeks=4)


@dataclass(frozen=True)
class CheckIn:
    """One check-in: at the end of onboarding and every four weeks."""

    at: datetime
    frequency: LeakFrequency
    amount: LeakAmount
    bother: int  # 0-10
    confidence: int  # 0-10: how sure they are that they squeeze correctly
    avoids_activity: bool = False  # V1
    avoids_friends: bool = False  # V1
    avoids_sex: bool = False  # V1
    improvement: Improvement | None = None  # PGI-I, from week four

    @property
    def index(self) -> int:
        return severity_index(self.frequency, self.amount)

    @property
    def band(self) -> SeverityBand:
        return severity_band(self.index)

    @property
    def avoids_anything(self) -> bool:
        return self.avoids_activity or self.avoids_friends or self.avoids_sex


def check_in_due(last: datetime | None, now: datetime) -> bool:
    return last is None or now - last >= CHECK_IN_EVERY


# --- Seek care (V1-V3) ----------------------------------------------------------------------------

class CareAdvice(StrEnum):
    CONTACT_NOW_AVOIDING = "contact_now_avoiding"  # V1: avoiding activity, friends or sex
    CONTACT_NOT_IMPROVING = "contact_not_improving"  # V1, V2: trained as planned without enough effect
    SEEK_CARE_AFTER_BIRTH = "seek_care_after_birth"  # V3: major symptoms in the first year after a birth
    NEEDS_HELP_WITH_TRAINING = "needs_help_with_training"  # V1, H2: cannot find or feel the squeeze


CARE_SPEC_IDS = {
    CareAdvice.CONTACT_NOW_AVOIDING: ("V1", "V4"),
    CareAdvice.CONTACT_NOT_IMPROVING: ("V1", "V2", "V4"),
    CareAdvice.SEEK_CARE_AFTER_BIRTH: ("V3", "V4"),
    CareAdvice.NEEDS_HELP_WITH_TRAINING: ("V1", "H2", "V4"),
}

# V1/V2 "trained as recommended and the symptoms are not good enough": at least twelve weeks
# (K1: most notice a change after about two months; a margin past that), at least 70% of the
# planned rounds done, and no meaningful improvement.
NOT_IMPROVING_AFTER_WEEKS = 12
ADHERENCE_NEEDED = 0.7
# V3 "major symptoms": mainstream post-natal practice reads this as severe leakage, any loss of
# stool, or symptoms that bother a great deal.
MAJOR_BOTHER = 7
# V1 "needs help with the training": a fair number of rounds in a row in which the person could not
# feel the squeeze (E0: not clearly; T3: no lift). Ten rounds is three to four days of finding the
# muscles at three rounds a day (E0): mainstream practice would offer an instructed check by then.
NEEDS_HELP_AFTER_ROUNDS = 10


def adherence(rounds_done: int, rounds_per_day: int, days_per_week: int, days_of_training: int) -> float:
    """V1, V2 "trained as recommended": the share of the planned rounds done, 0-1.

    `rounds_done` are the plan's rounds since basic training began (practice rounds do not count:
    knipa.program.rounds.counts_as_training); the planned rounds are the plan's rhythm of today
    (rounds a day times days a week) over `days_of_training` days, at least one day. An
    approximation: today's rhythm, not each past week's. More rounds than planned count as 1.
    """
    planned = rounds_per_day * days_per_week * max(1, days_of_training) / 7
    return min(1.0, rounds_done / planned) if planned > 0 else 0.0


def cannot_feel_the_squeeze(felt: Sequence[bool | None]) -> bool:
    """V1: the latest rounds that asked all say the squeeze was not felt.

    `felt` has one value per round, oldest first: True when the person felt the squeeze (E0) or
    the lift (T3), False when they answered no or unsure, None when the round did not ask.
    """
    asked = [value for value in felt if value is not None][-NEEDS_HELP_AFTER_ROUNDS:]
    return len(asked) >= NEEDS_HELP_AFTER_ROUNDS and not any(asked)


@dataclass(frozen=True)
class Situation:
    """What the seek-care rules look at."""

    check_ins: tuple[CheckIn, ...]  # oldest first
    weeks_of_training: int
    adherence: float  # rounds done / rounds planned since training began, 0-1
    after_childbirth: bool = False  # V3: within the first year after a birth
    faecal_leakage: bool = False
    felt_squeeze: tuple[bool | None, ...] = ()  # per round, oldest first (see cannot_feel_the_squeeze)


def meaningful_improvement(first: CheckIn, latest: CheckIn) -> bool:
    """A better severity band, or a PGI-I of at least a little better."""
    better_band = BAND_ORDER.index(latest.band) < BAND_ORDER.index(first.band)
    better_impression = latest.improvement is not None and latest.improvement <= Improvement.A_LITTLE_BETTER
    return better_band or better_impression


def care_advice(situation: Situation) -> list[CareAdvice]:
    """The seek-care advice that applies now, most urgent first."""
    advice: list[CareAdvice] = []
    needs_help = cannot_feel_the_squeeze(situation.felt_squeeze)
    if not situation.check_ins:
        return [CareAdvice.NEEDS_HELP_WITH_TRAINING] if needs_help else advice
    first, latest = situation.check_ins[0], situation.check_ins[-1]
    if situation.after_childbirth and (
        latest.band in (SeverityBand.SEVERE, SeverityBand.VERY_SEVERE)
        or situation.faecal_leakage or latest.bother >= MAJOR_BOTHER
    ):
        advice.append(CareAdvice.SEEK_CARE_AFTER_BIRTH)  # V3
    if latest.avoids_anything:
        advice.append(CareAdvice.CONTACT_NOW_AVOIDING)  # V1
    if (situation.weeks_of_training >= NOT_IMPROVING_AFTER_WEEKS and situation.adherence >= ADHERENCE_NEEDED
            and len(situation.check_ins) >= 2 and not meaningful_improvement(first, latest)):
        advice.append(CareAdvice.CONTACT_NOT_IMPROVING)  # V1, V2
    if needs_help:
        advice.append(CareAdvice.NEEDS_HELP_WITH_TRAINING)  # V1, H2
    return advice


# --- The bladder diary ----------------------------------------------------------------------------

class DiaryKind(StrEnum):
    DRINK = "drink"
    VOID = "void"
    LEAK = "leak"
    PAD = "pad"


@dataclass(frozen=True)
class DiaryEntry:
    at: datetime  # local time
    kind: DiaryKind
    volume_ml: int | None = None  # drink or void
    urgency: int | None = None  # 0-3
    night: bool | None = None  # a void that woke the person; None: decided by the clock


# Night by the clock when the person has not said: 23:00-06:00 (a common diary convention).
NIGHT_STARTS = time(23, 0)
NIGHT_ENDS = time(6, 0)


def is_night(entry: DiaryEntry) -> bool:
    if entry.night is not None:
        return entry.night
    at = entry.at.time()
    return at >= NIGHT_STARTS or at < NIGHT_ENDS


@dataclass(frozen=True)
class DiarySummary:
    days: int
    voids_per_day: float
    voids_per_night: float
    mean_void_ml: float | None
    largest_void_ml: int | None
    leaks_per_day: float
    drinks_ml_per_day: float
    pads_per_day: float
    mean_urgency: float | None


def summarise_diary(entries: list[DiaryEntry]) -> DiarySummary | None:
    """The usual summaries over the days the diary covers."""
    if not entries:
        return None
    days = len({entry.at.date() for entry in entries})
    voids = [e for e in entries if e.kind is DiaryKind.VOID]
    volumes = [e.volume_ml for e in voids if e.volume_ml]
    urgencies = [e.urgency for e in entries if e.urgency is not None]
    return DiarySummary(
        days=days,
        voids_per_day=round(sum(1 for v in voids if not is_night(v)) / days, 1),
        voids_per_night=round(sum(1 for v in voids if is_night(v)) / days, 1),
        mean_void_ml=round(mean(volumes)) if volumes else None,
        largest_void_ml=max(volumes) if volumes else None,
        leaks_per_day=round(sum(1 for e in entries if e.kind is DiaryKind.LEAK) / days, 1),
        drinks_ml_per_day=round(sum(e.volume_ml or 0 for e in entries if e.kind is DiaryKind.DRINK) / days),
        pads_per_day=round(sum(1 for e in entries if e.kind is DiaryKind.PAD) / days, 1),
        mean_urgency=round(mean(urgencies), 1) if urgencies else None,
    )


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())
