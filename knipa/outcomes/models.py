"""Is it working? Check-ins (severity index, bother, confidence, avoidance, PGI-I), the one-tap
leak log and the bladder diary. The scores and rules are in knipa.program.outcomes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from knipa.accounts.models import Profile
from knipa.program.outcomes import CheckIn as CheckInScores
from knipa.program.outcomes import Improvement, LeakAmount, LeakFrequency

FREQUENCY_CHOICES = [
    (LeakFrequency.NEVER, _("Never")),
    (LeakFrequency.LESS_THAN_MONTHLY, _("Less than once a month")),
    (LeakFrequency.FEW_TIMES_A_MONTH, _("A few times a month")),
    (LeakFrequency.FEW_TIMES_A_WEEK, _("A few times a week")),
    (LeakFrequency.EVERY_DAY_OR_NIGHT, _("Every day or night")),
]
AMOUNT_CHOICES = [
    (LeakAmount.NONE, _("None")),
    (LeakAmount.DROPS, _("Drops")),
    (LeakAmount.SMALL_SPLASHES, _("Small splashes")),
    (LeakAmount.MORE, _("More")),
]
# For heaviness or a bulge (prolapse) and for leaks of gas or stool: the same steps as for urine.
HOW_OFTEN_CHOICES = [
    (LeakFrequency.NEVER, _("Never")),
    (LeakFrequency.LESS_THAN_MONTHLY, _("Less than once a month")),
    (LeakFrequency.FEW_TIMES_A_MONTH, _("A few times a month")),
    (LeakFrequency.FEW_TIMES_A_WEEK, _("A few times a week")),
    (LeakFrequency.EVERY_DAY_OR_NIGHT, _("Every day")),
]
IMPROVEMENT_CHOICES = [
    (Improvement.VERY_MUCH_BETTER, _("Very much better")),
    (Improvement.MUCH_BETTER, _("Much better")),
    (Improvement.A_LITTLE_BETTER, _("A little better")),
    (Improvement.NO_CHANGE, _("No change")),
    (Improvement.A_LITTLE_WORSE, _("A little worse")),
    (Improvement.MUCH_WORSE, _("Much worse")),
    (Improvement.VERY_MUCH_WORSE, _("Very much worse")),
]


class CheckIn(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="check_ins")
    at = models.DateTimeField()
    frequency = models.PositiveSmallIntegerField(choices=FREQUENCY_CHOICES)
    amount = models.PositiveSmallIntegerField(choices=AMOUNT_CHOICES)
    bother = models.PositiveSmallIntegerField()  # 0-10
    confidence = models.PositiveSmallIntegerField()  # 0-10: sure of squeezing correctly
    avoids_activity = models.BooleanField(default=False)  # V1
    avoids_friends = models.BooleanField(default=False)  # V1
    avoids_sex = models.BooleanField(default=False)  # V1
    improvement = models.PositiveSmallIntegerField(choices=IMPROVEMENT_CHOICES, null=True, blank=True)  # PGI-I
    # S1: pain in the genital area, or when squeezing, since the last check-in.
    pain = models.BooleanField(default=False)
    # Asked only of those who train for them (the profile's goals): how often gas or stool leaks,
    # and how often the pelvic floor feels heavy or something bulges. None: not asked.
    bowel_leaks = models.PositiveSmallIntegerField(choices=HOW_OFTEN_CHOICES, null=True, blank=True)
    heaviness = models.PositiveSmallIntegerField(choices=HOW_OFTEN_CHOICES, null=True, blank=True)

    class Meta:
        ordering = ["at"]
        indexes = [models.Index(fields=["profile", "at"])]

    def __str__(self) -> str:
        return f"Check-in {self.pk}"

    def scores(self) -> CheckInScores:
        return CheckInScores(
            at=self.at, frequency=LeakFrequency(self.frequency), amount=LeakAmount(self.amount),
            bother=self.bother, confidence=self.confidence, avoids_activity=self.avoids_activity,
            avoids_friends=self.avoids_friends, avoids_sex=self.avoids_sex,
            improvement=Improvement(self.improvement) if self.improvement else None,
        )


class Leak(models.Model):
    """One leak, logged with one tap: when, in which situation, how much."""

    class Situation(models.TextChoices):
        COUGH = "cough", _("Coughing")
        SNEEZE = "sneeze", _("Sneezing")
        LAUGH = "laugh", _("Laughing")
        LIFT = "lift", _("Lifting")
        JUMP_OR_RUN = "jump_or_run", _("Jumping or running")
        URGE = "urge", _("A sudden urge")
        OTHER = "other", _("Something else")

    class Amount(models.TextChoices):
        DROPS = "drops", _("Drops")
        SPLASH = "splash", _("A splash")
        MORE = "more", _("More")

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="leaks")
    at = models.DateTimeField()
    situation = models.CharField(max_length=12, choices=Situation.choices)
    amount = models.CharField(max_length=8, choices=Amount.choices, default=Amount.DROPS)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["profile", "-at"])]

    def __str__(self) -> str:
        return f"Leak {self.pk}"


class DiaryEntry(models.Model):
    """One line of the bladder diary: a drink, a visit to the toilet, a leak or a pad change."""

    class Kind(models.TextChoices):
        DRINK = "drink", _("Drink")
        VOID = "void", _("Toilet visit (urine)")
        LEAK = "leak", _("Leak")
        PAD = "pad", _("Pad change")

    class Drink(models.TextChoices):
        WATER = "water", _("Water")
        COFFEE_TEA = "coffee_tea", _("Coffee or tea")
        ALCOHOL = "alcohol", _("Alcohol")
        OTHER = "other", _("Other")

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="diary_entries")
    at = models.DateTimeField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    drink = models.CharField(max_length=12, choices=Drink.choices, blank=True)
    volume_ml = models.PositiveIntegerField(null=True, blank=True)
    urgency = models.PositiveSmallIntegerField(null=True, blank=True)  # 0-3
    woke_me = models.BooleanField(default=False)  # a night-time void

    class Meta:
        ordering = ["at"]
        indexes = [models.Index(fields=["profile", "at"])]

    def __str__(self) -> str:
        return f"Diary entry {self.pk}"
