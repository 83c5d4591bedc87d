"""Retention (review finding 9): the worker's hourly pass deletes exactly what nobody can use any more
(expired sessions, browser-only profiles whose browser is gone or that nobody used for
KNIPA_ANONYMOUS_PROFILE_DAYS), a browser-only profile left behind by logging into an account goes at
that login, and nothing a person still uses is touched."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from knipa.accounts.models import Profile
from knipa.outcomes.models import Leak
from knipa.reminders import retention
from knipa.reminders.dispatcher import RETENTION_EVERY, Dispatcher
from knipa.sessions.models import Session
from knipa.training.models import TrainingRound
from tests.conftest import PASSWORD, make_person
from tests.training.test_rounds_api import a_round, post_round

pytestmark = pytest.mark.django_db


def started_in_a_browser() -> tuple[Client, Profile]:
    client = Client()
    client.post(reverse("accounts:begin"))
    return client, Profile.objects.get(user_id=client.session["_auth_user_id"])


def age(profile: Profile, days: float = 0, active_days_ago: float | None = None) -> None:
    """Make the profile `days` old and last active `active_days_ago` (default: when it was made)."""
    made = timezone.now() - timedelta(days=days)
    active = timezone.now() - timedelta(days=active_days_ago if active_days_ago is not None else days)
    Profile.objects.filter(pk=profile.pk).update(created_at=made, last_active_at=active)


def exists(profile: Profile) -> bool:
    return Profile.objects.filter(pk=profile.pk).exists()


def test_logging_into_an_account_deletes_the_browser_profile_left_behind_at_once(owner):
    client, left_behind = started_in_a_browser()
    Leak.objects.create(profile=left_behind, at=timezone.now(), situation="cough")
    response = client.post(reverse("accounts:login"), {"username": "owner", "password": PASSWORD})
    assert response.status_code == 302
    assert not exists(left_behind)
    assert not get_user_model().objects.filter(pk=left_behind.user_id).exists()
    assert not Leak.objects.filter(profile_id=left_behind.pk).exists()
    assert exists(owner) and client.get(reverse("today:home")).status_code == 200


def test_logging_into_another_account_from_a_secured_one_deletes_nothing(owner, stranger, client_factory):
    client = client_factory(stranger.user)
    client.post(reverse("accounts:login"), {"username": "owner", "password": PASSWORD})
    assert exists(stranger) and exists(owner)


def test_the_pass_deletes_browser_profiles_nobody_can_open_or_uses_and_keeps_the_rest(owner, settings):
    settings.ANONYMOUS_PROFILE_DAYS = 90
    in_use_client, in_use = started_in_a_browser()
    age(in_use, days=200, active_days_ago=3)
    unused_client, unused = started_in_a_browser()
    age(unused, days=200, active_days_ago=91)
    logged_out_client, logged_out = started_in_a_browser()
    logged_out_client.post(reverse("accounts:logout"))
    age(logged_out, days=1, active_days_ago=0)
    just_made = make_person("just-made", secured=False)  # its session not saved yet
    just_made.user.set_unusable_password()
    just_made.user.save()
    secured_quiet = make_person("quiet", last_active_at=timezone.now() - timedelta(days=900))
    age(secured_quiet, days=1000, active_days_ago=900)
    TrainingRound.objects.create(profile=unused, stage="learning", position="lying", status="finished",
                                 started_at=timezone.now(), ended_at=timezone.now())

    deleted, more = retention.sweep(timezone.now())

    assert not exists(unused) and not exists(logged_out)
    assert exists(in_use) and exists(just_made) and exists(secured_quiet) and exists(owner)
    assert deleted == 2 and not more
    assert not TrainingRound.objects.filter(profile_id=unused.pk).exists()
    assert not Session.objects.filter(user_id=unused.user_id).exists()
    assert in_use_client.get(reverse("accounts:account")).status_code == 200
    assert unused_client.get(reverse("accounts:account"))["Location"].split("?")[0] == reverse("accounts:login")


def test_the_period_follows_the_setting(settings):
    _client, profile = started_in_a_browser()
    age(profile, days=40, active_days_ago=31)
    settings.ANONYMOUS_PROFILE_DAYS = 60
    retention.sweep(timezone.now())
    assert exists(profile)
    settings.ANONYMOUS_PROFILE_DAYS = 30
    retention.sweep(timezone.now())
    assert not exists(profile)


def test_expired_sessions_go_and_live_ones_stay(owner_client):
    Session.objects.create(session_key="e" * 32, session_data="", expire_date=timezone.now() - timedelta(seconds=1))
    retention.sweep(timezone.now())
    assert not Session.objects.filter(session_key="e" * 32).exists()
    assert Session.objects.filter(session_key=owner_client.session.session_key).exists()


def test_page_views_do_not_count_as_use_but_writes_do(client_factory):
    client, profile = started_in_a_browser()
    for step, data in (("body", {"body": "vagina"}), ("goals", {"goals": ["prevent"]}),
                       ("safety", {"pain": "no", "recent_event": "none", "pregnant": "no"}),
                       ("time-zone", {"time_zone": "Europe/Stockholm"})):
        client.post(reverse("accounts:onboarding", args=[step]), data)
    age(profile, days=100, active_days_ago=95)
    for name in ("today:home", "training:history", "outcomes:progress", "training:plan"):
        assert client.get(reverse(name)).status_code == 200
    assert Profile.objects.get(pk=profile.pk).last_active_at < timezone.now() - timedelta(days=94)
    assert post_round(client, a_round()).status_code == 201
    assert Profile.objects.get(pk=profile.pk).last_active_at > timezone.now() - timedelta(minutes=1)
    retention.sweep(timezone.now())
    assert exists(profile)


def test_the_worker_runs_the_pass_hourly_and_again_at_once_while_batches_are_full(monkeypatch):
    now = timezone.now()
    clock = [now]
    dispatcher = Dispatcher(name="test-retention", clock=lambda: clock[0])
    results = [(retention.SESSION_BATCH, True), (3, False), (0, False)]
    passes = []
    monkeypatch.setattr(retention, "sweep", lambda at: passes.append(at) or results[len(passes) - 1])
    assert dispatcher.retention_step() is True  # a full batch: more waiting
    assert dispatcher.retention_step() is True  # so it came back at once
    assert dispatcher.retention_step() is False  # within the hour: not yet
    clock[0] = now + RETENTION_EVERY
    assert dispatcher.retention_step() is False  # the hour is up: a pass that found nothing
    assert len(passes) == 3


def test_failed_logins_expired_links_and_old_reminders_go_and_what_still_counts_stays(owner):
    from axes.models import AccessAttempt

    from knipa.accounts.models import EmailConfirmation
    from knipa.reminders.models import Occurrence

    now = timezone.now()
    old_attempt = AccessAttempt.objects.create(username="owner", ip_address="192.0.2.1", user_agent="x",
                                               failures_since_start=5, attempt_time=now)
    AccessAttempt.objects.filter(pk=old_attempt.pk).update(attempt_time=now - timedelta(days=2))
    fresh_attempt = AccessAttempt.objects.create(username="owner", ip_address="192.0.2.2", user_agent="x",
                                                 failures_since_start=5, attempt_time=now)
    expired = EmailConfirmation.objects.create(user=owner.user, address="a@example.org", token_digest="1" * 64,
                                               sent_at=now - timedelta(days=4))
    valid = EmailConfirmation.objects.create(user=owner.user, address="a@example.org", token_digest="2" * 64,
                                             sent_at=now - timedelta(days=1))
    long_ago = now - timedelta(days=retention.REMINDER_HISTORY_DAYS + 1)
    old_sent = Occurrence.objects.create(profile=owner, slot=0, due_at=long_ago, next_attempt_at=long_ago, status="sent")
    old_waiting = Occurrence.objects.create(profile=owner, slot=1, due_at=long_ago, next_attempt_at=long_ago)
    recent = Occurrence.objects.create(profile=owner, slot=0, due_at=now - timedelta(days=3),
                                       next_attempt_at=now, status="sent")

    retention.sweep(now)

    assert not AccessAttempt.objects.filter(pk=old_attempt.pk).exists()
    assert AccessAttempt.objects.filter(pk=fresh_attempt.pk).exists()  # it may still lock someone out
    assert set(EmailConfirmation.objects.values_list("pk", flat=True)) == {valid.pk}
    assert not Occurrence.objects.filter(pk=old_sent.pk).exists()
    assert set(Occurrence.objects.values_list("pk", flat=True)) == {old_waiting.pk, recent.pk}
    assert expired.pk not in set(EmailConfirmation.objects.values_list("pk", flat=True))
