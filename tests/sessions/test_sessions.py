"""Sessions carry their user (knipa.sessions), so that deleting an account ends every session it has,
on every device, in one statement (review finding 9), and existing sessions survive the move."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session as DjangoSession
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from knipa.sessions.models import Session, delete_expired
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_logged_in_session_names_its_user_and_a_visitors_names_none(owner, owner_client, client):
    client.get(reverse("content:start"))
    client.session.save()
    assert Session.objects.get(session_key=owner_client.session.session_key).user_id == owner.user_id
    assert Session.objects.get(session_key=client.session.session_key).user_id is None


def test_logging_in_through_the_page_writes_the_user_beside_the_session(owner, client):
    client.post(reverse("accounts:login"), {"username": "owner", "password": PASSWORD})
    assert Session.objects.get(session_key=client.session.session_key).user_id == owner.user_id


def test_deleting_an_account_ends_its_sessions_on_every_device_in_one_statement(owner, stranger, client_factory):
    phone, laptop, strangers = client_factory(owner.user), client_factory(owner.user), client_factory(stranger.user)
    assert Session.objects.filter(user_id=owner.user_id).count() == 2
    with CaptureQueriesContext(connection) as queries:
        phone.post(reverse("accounts:delete"), {"confirm": "on", "password": PASSWORD})
    deletes = [q["sql"] for q in queries.captured_queries
               if q["sql"].startswith("DELETE") and "knipa_session" in q["sql"] and "user_id" in q["sql"]]
    assert len(deletes) == 1, deletes
    assert not Session.objects.filter(user_id=owner.user_id).exists()
    # The laptop is logged out; the stranger is not.
    assert laptop.get(reverse("today:home"))["Location"].split("?")[0] == reverse("accounts:login")
    assert strangers.get(reverse("today:home")).status_code == 200


def test_expired_sessions_are_deleted_a_batch_at_a_time(owner, owner_client):
    now = timezone.now()
    for number in range(5):
        Session.objects.create(session_key=f"expired-{number:030d}", session_data="", expire_date=now - timedelta(days=1))
    assert delete_expired(now, limit=3) == 3
    assert delete_expired(now, limit=3) == 2
    assert delete_expired(now, limit=3) == 0
    assert Session.objects.filter(session_key=owner_client.session.session_key).exists()


def test_sessions_in_djangos_old_table_move_over_with_their_user(owner, stranger, client_factory):
    module = import_module("knipa.sessions.migrations.0002_move_existing_sessions")
    # Sessions as the old engine kept them: a logged-in browser, a visitor's, one of a deleted user.
    logged_in = client_factory(owner.user)
    old = Session.objects.get(session_key=logged_in.session.session_key)
    Session.objects.all().delete()
    DjangoSession.objects.create(session_key=old.session_key, session_data=old.session_data,
                                 expire_date=old.expire_date)
    store = DjangoSessionStore()
    for name, data in (("visitor", {"language": "sv"}), ("gone", {SESSION_KEY: "987654"}),
                       ("stranger", {SESSION_KEY: str(stranger.user_id)})):
        DjangoSession.objects.create(session_key=f"{name}-{'x' * 20}", session_data=store.encode(data),
                                     expire_date=timezone.now() + timedelta(days=30))

    module.move_sessions(apps, None)

    assert not DjangoSession.objects.exists()
    assert dict(Session.objects.values_list("session_key", "user_id")) == {
        old.session_key: owner.user_id, f"visitor-{'x' * 20}": None, f"gone-{'x' * 20}": None,
        f"stranger-{'x' * 20}": stranger.user_id}
    # The browser is still logged in, now through the new table.
    assert logged_in.get(reverse("today:home")).status_code == 200
