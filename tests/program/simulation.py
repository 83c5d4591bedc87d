"""A synthetic person who follows the plan day by day, for the plan's tests (spec K1, K2).

On each planned day they do the planned number of rounds and report what a person with their
(scripted) muscles would report; the plan reviews after every round and each morning, as the app
does when a round arrives or the home page opens. `Simulation` runs the pure rules; the Django
tests subclass it to run the same person through the database (tests/training/test_plan_pages.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from knipa.program import plan as rules
from knipa.program.exercises import ENDURANCE_SAFE_LIMIT_SECONDS, ExerciseKind
from knipa.program.plan import ExerciseReport, PlanState, Reason, RoundReport, new_plan, review, round_exercises
from knipa.program.rounds import Stage
from knipa.program.safety import TrainingPath

ZONE = ZoneInfo("Europe/Stockholm")
FIRST_DAY = datetime(2026, 1, 5, 7, 0, tzinfo=ZONE)  # a Monday
ROUND_HOURS = (8, 13, 19)


@dataclass
class Person:
    """A synthetic person: how strong they are on a given day, and what they answer."""

    hold_capacity: Callable[[int], float] = lambda day: 4 + day / 7  # seconds at full force
    endurance_capacity: Callable[[int], float] = lambda day: 15 + 1.2 * day  # seconds
    path: Callable[[int], TrainingPath] = lambda day: TrainingPath.LEARNING
    trains_on: Callable[[int], bool] = lambda day: True
    effort: Callable[[int], str] = lambda day: "right"
    felt_clearly_from_day: int = 1
    says_satisfied: bool = True
    # S1: on these days, squeezing hurts: the person answers "yes" to "Did it hurt?" after the
    # first exercise, which stops the round; the app then notes the pain in their answers, until
    # they say it has gone (from `pain_gone_on`, the day they update the answer).
    hurts_on: Callable[[int], bool] = lambda day: False
    pain_gone_on: Callable[[int], bool] = lambda day: True


@dataclass
class Simulation:
    person: Person
    state: PlanState = None
    rounds: list[RoundReport] = field(default_factory=list)
    changes: list[tuple[int, rules.Change]] = field(default_factory=list)
    offered: list[tuple[int, Stage, list]] = field(default_factory=list)
    # The pain answer the app keeps for the person (S1): set by a round that hurt.
    pain_noted: bool = False

    first_day: datetime = FIRST_DAY

    def __post_init__(self):
        self.state = new_plan(self.first_day, self.person.path(0))

    def path(self, day: int) -> TrainingPath:
        if self.pain_noted and self.person.pain_gone_on(day) and not self.person.hurts_on(day):
            self.pain_noted = False  # the person updates their answer: the pain has gone
        return TrainingPath.RELAXATION if self.pain_noted else self.person.path(day)

    # The seams a database-backed simulation replaces.
    def review(self, day: int, now: datetime) -> None:
        self.state, changes = review(self.state, self.rounds, now, self.path(day), ZONE)
        self.changes.extend((day, change) for change in changes)

    def mark(self, day: int, now: datetime, reason: Reason, **facts) -> None:
        self.state = rules.mark(self.state, reason, now, **facts).after
        self.review(day, now)

    def record(self, report: RoundReport, exercises) -> None:
        self.rounds.append(report)

    def report(self, day: int, exercises) -> tuple[ExerciseReport, ...]:
        reports = []
        for exercise in exercises:
            if self.person.hurts_on(day):
                # S1: "Did it hurt?" - yes, after the first exercise: the round stops there.
                reports.append(ExerciseReport(
                    spec_id=exercise.spec_id, planned_reps=exercise.reps, achieved_reps=exercise.reps,
                    squeeze_seconds=exercise.squeeze_seconds, held_seconds=None, pain=True))
                break
            kind = exercise.kind
            full = None
            if kind is ExerciseKind.STRENGTH:
                full = exercise.reps if self.person.hold_capacity(day) >= exercise.squeeze_seconds else exercise.reps // 3
            held = None
            if exercise.open_ended:  # E3: as long as they can, up to the player's safe limit
                held = min(ENDURANCE_SAFE_LIMIT_SECONDS, self.person.endurance_capacity(day))
            reports.append(ExerciseReport(
                spec_id=exercise.spec_id, planned_reps=exercise.reps, achieved_reps=exercise.reps,
                squeeze_seconds=exercise.squeeze_seconds, full_strength_reps=full, held_seconds=held,
                felt_clearly=("yes" if day >= self.person.felt_clearly_from_day else "unsure")
                if kind is ExerciseKind.FIND else "",
                felt_lift="yes" if kind is ExerciseKind.STRENGTH else "",
            ))
        return tuple(reports)

    def run(self, weeks: int) -> Simulation:
        for day in range(weeks * 7):
            morning = self.first_day + timedelta(days=day)
            self.review(day, morning)  # the home page opens
            if self.state.stage is Stage.LEARNING and not self.state.self_check_done and day == 0:
                self.mark(day, morning, Reason.SELF_CHECK_DONE, self_check_done=True)
            if self.person.says_satisfied and rules.ready_to_ask_satisfied(self.state, self.rounds, morning, ZONE):
                self.mark(day, morning, Reason.PERSON_SATISFIED, satisfied=True)
            if not self.person.trains_on(day) or not self.planned_today(day):
                continue
            for hour in ROUND_HOURS[: self.state.parameters.rounds_per_day]:
                started = morning.replace(hour=hour)
                exercises = round_exercises(self.state)
                self.offered.append((day, self.state.current_stage, exercises))
                reports = self.report(day, exercises)
                hurt = any(report.pain for report in reports)
                self.record(RoundReport(
                    started_at=started, stage=self.state.current_stage.value,
                    status="stopped_for_pain" if hurt else "finished",
                    effort="" if hurt else self.person.effort(day), exercises=reports,
                ), exercises)
                if hurt:
                    self.pain_noted = True  # the app notes the pain in the person's answers (S1)
                self.review(day, started + timedelta(minutes=15))
        return self

    def planned_today(self, day: int) -> bool:
        # Fewer days a week: train on the first days of each week (Monday, Tuesday, ...).
        return (day % 7) < self.state.parameters.days_per_week

    def week_reached(self, stage: Stage) -> int | None:
        """The week (1-based) in which the person first entered the stage."""
        for day, change in self.changes:
            if change.after.current_stage is stage and change.before.current_stage is not stage:
                return day // 7 + 1
        return None

    def reasons(self) -> list[Reason]:
        return [change.reason for _day, change in self.changes]
