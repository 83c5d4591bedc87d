"""Reminders: when a person wants them, where they go, and the outbox of every occurrence.

The database is the queue. Each occurrence of a reminder is written down first, as an `Occurrence`
row unique per person, slot and due time, and sent after; what happened to each channel is kept
in the row itself and shown to the person (docs/reminders.md).
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from knipa.accounts.models import Profile


class ReminderSettings(models.Model):
    profile = models.OneToOneField(Profile, on_delete=models.CASCADE, related_name="reminder_settings")
    times = models.JSONField(default=list, blank=True)  # ["08:00", "19:30"], local wall-clock times
    weekdays = models.JSONField(default=list, blank=True)  # Monday = 0
    quiet_dates = models.JSONField(default=list, blank=True)  # ["2026-12-24"]
    paused = models.BooleanField(default=False)
    by_push = models.BooleanField(default=False)
    by_email = models.BooleanField(default=False)
    email = models.EmailField(blank=True)
    # The secret in the calendar subscription URL; empty when the person has none or revoked it.
    calendar_token = models.CharField(max_length=64, blank=True, db_index=True)
    # Occurrences are written up to this instant; None means "plan again from now".
    planned_until = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Reminder settings {self.pk}"


class PushSubscription(models.Model):
    """One browser's Web Push subscription (the PushSubscription's endpoint and keys)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=2000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    label = models.CharField(max_length=100, blank=True)  # "Chrome on Android", for the person
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Push subscription {self.pk}"

    def info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


def new_snooze_token() -> str:
    return secrets.token_urlsafe(24)


class Occurrence(models.Model):
    """One reminder due at one instant: the outbox row, written before anything is sent."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not sent: you had already trained")
        MISSED = "missed", _("Not sent: it was more than 30 minutes late")
        FAILED = "failed", _("Could not be delivered")
        CANCELLED = "cancelled", _("Cancelled")

    # No index of its own: the person's id leads both the unique constraint and the by-person
    # index below, and a third copy would only cost another index entry at every write.
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="reminder_occurrences",
                                db_index=False)
    slot = models.PositiveSmallIntegerField()  # 0 = the day's first round
    due_at = models.DateTimeField()
    snoozed = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    # A worker's claim: the worker's name and the end of its lease. A worker that dies loses its
    # claims when the lease ends, and another worker sends them.
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # What each channel did, newest last: [{"channel": "push", "target": "Firefox", "result":
    # "delivered" | "retry" | "failed" | "gone", "error": "plain words", "at": iso}]. Kept in the
    # row so that one UPDATE records a send's outcome and the occurrence's new state.
    deliveries = models.JSONField(default=list, blank=True)
    # The secret behind the notification's "Remind me in 30 minutes" button: random, so that it
    # says nothing of the reminder or the person, and good for one press (dispatcher.snooze()
    # marks it spent). Null only for reminders written down before there were such tokens.
    snooze_token = models.CharField(max_length=40, null=True, blank=True, editable=False,
                                    default=new_snooze_token)

    class Meta:
        ordering = ["-due_at"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "slot", "due_at"], name="one_occurrence_per_slot_and_time"),
            # A constraint rather than unique=True, which on PostgreSQL adds a second index for
            # LIKE searches that nothing makes: one index entry less at every reminder written.
            models.UniqueConstraint(fields=["snooze_token"], name="one_occurrence_per_snooze_token"),
        ]
        indexes = [
            # The queue: rows waiting to be sent, in the order they are due. Partial, so that a
            # claim reads the first due rows in order and stops, however many are due at once
            # (an index on (status, next_attempt_at) made PostgreSQL sort every due row:
            # 90 ms per claim with 50,000 due).
            models.Index(fields=["next_attempt_at"], name="occurrence_waiting",
                         condition=models.Q(status="pending")),
            models.Index(fields=["profile", "-due_at"], name="occurrence_by_person"),
        ]

    def __str__(self) -> str:
        return f"Occurrence {self.pk} ({self.status})"


class VapidKey(models.Model):
    """The server's VAPID key pair, made on first use and kept in the database, so that every app
    and worker process, on every machine, signs with the same key the browsers subscribed to."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    private_pem = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return "VAPID key"
