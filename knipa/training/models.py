"""The person's plan and its history of changes, and the rounds as they were done."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from knipa.accounts.models import Profile

POSITION_CHOICES = [
    ("lying", _("Lying down")),
    ("sitting", _("Sitting")),
    ("all_fours", _("On all fours")),
    ("standing", _("Standing")),
]

STAGE_CHOICES = [
    ("learning", _("Finding the muscles")),
    ("training", _("Strength, speed and endurance")),
    ("standing", _("Standing training")),
    ("functional", _("Functional training")),
    ("maintenance", _("Maintenance")),
    ("circulation", _("Gentle circulation squeezes")),
    ("relaxation", _("Relaxation practice")),
    ("daily_life", _("The squeeze in daily life")),
]

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


class TrainingRound(models.Model):
    class Status(models.TextChoices):
        FINISHED = "finished", _("Finished")
        STOPPED = "stopped", _("Stopped early")
        STOPPED_FOR_PAIN = "stopped_for_pain", _("Stopped because of pain")

    # The browser chooses the id before the round starts, so sending the same round twice
    # (a retry after a lost connection) stores it once.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="rounds")
    stage = models.CharField(max_length=16, choices=STAGE_CHOICES)
    position = models.CharField(max_length=16, choices=POSITION_CHOICES)
    status = models.CharField(max_length=20, choices=Status.choices)
    # How the round felt, asked at its end; too hard makes the plan ease (T6). Blank: not answered.
    effort = models.CharField(max_length=8, blank=True, choices=[
        ("easy", _("Easy")), ("right", _("About right")), ("too_hard", _("Too hard")),
    ])
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)

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
    felt_lift = models.CharField(max_length=8, blank=True)  # yes / no / unsure (T3)
    felt_clearly = models.CharField(max_length=8, blank=True)  # E0: squeeze and release felt clearly
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
    stage = models.CharField(max_length=16, choices=STAGE_CHOICES, default="learning")
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
