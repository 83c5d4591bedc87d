"""The reminder dispatcher: a loop of small steps that plans, claims and sends occurrences.

`knipa worker` runs `Dispatcher.run()`; `knipa serve` runs one in a thread beside the web server.
Several dispatchers, in several processes on several machines, can share one PostgreSQL:

- Claiming takes due rows with `SELECT ... FOR UPDATE SKIP LOCKED` and stamps them with the
  worker's name and a lease (two minutes unless KNIPA_WORKER_LEASE_SECONDS says otherwise). Rows
  another worker holds are skipped, never waited for. (SQLite has no row locks; its IMMEDIATE
  transactions let one claimer in at a time.)
- Before an occurrence is sent it is marked `sending`, only if the claim is still the worker's,
  and the lease starts again; after it is sent it is marked `sent`; each in its own commit, so a
  killed worker leaves at most the one row it was sending in doubt. When the lease ends, another
  worker picks its rows up. A row still `sending` is sent again with the same push Topic and
  notification tag: a push service replaces an undelivered message with the same topic (RFC
  8030), and a browser shows a notification with the same tag once.
- More than 30 minutes late, an occurrence is marked missed instead of sent. Transient failures
  (network, 429, 5xx) are retried with growing pauses while there is time.
- SIGTERM ends the loop after the occurrence in hand; the rest of the claim is released at once.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, time, timedelta

import requests
from django.conf import settings as django_settings
from django.core import signing
from django.db import close_old_connections, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from knipa.reminders import channels
from knipa.reminders.models import Occurrence, PushSubscription, ReminderSettings
from knipa.reminders.planning import plan_due_people, wants_reminders
from knipa.training.models import TrainingRound

log = logging.getLogger(__name__)

# A worker's claim; KNIPA_WORKER_LEASE_SECONDS, two minutes unless set (docs/configuration.md).
LEASE = timedelta(seconds=django_settings.WORKER_LEASE_SECONDS)
MISSED_AFTER = timedelta(minutes=30)
BACKOFF = (timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4),
           timedelta(minutes=8))
BATCH = 50
PLAN_EVERY = timedelta(seconds=30)
SNOOZE = timedelta(minutes=30)
SNOOZE_SALT = "knipa.reminders.snooze"


def snooze_token(occurrence: Occurrence) -> str:
    return signing.dumps({"o": occurrence.pk, "p": occurrence.profile_id}, salt=SNOOZE_SALT, compress=True)


def topic_for(occurrence: Occurrence) -> str:
    # RFC 8030 topics are at most 32 URL-safe characters.
    return f"knipa-{occurrence.pk}"[:32]


def message_for(occurrence: Occurrence) -> channels.Message:
    profile = occurrence.profile
    with translation.override(profile.language or "sv"):
        title = _("Time for your pelvic floor round")
        if occurrence.snoozed:
            body = _("Here is the reminder you asked for. A round takes a few minutes.")
        else:
            body = _("A few calm minutes now keep you on track. Tap to start.")
        return channels.Message(title=title, body=body, url="/train/", tag=f"knipa-{occurrence.pk}",
                                language=profile.language or "sv", snooze_token=snooze_token(occurrence))


def already_trained(occurrence: Occurrence, now: datetime) -> bool:
    """Whether the round this reminder is for has been done: slot n wants n+1 rounds that day."""
    zone = occurrence.profile.zone
    local_day = occurrence.due_at.astimezone(zone).date()
    midnight = datetime.combine(local_day, time(0), tzinfo=zone)
    done = (TrainingRound.objects.filter(profile_id=occurrence.profile_id, started_at__gte=midnight,
                                         started_at__lte=now)
            .exclude(stage="daily_life").count())
    return done >= occurrence.slot + 1


class Dispatcher:
    def __init__(self, name: str | None = None, batch: int = BATCH, clock: Callable[[], datetime] = timezone.now):
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.batch = batch
        self.clock = clock
        self.stopping = threading.Event()
        self.session = requests.Session()
        self._planned_at: datetime | None = None

    # --- Steps -----------------------------------------------------------------------------

    def plan_step(self, force: bool = False) -> bool:
        """Write down occurrences for people whose horizon runs out (at most every 30 s)."""
        now = self.clock()
        if not force and self._planned_at is not None and now - self._planned_at < PLAN_EVERY:
            return False
        self._planned_at = now
        return plan_due_people(now) > 0

    def claim(self) -> list[int]:
        """Claim up to a batch of due occurrences for this worker; returns their ids."""
        now = self.clock()
        with transaction.atomic():
            ids = list(
                Occurrence.objects.select_for_update(skip_locked=True)
                .filter(status__in=(Occurrence.Status.PENDING, Occurrence.Status.SENDING), next_attempt_at__lte=now)
                .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
                .order_by("next_attempt_at")
                .values_list("id", flat=True)[: self.batch]
            )
            if ids:
                Occurrence.objects.filter(id__in=ids).update(claimed_by=self.name, claimed_until=now + LEASE)
        return ids

    def release(self, ids: list[int]) -> None:
        if ids:
            Occurrence.objects.filter(id__in=ids, claimed_by=self.name).update(claimed_by="", claimed_until=None)

    def handle_one(self, occurrence_id: int) -> bool:
        """Decide and send one claimed occurrence. Returns whether it was this worker's to handle."""
        now = self.clock()
        occurrence = (Occurrence.objects.select_related("profile").filter(id=occurrence_id, claimed_by=self.name)
                      .filter(claimed_until__gte=now).first())
        if occurrence is None:
            return False  # the lease ran out; another worker has it now
        reminder_settings = ReminderSettings.objects.filter(profile_id=occurrence.profile_id).first()
        if reminder_settings is None or not wants_reminders(reminder_settings):
            return self._finish(occurrence, Occurrence.Status.CANCELLED)
        if now - occurrence.due_at > MISSED_AFTER:
            return self._finish(occurrence, Occurrence.Status.MISSED)
        if already_trained(occurrence, now):
            return self._finish(occurrence, Occurrence.Status.SKIPPED)
        # Written down before sending: a crash from here on leaves this row visibly in doubt. Only
        # while the claim is still this worker's (the lease may have run out since it was read, and
        # another worker may have the row now), and with a fresh lease, so that no other worker takes
        # the row over while the push is on its way, however long the batch has taken so far.
        marked = Occurrence.objects.filter(id=occurrence.id, claimed_by=self.name, claimed_until__gte=now).update(
            status=Occurrence.Status.SENDING, attempts=occurrence.attempts + 1, claimed_until=now + LEASE)
        if not marked:
            return False
        deliveries = list(occurrence.deliveries)
        delivered = {(d["channel"], d["target_id"]) for d in deliveries if d["result"] == channels.Result.DELIVERED}
        message = message_for(occurrence)
        results = []
        if reminder_settings.by_push:
            for subscription in PushSubscription.objects.filter(profile_id=occurrence.profile_id):
                if ("push", subscription.pk) in delivered:
                    continue
                outcome = channels.send_push(subscription, message, self.session, topic_for(occurrence))
                results.append(outcome.result)
                deliveries.append(self._delivery("push", subscription.pk, subscription.label, outcome))
                if outcome.result is channels.Result.GONE:
                    subscription.delete()
                elif outcome.result is channels.Result.DELIVERED:
                    PushSubscription.objects.filter(pk=subscription.pk).update(last_sent_at=now)
        if (reminder_settings.by_email and django_settings.EMAIL_REMINDERS and reminder_settings.email
                and ("email", 0) not in delivered):
            outcome = channels.send_email(reminder_settings.email, message)
            results.append(outcome.result)
            deliveries.append(self._delivery("email", 0, reminder_settings.email, outcome))
        return self._settle(occurrence, results, deliveries)

    def _delivery(self, channel: str, target_id: int, target: str, outcome: channels.Outcome) -> dict:
        return {"channel": channel, "target_id": target_id, "target": target[:120], "result": outcome.result.value,
                "error": outcome.error, "at": self.clock().isoformat()}

    def _settle(self, occurrence: Occurrence, results: list, deliveries: list[dict]) -> bool:
        now = self.clock()
        attempts = occurrence.attempts + 1
        if channels.Result.RETRY in results and attempts <= len(BACKOFF):
            retry_at = now + BACKOFF[attempts - 1]
            if retry_at - occurrence.due_at <= MISSED_AFTER:
                Occurrence.objects.filter(id=occurrence.id).update(
                    status=Occurrence.Status.PENDING, next_attempt_at=retry_at, attempts=attempts,
                    claimed_by="", claimed_until=None, deliveries=deliveries,
                    sent_at=now if channels.Result.DELIVERED in results else occurrence.sent_at)
                return True
        if channels.Result.DELIVERED in results or any(d["result"] == "delivered" for d in deliveries):
            status = Occurrence.Status.SENT
        elif not results and not deliveries:
            status = Occurrence.Status.FAILED
            deliveries = [{"channel": "", "target_id": 0, "target": "", "result": "failed",
                           "error": _("No way to reach you was set up: allow notifications or give an e-mail address."),
                           "at": now.isoformat()}]
        else:
            status = Occurrence.Status.FAILED
        Occurrence.objects.filter(id=occurrence.id).update(
            status=status, attempts=attempts, claimed_by="", claimed_until=None, deliveries=deliveries,
            sent_at=now if status == Occurrence.Status.SENT else None)
        return True

    def _finish(self, occurrence: Occurrence, status: str) -> bool:
        Occurrence.objects.filter(id=occurrence.id).update(status=status, claimed_by="", claimed_until=None)
        return True

    def send_step(self) -> bool:
        """Claim a batch and handle it; stop early (releasing the rest) when asked to stop."""
        ids = self.claim()
        for index, occurrence_id in enumerate(ids):
            if self.stopping.is_set():
                self.release(ids[index:])
                break
            try:
                self.handle_one(occurrence_id)
            except Exception:  # noqa: BLE001 - one broken row must not stop everyone's reminders
                log.exception("reminder occurrence %s could not be handled", occurrence_id)
                self.release([occurrence_id])
        return bool(ids)

    def step(self) -> bool:
        planned = self.plan_step()
        sent = self.send_step()
        return planned or sent

    # --- The loop --------------------------------------------------------------------------

    def stop(self, *_args) -> None:
        self.stopping.set()

    def run(self, poll_seconds: float = 1.0, install_signal_handlers: bool = True) -> None:
        if install_signal_handlers and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        while not self.stopping.is_set():
            close_old_connections()
            try:
                busy = self.step()
            except Exception:  # noqa: BLE001 - a database hiccup: wait and try again
                log.exception("reminder step failed; trying again shortly")
                busy = False
            if not busy:
                self.stopping.wait(poll_seconds)
        close_old_connections()


def snooze(token: str, now: datetime | None = None) -> Occurrence | None:
    """Remind again in 30 minutes (from a notification's button or the reminders page)."""
    try:
        data = signing.loads(token, salt=SNOOZE_SALT, max_age=timedelta(hours=12))
    except signing.BadSignature:
        return None
    original = Occurrence.objects.filter(pk=data.get("o"), profile_id=data.get("p")).first()
    if original is None:
        return None
    now = now or timezone.now()
    due = (now + SNOOZE).replace(second=0, microsecond=0)
    occurrence, _created = Occurrence.objects.get_or_create(
        profile_id=original.profile_id, slot=original.slot, due_at=due,
        defaults={"snoozed": True, "next_attempt_at": due},
    )
    return occurrence
