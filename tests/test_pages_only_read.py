"""A GET never writes (the brief; issue "Pages only read").

Every route of the URL resolver is requested with GET by a person with months of data, by a
stranger and by an anonymous visitor, and every SQL statement is captured: an INSERT, UPDATE or
DELETE on any table but the session table fails the test, naming the route and the statement.
The plan is reviewed on events (a round saved, answers changed, the worker's pass), so reading it
takes no lock and no page competes with a round being saved.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knipa.accounts.onboarding import STEPS
from knipa.outcomes.models import DiaryEntry, Leak
from knipa.reminders.models import Occurrence, PushSubscription, ReminderSettings
from knipa.training.models import TrainingRound
from tests.personal_data.test_data_export import give_everything
from tests.conftest import make_person
from tests.routes import every_route

pytestmark = pytest.mark.django_db

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# The session table may be written when a session changes (the brief: sessions aside); Knipa's
# sessions live in knipa_session (knipa.sessions), Django's old table is django_session.
ALLOWED = re.compile(r'(INTO|UPDATE|FROM)\s+"?(django|knipa)_session"?', re.IGNORECASE)
FEED_TOKEN = "a-calendar-feed-token-long-enough-to-be-secret-0123"


@pytest.fixture
def owner_with_months(owner):
    give_everything(owner)
    ReminderSettings.objects.filter(profile=owner).update(calendar_token=FEED_TOKEN)
    return owner


def samples_for(person):
    latest_round = TrainingRound.objects.filter(profile=person).first()
    return {
        "round_id": lambda: latest_round.id,
        "leak_id": lambda: Leak.objects.filter(profile=person).first().id,
        "entry_id": lambda: DiaryEntry.objects.filter(profile=person).first().id,
        "subscription_id": lambda: PushSubscription.objects.filter(profile=person).first().id,
        "occurrence_id": lambda: Occurrence.objects.filter(profile=person).values_list("id", flat=True).first() or 1,
        "token": lambda: FEED_TOKEN,
        "step": lambda: STEPS[2].slug,  # the safety step: the one whose answers move the plan
    }


def writes_of(client, path: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    statements = [query["sql"] for query in queries.captured_queries]
    return response.status_code, [sql for sql in statements if WRITES.match(sql) and not ALLOWED.search(sql)]


def test_no_get_request_writes_to_the_database(owner_with_months, owner_client, stranger_client, client):
    samples = samples_for(owner_with_months)
    stranger_client.get("/")  # the stranger's session exists before the sweep
    failures = []
    answered = 0
    for route in every_route():
        path = route.path(samples)
        for who, visitor in (("owner", owner_client), ("stranger", stranger_client), ("anonymous", client)):
            status, writes = writes_of(visitor, path)
            answered += status == 200
            if writes:
                failures.append(f"GET {path} as {who} ({status}) wrote: {writes[0][:160]}")
    assert not failures, "\n".join(failures)
    assert answered > 40, "too few routes answered a GET: the sweep does not reach the pages"


def test_a_person_without_a_plan_row_reads_the_plan_they_would_start_with_and_nothing_is_stored(client_factory):
    # From before plans were written at onboarding: the pages show the start, and store nothing.
    person = make_person("legacy")
    client = client_factory(person.user)
    for path in ("/home/", "/plan/", "/train/", "/progress/", "/reminders/", "/api/timeline"):
        status, writes = writes_of(client, path)
        assert status == 200 and not writes, (path, writes)
