"""A person's profile: the onboarding answers that decide what their training looks like."""

from __future__ import annotations

import zoneinfo
from datetime import date

from django.conf import settings
from django.db import models
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knipa.program.safety import (
    Advice,
    Body,
    Carer,
    Goal,
    RecentEvent,
    SafetyAnswers,
    TrainingPath,
    advice_for,
    asks_about_pregnancy,
    training_path,
)

BODY_CHOICES = [
    (Body.VAGINA.value, _("My body has a vagina")),
    (Body.PENIS.value, _("My body has a penis")),
    (Body.NEUTRAL.value, _("Neutral words, please")),
]

GOAL_CHOICES = [
    (Goal.PREVENT.value, _("To prevent problems and stay strong")),
    (Goal.PREGNANCY_OR_BIRTH.value, _("I am pregnant or have given birth")),
    (Goal.URINARY_LEAKAGE.value, _("I leak urine")),
    (Goal.FAECAL_LEAKAGE.value, _("I leak gas or stool")),
    (Goal.PROLAPSE.value, _("I have a prolapse or a feeling of heaviness")),
    (Goal.SURGERY.value, _("Before or after surgery")),
    (Goal.COUGH.value, _("I have a long-lasting cough or COPD")),
    (Goal.SEXUAL_FUNCTION.value, _("For my sex life")),
]

RECENT_EVENT_CHOICES = [
    (RecentEvent.NONE.value, _("No")),
    (RecentEvent.CHILDBIRTH.value, _("Yes, I have given birth")),
    (RecentEvent.SURGERY.value, _("Yes, I have had surgery in the pelvis or genital area")),
]
# S2, W3: a person whose body has a penis is not offered "I have given birth".
RECENT_EVENT_CHOICES_WITHOUT_BIRTH = [choice for choice in RECENT_EVENT_CHOICES
                                      if choice[0] != RecentEvent.CHILDBIRTH.value]


# Sent (with `profile`) when the answers that decide the training change, or onboarding ends, so
# that the rooms above this one (the plan) can follow without this room knowing them.
answers_changed = Signal()

# Sent (with `profile` and `zone`) when the person's data is exported (knipa.personal_data.export):
# a room beside the export (sharing: the shares and the access log) answers with a dict of
# sections of the file, so the export holds everything without importing rooms on its own layer.
exporting = Signal()


def default_time_zone() -> str:
    return settings.DEFAULT_PERSON_TIME_ZONE


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    # False while the profile lives only in this browser's session; True once it has a password.
    secured = models.BooleanField(default=False)
    language = models.CharField(max_length=8, default="sv")
    body = models.CharField(max_length=16, choices=BODY_CHOICES, blank=True)
    goals = models.JSONField(default=list, blank=True)
    # None until the safety screen has been answered.
    pain = models.BooleanField(null=True)
    recent_event = models.CharField(max_length=16, choices=RECENT_EVENT_CHOICES, blank=True)
    go_ahead = models.BooleanField(default=False)
    # The day of the birth or operation (S2, E7 "soon after"; V3 "the first year after a birth").
    event_on = models.DateField(null=True, blank=True)
    pregnant = models.BooleanField(null=True)
    time_zone = models.CharField(max_length=64, default=default_time_zone)
    onboarded_at = models.DateTimeField(null=True, blank=True)
    # Moves on with every change of the person's data, so that pages kept for them are known to be
    # out of date (knipa.accounts.pagecache).
    data_version = models.PositiveIntegerField(default=0)
    # The person's e-mail address is the user's `email`; Knipa mails it only once its owner has
    # confirmed it through the link sent to it (knipa.accounts.emails). This is the address as it
    # was confirmed: empty until then, and emptied again whenever the address changes, so that
    # mail goes only where `confirmed_email` says, read without the user row (the reminder worker).
    confirmed_email = models.EmailField(blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    # The secret in the unsubscribe link of every reminder mail (which works without logging in):
    # random, made when an address is confirmed, kept while the address stays the same, so that
    # the link in an old mail still works.
    unsubscribe_token = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the person last did something that writes (any request but GET, HEAD and OPTIONS: a
    # round saved, an answer, logging in; knipa.accounts.pagecache), never on a page view. A
    # browser-only profile untouched for KNIPA_ANONYMOUS_PROFILE_DAYS is deleted by the worker
    # (knipa.accounts.retention). Existing profiles start counting from the migration that added it.
    last_active_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Profile {self.pk}"

    @property
    def safety_answered(self) -> bool:
        pregnancy_answered = self.pregnant is not None or not asks_about_pregnancy(self.body)
        return self.pain is not None and self.recent_event != "" and pregnancy_answered

    @property
    def safety_answers(self) -> SafetyAnswers:
        return SafetyAnswers(
            pain=bool(self.pain),
            recent_event=RecentEvent(self.recent_event or RecentEvent.NONE),
            go_ahead=self.go_ahead,
            pregnant=bool(self.pregnant) and asks_about_pregnancy(self.body),
            event_on=self.event_on,
        )

    def today(self) -> date:
        """The person's own date, in their time zone."""
        return timezone.now().astimezone(self.zone).date()

    @property
    def carer(self) -> Carer | None:
        """Whose advice to follow after the birth or operation (S2): a midwife or doctor, or a doctor."""
        return self.safety_answers.carer

    @property
    def goal_set(self) -> frozenset[Goal]:
        known = {goal.value for goal in Goal}
        return frozenset(Goal(goal) for goal in self.goals if goal in known)

    @property
    def training_path(self) -> TrainingPath:
        return training_path(self.safety_answers, self.today())

    @property
    def advice(self) -> list[Advice]:
        return advice_for(self.safety_answers, self.goal_set, self.today())

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(settings.DEFAULT_PERSON_TIME_ZONE)

    def goal_labels(self) -> list[str]:
        labels = dict(GOAL_CHOICES)
        return [labels[goal] for goal in self.goals if goal in labels]

    @property
    def email_confirmed(self) -> bool:
        """Whether the account's address is the one its owner confirmed (mail may go to it)."""
        return bool(self.confirmed_email) and self.confirmed_email == self.user.email


class EmailConfirmation(models.Model):
    """A confirmation link sent to an address: good once, for a few days, for that address only.

    Only the token's SHA-256 is kept, so that the table alone cannot confirm anything."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_confirmations")
    address = models.EmailField()
    token_digest = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"E-mail confirmation {self.pk}"


class Throttle(models.Model):
    """One counted action (a confirmation mail, a password reset asked for) under a limit.

    Kept in the database, like django-axes' login attempts, so that every app process counts the
    same. The key (an address, a person, a client's IP address) is kept only as a keyed hash:
    the table holds no address. Rows older than the longest window are removed as new ones come."""

    scope = models.CharField(max_length=32)
    key_digest = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["scope", "key_digest", "at"], name="throttle_lookup")]

    def __str__(self) -> str:
        return f"Throttle {self.scope} {self.pk}"
