"""The person's plan and its history of changes, and the rounds as they were done.

The stored values are the clinical core's own (knipa.program: Stage, Position, RoundStatus, Effort,
Felt); only the labels, translated, are written here. A value without a label fails at import.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from knipa.accounts.models import Profile
from knipa.program.exercises import Position
from knipa.program.plan import Effort, RoundStatus
from knipa.program.rounds import PRACTICE_STAGES, Stage


def _choices(enum, labels: dict) -> list[tuple[str, str]]:
    """Django choices for every value of the enum (but a blank one), in the enum's order."""
    return [(member.value, labels[member]) for member in enum if member.value]


POSITION_CHOICES = _choices(Position, {
    Position.LYING: _("Lying down"),
    Position.SITTING: _("Sitting"),
    Position.ALL_FOURS: _("On all fours"),
    Position.STANDING: _("Standing"),
})

STAGE_CHOICES = _choices(Stage, {
    Stage.LEARNING: _("Finding the muscles"),
    Stage.TRAINING: _("Strength, speed and endurance"),
    Stage.STANDING: _("Standing training"),
    Stage.FUNCTIONAL: _("Functional training"),
    Stage.MAINTENANCE: _("Maintenance"),
    Stage.CIRCULATION: _("Gentle circulation squeezes"),
    Stage.RELAXATION: _("Relaxation practice"),
    Stage.DAILY_LIFE: _("The squeeze in daily life"),
})

STATUS_CHOICES = _choices(RoundStatus, {
    RoundStatus.FINISHED: _("Finished"),
    RoundStatus.STOPPED: _("Stopped early"),
    RoundStatus.STOPPED_FOR_PAIN: _("Stopped because of pain"),
})

# How the round felt (T6); blank, Effort.UNKNOWN, is "not answered".
EFFORT_CHOICES = _choices(Effort, {
    Effort.EASY: _("Easy"),
    Effort.RIGHT: _("About right"),
    Effort.TOO_HARD: _("Too hard"),
})

EXERCISE_NAMES = {
    "E0": _("Finding the muscles"),
    "E1": _("Strength"),
    "E2": _("Speed"),
    "E3": _("Endurance"),
    "E5": _("Functional squeeze"),
    "E6": _("The squeeze in daily life"),
    "E7": _("Circulation squeezes"),
    "E8": _("Relaxation"),
}


class RoundQuerySet(models.QuerySet):
    def counted(self) -> RoundQuerySet:
        """Only the plan's rounds: practice rounds (E6) do not count (knipa.program.rounds.PRACTICE_STAGES)."""
        return self.exclude(stage__in=[stage.value for stage in PRACTICE_STAGES])


class TrainingRound(models.Model):
    # The browser chooses the id before the round starts, so sending the same round twice
    # (a retry after a lost connection) stores it once.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="rounds")
    stage = models.CharField(max_length=16, choices=STAGE_CHOICES)
    position = models.CharField(max_length=16, choices=POSITION_CHOICES)
    status = models.CharField(max_length=20, choices=STATUS_CHOICES)
    # How the round felt, asked at its end; too hard makes the plan ease (T6). Blank: not answered.
    effort = models.CharField(max_length=8, blank=True, choices=EFFORT_CHOICES)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["profile", "-started_at"])]

    def __str__(self) -> str:
        return f"Round {self.id}"

    @property
    def duration_seconds(self) -> int:
        return max(0, round((self.ended_at - self.started_at).total_seconds()))

    @property
    def duration_minutes(self) -> int:
        return self.duration_seconds // 60

    @property
    def duration_remainder_seconds(self) -> int:
        return self.duration_seconds % 60


class ExerciseRecord(models.Model):
    training_round = models.ForeignKey(TrainingRound, on_delete=models.CASCADE, related_name="exercises")
    order = models.PositiveSmallIntegerField()
    exercise = models.CharField(max_length=4)  # spec id
    planned_reps = models.PositiveSmallIntegerField()
    achieved_reps = models.PositiveSmallIntegerField()
    planned_squeeze_seconds = models.FloatField()
    planned_rest_seconds = models.FloatField()
    # Endurance (E3): how long the hold lasted, and how often the squeeze was caught again.
    held_seconds = models.FloatField(null=True, blank=True)
    recatches = models.PositiveSmallIntegerField(default=0)
    # The self-report after the exercise; None where the person skipped a question.
    full_strength_reps = models.PositiveSmallIntegerField(null=True, blank=True)
    felt_lift = models.CharField(max_length=8, blank=True)  # a program.plan.Felt (T3)
    felt_clearly = models.CharField(max_length=8, blank=True)  # a Felt; E0: squeeze and release felt clearly
    pain = models.BooleanField(default=False)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["training_round", "order"], name="one_record_per_place")]

    @property
    def name(self) -> str:
        return EXERCISE_NAMES.get(self.exercise, self.exercise)


class Plan(models.Model):
    """The person's plan: the stored form of knipa.program.plan.PlanState (see plans.py)."""

    profile = models.OneToOneField(Profile, on_delete=models.CASCADE, related_name="plan")
    stage = models.CharField(max_length=16, choices=STAGE_CHOICES, default=Stage.LEARNING.value)
    side_path = models.CharField(max_length=16, choices=STAGE_CHOICES, blank=True)
    strength_hold_seconds = models.PositiveSmallIntegerField()
    strength_rest_seconds = models.PositiveSmallIntegerField()
    strength_reps = models.PositiveSmallIntegerField()
    strength_sets = models.PositiveSmallIntegerField()
    speed_reps = models.PositiveSmallIntegerField()
    endurance_target_seconds = models.PositiveSmallIntegerField()
    rounds_per_day = models.PositiveSmallIntegerField()
    days_per_week = models.PositiveSmallIntegerField()
    evidence_since = models.DateTimeField()
    stage_since = models.DateTimeField()
    training_started_on = models.DateField(null=True, blank=True)
    self_check_done = models.BooleanField(default=False)
    satisfied = models.BooleanField(default=False)
    staying = models.BooleanField(default=False)
    careful = models.BooleanField(default=False)
    eased_at = models.DateTimeField(null=True, blank=True)
    movements = models.JSONField(default=list)
    # A clinician's prescription kept fixed, and the positions it asked for (knipa.program.plan).
    numbers_fixed = models.BooleanField(default=False)
    positions = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the rules last looked at this plan; the worker reviews plans not reviewed for a day.
    reviewed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"Plan {self.pk}"


class PlanChange(models.Model):
    """One change of the plan, with its reason, so the person can always see why (issue: plan)."""

    class Source(models.TextChoices):
        PLAN = "plan", _("The plan, from your reports")
        PERSON = "person", _("You")
        CLINICIAN = "clinician", _("Your physiotherapist")

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="plan_changes")
    at = models.DateTimeField()
    reason = models.CharField(max_length=32)
    source = models.CharField(max_length=10, choices=Source.choices)
    stage_before = models.CharField(max_length=16, blank=True)
    stage_after = models.CharField(max_length=16)
    parameters_before = models.JSONField(default=dict)
    parameters_after = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["profile", "-at"])]

    def __str__(self) -> str:
        return f"Plan change {self.pk} ({self.reason})"
