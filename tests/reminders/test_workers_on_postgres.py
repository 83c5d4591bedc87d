"""Several `knipa worker` processes sharing one PostgreSQL, as a region runs them.

Real processes, a real push service on loopback that checks VAPID and decrypts, a real kill: one
worker is killed with SIGKILL in the middle of a batch, and still every reminder arrives, and the
person sees each once (the row it was sending is sent again with the same Topic and tag). Two
workers started at once on the same due rows never send one twice. SIGTERM stops a worker
cleanly. Only on PostgreSQL: claiming rests on its row locks (FOR UPDATE SKIP LOCKED).
"""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import threading
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from knipa.accounts.models import Profile
from knipa.reminders.models import Occurrence, PushSubscription, ReminderSettings
from knipa.reminders.outbox import OUTCOMES_PER_WRITE
from knipa.training import plans
from tests.reminders.push_service import PushService

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 3
START_TIMEOUT_S = 60
FINISH_TIMEOUT_S = 120
STOP_TIMEOUT_S = 5


@pytest.fixture
def postgres(transactional_db):
    # Committed data (transactional_db), so that the worker processes see it.
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set KNIPA_DATABASE_URL): several worker processes claim rows with "
                    "FOR UPDATE SKIP LOCKED, which SQLite does not have")


def people_with_due_reminders(service: PushService, count: int) -> list[Occurrence]:
    """`count` people, each with push reminders, one browser and one occurrence due a moment ago."""
    now = timezone.now()
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"person{i}", password="!") for i in range(count))
    profiles = Profile.objects.bulk_create(
        Profile(user=user, language="en" if i % 2 else "sv", time_zone="Europe/Stockholm", onboarded_at=now)
        for i, user in enumerate(users))
    # Planned far ahead, so that the workers only send what is written here.
    ReminderSettings.objects.bulk_create(
        ReminderSettings(profile=profile, times=["08:00"], weekdays=list(range(7)), by_push=True,
                         planned_until=now + timedelta(days=30))
        for profile in profiles)
    browsers = [service.new_browser(f"person{i}") for i in range(count)]
    PushSubscription.objects.bulk_create(
        PushSubscription(profile=profile, endpoint=browser.endpoint, p256dh=browser.p256dh, auth=browser.auth,
                         label="Test browser")
        for profile, browser in zip(profiles, browsers, strict=True))
    # Plans just reviewed, so that the workers' periodic plan pass has nothing to do and every
    # worker is free to send from the start.
    for profile in profiles:
        plans.refresh(profile, now)
    due = now - timedelta(seconds=5)
    return Occurrence.objects.bulk_create(
        Occurrence(profile=profile, slot=0, due_at=due, next_attempt_at=due) for profile in profiles)


def worker_env(data_dir: Path) -> dict:
    """The worker processes use the test database, not the one the settings name."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "postgres") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    url = f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'])}"
    return {**os.environ, "KNIPA_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "knipa.settings",
            "KNIPA_DATA_DIR": str(data_dir), "KNIPA_WORKER_LEASE_SECONDS": str(LEASE_SECONDS)}


def start_workers(names: list[str], env: dict, logs: Path) -> dict[str, subprocess.Popen]:
    workers = {}
    for name in names:
        with open(logs / f"{name}.log", "w") as log:  # the child keeps its own descriptor
            workers[name] = subprocess.Popen(
                [sys.executable, "-m", "knipa.cli", "worker", "--batch", "20", "--poll", "0.2", "--name", name],
                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
    for name, worker in workers.items():
        line = worker.stdout.readline()
        assert "started" in line, f"worker {name} did not start: {line!r}; {(logs / f'{name}.log').read_text()}"
    return workers


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.05)


def claimed_by(name: str) -> int:
    return Occurrence.objects.filter(claimed_by=name).count()


def all_final() -> bool:
    return not Occurrence.objects.filter(status=Occurrence.Status.PENDING).exists()


def stop_all(workers: dict[str, subprocess.Popen]) -> None:
    for worker in workers.values():
        if worker.poll() is None:
            worker.kill()
            worker.wait()


def test_a_worker_killed_mid_batch_loses_nothing_and_nobody_sees_a_reminder_twice(postgres, tmp_path):
    with PushService(delay=0.03) as service:
        occurrences = people_with_due_reminders(service, 300)
        workers = start_workers(["w1", "w2", "w3"], worker_env(tmp_path), tmp_path)
        try:
            wait_until(lambda: len(service.received) >= 30 and claimed_by("w1") >= 5, START_TIMEOUT_S,
                       "some pushes have arrived and w1 is in the middle of a batch")
            workers["w1"].send_signal(signal.SIGKILL)
            workers["w1"].wait()
            held = claimed_by("w1")  # left to the others when the lease ends
            assert held > 0
            wait_until(all_final, FINISH_TIMEOUT_S, "every occurrence is sent")
            for worker in ("w2", "w3"):
                workers[worker].send_signal(signal.SIGTERM)
            for worker in ("w2", "w3"):
                assert workers[worker].wait(STOP_TIMEOUT_S) == 0
        finally:
            stop_all(workers)
        assert service.problems() == []
        assert set(Occurrence.objects.values_list("status", flat=True)) == {Occurrence.Status.SENT}
        received = list(service.received)

    # What each person's browser shows: one notification per tag, and the push service keeps one
    # undelivered message per Topic. Every repeat must carry the occurrence's own Topic and tag.
    shown = collections.defaultdict(set)
    for message in received:
        shown[message.browser_id].add((message.headers.get("topic"), message.payload["tag"]))
    expected = {f"person{i}": {(f"knipa-{o.pk}", f"knipa-{o.pk}")} for i, o in enumerate(occurrences)}
    lost = [browser for browser in expected if browser not in shown]
    seen_twice = [browser for browser, tags in shown.items() if len(tags) > 1]
    raw_duplicates = len(received) - len(shown)
    print(f"\nkilled w1 holding {held} claimed rows; {len(received)} pushes for {len(occurrences)} reminders: "
          f"{len(lost)} lost, {len(seen_twice)} shown twice, {raw_duplicates} sent twice (same Topic and tag)")
    assert lost == []
    assert seen_twice == []
    assert dict(shown) == expected
    # At most the reminders w1 had sent but not yet written down (they are written ten at a time).
    assert raw_duplicates <= OUTCOMES_PER_WRITE


def test_two_workers_started_at_once_never_send_a_reminder_twice(postgres, tmp_path):
    with PushService(delay=0.01) as service:
        occurrences = people_with_due_reminders(service, 200)
        # Not due until both workers are up, so that one cannot drain them before the other starts.
        Occurrence.objects.update(next_attempt_at=timezone.now() + timedelta(days=1))
        workers = start_workers(["a", "b"], worker_env(tmp_path), tmp_path)
        Occurrence.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=5))
        try:
            wait_until(all_final, FINISH_TIMEOUT_S, "every occurrence is sent")
            for worker in workers.values():
                worker.send_signal(signal.SIGTERM)
            for worker in workers.values():
                assert worker.wait(STOP_TIMEOUT_S) == 0
        finally:
            stop_all(workers)
        assert service.problems() == []
        received = list(service.received)
    per_browser = collections.Counter(message.browser_id for message in received)
    assert sorted(per_browser) == sorted(f"person{i}" for i in range(len(occurrences)))
    assert set(per_browser.values()) == {1}
    assert len({message.peer for message in received}) >= 2  # both workers did send


def test_a_plan_another_worker_is_reviewing_is_left_to_it(postgres):
    """The periodic plan pass skips a person whose row another worker holds (SKIP LOCKED)."""
    now = timezone.now()
    user = get_user_model().objects.create(username="held", password="!")
    held = Profile.objects.create(user=user, language="sv", time_zone="Europe/Stockholm", onboarded_at=now)
    user = get_user_model().objects.create(username="free", password="!")
    free = Profile.objects.create(user=user, language="sv", time_zone="Europe/Stockholm", onboarded_at=now)
    locked, release = threading.Event(), threading.Event()

    def other_worker():  # its own thread, so its own database connection
        from django.db import connection as own, transaction

        try:
            with transaction.atomic():
                Profile.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(10)
        finally:
            own.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(10)
        assert plans.review_due_plans(now) == 2  # both were due; one is left to the other worker
    finally:
        release.set()
        thread.join()
    from knipa.training.models import Plan

    assert Plan.objects.filter(profile=free).exists()
    assert not Plan.objects.filter(profile=held).exists()


def test_two_presses_of_one_snooze_button_at_once_snooze_once(postgres):
    """Two devices showing the same reminder, both pressed at once: both read the token while it
    is unspent, and still only one snoozes; the other is told it already is (issue 13, item 7)."""
    from django.db import transaction

    from knipa.reminders.dispatcher import SnoozeOutcome, snooze

    now = timezone.now()
    user = get_user_model().objects.create(username="two-devices", password="!")
    profile = Profile.objects.create(user=user, language="sv", time_zone="Europe/Stockholm", onboarded_at=now)
    sent = Occurrence.objects.create(profile=profile, slot=0, due_at=now - timedelta(minutes=1),
                                     next_attempt_at=now, status=Occurrence.Status.SENT)
    outcomes = []

    def press():  # its own thread, so its own database connection
        from django.db import connection as own

        try:
            outcomes.append(snooze(sent.snooze_token).outcome)
        finally:
            own.close()

    presses = [threading.Thread(target=press) for _ in range(2)]
    with transaction.atomic():
        # Hold the row, so that both presses get past reading the token and wait at spending it.
        Occurrence.objects.select_for_update().get(pk=sent.pk)
        for thread in presses:
            thread.start()
        with connection.cursor() as cursor:
            def both_waiting() -> bool:
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                return cursor.fetchone()[0] >= 2

            wait_until(both_waiting, 10, "both presses wait for the row")
    for thread in presses:
        thread.join(10)
    assert sorted(outcomes) == sorted([SnoozeOutcome.SNOOZED, SnoozeOutcome.ALREADY_SNOOZED])
    assert Occurrence.objects.filter(profile=profile, snoozed=True).count() == 1
