"""A busy database is answered with a retry or a clear 503, never a 500 (review finding 4).

SQLite's "database is locked" (after the busy timeout) and PostgreSQL's lock timeouts, serialization
failures and deadlocks are made here as the database driver raises them, wrapped by Django, at the
point where a page or the API reads or writes.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import psycopg
import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

import knipa
from knipa.middleware import is_busy_database
from knipa.sessions.store import SessionStore
from knipa.training import api as training_api
from knipa.training import plans
from knipa.training.models import Plan, TrainingRound
from tests.training.test_rounds_api import a_round, post_round

pytestmark = pytest.mark.django_db


def locked() -> OperationalError:
    """SQLite's error after waiting out the busy timeout, as Django raises it (its database
    wrapper raises Django's OperationalError from the driver's, with the same message)."""
    error = OperationalError("database is locked")
    error.__cause__ = sqlite3.OperationalError("database is locked")
    return error


def test_the_stand_in_is_what_djangos_wrapper_makes_of_sqlites_error():
    try:
        with connection.wrap_database_errors:
            raise sqlite3.OperationalError("database is locked")
    except OperationalError as wrapped:
        assert str(wrapped) == str(locked()) and type(wrapped.__cause__) is type(locked().__cause__)
    except sqlite3.OperationalError:
        assert connection.vendor != "sqlite"  # PostgreSQL's wrapper leaves SQLite's errors alone


def postgres(error_class) -> OperationalError:
    error = OperationalError(str(error_class.__name__))
    error.__cause__ = error_class("conflict")
    return error


def failing(times: int, error_factory=locked, then=None):
    """A stand-in that fails `times` times with `error_factory()`, then calls `then`."""
    calls = []

    def stand_in(*args, **kwargs):
        calls.append(args)
        if len(calls) <= times:
            raise error_factory()
        return then(*args, **kwargs)

    stand_in.calls = calls
    return stand_in


def test_sqlite_locks_and_postgres_conflicts_count_as_busy_and_nothing_else_does():
    assert is_busy_database(locked())
    for error_class in (psycopg.errors.SerializationFailure, psycopg.errors.DeadlockDetected,
                        psycopg.errors.LockNotAvailable, psycopg.errors.QueryCanceled):
        assert is_busy_database(postgres(error_class)), error_class
    assert not is_busy_database(OperationalError("no such table: knipa_session"))
    assert not is_busy_database(postgres(psycopg.errors.UndefinedTable))
    assert not is_busy_database(ValueError("database is locked"))


def test_a_page_that_meets_a_locked_database_once_is_tried_again_and_shown(owner_client, monkeypatch):
    from knipa.today import views as today_views

    stand_in = failing(1, then=today_views.reminders_set_up)
    monkeypatch.setattr(today_views, "reminders_set_up", stand_in)
    response = owner_client.get(reverse("today:home"))
    assert response.status_code == 200
    assert len(stand_in.calls) == 2


@pytest.mark.parametrize(("language", "words"), [("sv", "Knipa har mycket att göra just nu"),
                                                 ("en", "Knipa is very busy just now")])
def test_a_page_whose_database_stays_locked_answers_503_with_retry_after(owner_client, monkeypatch, language,
                                                                         words):
    monkeypatch.setattr(plans, "current_plan", failing(99))
    owner_client.cookies["knipa_language"] = language
    response = owner_client.get(reverse("today:home"))
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert words in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_the_api_answers_a_locked_database_with_json_503(owner_client, monkeypatch):
    monkeypatch.setattr(training_api, "current_round", failing(99))
    owner_client.cookies["knipa_language"] = "en"
    response = owner_client.get("/api/timeline")
    assert response.status_code == 503 and response["Retry-After"]
    assert response.json() == {"detail": "Knipa is very busy just now. Please try again in a moment."}


@pytest.mark.parametrize("error_class", [psycopg.errors.SerializationFailure, psycopg.errors.LockNotAvailable])
def test_a_postgres_conflict_is_answered_the_same_way(owner_client, monkeypatch, error_class):
    monkeypatch.setattr(training_api, "current_round", failing(99, lambda: postgres(error_class)))
    assert owner_client.get("/api/timeline").status_code == 503


def test_a_round_answered_503_is_sent_again_stored_once_and_reviewed_by_the_plan(owner, owner_client, monkeypatch):
    # The round is written, then the plan's review meets the lock: the player gets 503 and keeps it.
    review = failing(1, then=plans.refresh)
    monkeypatch.setattr(plans, "refresh", review)
    payload = a_round()
    first = post_round(owner_client, payload)
    assert first.status_code == 503 and first["Retry-After"]
    assert first.json()["detail"]
    stored = TrainingRound.objects.get(id=payload["id"])
    # The player's outbox sends it again (503 is not among the answers it gives up on).
    again = post_round(owner_client, payload)
    assert again.status_code == 200
    assert TrainingRound.objects.filter(id=payload["id"]).count() == 1
    assert Plan.objects.get(profile=owner).reviewed_at >= stored.received_at
    assert len(review.calls) == 2


def test_the_players_outbox_keeps_a_round_answered_503_for_another_try():
    outbox = (Path(knipa.__file__).parent / "static/knipa/js/player/outbox.js").read_text()
    rejected = re.search(r"const REJECTED = new Set\(\[([^\]]*)\]\)", outbox).group(1)
    assert "503" not in rejected and "429" not in rejected


def test_a_form_that_writes_is_not_tried_again_but_answered_503(owner_client, monkeypatch):
    from knipa.outcomes import views as outcome_views

    stand_in = failing(99)
    monkeypatch.setattr(outcome_views.Leak.objects, "create", stand_in)
    response = owner_client.post(reverse("outcomes:leaks"), {"situation": "cough", "amount": "drops"})
    assert response.status_code == 503
    assert len(stand_in.calls) == 1  # a request that writes may have written part: never repeated


def test_a_lock_met_by_a_middleware_answers_503_not_500(monkeypatch):
    # Saving the session happens in a middleware, after the view: Django makes it a 500 first.
    monkeypatch.setattr(SessionStore, "save", failing(99))
    client = Client(raise_request_exception=False)
    response = client.post(reverse("accounts:begin"))
    assert response.status_code == 503 and response["Retry-After"]


def test_other_database_errors_are_still_500(owner_client, monkeypatch):
    monkeypatch.setattr(plans, "current_plan", failing(99, lambda: OperationalError("no such column: x")))
    owner_client.raise_request_exception = False
    assert owner_client.get(reverse("today:home")).status_code == 500


def test_a_round_payload_answered_503_is_still_valid_json_for_the_player(owner_client, monkeypatch):
    monkeypatch.setattr(plans, "refresh", failing(99))
    response = post_round(owner_client, a_round())
    assert json.loads(response.content)["detail"]
