"""Nobody can lock a person out of their own profile (security review, issue 13, finding 2).

Login throttling (django-axes) counts wrong passwords per username and client address. The address
is REMOTE_ADDR, the client's own (behind nginx Waitress sets it from the trusted proxy's
X-Forwarded-For: tests/hosting/test_behind_nginx.py), so a stranger guessing from elsewhere locks
only their own pair; and guesses made during a lockout do not make it last longer.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

PERSON, STRANGER = "127.0.0.1", "127.0.0.2"


def log_in(client: Client, password: str, **headers) -> int:
    return client.post(reverse("accounts:login"), {"username": "owner", "password": password}, **headers).status_code


def time_passes(minutes: int) -> None:
    """The failed attempts happened `minutes` earlier: the lockout is reckoned from their time."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


@pytest.fixture
def locked_stranger(owner, settings) -> Client:
    stranger = Client(REMOTE_ADDR=STRANGER)
    answers = [log_in(stranger, f"guess {attempt}") for attempt in range(settings.AXES_FAILURE_LIMIT)]
    assert answers[-1] == 429 and set(answers[:-1]) == {200}
    return stranger


def test_a_stranger_guessing_from_another_address_does_not_lock_the_person_out(locked_stranger):
    assert log_in(locked_stranger, PASSWORD) == 429  # the stranger's pair is locked, right password or not
    person = Client(REMOTE_ADDR=PERSON)
    assert log_in(person, PASSWORD) == 302
    assert "_auth_user_id" in person.session


def test_a_stranger_cannot_pick_the_address_their_guesses_count_against(owner, settings):
    # Django is handed the client's address by the web server; a header the client wrote is not it.
    stranger = Client(REMOTE_ADDR=STRANGER)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(stranger, f"guess {attempt}", HTTP_X_FORWARDED_FOR=PERSON, HTTP_X_REAL_IP=PERSON)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {STRANGER}
    assert log_in(Client(REMOTE_ADDR=PERSON), PASSWORD) == 302


def test_guesses_during_a_lockout_do_not_make_it_last_longer(locked_stranger, settings):
    cooloff = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    time_passes(cooloff - 5)
    assert log_in(locked_stranger, "one more guess") == 429
    time_passes(4)
    assert log_in(locked_stranger, "and another") == 429  # a minute before the cool-off ends
    time_passes(2)
    # The cool-off ran from the fifth wrong password: the guesses in between did not restart it.
    assert log_in(locked_stranger, PASSWORD) == 302
