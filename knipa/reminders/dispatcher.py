"""The reminder dispatcher: a loop of small steps that plans, claims and sends occurrences.

`knipa worker` runs `Dispatcher.run()`; `knipa serve` runs one in a thread beside the web server.
Several dispatchers, in several processes on several machines, can share one PostgreSQL:

- Claiming takes due rows with `SELECT ... FOR UPDATE SKIP LOCKED` and stamps them with the
  worker's name and a lease (two minutes unless KNIPA_WORKER_LEASE_SECONDS says otherwise). Rows
  another worker holds are skipped, never waited for. (SQLite has no row locks; its IMMEDIATE
  transactions let one claimer in at a time.)
- An occurrence is sent only while the worker's claim on it has at least half a lease to run, as
  it was claimed or last renewed: a batch whose lease runs short (slow push services) renews it for
  the rows it still holds, in one UPDATE. Outcomes are written after the sends, up to ten in one
  round trip (`outbox.OutcomeWriter`), each changing its row only while it is still this worker's.
  A killed worker therefore leaves at most those ten in doubt (sent, not yet written down). When
  the lease ends another worker picks its rows up and sends those again, with the same push Topic
  and notification tag: a push service replaces an undelivered message with the same topic (RFC
  8030), and a browser shows a notification with the same tag once.
- More than 30 minutes late, an occurrence is marked missed instead of sent. Transient failures
  (network, 429, 5xx) are retried with growing pauses while there is time.
- SIGTERM ends the loop after the occurrence in hand; the rest of the claim is released at once.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import socket
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from time import monotonic

from django.conf import settings as django_settings
from django.db import close_old_connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from py_vapid import Vapid02

from knipa.accounts.pagecache import move_version_on
from knipa.reminders import BATCH, channels, outbox, retention
from knipa.reminders.models import Occurrence, PushSubscription, ReminderSettings
from knipa.reminders.planning import plan_due_people, wants_reminders
from knipa.training.plans import review_due_plans
from knipa.reminders.vapid import vapid
from knipa.training.models import TrainingRound

log = logging.getLogger(__name__)

# A worker's claim; KNIPA_WORKER_LEASE_SECONDS, two minutes unless set (docs/configuration.md).
LEASE = timedelta(seconds=django_settings.WORKER_LEASE_SECONDS)
# A send starts only with at least this much of the lease left (a push may take 10 s per browser).
LEASE_LEFT_TO_SEND = LEASE / 2
MISSED_AFTER = timedelta(minutes=30)
BACKOFF = (timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4),
           timedelta(minutes=8))
BATCH_FRESH_SECONDS = 5
OCCURRENCE_FIELDS = [field.name for field in Occurrence._meta.concrete_fields]
# Not `email`: reminders go only to the address the person confirmed, kept on the profile
# (knipa.accounts.emails), never to the unconfirmed one once stored in ReminderSettings.
SETTINGS_FIELDS = ("profile", "paused", "by_push", "by_email")
SUBSCRIPTION_FIELDS = ("profile_id", "endpoint", "p256dh", "auth", "label")
PLAN_EVERY = timedelta(seconds=30)
# How often the worker looks for plans the rules have not reviewed for a day (breaks in training,
# the weeks after a birth or operation: knipa.training.plans.review_due_plans). A busy pass (a
# full batch) comes back at the next turn of the loop.
REVIEW_EVERY = timedelta(minutes=5)
REVIEW_BATCH = 100
# How often the worker deletes what Knipa no longer keeps (expired sessions, abandoned browser-only
# profiles, imports cut off midway: knipa.reminders.retention).
RETENTION_EVERY = timedelta(hours=1)
SNOOZE = timedelta(minutes=30)
# How long after it was due a reminder can still be snoozed from its notification.
SNOOZE_WITHIN = timedelta(hours=12)
# A used snooze token stays in its row with this mark in front, a character secrets.token_urlsafe
# never makes: a second press is then told the reminder is already snoozed, not that the token is
# unknown, and the marked value can never be sent back as a token (SNOOZE_TOKEN_SHAPE).
SPENT = "."
SNOOZE_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,40}")


def snooze_token(occurrence: Occurrence) -> str:
    """What the notification's snooze button sends: the reminder's own random token (nothing in it
    says which reminder or whose), or nothing once it has been used."""
    token = occurrence.snooze_token or ""
    return "" if token.startswith(SPENT) else token


def topic_for(occurrence: Occurrence) -> str:
    # RFC 8030 topics are at most 32 URL-safe characters.
    return f"knipa-{occurrence.pk}"[:32]


@lru_cache(maxsize=64)
def reminder_texts(language: str, snoozed: bool) -> tuple[str, str]:
    """A reminder's title and body in a language (the same for everyone: looked up once)."""
    with translation.override(language):
        title = _("Time for your pelvic floor round")
        if snoozed:
            body = _("Here is the reminder you asked for. A round takes a few minutes.")
        else:
            body = _("A few calm minutes now keep you on track. Tap to start.")
        return title, body


def message_for(occurrence: Occurrence) -> channels.Message:
    language = occurrence.profile.language or "sv"
    title, body = reminder_texts(language, occurrence.snoozed)
    return channels.Message(title=title, body=body, url="/train/", tag=f"knipa-{occurrence.pk}",
                            language=language, snooze_token=snooze_token(occurrence))


def already_trained(occurrence: Occurrence, now: datetime, round_starts: list[datetime]) -> bool:
    """Whether the round this reminder is for has been done: slot n wants n+1 rounds that day.
    `round_starts` are when the person's rounds that count began (not daily-life practice)."""
    zone = occurrence.profile.zone
    midnight = local_midnight(occurrence, zone)
    done = sum(1 for started in round_starts if midnight <= started <= now)
    return done >= occurrence.slot + 1


def local_midnight(occurrence: Occurrence, zone=None) -> datetime:
    zone = zone or occurrence.profile.zone
    return datetime.combine(occurrence.due_at.astimezone(zone).date(), time(0), tzinfo=zone)


@dataclass
class Batch:
    """What handling claimed occurrences needs, read in a few queries for all of them instead of
    several for each (a send itself then costs a tenth of a round trip: see OutcomeWriter)."""

    occurrences: dict[int, Occurrence]
    settings: dict[int, ReminderSettings]  # by profile id
    subscriptions: dict[int, list[PushSubscription]]  # by profile id
    round_starts: dict[int, list[datetime]]  # by profile id
    vapid_key: Vapid02 | None
    read_at: float = field(default_factory=monotonic)

    def is_stale(self) -> bool:
        # A batch held up by slow push services is read again, so that a person who paused their
        # reminders or trained meanwhile is not reminded on old information.
        return monotonic() - self.read_at > BATCH_FRESH_SECONDS


class Dispatcher:
    def __init__(self, name: str | None = None, batch: int = BATCH, clock: Callable[[], datetime] = timezone.now):
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.batch = batch
        self.clock = clock
        self.stopping = threading.Event()
        self.session = channels.PushSession()
        self.outcomes = outbox.OutcomeWriter(self.name)
        self._vapid_key: Vapid02 | None = None
        self._planned_at: datetime | None = None
        self._reviewed_at: datetime | None = None
        self._retained_at: datetime | None = None
        self._pushed_to: dict[int, datetime] = {}  # subscription id: when it last got a push

    # --- Steps -----------------------------------------------------------------------------

    def plan_step(self, force: bool = False) -> bool:
        """Write down occurrences for people whose horizon runs out (at most every 30 s)."""
        now = self.clock()
        if not force and self._planned_at is not None and now - self._planned_at < PLAN_EVERY:
            return False
        self._planned_at = now
        return plan_due_people(now) > 0

    def review_step(self, force: bool = False) -> bool:
        """Review plans that time alone may have changed (at most every five minutes when idle)."""
        now = self.clock()
        if not force and self._reviewed_at is not None and now - self._reviewed_at < REVIEW_EVERY:
            return False
        reviewed = review_due_plans(now, limit=REVIEW_BATCH)
        # A full batch: more are waiting, so the next turn goes on at once.
        self._reviewed_at = None if reviewed >= REVIEW_BATCH else now
        return reviewed > 0

    def claim(self) -> list[int]:
        """Claim up to a batch of due occurrences for this worker; returns their ids, oldest first."""
        now = self.clock()
        return outbox.claim(self.name, now, now + LEASE, self.batch)

    def release(self, ids: list[int]) -> None:
        outbox.release(self.name, ids)

    def read_batch(self, ids: list[int], vapid_key: Vapid02 | None = None) -> Batch:
        """Read what handling these claimed occurrences needs (those still this worker's)."""
        now = self.clock()
        # Of the person, only what a reminder needs (their language and time zone, and the few
        # settings a send reads, joined in the same query): the rest of the profile, answers and
        # all, and of the settings (times, quiet days, dates) would be read and decoded for nothing,
        # for every person in the batch.
        occurrences = {o.id: o for o in Occurrence.objects.select_related("profile__reminder_settings")
                       .only(*OCCURRENCE_FIELDS, "profile__language", "profile__time_zone",
                             "profile__confirmed_email", "profile__unsubscribe_token",
                             *(f"profile__reminder_settings__{name}" for name in SETTINGS_FIELDS))
                       .filter(id__in=ids, claimed_by=self.name)}
        profile_ids = {o.profile_id for o in occurrences.values()}
        settings = {}
        for occurrence in occurrences.values():
            try:
                settings[occurrence.profile_id] = occurrence.profile.reminder_settings
            except ReminderSettings.DoesNotExist:
                pass  # reminders switched off since: cancelled
        subscriptions = defaultdict(list)
        # And of each browser only what a push needs.
        for subscription in (PushSubscription.objects.only(*SUBSCRIPTION_FIELDS)
                             .filter(profile_id__in=profile_ids).order_by("pk")):
            subscriptions[subscription.profile_id].append(subscription)
        round_starts = defaultdict(list)
        if occurrences:
            since = min(local_midnight(o) for o in occurrences.values())
            # A practice round (E6) is not the planned round the reminder is for.
            for profile_id, started_at in (TrainingRound.objects.counted()
                                           .filter(profile_id__in=profile_ids, started_at__gte=since,
                                                   started_at__lte=now)
                                           .values_list("profile_id", "started_at")):
                round_starts[profile_id].append(started_at)
        key = vapid_key or (vapid() if any(s.by_push for s in settings.values()) else None)
        return Batch(occurrences, settings, subscriptions, round_starts, key)

    def handle_one(self, occurrence_id: int, batch: Batch | None = None) -> bool:
        """Decide and send one claimed occurrence. Returns whether it was this worker's to handle."""
        alone = batch is None
        if alone:
            batch = self.read_batch([occurrence_id])
        try:
            return self._handle(occurrence_id, batch)
        finally:
            if alone:
                self.outcomes.flush()
                self._record_pushes()

    def _handle(self, occurrence_id: int, batch: Batch) -> bool:
        now = self.clock()
        occurrence = batch.occurrences.get(occurrence_id)
        if occurrence is None or occurrence.claimed_until is None or occurrence.claimed_until < now:
            return False  # the lease ran out; another worker has it now
        reminder_settings = batch.settings.get(occurrence.profile_id)
        if reminder_settings is None or not wants_reminders(reminder_settings):
            return self._finish(occurrence, Occurrence.Status.CANCELLED)
        if now - occurrence.due_at > MISSED_AFTER:
            return self._finish(occurrence, Occurrence.Status.MISSED)
        if already_trained(occurrence, now, batch.round_starts[occurrence.profile_id]):
            return self._finish(occurrence, Occurrence.Status.SKIPPED)
        if not self._holds_long_enough(occurrence, batch, now):
            return False
        with translation.override(occurrence.profile.language or "sv"):
            # All the person reads in their language, not the worker's: the notification, its
            # snooze button and the e-mail's footer (translated when the channel builds them) and
            # the errors kept in the row to show them.
            return self._send(occurrence, reminder_settings, batch, now)

    def _send(self, occurrence: Occurrence, reminder_settings: ReminderSettings, batch: Batch, now: datetime) -> bool:
        deliveries = list(occurrence.deliveries)
        delivered = {(d["channel"], d["target_id"]) for d in deliveries if d["result"] == channels.Result.DELIVERED}
        message = message_for(occurrence)
        results = []
        if reminder_settings.by_push:
            subscriptions = batch.subscriptions[occurrence.profile_id]
            for subscription in list(subscriptions):
                if ("push", subscription.pk) in delivered:
                    continue
                outcome = channels.send_push(subscription, message, self.session, topic_for(occurrence),
                                             vapid_key=batch.vapid_key)
                results.append(outcome.result)
                deliveries.append(self._delivery("push", subscription.pk, subscription.label, outcome))
                if outcome.result is channels.Result.GONE:
                    subscription.delete()
                    subscriptions.remove(subscription)
                elif outcome.result is channels.Result.DELIVERED:
                    self._pushed_to[subscription.pk] = now
        if reminder_settings.by_email and django_settings.EMAIL_REMINDERS and ("email", 0) not in delivered:
            # Only to an address its owner confirmed, which always has its unsubscribe secret.
            address, unsubscribe = occurrence.profile.confirmed_email, occurrence.profile.unsubscribe_token
            if address and unsubscribe:
                outcome = channels.send_email(address, message, unsubscribe)
                results.append(outcome.result)
            else:
                outcome = channels.Outcome(channels.Result.FAILED,
                                           _("Not sent: your e-mail address is not confirmed yet."))
            deliveries.append(self._delivery("email", 0, address or _("E-mail"), outcome))
        return self._settle(occurrence, results, deliveries)

    def _holds_long_enough(self, occurrence: Occurrence, batch: Batch, now: datetime) -> bool:
        """Whether this worker's claim on the occurrence lasts long enough to send it, so that no
        other worker takes the row over while the push is on its way.

        Judged by the lease as claimed or last renewed, without asking the database for each row:
        only this worker writes its claims, and no other worker claims a row before its lease has
        run out. When the lease runs short (a batch held up by slow push services), it is renewed
        for all the rows of the batch this worker still holds, in one UPDATE."""
        if occurrence.claimed_until - now >= LEASE_LEFT_TO_SEND:
            return True
        self.outcomes.flush()  # rows already done are no longer held
        until = now + LEASE
        held = outbox.renew(self.name, list(batch.occurrences), now, until)
        for occurrence_id in list(batch.occurrences):
            if occurrence_id in held:
                batch.occurrences[occurrence_id].claimed_until = until
            else:
                del batch.occurrences[occurrence_id]  # done, released, or another worker's now
        return occurrence.id in held

    def _record_pushes(self) -> None:
        """Note when each subscription last got a push: once per batch, it is only shown to people."""
        pushed_to, self._pushed_to = self._pushed_to, {}
        if pushed_to:
            PushSubscription.objects.filter(pk__in=list(pushed_to)).update(last_sent_at=max(pushed_to.values()))

    def _delivery(self, channel: str, target_id: int, target: str, outcome: channels.Outcome) -> dict:
        return {"channel": channel, "target_id": target_id, "target": target[:120], "result": outcome.result.value,
                "error": outcome.error, "at": self.clock().isoformat()}

    def _settle(self, occurrence: Occurrence, results: list, deliveries: list[dict]) -> bool:
        now = self.clock()
        attempts = occurrence.attempts + 1
        if channels.Result.RETRY in results and attempts <= len(BACKOFF):
            retry_at = now + BACKOFF[attempts - 1]
            if retry_at - occurrence.due_at <= MISSED_AFTER:
                self.outcomes.add(occurrence, status=Occurrence.Status.PENDING, next_attempt_at=retry_at,
                                  attempts=attempts, deliveries=deliveries,
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
        self.outcomes.add(occurrence, status=status, attempts=attempts, deliveries=deliveries,
                          sent_at=now if status == Occurrence.Status.SENT else None)
        return True

    def _finish(self, occurrence: Occurrence, status: str) -> bool:
        self.outcomes.add(occurrence, status=status)
        return True

    def send_step(self) -> bool:
        """Claim a batch and handle it; stop early (releasing the rest) when asked to stop."""
        ids = self.claim()
        if not ids:
            return False
        # Made, if it must be, before commits stop waiting for the disk; read once per worker, as
        # the key never changes once made (vapid.py).
        key = self._vapid_key = self._vapid_key or vapid()
        batch = None
        with outbox.commits_without_waiting_for_the_disk():
            try:
                for index, occurrence_id in enumerate(ids):
                    if self.stopping.is_set():
                        self.release(ids[index:])
                        break
                    try:
                        if self.outcomes.overdue():
                            self.outcomes.flush()
                        if batch is None or batch.is_stale():
                            batch = self.read_batch(ids[index:], key)
                        self.handle_one(occurrence_id, batch)
                    except Exception:  # noqa: BLE001 - one broken row must not stop everyone's reminders
                        log.exception("reminder occurrence %s could not be handled", occurrence_id)
                        self.release([occurrence_id])
            finally:
                self.outcomes.flush()
                self._record_pushes()
        return True

    def retention_step(self, force: bool = False) -> bool:
        """Delete what is no longer needed (knipa.reminders.retention), hourly; a pass that found a
        full batch comes back at the next turn of the loop."""
        now = self.clock()
        if not force and self._retained_at is not None and now - self._retained_at < RETENTION_EVERY:
            return False
        deleted, more = retention.sweep(now)
        self._retained_at = None if more else now
        return deleted > 0

    def step(self) -> bool:
        planned = self.plan_step()
        sent = self.send_step()
        reviewed = self.review_step()
        retained = self.retention_step()
        return planned or sent or reviewed or retained

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


class SnoozeOutcome(StrEnum):
    SNOOZED = "snoozed"
    ALREADY_SNOOZED = "already_snoozed"
    NOT_SNOOZABLE = "not_snoozable"  # unknown, made up, or more than SNOOZE_WITHIN after it was due


@dataclass(frozen=True)
class Snooze:
    outcome: SnoozeOutcome
    later: Occurrence | None = None  # the reminder to come, when snoozed
    language: str = ""  # the person's, when the token was theirs: the answer is for them


def snooze(token: str, now: datetime | None = None) -> Snooze:
    """Remind again in 30 minutes, from a notification's button. Each token works once: the
    press spends it and writes down the reminder to come in one transaction."""
    if not isinstance(token, str) or not SNOOZE_TOKEN_SHAPE.fullmatch(token):
        return Snooze(SnoozeOutcome.NOT_SNOOZABLE)
    original = (Occurrence.objects.select_related("profile")
                .only("id", "profile_id", "slot", "due_at", "snooze_token", "profile__language")
                .filter(snooze_token__in=[token, SPENT + token]).first())
    if original is None:
        return Snooze(SnoozeOutcome.NOT_SNOOZABLE)
    language = original.profile.language or ""
    if original.snooze_token != token:
        return Snooze(SnoozeOutcome.ALREADY_SNOOZED, language=language)
    now = now or timezone.now()
    if now - original.due_at > SNOOZE_WITHIN:
        return Snooze(SnoozeOutcome.NOT_SNOOZABLE, language=language)
    due = (now + SNOOZE).replace(second=0, microsecond=0)
    with transaction.atomic():
        # Of two presses at once (two devices showing the same reminder), only the one whose
        # UPDATE still finds the token unspent snoozes; the other is told it already is.
        if not Occurrence.objects.filter(pk=original.pk, snooze_token=token).update(snooze_token=SPENT + token):
            return Snooze(SnoozeOutcome.ALREADY_SNOOZED, language=language)
        later, _created = Occurrence.objects.get_or_create(
            profile_id=original.profile_id, slot=original.slot, due_at=due,
            defaults={"snoozed": True, "next_attempt_at": due},
        )
    # Pressed in a notification, logged in or not: the reminders page shows the snoozed reminder.
    move_version_on(original.profile_id)
    return Snooze(SnoozeOutcome.SNOOZED, later, language)
