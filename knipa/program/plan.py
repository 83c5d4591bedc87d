"""The plan over months: which stage a person is in, with which numbers, and why it changes.

The plan moves only on what the person reports after each round, never on guesswork (K1, K2):

    finding the muscles (E0) -> basic training (E1, E2, E3 in P1-P3) -> standing (E4)
      -> functional (E5) -> maintenance (K2)

with two side paths the safety answers decide (knipa.program.safety): circulation squeezes (E7)
until the go-ahead after birth or surgery, then a careful start (S2); relaxation (E8) while there
is pain (S1, W5), and back to the main path, eased, when it has gone.

`review()` is the one function that changes a plan by itself. It looks at the rounds reported
since the last change (the "evidence"), applies the first rule that fires, and returns the new
state with the change and its reason, so that every change can be recorded and explained. A change
to the stage or the strength numbers starts the evidence afresh: three full rounds earn one step,
not several. The person can always override (`override()`), and set their own numbers within safe
bounds (`check_parameters()`), and accept a clinician's prescription (`apply_prescription()`), kept
fixed or as a new starting point.

Where the spec gives no number (how many rounds make "several", how many weeks per stage) we use
mainstream physiotherapy practice and say so beside the constant.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from knipa.program.exercises import ENDURANCE, FUNCTIONAL, SPEED, STRENGTH, Exercise, Position
from knipa.program.moments import local_date
from knipa.program.rounds import MAIN_PATH, Stage, compose_round, counts_as_training
from knipa.program.safety import TrainingPath


SIDE_PATHS = {TrainingPath.CIRCULATION: Stage.CIRCULATION, TrainingPath.RELAXATION: Stage.RELAXATION}


class Movement(StrEnum):
    """The movements functional training (E5) practises: those that bother the person."""

    STAND_UP = "stand_up"
    WALK = "walk"
    LIFT = "lift"
    JUMP = "jump"


DEFAULT_MOVEMENTS = (Movement.STAND_UP, Movement.LIFT)


# --- Numbers --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlanParameters:
    strength_hold_seconds: int = 4
    strength_rest_seconds: int = 6
    strength_reps: int = 8
    strength_sets: int = 1
    speed_reps: int = 10  # E2
    endurance_target_seconds: int = 20
    rounds_per_day: int = 2  # E1: 1-3 a day at first
    days_per_week: int = 7

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in PARAMETER_BOUNDS}


# Safe bounds for anyone's numbers, the person's own or a prescription. E1 aims for 5-6 s and 10
# squeezes; a physiotherapist may prescribe longer holds (up to 10 s is common) or more squeezes.
# Rest is never shorter than the hold (T4), checked separately because it depends on the hold.
PARAMETER_BOUNDS: dict[str, tuple[int, int]] = {
    "strength_hold_seconds": (2, 10),
    "strength_rest_seconds": (2, 30),
    "strength_reps": (3, 20),
    "strength_sets": (1, 3),
    "speed_reps": (3, 20),
    "endurance_target_seconds": (10, 120),
    "rounds_per_day": (1, 3),  # E0: 3 a day; E1: 1-3 a day
    "days_per_week": (1, 7),
}


class ParameterProblem(StrEnum):
    TOO_LOW = "too_low"
    TOO_HIGH = "too_high"
    REST_SHORTER_THAN_HOLD = "rest_shorter_than_hold"  # T4
    MISSING = "missing"  # a prescription without this value
    NOT_A_CHOICE = "not_a_choice"  # not a stage, a position or a whole number


def check_parameters(values: dict[str, int]) -> dict[str, ParameterProblem]:
    """Which of the numbers are outside the safe bounds, by name; empty when all are fine."""
    problems: dict[str, ParameterProblem] = {}
    for name, (low, high) in PARAMETER_BOUNDS.items():
        value = values[name]
        if value < low:
            problems[name] = ParameterProblem.TOO_LOW
        elif value > high:
            problems[name] = ParameterProblem.TOO_HIGH
    if "strength_rest_seconds" not in problems and values["strength_rest_seconds"] < values["strength_hold_seconds"]:
        problems["strength_rest_seconds"] = ParameterProblem.REST_SHORTER_THAN_HOLD
    return problems


# E1: hold 5-6 s, aim for 10 squeezes; E3: aim for one minute.
TARGET_HOLD_SECONDS = 6
TARGET_REPS = 10
TARGET_ENDURANCE_SECONDS = 60
# Where basic training starts: a hold most people manage on their first day, below E1's 5-6 s
# ("start shorter if needed"); the reports then lengthen it or shorten it.
START = PlanParameters()
# S2: after birth, surgery or a time with pain, start carefully: shorter, fewer, softer.
CAREFUL_START = PlanParameters(strength_hold_seconds=3, strength_rest_seconds=6, strength_reps=5,
                               endurance_target_seconds=10)
# The floor easing never goes below; below it the plan steps back a stage instead.
EASE_FLOOR_HOLD = 3
EASE_FLOOR_REPS = 5

# How often each stage trains by default. Learning: 3 rounds a day (E0). Training and standing:
# every day, the person's 1-3 rounds (E1). Functional: once strong and sure, 3-4 days a week but
# to real fatigue, which we give as two sets of strength squeezes (E1, E2). Maintenance: 1-3 times
# a week (K2); we suggest two.
FEWER_DAYS = {"days_per_week": 4, "rounds_per_day": 1, "strength_sets": 2}
MAINTENANCE_DAYS = {"days_per_week": 2, "rounds_per_day": 1, "strength_sets": 2}

# "Several rounds", in numbers (mainstream practice; the spec gives none).
LEARNING_CLEAR_ROUNDS = 6  # E0: squeeze and release felt clearly in this many rounds ...
LEARNING_DAYS = 3  # ... spread over at least this many days
FULL_ROUNDS_TO_GROW = 3  # E1: consecutive rounds with every squeeze full before the hold grows
FAILED_ROUNDS_TO_EASE = 2  # consecutive failed or too tiring rounds before the plan eases
UNCLEAR_ROUNDS_TO_RELEARN = 3  # consecutive rounds without feeling the squeeze: find the muscles again
GROWTH_PAUSE_AFTER_EASING = timedelta(days=7)
# The shortest time in a stage before the next one opens. Strength needs weeks, not days, even when
# every report is perfect (K1: most notice a difference after about two months).
MIN_WEEKS = {Stage.TRAINING: 6, Stage.STANDING: 3, Stage.FUNCTIONAL: 3}
# K1: full effect can take six months; maintenance is not offered before then.
MAINTENANCE_EARLIEST_WEEKS = 24
# A break this long eases the plan (and again after each further such break); in maintenance,
# which trains only 1-3 times a week, the break must be longer before the plan goes back (K2).
BREAK_DAYS = 14
MAINTENANCE_BREAK_DAYS = 28


# --- The state ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlanState:
    stage: Stage = Stage.LEARNING  # the main path's stage, even while a side path runs
    parameters: PlanParameters = START
    # Evidence counts from here: rounds started before the last change do not count again.
    since: datetime | None = None
    stage_since: datetime | None = None
    # K1's clock: the first day of basic training.
    training_started_on: date | None = None
    side_path: Stage | None = None
    self_check_done: bool = False  # C1-C3
    satisfied: bool = False  # K2: the person says strength, speed and endurance are good enough
    staying: bool = False  # the person chose to stay: the plan does not move them on by itself
    careful: bool = False  # S2: start carefully after birth, surgery or pain
    # After the plan eased because rounds failed, it waits a while before it tries more again,
    # so that it does not swing between two numbers every other day.
    eased_at: datetime | None = None
    movements: tuple[Movement, ...] = DEFAULT_MOVEMENTS
    # A clinician's prescription, accepted as "kept fixed": the plan grows no number and opens no
    # stage by itself. Easing for safety still happens, and ends it (see apply_prescription).
    numbers_fixed: bool = False
    # The positions a clinician asked for; empty: every position the round allows (P5).
    positions: tuple[Position, ...] = ()

    @property
    def current_stage(self) -> Stage:
        return self.side_path or self.stage


# E0: finding the muscles is three rounds a day (E7 and E8, mainstream practice, as often).
LEARNING_ROUNDS_PER_DAY = 3


def _starting_parameters(path: TrainingPath) -> PlanParameters:
    careful = path is TrainingPath.CIRCULATION
    return replace(CAREFUL_START if careful else START, rounds_per_day=LEARNING_ROUNDS_PER_DAY)


def new_plan(now: datetime, path: TrainingPath) -> PlanState:
    side = SIDE_PATHS.get(path)
    careful = path is TrainingPath.CIRCULATION
    return PlanState(since=now, stage_since=now, side_path=side, careful=careful,
                     parameters=_starting_parameters(path))


def rhythm(parameters: PlanParameters) -> tuple[int, int]:
    """How often the plan trains: (rounds a day, days a week)."""
    return parameters.rounds_per_day, parameters.days_per_week


# The rhythm before a person has a stored plan (reminders follow it): what every new plan starts
# with, on any path. E0: three rounds a day, every day.
DEFAULT_RHYTHM: tuple[int, int] = rhythm(_starting_parameters(TrainingPath.LEARNING))


# --- What the person reported ---------------------------------------------------------------------

class RoundStatus(StrEnum):
    """How a round ended."""

    FINISHED = "finished"
    STOPPED = "stopped"  # the person stopped early
    STOPPED_FOR_PAIN = "stopped_for_pain"  # S1: pain stops the round at once


class Effort(StrEnum):
    """How the round felt, asked at its end (knipa.program.questions)."""

    EASY = "easy"
    RIGHT = "right"
    TOO_HARD = "too_hard"  # too tiring to keep good technique (T6)
    UNKNOWN = ""


class Felt(StrEnum):
    """The answer to "did you feel it?": the squeeze and release (E0) or the lift (T3)."""

    YES = "yes"
    NO = "no"
    UNSURE = "unsure"
    UNKNOWN = ""  # not asked, or not answered


@dataclass(frozen=True)
class ExerciseReport:
    spec_id: str
    planned_reps: int
    achieved_reps: int
    squeeze_seconds: float
    full_strength_reps: int | None = None
    held_seconds: float | None = None
    felt_clearly: str = Felt.UNKNOWN  # E0: squeeze and release felt clearly (a Felt)
    felt_lift: str = Felt.UNKNOWN  # T3: the lift upward and inward (a Felt)
    pain: bool = False


@dataclass(frozen=True)
class RoundReport:
    started_at: datetime
    stage: str
    status: str  # a RoundStatus
    effort: str = Effort.UNKNOWN
    exercises: tuple[ExerciseReport, ...] = ()

    def _of(self, spec_id: str) -> list[ExerciseReport]:
        return [exercise for exercise in self.exercises if exercise.spec_id == spec_id]

    @property
    def finished(self) -> bool:
        return self.status == RoundStatus.FINISHED

    @property
    def pain(self) -> bool:
        """S1: the round was stopped for pain, or an exercise of it hurt."""
        return self.status == RoundStatus.STOPPED_FOR_PAIN or any(e.pain for e in self.exercises)

    @property
    def strength_full(self) -> bool:
        """Every planned strength squeeze done, and done at full strength (E1)."""
        strength = self._of("E1")
        return bool(strength) and self.finished and all(
            e.achieved_reps >= e.planned_reps and e.full_strength_reps is not None
            and e.full_strength_reps >= e.planned_reps for e in strength)

    @property
    def best_hold_seconds(self) -> float:
        return max((e.held_seconds or 0.0 for e in self._of("E3")), default=0.0)

    @property
    def felt_clearly(self) -> bool:
        return self.finished and any(e.felt_clearly == Felt.YES for e in self._of("E0"))

    @property
    def felt_lift(self) -> bool:
        return any(e.felt_lift == Felt.YES for e in self._of("E1"))

    @property
    def technique_unclear(self) -> bool:
        strength = self._of("E1")
        return bool(strength) and all(e.felt_lift == Felt.NO for e in strength)

    def failed(self, parameters: PlanParameters) -> bool:
        """Too tiring, stopped early, or well short of the plan (mainstream: under half)."""
        if self.status == RoundStatus.STOPPED or self.effort == Effort.TOO_HARD:
            return True
        for e in self._of("E1"):
            if e.full_strength_reps is not None and e.full_strength_reps * 2 < e.planned_reps:
                return True
        endurance = self._of("E3")
        if endurance and all((e.held_seconds or 0) * 2 < parameters.endurance_target_seconds for e in endurance):
            return True
        return False


# --- Changes and their reasons --------------------------------------------------------------------

class Reason(StrEnum):
    """Why the plan changed; each names the spec rule it follows (see REASON_SPEC_IDS)."""

    STARTED = "started"
    LEARNED = "learned"  # E0 -> E1-E3
    HOLD_GREW = "hold_grew"  # E1
    REPS_GREW = "reps_grew"  # E1
    ENDURANCE_FOLLOWED = "endurance_followed"  # E3
    STANDING_OPENED = "standing_opened"  # E4
    FUNCTIONAL_OPENED = "functional_opened"  # E5, with fewer days to fatigue (E1, E2)
    MAINTENANCE_REACHED = "maintenance_reached"  # K2
    EASED_AFTER_FAILURES = "eased_after_failures"  # T6
    STEPPED_BACK_AFTER_FAILURES = "stepped_back_after_failures"  # T6
    RELEARN_TECHNIQUE = "relearn_technique"  # T3, E0
    EASED_AFTER_BREAK = "eased_after_break"  # K2
    STEPPED_BACK_AFTER_BREAK = "stepped_back_after_break"  # K2
    PAIN_RELAXATION = "pain_relaxation"  # S1, W5
    PAIN_IN_ROUND = "pain_in_round"  # S1, W5: pain reported during a round
    PAIN_GONE = "pain_gone"  # S1, S2
    WAIT_FOR_GO_AHEAD = "wait_for_go_ahead"  # S2, E7
    GO_AHEAD = "go_ahead"  # S2
    HEALING_WEEKS_OVER = "healing_weeks_over"  # S2, E7: past the weeks soon after, start carefully
    PERSON_STAYS = "person_stays"
    PERSON_RESUMES = "person_resumes"
    PERSON_STEPS_BACK = "person_steps_back"
    PERSON_MOVES_ON = "person_moves_on"
    PERSON_SET_NUMBERS = "person_set_numbers"
    PERSON_CHOSE_DAYS = "person_chose_days"  # H1: the days the person trains on, chosen with the reminders
    PERSON_SATISFIED = "person_satisfied"  # K2
    SELF_CHECK_DONE = "self_check_done"  # C1-C3
    MOVEMENTS_CHOSEN = "movements_chosen"  # E5
    PRESCRIBED = "prescribed"  # a clinician's numbers, accepted by the person


REASON_SPEC_IDS: dict[Reason, tuple[str, ...]] = {
    Reason.STARTED: ("E0",),
    Reason.LEARNED: ("E0", "C1"),
    Reason.HOLD_GREW: ("E1",),
    Reason.REPS_GREW: ("E1",),
    Reason.ENDURANCE_FOLLOWED: ("E3",),
    Reason.STANDING_OPENED: ("E4", "P4"),
    Reason.FUNCTIONAL_OPENED: ("E5", "E1", "E2"),
    Reason.MAINTENANCE_REACHED: ("K1", "K2"),
    Reason.EASED_AFTER_FAILURES: ("T6",),
    Reason.STEPPED_BACK_AFTER_FAILURES: ("T6",),
    Reason.RELEARN_TECHNIQUE: ("T3", "E0"),
    Reason.EASED_AFTER_BREAK: ("H1", "K2"),
    Reason.STEPPED_BACK_AFTER_BREAK: ("H1", "K2"),
    Reason.PAIN_RELAXATION: ("S1", "W5", "E8"),
    Reason.PAIN_IN_ROUND: ("S1", "W5", "E8"),
    Reason.PAIN_GONE: ("S1", "S2"),
    Reason.WAIT_FOR_GO_AHEAD: ("S2", "E7"),
    Reason.GO_AHEAD: ("S2",),
    Reason.HEALING_WEEKS_OVER: ("S2", "E7"),
    Reason.PERSON_SATISFIED: ("K2",),
    Reason.SELF_CHECK_DONE: ("C1", "C2", "C3"),
    Reason.MOVEMENTS_CHOSEN: ("E5",),
    Reason.PERSON_CHOSE_DAYS: ("H1",),
}


class Source(StrEnum):
    PLAN = "plan"  # the rules, from the reports
    PERSON = "person"
    CLINICIAN = "clinician"  # a physiotherapist's prescription, accepted by the person


@dataclass(frozen=True)
class Change:
    reason: Reason
    before: PlanState
    after: PlanState
    source: Source = Source.PLAN

    @property
    def spec_ids(self) -> tuple[str, ...]:
        return REASON_SPEC_IDS.get(self.reason, ())


def _moved(state: PlanState, now: datetime, **changes) -> PlanState:
    """A new state whose evidence starts now (a stage or strength change)."""
    return replace(state, since=now, **changes)


def _to_stage(state: PlanState, stage: Stage, now: datetime, parameters: PlanParameters | None = None,
              **changes) -> PlanState:
    parameters = parameters or state.parameters
    if stage in (Stage.LEARNING, Stage.TRAINING, Stage.STANDING):
        # Daily training again (E0, E1), with the person's own rounds a day.
        # Coming back from the fewer-days stages, the daily rounds return to two (E1: 1-3 a day).
        rounds = parameters.rounds_per_day if parameters.days_per_week == 7 else 2
        if stage is Stage.LEARNING:
            rounds = LEARNING_ROUNDS_PER_DAY
        parameters = replace(parameters, days_per_week=7, strength_sets=1, rounds_per_day=rounds)
    elif stage is Stage.FUNCTIONAL:
        parameters = replace(parameters, **FEWER_DAYS)
    elif stage is Stage.MAINTENANCE:
        parameters = replace(parameters, **MAINTENANCE_DAYS)
    started = state.training_started_on
    if stage is not Stage.LEARNING and started is None:
        started = now.date()
    return _moved(state, now, stage=stage, stage_since=now, parameters=parameters, training_started_on=started,
                  **changes)


def eased(parameters: PlanParameters) -> PlanParameters | None:
    """One step easier, or None when already at the floor (then the stage steps back instead)."""
    if parameters.strength_sets > 1:
        return replace(parameters, strength_sets=parameters.strength_sets - 1)
    endurance = max(PARAMETER_BOUNDS["endurance_target_seconds"][0], parameters.endurance_target_seconds - 10)
    if parameters.strength_hold_seconds > EASE_FLOOR_HOLD:
        return replace(parameters, strength_hold_seconds=parameters.strength_hold_seconds - 1,
                       endurance_target_seconds=endurance)
    if parameters.strength_reps > EASE_FLOOR_REPS:
        return replace(parameters, strength_reps=max(EASE_FLOOR_REPS, parameters.strength_reps - 2),
                       endurance_target_seconds=endurance)
    return None


def previous_stage(stage: Stage) -> Stage:
    index = MAIN_PATH.index(stage)
    return MAIN_PATH[max(0, index - 1)]


def next_stage(stage: Stage) -> Stage:
    index = MAIN_PATH.index(stage)
    return MAIN_PATH[min(len(MAIN_PATH) - 1, index + 1)]


# --- Goals and milestones -------------------------------------------------------------------------

class Criterion(StrEnum):
    CLEAR_ROUNDS = "clear_rounds"  # E0
    LEARNING_DAYS = "learning_days"  # E0
    SELF_CHECK = "self_check"  # C1-C3
    FULL_ROUNDS_AT_TARGET = "full_rounds_at_target"  # E1
    ENDURANCE_MINUTE = "endurance_minute"  # E3
    FELT_LIFT = "felt_lift"  # T3
    WEEKS_IN_STAGE = "weeks_in_stage"
    WEEKS_OF_TRAINING = "weeks_of_training"  # K1
    SATISFIED = "satisfied"  # K2
    PAIN_GONE = "pain_gone"  # S1
    GO_AHEAD = "go_ahead"  # S2


@dataclass(frozen=True)
class Progress:
    criterion: Criterion
    have: int
    need: int

    @property
    def met(self) -> bool:
        return self.have >= self.need


@dataclass(frozen=True)
class Milestone:
    """The next stage and exactly what it takes to get there."""

    next_stage: Stage | None
    progress: tuple[Progress, ...] = field(default_factory=tuple)

    @property
    def met(self) -> bool:
        return self.next_stage is not None and all(item.met for item in self.progress)


def _since_last_change(state: PlanState, reports: list[RoundReport]) -> list[RoundReport]:
    return [r for r in reports if state.since is None or r.started_at >= state.since]


def _evidence(state: PlanState, reports: list[RoundReport]) -> list[RoundReport]:
    """Reports of the current stage since the last change, oldest first.

    S1: a round that hurt is never evidence for anything but pain: it moves nobody on, grows no
    hold and eases nothing; the pain itself moves the person to relaxation practice.
    """
    stage = state.current_stage.value
    rounds = [r for r in _since_last_change(state, reports) if r.stage == stage and not r.pain]
    return sorted(rounds, key=lambda r: r.started_at)


# --- The numbers a person sees: one source each ------------------------------------------------------
# Home, the plan page, the progress page and the end of a round all show these, so they never
# disagree (issue 15: "3 of 2 today" after moving on a stage, "best so far 0 seconds" after a hold).

def counts_toward_plan(stage: str, status: str, pain: bool) -> bool:
    """Whether a round is one of the rounds the plan asks for: finished, not a practice (E6), and
    without pain (S1: a round that hurt is a reason to stop, not training done)."""
    return status == RoundStatus.FINISHED and not pain and counts_as_training(stage)


def counts_toward_today(stage: str, status: str, pain: bool, state: PlanState) -> bool:
    """Whether a round counts toward today's (and this week's) rounds: one of the plan's rounds at
    the stage the plan is at now, so that rounds of an earlier stage, with its own number a day,
    are not counted against the new one."""
    return counts_toward_plan(stage, status, pain) and stage == state.current_stage.value


def reports_needed_since(state: PlanState) -> datetime | None:
    """From when the rules and the numbers read the person's rounds: the start of the stage (the
    best endurance hold at this stage) or the last change (the evidence), whichever is earlier."""
    moments = [moment for moment in (state.since, state.stage_since) if moment is not None]
    return min(moments) if len(moments) == 2 else None


def best_endurance_hold(state: PlanState, reports: list[RoundReport]) -> int:
    """E3: the longest endurance hold, in whole seconds, at the current stage since it began. Not
    only since the last change: easing or a longer strength hold does not erase a hold done."""
    stage = state.current_stage.value
    held = [r.best_hold_seconds for r in reports
            if r.stage == stage and not r.pain and (state.stage_since is None or r.started_at >= state.stage_since)]
    return int(max(held, default=0.0))


def strength_goal(parameters: PlanParameters) -> tuple[int, int]:
    """E1: the strength goal of basic and standing training, (squeezes, seconds held): 10 squeezes of
    6 s, or the person's own higher numbers. The plan's numbers now grow towards it."""
    return max(parameters.strength_reps, TARGET_REPS), max(parameters.strength_hold_seconds, TARGET_HOLD_SECONDS)


def _whole_weeks(since: datetime | date | None, now: datetime) -> int:
    if since is None:
        return 0
    start = since.date() if isinstance(since, datetime) else since
    return max(0, (now.date() - start).days // 7)


def _trailing(rounds: list[RoundReport], test) -> int:
    """How many of the latest rounds in a row pass the test."""
    count = 0
    for training_round in reversed(rounds):
        if not test(training_round):
            break
        count += 1
    return count


def milestone(state: PlanState, reports: list[RoundReport], now: datetime, zone: ZoneInfo) -> Milestone:
    """What the next stage is and how far the person has come towards it."""
    if state.side_path is Stage.RELAXATION:
        return Milestone(state.stage, (Progress(Criterion.PAIN_GONE, 0, 1),))
    if state.side_path is Stage.CIRCULATION:
        return Milestone(state.stage, (Progress(Criterion.GO_AHEAD, 0, 1),))
    evidence = _evidence(state, reports)
    p = state.parameters
    if state.stage is Stage.LEARNING:
        clear = [r for r in evidence if r.felt_clearly]
        days = {local_date(r.started_at, zone) for r in clear}
        return Milestone(Stage.TRAINING, (
            Progress(Criterion.CLEAR_ROUNDS, min(len(clear), LEARNING_CLEAR_ROUNDS), LEARNING_CLEAR_ROUNDS),
            Progress(Criterion.LEARNING_DAYS, min(len(days), LEARNING_DAYS), LEARNING_DAYS),
            Progress(Criterion.SELF_CHECK, int(state.self_check_done), 1),
        ))
    if state.stage in (Stage.TRAINING, Stage.STANDING):
        at_target = p.strength_hold_seconds >= TARGET_HOLD_SECONDS and p.strength_reps >= TARGET_REPS
        full = _trailing(evidence, lambda r: r.strength_full) if at_target else 0
        best = best_endurance_hold(state, reports)
        weeks = MIN_WEEKS[state.stage]
        items = [
            Progress(Criterion.FULL_ROUNDS_AT_TARGET, min(full, FULL_ROUNDS_TO_GROW), FULL_ROUNDS_TO_GROW),
            Progress(Criterion.ENDURANCE_MINUTE, min(best, TARGET_ENDURANCE_SECONDS), TARGET_ENDURANCE_SECONDS),
        ]
        if state.stage is Stage.STANDING:
            lift = _trailing(evidence, lambda r: r.felt_lift)
            items.append(Progress(Criterion.FELT_LIFT, min(lift, FULL_ROUNDS_TO_GROW), FULL_ROUNDS_TO_GROW))
        items.append(Progress(Criterion.WEEKS_IN_STAGE, min(_whole_weeks(state.stage_since, now), weeks), weeks))
        return Milestone(next_stage(state.stage), tuple(items))
    if state.stage is Stage.FUNCTIONAL:
        weeks = _whole_weeks(state.training_started_on, now)
        full = _trailing(evidence, lambda r: r.strength_full and not r.failed(p))
        return Milestone(Stage.MAINTENANCE, (
            Progress(Criterion.WEEKS_IN_STAGE, min(_whole_weeks(state.stage_since, now), MIN_WEEKS[state.stage]),
                     MIN_WEEKS[state.stage]),
            Progress(Criterion.WEEKS_OF_TRAINING, min(weeks, MAINTENANCE_EARLIEST_WEEKS), MAINTENANCE_EARLIEST_WEEKS),
            Progress(Criterion.FULL_ROUNDS_AT_TARGET, min(full, FULL_ROUNDS_TO_GROW), FULL_ROUNDS_TO_GROW),
            Progress(Criterion.SATISFIED, int(state.satisfied), 1),
        ))
    return Milestone(None)


def ready_to_ask_satisfied(state: PlanState, reports: list[RoundReport], now: datetime, zone: ZoneInfo) -> bool:
    """K2: ask whether the person is satisfied only once everything else for maintenance is met."""
    if state.current_stage is not Stage.FUNCTIONAL or state.satisfied:
        return False
    return all(item.met for item in milestone(state, reports, now, zone).progress
               if item.criterion is not Criterion.SATISFIED)


# --- The rules ------------------------------------------------------------------------------------

def pain_reported_since_last_change(state: PlanState, reports: list[RoundReport]) -> bool:
    return any(r.pain for r in _since_last_change(state, reports))


def _side_path_change(state: PlanState, path: TrainingPath, now: datetime, pain_in_round: bool,
                      healing_over: bool) -> Change | None:
    wanted = SIDE_PATHS.get(path)
    if wanted is state.side_path:
        return None
    if wanted is Stage.RELAXATION:  # S1, W5: pain stops squeezing at once, whatever the stage
        reason = Reason.PAIN_IN_ROUND if pain_in_round else Reason.PAIN_RELAXATION
        return Change(reason, state, _moved(state, now, side_path=wanted))
    if wanted is Stage.CIRCULATION:  # S2: a new birth or operation, waiting for the go-ahead
        return Change(Reason.WAIT_FOR_GO_AHEAD, state, _moved(state, now, side_path=wanted, careful=True))
    # Back on the main path.
    if state.side_path is Stage.RELAXATION:
        # S1 then S2: when the pain has gone, start again carefully: one step easier than before.
        parameters = eased(state.parameters) or state.parameters
        after = _moved(state, now, side_path=None, careful=True, parameters=parameters)
        return Change(Reason.PAIN_GONE, state, after)
    # S2: the go-ahead has come (or the weeks soon after are over): a careful start, softer and
    # shorter than usual.
    parameters = CAREFUL_START if state.stage is Stage.LEARNING else (eased(state.parameters) or state.parameters)
    after = _moved(state, now, side_path=None, careful=True, parameters=replace(
        parameters, rounds_per_day=state.parameters.rounds_per_day, days_per_week=state.parameters.days_per_week))
    return Change(Reason.HEALING_WEEKS_OVER if healing_over else Reason.GO_AHEAD, state, after)


def _last_activity(state: PlanState, reports: list[RoundReport]) -> datetime | None:
    times = [r.started_at for r in reports if r.stage == state.current_stage.value]
    if state.since is not None:
        times.append(state.since)
    return max(times, default=None)


def _break_change(state: PlanState, reports: list[RoundReport], now: datetime) -> Change | None:
    """H1, K2: weeks without training ease the plan; a long break in maintenance goes back."""
    if state.stage is Stage.LEARNING:
        return None  # nothing to ease: finding the muscles is already the gentlest round
    last = _last_activity(state, reports)
    if last is None:
        return None
    limit = MAINTENANCE_BREAK_DAYS if state.stage is Stage.MAINTENANCE else BREAK_DAYS
    if now - last < timedelta(days=limit):
        return None
    if state.stage is Stage.MAINTENANCE:
        # K2: stopping brings symptoms back; more training for a while.
        return Change(Reason.STEPPED_BACK_AFTER_BREAK, state, _to_stage(state, Stage.FUNCTIONAL, now))
    easier = eased(state.parameters)
    if easier is not None:
        return Change(Reason.EASED_AFTER_BREAK, state, _moved(state, now, parameters=easier))
    if state.stage is Stage.TRAINING:
        return Change(Reason.EASED_AFTER_BREAK, state, _moved(state, now))  # at the floor: start the clock again
    return Change(Reason.STEPPED_BACK_AFTER_BREAK, state, _to_stage(state, previous_stage(state.stage), now))


def _failure_change(state: PlanState, evidence: list[RoundReport], now: datetime) -> Change | None:
    """T6: when rounds fail or tire the person out, the plan eases before other muscles take over."""
    if state.stage is Stage.LEARNING:
        return None
    if _trailing(evidence, lambda r: r.technique_unclear) >= UNCLEAR_ROUNDS_TO_RELEARN:
        return Change(Reason.RELEARN_TECHNIQUE, state, _to_stage(state, Stage.LEARNING, now))
    if _trailing(evidence, lambda r: r.failed(state.parameters)) < FAILED_ROUNDS_TO_EASE:
        return None
    easier = eased(state.parameters)
    if easier is not None:
        return Change(Reason.EASED_AFTER_FAILURES, state, _moved(state, now, parameters=easier, eased_at=now))
    if state.stage is Stage.TRAINING:
        return None  # already the gentlest basic round; the reports speak for themselves
    return Change(Reason.STEPPED_BACK_AFTER_FAILURES, state, _to_stage(state, previous_stage(state.stage), now))


def _growth_change(state: PlanState, evidence: list[RoundReport], now: datetime) -> Change | None:
    """E1: after consecutive rounds with every squeeze full, a longer hold, then more squeezes."""
    if state.stage is Stage.LEARNING:
        return None
    if _trailing(evidence, lambda r: r.strength_full) < FULL_ROUNDS_TO_GROW:
        return None
    if state.eased_at is not None and now - state.eased_at < GROWTH_PAUSE_AFTER_EASING:
        return None
    p = state.parameters
    if p.strength_hold_seconds < TARGET_HOLD_SECONDS:
        hold = p.strength_hold_seconds + 1
        # T4: the rest is never shorter than the hold.
        grown = replace(p, strength_hold_seconds=hold, strength_rest_seconds=max(p.strength_rest_seconds, hold))
        return Change(Reason.HOLD_GREW, state, _moved(state, now, parameters=grown))
    if p.strength_reps < TARGET_REPS:
        grown = replace(p, strength_reps=min(TARGET_REPS, p.strength_reps + 1))
        return Change(Reason.REPS_GREW, state, _moved(state, now, parameters=grown))
    return None


def _endurance_change(state: PlanState, evidence: list[RoundReport]) -> Change | None:
    """E3: the endurance target follows the best hold, five seconds further, up to one minute."""
    best = max((r.best_hold_seconds for r in evidence), default=0.0)
    p = state.parameters
    if best < p.endurance_target_seconds or p.endurance_target_seconds >= TARGET_ENDURANCE_SECONDS:
        return None
    target = min(TARGET_ENDURANCE_SECONDS, int(math.ceil(best / 5.0)) * 5 + 5)
    if target <= p.endurance_target_seconds:
        return None
    # Not a change of evidence: the strength rounds keep counting.
    return Change(Reason.ENDURANCE_FOLLOWED, state,
                  replace(state, parameters=replace(p, endurance_target_seconds=target)))


def _stage_change(state: PlanState, reports: list[RoundReport], now: datetime, zone: ZoneInfo) -> Change | None:
    if state.staying:
        return None
    goal = milestone(state, reports, now, zone)
    if not goal.met or goal.next_stage is None:
        return None
    target = goal.next_stage
    reason = {
        Stage.TRAINING: Reason.LEARNED,
        Stage.STANDING: Reason.STANDING_OPENED,
        Stage.FUNCTIONAL: Reason.FUNCTIONAL_OPENED,
        Stage.MAINTENANCE: Reason.MAINTENANCE_REACHED,
    }[target]
    parameters = state.parameters
    if target is Stage.TRAINING:
        parameters = replace(CAREFUL_START if state.careful else START, rounds_per_day=2)
    return Change(reason, state, _to_stage(state, target, now, parameters=parameters))


def review(state: PlanState, reports: list[RoundReport], now: datetime, path: TrainingPath,
           zone: ZoneInfo, healing_over: bool = False) -> tuple[PlanState, list[Change]]:
    """Apply the rules to the reports; return the new state and what changed, in order.

    `path` is what the safety answers allow now (knipa.program.safety.training_path);
    `healing_over` says that a circulation path ends because the weeks soon after the birth or
    operation are over, not because of a go-ahead (S2, E7).
    """
    changes: list[Change] = []
    # S1: pain reported in a round since the last change means relaxation at once, whatever the
    # answers say (the app records the pain in the answers too, so that only the person's own
    # "the pain has gone" brings them back).
    # On the relaxation path the answers decide: the person's own "the pain has gone" ends it.
    pain_in_round = state.side_path is not Stage.RELAXATION and pain_reported_since_last_change(state, reports)
    if pain_in_round:
        path = TrainingPath.RELAXATION
    side = _side_path_change(state, path, now, pain_in_round, healing_over)
    if side is not None:
        if side.after.side_path is None:
            side = _released(side)  # back on the main path, eased (S1, S2): the rules lead again
        changes.append(side)
        state = side.after
    if state.side_path is not None:
        return state, changes  # S1, S2: nothing else moves while a side path runs
    evidence = _evidence(state, reports)
    # A prescription kept fixed: nothing grows and no stage opens by itself; easing still happens.
    endurance = None if state.numbers_fixed else _endurance_change(state, evidence)
    if endurance is not None:
        changes.append(endurance)
        state = endurance.after
    for rule in (
        lambda: _released(_break_change(state, reports, now)),
        lambda: _released(_failure_change(state, evidence, now)),
        lambda: None if state.numbers_fixed else _stage_change(state, reports, now, zone),
        lambda: None if state.numbers_fixed else _growth_change(state, evidence, now),
    ):
        change = rule()
        if change is not None:
            changes.append(change)
            state = change.after
            break
    return state, changes


def _released(change: Change | None) -> Change | None:
    """An easing by the rules (T6, H1/K2, S1/S2) ends a prescription kept fixed: the person could
    not keep those numbers up, so from the easier ones the plan follows the reports again."""
    if change is None or not change.after.numbers_fixed:
        return change
    return replace(change, after=replace(change.after, numbers_fixed=False))


# --- The person's own choices ---------------------------------------------------------------------

class Override(StrEnum):
    STAY = "stay"
    RESUME = "resume"
    STEP_BACK = "step_back"
    MOVE_ON = "move_on"


class OverrideRefused(ValueError):
    """The choice is not possible now (a side path runs, or there is nowhere further to go)."""


def override(state: PlanState, choice: Override, now: datetime) -> Change:
    if state.side_path is not None and choice in (Override.MOVE_ON, Override.STEP_BACK):
        # S1, S2: the safety answers decide a side path; only they can end it.
        raise OverrideRefused(state.side_path.value)
    if choice is Override.STAY:
        return Change(Reason.PERSON_STAYS, state, replace(state, staying=True), Source.PERSON)
    if choice is Override.RESUME:
        # Also ends numbers kept fixed by a prescription: the person may always let the plan lead.
        return Change(Reason.PERSON_RESUMES, state, _moved(state, now, staying=False, numbers_fixed=False),
                      Source.PERSON)
    if choice is Override.STEP_BACK:
        if state.stage is Stage.LEARNING:
            raise OverrideRefused("first")
        target = previous_stage(state.stage)
        parameters = state.parameters
        return Change(Reason.PERSON_STEPS_BACK, state, _to_stage(state, target, now, parameters=parameters),
                      Source.PERSON)
    if state.stage is Stage.MAINTENANCE:
        raise OverrideRefused("last")
    target = next_stage(state.stage)
    parameters = state.parameters
    if target is Stage.TRAINING:
        parameters = replace(CAREFUL_START if state.careful else START, rounds_per_day=2)
    return Change(Reason.PERSON_MOVES_ON, state, _to_stage(state, target, now, parameters=parameters), Source.PERSON)


def set_parameters(state: PlanState, values: dict[str, int], now: datetime,
                   source: Source = Source.PERSON) -> Change:
    """The person's (or later a clinician's) own numbers; raises ValueError when out of bounds."""
    problems = check_parameters(values)
    if problems:
        raise ValueError(problems)
    parameters = PlanParameters(**{name: int(values[name]) for name in PARAMETER_BOUNDS})
    return Change(Reason.PERSON_SET_NUMBERS, state, _moved(state, now, parameters=parameters), source)


# --- A clinician's prescription -------------------------------------------------------------------
# A clinician (through knipa.sharing) suggests a stage, the strength numbers, how often, and the
# positions; the person accepts it or not. The numbers keep within the same safe bounds as the
# person's own (PARAMETER_BOUNDS; rest never shorter than the hold, T4), and a prescription never
# bypasses the safety screen: on a side path (S1 pain, S2/E7 soon after a birth or operation) the
# side path stays until the answers end it, and only then do the prescribed numbers train.

class PrescriptionMode(StrEnum):
    FIXED = "fixed"  # the plan keeps the numbers: no growth and no next stage by itself
    STARTING_POINT = "starting_point"  # the plan grows from the new numbers by the reports, as usual


PRESCRIBED_NUMBERS = ("strength_hold_seconds", "strength_rest_seconds", "strength_reps", "rounds_per_day",
                      "days_per_week")
PRESCRIPTION_FIELDS = ("stage", *PRESCRIBED_NUMBERS, "positions")


def check_prescription(values: dict) -> dict[str, ParameterProblem]:
    """What is wrong with a prescription's values, by name; empty when it may be used.

    `values` has every name of PRESCRIPTION_FIELDS: a main-path stage, whole numbers within
    PARAMETER_BOUNDS (rest >= hold, T4), and a list of positions (empty: any the round allows)."""
    problems: dict[str, ParameterProblem] = {}
    for name in PRESCRIPTION_FIELDS:
        if name not in values:
            problems[name] = ParameterProblem.MISSING
    if values.get("stage") not in {stage.value for stage in MAIN_PATH} and "stage" not in problems:
        problems["stage"] = ParameterProblem.NOT_A_CHOICE
    positions = values.get("positions")
    if "positions" not in problems and (not isinstance(positions, (list, tuple))
                                        or any(p not in {pos.value for pos in Position} for p in positions)
                                        or len(set(positions)) != len(positions)):
        problems["positions"] = ParameterProblem.NOT_A_CHOICE
    numbers = {}
    for name in PRESCRIBED_NUMBERS:
        value = values.get(name)
        if name in problems:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            problems[name] = ParameterProblem.NOT_A_CHOICE
            continue
        numbers[name] = value
        low, high = PARAMETER_BOUNDS[name]
        if value < low:
            problems[name] = ParameterProblem.TOO_LOW
        elif value > high:
            problems[name] = ParameterProblem.TOO_HIGH
    hold, rest = numbers.get("strength_hold_seconds"), numbers.get("strength_rest_seconds")
    if hold is not None and rest is not None and not {"strength_hold_seconds", "strength_rest_seconds"} & set(problems) \
            and rest < hold:
        problems["strength_rest_seconds"] = ParameterProblem.REST_SHORTER_THAN_HOLD  # T4
    return problems


def apply_prescription(state: PlanState, values: dict, mode: PrescriptionMode, now: datetime) -> Change:
    """The plan with a clinician's prescription the person accepted; raises ValueError(problems)
    when its values are not safe (check_prescription), before anything changes.

    The stage and numbers replace the plan's (the evidence starts afresh, as after any change of
    numbers); the rest of the plan (sets, speed, endurance, movements, the self-check) stays.
    "fixed" stops growth and new stages until an easing for safety or the person's own "let the
    plan lead" ends it; "starting_point" lets the plan grow from here. A side path (S1, S2, E7)
    stays where it is: the new numbers wait behind it, and the way back from it eases them first.
    """
    problems = check_prescription(values)
    if problems:
        raise ValueError(problems)
    mode = PrescriptionMode(mode)
    after = state
    stage = Stage(values["stage"])
    if stage is not state.stage:
        after = _to_stage(after, stage, now)
    parameters = replace(after.parameters, **{name: int(values[name]) for name in PRESCRIBED_NUMBERS})
    positions = tuple(position for position in Position if position.value in values["positions"])
    after = _moved(after, now, parameters=parameters, positions=positions, eased_at=None,
                   numbers_fixed=mode is PrescriptionMode.FIXED)
    return Change(Reason.PRESCRIBED, state, after, Source.CLINICIAN)


def plan_positions(state: PlanState, allowed: tuple[Position, ...]) -> tuple[Position, ...]:
    """The positions to offer for a round that allows `allowed`: those a clinician asked for, when
    the round allows any of them, else every allowed one (a side path's round, standing training)."""
    chosen = tuple(position for position in allowed if position in state.positions)
    return chosen or allowed


def choose_days_per_week(state: PlanState, days: int, now: datetime) -> Change | None:
    """The person chose on which days to train (with their reminder days, H1): the plan's days a
    week become that many, within the safe bounds; the rounds a day stay the plan's. Not a change of
    evidence: how often is not how hard. None when the plan already trains that many days."""
    low, high = PARAMETER_BOUNDS["days_per_week"]
    if not low <= days <= high:
        raise ValueError({"days_per_week": ParameterProblem.TOO_LOW if days < low else ParameterProblem.TOO_HIGH})
    if days == state.parameters.days_per_week:
        return None
    return Change(Reason.PERSON_CHOSE_DAYS, state,
                  replace(state, parameters=replace(state.parameters, days_per_week=days)), Source.PERSON)


def mark(state: PlanState, reason: Reason, now: datetime, **changes) -> Change:
    """A fact the person tells: the self-check is done, they are satisfied, their movements."""
    return Change(reason, state, replace(state, **changes), Source.PERSON)


# --- The round the plan asks for ------------------------------------------------------------------

def round_exercises(state: PlanState) -> list[Exercise]:
    """The exercises of one round of the current stage, with the person's own numbers."""
    p = state.parameters
    overrides = {
        "E1": STRENGTH.with_changes(squeeze_seconds=p.strength_hold_seconds,
                                    rest_seconds=max(p.strength_rest_seconds, p.strength_hold_seconds),  # T4
                                    reps=p.strength_reps),
        "E2": SPEED.with_changes(reps=p.speed_reps),
        "E3": ENDURANCE.with_changes(squeeze_seconds=p.endurance_target_seconds,
                                     rest_seconds=p.endurance_target_seconds,
                                     target_seconds=p.endurance_target_seconds),
        # E5: the movements that bother this person, one per squeeze in turn.
        "E5": FUNCTIONAL.with_changes(reps=max(FUNCTIONAL.reps, len(state.movements)),
                                      movements=tuple(m.value for m in state.movements)),
    }
    return compose_round(state.current_stage, overrides, strength_sets=p.strength_sets)


def rounds_planned_in_week(parameters: PlanParameters) -> int:
    return parameters.rounds_per_day * parameters.days_per_week

