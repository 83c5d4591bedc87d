"""The dispatcher, step by step, against a real push service on loopback and a frozen clock (spec
H1): planned first, sent once, not after the person has trained, missed when too late, retried when
the service is busy, across both daylight-saving changes. E-mail, through a real local SMTP
server: tests/reminders/test_email_reminders.py."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knipa.reminders.dispatcher import LEASE, Dispatcher, SnoozeOutcome, snooze
from knipa.reminders.models import Occurrence, PushSubscription, ReminderSettings
from knipa.reminders.vapid import vapid
from knipa.training import plans
from knipa.training.models import TrainingRound
from tests.conftest import make_person
from tests.reminders.push_service import PushService

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")


class Clock:
    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta) -> None:
        self.at += timedelta(**delta)


@pytest.fixture
def push_service():
    with PushService() as service:
        yield service


def person_with_push(push_service, name="ada", times=("08:00",), language="sv", **settings):
    profile = make_person(name, language=language)
    values = {"times": list(times), "weekdays": list(range(7)), "by_push": True, **settings}
    ReminderSettings.objects.create(profile=profile, **values)
    browser = push_service.new_browser(name)
    PushSubscription.objects.create(profile=profile, endpoint=browser.endpoint, p256dh=browser.p256dh,
                                    auth=browser.auth, label="Test browser")
    # One round a day, every day: the plan's rhythm the reminders follow.
    plans.set_numbers(profile, {**plans.current_plan(profile).parameters.as_dict(), "rounds_per_day": 1})
    return profile


MORNING = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)  # before the 08:00 (07:00 UTC) reminders


def planned(profile, at: datetime = MORNING):
    """The worker has planned ahead, as it does every half minute."""
    Dispatcher(clock=Clock(at)).plan_step(force=True)
    return profile


def run_until_idle(dispatcher: Dispatcher) -> None:
    dispatcher.plan_step(force=True)
    while dispatcher.send_step():
        pass


def test_occurrences_are_written_down_before_they_are_due_and_only_once(push_service):
    profile = person_with_push(push_service)
    clock = Clock(datetime(2026, 12, 1, 5, 0, tzinfo=UTC))
    Dispatcher(clock=clock).plan_step(force=True)
    Dispatcher(clock=clock).plan_step(force=True)
    due = list(Occurrence.objects.filter(profile=profile).order_by("due_at").values_list("due_at", flat=True))
    # 08:00 in Stockholm (UTC+1) on the 1st and the 2nd, within the 36-hour horizon.
    assert due == [datetime(2026, 12, 1, 7, 0, tzinfo=UTC), datetime(2026, 12, 2, 7, 0, tzinfo=UTC)]
    assert push_service.payloads() == []  # nothing is sent before it is due


@pytest.mark.parametrize(("language", "title"), [("sv", "Dags för knipträning"), ("en", "Time for your pelvic floor round")])
def test_a_due_reminder_arrives_signed_encrypted_and_in_the_persons_language(push_service, language, title):
    profile = planned(person_with_push(push_service, language=language))
    clock = Clock(datetime(2026, 12, 1, 7, 0, 5, tzinfo=UTC))
    run_until_idle(Dispatcher(clock=clock))
    assert push_service.problems() == []
    [payload] = push_service.payloads(profile.user.username)
    assert payload["title"] == title
    assert payload["url"] == "/train/"
    assert payload["lang"] == language
    occurrence = Occurrence.objects.get(profile=profile, due_at=datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
    assert occurrence.status == Occurrence.Status.SENT
    assert occurrence.deliveries[-1]["result"] == "delivered"


def test_no_reminder_after_the_round_is_already_done(push_service):
    profile = planned(person_with_push(push_service))
    started = datetime(2026, 12, 1, 6, 30, tzinfo=UTC)  # 07:30 in Stockholm, before the 08:00 reminder
    TrainingRound.objects.create(id=uuid.uuid4(), profile=profile, stage="learning", position="lying",
                                 status="finished", started_at=started, ended_at=started + timedelta(minutes=4))
    run_until_idle(Dispatcher(clock=Clock(datetime(2026, 12, 1, 7, 0, 5, tzinfo=UTC))))
    assert push_service.payloads() == []
    assert Occurrence.objects.get(profile=profile, due_at__day=1).status == Occurrence.Status.SKIPPED


def test_a_reminder_more_than_thirty_minutes_late_is_marked_missed_not_sent(push_service):
    profile = person_with_push(push_service)
    clock = Clock(datetime(2026, 12, 1, 5, 0, tzinfo=UTC))
    Dispatcher(clock=clock).plan_step(force=True)
    clock.at = datetime(2026, 12, 1, 7, 31, tzinfo=UTC)
    run_until_idle(Dispatcher(clock=clock))
    assert push_service.payloads() == []
    assert Occurrence.objects.get(profile=profile, due_at__day=1).status == Occurrence.Status.MISSED


def test_a_busy_push_service_is_tried_again_after_a_pause(push_service):
    profile = planned(person_with_push(push_service))
    push_service.respond_with(profile.user.username, 503)
    clock = Clock(datetime(2026, 12, 1, 7, 0, 5, tzinfo=UTC))
    dispatcher = Dispatcher(clock=clock)
    run_until_idle(dispatcher)
    occurrence = Occurrence.objects.get(profile=profile, due_at__day=1)
    assert occurrence.status == Occurrence.Status.PENDING
    assert occurrence.deliveries[-1]["result"] == "retry"
    assert "busy" in occurrence.deliveries[-1]["error"] or "upptagen" in occurrence.deliveries[-1]["error"]
    clock.advance(seconds=29)
    run_until_idle(dispatcher)
    assert push_service.payloads() == []  # not before the pause is over
    clock.advance(seconds=2)
    run_until_idle(dispatcher)
    assert len(push_service.payloads()) == 1
    assert Occurrence.objects.get(pk=occurrence.pk).status == Occurrence.Status.SENT


def test_a_subscription_the_push_service_calls_gone_is_removed(push_service):
    profile = planned(person_with_push(push_service))
    push_service.respond_with(profile.user.username, 410)
    run_until_idle(Dispatcher(clock=Clock(datetime(2026, 12, 1, 7, 0, 5, tzinfo=UTC))))
    assert not PushSubscription.objects.filter(profile=profile).exists()
    occurrence = Occurrence.objects.get(profile=profile, due_at__day=1)
    assert occurrence.status == Occurrence.Status.FAILED
    assert occurrence.deliveries[-1]["result"] == "gone"


def test_paused_reminders_are_neither_planned_nor_sent(push_service):
    profile = person_with_push(push_service, paused=True)
    run_until_idle(Dispatcher(clock=Clock(datetime(2026, 12, 1, 7, 0, 5, tzinfo=UTC))))
    assert not Occurrence.objects.filter(profile=profile).exists()
    assert push_service.payloads() == []


def test_a_worker_that_dies_holding_a_claim_loses_nothing_another_sends_it_after_the_lease(push_service):
    planned(person_with_push(push_service))
    clock = Clock(datetime(2026, 12, 1, 7, 0, 5, tzinfo=UTC))
    doomed = Dispatcher(name="doomed", clock=clock)
    doomed.plan_step(force=True)
    claimed = doomed.claim()
    # It died holding the claim, perhaps after a push it had no time to write down.
    survivor = Dispatcher(name="survivor", clock=clock)
    assert survivor.claim() == []  # held by the lease
    clock.advance(seconds=LEASE.total_seconds() + 1)
    run_until_idle(survivor)
    [payload] = push_service.payloads()
    assert Occurrence.objects.get(id=claimed[0]).status == Occurrence.Status.SENT
    # Resent with a topic, so a push service would replace a copy it still held (RFC 8030).
    assert push_service.received[-1].headers["topic"] == f"knipa-{claimed[0]}"
    assert payload["tag"] == f"knipa-{claimed[0]}"
    assert doomed.handle_one(claimed[0]) is False  # the dead worker's lease is no longer its


def test_a_batch_held_up_renews_its_lease_before_sending_on_one_about_to_run_out(push_service):
    people = [planned(person_with_push(push_service, name=f"slow{i}")) for i in range(2)]
    clock = Clock(datetime(2026, 12, 1, 7, 0, 5, tzinfo=UTC))
    dispatcher = Dispatcher(clock=clock)
    first, second = dispatcher.claim()
    batch = dispatcher.read_batch([first, second])
    clock.advance(seconds=LEASE.total_seconds() * 0.6)  # slow push services: less than half is left
    assert dispatcher.handle_one(first, batch) is True
    # Renewed for the whole batch at once, so the second row is safe for a full lease again.
    assert Occurrence.objects.get(id=second).claimed_until == clock() + LEASE
    assert dispatcher.handle_one(second, batch) is True
    dispatcher.outcomes.flush()  # as the batch's end does
    assert len(push_service.payloads()) == 2
    assert set(Occurrence.objects.filter(profile__in=people, due_at__day=1)
               .values_list("status", flat=True)) == {Occurrence.Status.SENT}


def test_a_worker_whose_lease_ran_out_leaves_the_row_to_the_worker_that_took_it_over(push_service):
    planned(person_with_push(push_service))
    clock = Clock(datetime(2026, 12, 1, 7, 0, 5, tzinfo=UTC))
    stalled = Dispatcher(name="stalled", clock=clock)
    [claimed] = stalled.claim()
    batch = stalled.read_batch([claimed])
    clock.advance(seconds=LEASE.total_seconds() + 1)
    other = Dispatcher(name="other", clock=clock)
    assert other.claim() == [claimed]
    assert stalled.handle_one(claimed, batch) is False  # it would send on a lease that is gone
    assert push_service.payloads() == []
    assert Occurrence.objects.get(id=claimed).claimed_by == "other"
    assert other.handle_one(claimed) is True
    assert len(push_service.payloads()) == 1


def test_stopping_mid_batch_releases_the_rest_of_the_claim(push_service):
    people = [planned(person_with_push(push_service, name=f"p{i}")) for i in range(3)]
    clock = Clock(datetime(2026, 12, 1, 7, 0, 5, tzinfo=UTC))
    dispatcher = Dispatcher(clock=clock)
    dispatcher.plan_step(force=True)
    dispatcher.stop()
    dispatcher.send_step()
    assert push_service.payloads() == []
    due = Occurrence.objects.filter(profile__in=people, due_at__day=1)
    assert set(due.values_list("claimed_by", flat=True)) == {""}
    run_until_idle(Dispatcher(clock=clock))
    assert len(push_service.payloads()) == 3


def test_a_batch_costs_the_same_few_reads_however_many_it_holds_and_one_write_per_ten_reminders(push_service):
    morning = [planned(person_with_push(push_service, name=f"m{i}", times=("08:00",))) for i in range(3)]
    later = [planned(person_with_push(push_service, name=f"l{i}", times=("09:00",))) for i in range(12)]
    vapid()  # made once, before counting
    clock = Clock(datetime(2026, 12, 1, 7, 0, 5, tzinfo=UTC))
    counts = []
    for people in (morning, later):
        with CaptureQueriesContext(connection) as queries:
            Dispatcher(clock=clock).send_step()
        counts.append(len(queries))
        clock.advance(hours=1)
    assert len(push_service.payloads()) == len(morning) + len(later)
    assert set(Occurrence.objects.filter(due_at__day=1).values_list("status", flat=True)) == {Occurrence.Status.SENT}
    # The batch's settings, subscriptions, rounds and people are read once for all of them, and
    # the outcomes are written ten at a time: 3 reminders take one write, 12 take two (each write
    # followed by one statement that marks those people's kept reminders pages out of date).
    assert counts[1] - counts[0] == 2
    writes = [q["sql"] for q in queries.captured_queries if "times: UPDATE" in q["sql"]]
    assert [write.split(" ")[0] for write in writes] == ["10", "2"]


@pytest.mark.parametrize(("night", "expected_local"), [
    (datetime(2026, 3, 28, 23, 0, tzinfo=UTC), "03:00"),  # clocks go forward: 02:30 does not exist
    (datetime(2026, 10, 24, 22, 0, tzinfo=UTC), "02:30"),  # clocks go back: 02:30 happens twice
])
def test_a_0230_reminder_fires_once_on_both_daylight_saving_nights(push_service, night, expected_local):
    profile = person_with_push(push_service, times=("02:30",))
    clock = Clock(night)
    dispatcher = Dispatcher(clock=clock)
    for _minute in range(0, 6 * 60, 5):  # the whole night, five minutes at a time
        run_until_idle(dispatcher)
        clock.advance(minutes=5)
    sent = Occurrence.objects.filter(profile=profile, status=Occurrence.Status.SENT)
    assert len(push_service.payloads()) == 1
    assert [o.due_at.astimezone(STOCKHOLM).strftime("%H:%M") for o in sent] == [expected_local]


def test_the_reminders_follow_the_plan_when_it_trains_on_fewer_days(push_service):  # E1
    profile = person_with_push(push_service)
    clock = Clock(datetime(2026, 11, 30, 5, 0, tzinfo=UTC))  # a Monday
    Dispatcher(clock=clock).plan_step(force=True)
    assert Occurrence.objects.filter(profile=profile).count() == 2
    numbers = {**plans.current_plan(profile).parameters.as_dict(), "days_per_week": 3}
    plans.change_by_person(profile, lambda state, now: __import__("knipa.program.plan", fromlist=["x"])
                           .set_parameters(state, numbers, now), now=clock())
    assert Occurrence.objects.filter(profile=profile, status="pending").count() == 0  # withdrawn
    Dispatcher(clock=clock).plan_step(force=True)
    days = {o.due_at.astimezone(STOCKHOLM).weekday() for o in Occurrence.objects.filter(profile=profile)}
    assert days == {0}  # Monday and Wednesday are the suggested days; only Monday is within 36 hours


def test_snoozing_sends_the_reminder_again_thirty_minutes_later(push_service):
    profile = planned(person_with_push(push_service))
    clock = Clock(datetime(2026, 12, 1, 7, 0, 5, tzinfo=UTC))
    dispatcher = Dispatcher(clock=clock)
    run_until_idle(dispatcher)
    [first] = push_service.payloads()
    again = snooze(first["snooze"], now=clock())
    assert again.outcome is SnoozeOutcome.SNOOZED
    assert again.later.snoozed and again.later.profile_id == profile.pk
    clock.advance(minutes=30)
    run_until_idle(dispatcher)
    payloads = push_service.payloads()
    assert len(payloads) == 2
    # The snoozed reminder comes with a token of its own; the first one's is spent.
    assert payloads[1]["snooze"] and payloads[1]["snooze"] != first["snooze"]
    assert snooze(first["snooze"], now=clock()).outcome is SnoozeOutcome.ALREADY_SNOOZED
    assert snooze("forged-token", now=clock()).outcome is SnoozeOutcome.NOT_SNOOZABLE


