"""Run a synthetic person (tests/program/simulation.py) through the database: every round is stored
as the API would store it and the plan is reviewed by the same service the pages use. Used by the
plan page tests and the browser tests to show a plan after several weeks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from knipa.accounts.models import Profile
from knipa.program.plan import Reason, RoundReport
from knipa.program.safety import TrainingPath
from knipa.training import plans
from knipa.training.models import ExerciseRecord, PlanChange, TrainingRound
from tests.program.simulation import Person, Simulation


@dataclass
class DatabaseSimulation(Simulation):
    profile: Profile | None = None

    def __post_init__(self):
        self.state = plans.refresh(self.profile, self.first_day)

    def review(self, day: int, now: datetime) -> None:
        # The person's pain answer, as the pages keep it (S1): noted by a round that hurt, cleared
        # when they say the pain has gone.
        pain = self.path(day) is TrainingPath.RELAXATION
        if bool(self.profile.pain) != pain:
            self.profile.pain = pain
            self.profile.save(update_fields=["pain"])
        self.state = plans.refresh(self.profile, now)

    def mark(self, day: int, now: datetime, reason: Reason, **facts) -> None:
        if reason is Reason.SELF_CHECK_DONE:
            plans.mark_self_check_done(self.profile, now)
        elif reason is Reason.PERSON_SATISFIED:
            plans.mark_satisfied(self.profile, now)
        self.review(day, now)

    def record(self, report: RoundReport, exercises) -> None:
        training_round = TrainingRound.objects.create(
            id=uuid.uuid4(), profile=self.profile, stage=report.stage, position=exercises[0].positions[0].value,
            status=report.status, effort=report.effort, started_at=report.started_at,
            ended_at=report.started_at + timedelta(minutes=6),
        )
        ExerciseRecord.objects.bulk_create(
            ExerciseRecord(
                training_round=training_round, order=order, exercise=e.spec_id, planned_reps=e.planned_reps,
                achieved_reps=e.achieved_reps, planned_squeeze_seconds=e.squeeze_seconds,
                planned_rest_seconds=e.squeeze_seconds, held_seconds=e.held_seconds,
                full_strength_reps=e.full_strength_reps, felt_lift=e.felt_lift, felt_clearly=e.felt_clearly,
                pain=e.pain,
            )
            for order, e in enumerate(report.exercises)
        )
        self.rounds.append(report)

    def stage_changes(self) -> list[tuple[str, str]]:
        return [(c.stage_before, c.stage_after) for c in
                PlanChange.objects.filter(profile=self.profile).order_by("at", "id") if c.stage_before and c.stage_before != c.stage_after]


def follow_the_plan(profile: Profile, weeks: int, person: Person | None = None) -> DatabaseSimulation:
    """The person has followed the plan for the given number of weeks, up to this morning."""
    local_now = timezone.now().astimezone(profile.zone)
    first_day = (local_now - timedelta(weeks=weeks)).replace(hour=7, minute=0, second=0, microsecond=0)
    simulation = DatabaseSimulation(person or Person(), first_day=first_day, profile=profile)
    return simulation.run(weeks)


def save_rounds_without_feeling_the_squeeze(profile: Profile, count: int) -> None:
    """Finished rounds of finding the muscles (E0) in which the squeeze was not felt clearly."""
    last = TrainingRound.objects.filter(profile=profile).order_by("-started_at").first()
    start = last.started_at + timedelta(hours=1) if last else timezone.now() - timedelta(days=5)
    for number in range(count):
        started = start + timedelta(hours=number)
        training_round = TrainingRound.objects.create(
            id=uuid.uuid4(), profile=profile, stage="learning", position="lying", status="finished",
            started_at=started, ended_at=started + timedelta(minutes=3))
        ExerciseRecord.objects.create(
            training_round=training_round, order=0, exercise="E0", planned_reps=10, achieved_reps=10,
            planned_squeeze_seconds=3, planned_rest_seconds=3, felt_clearly="unsure" if number % 2 else "no")
