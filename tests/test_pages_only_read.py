"""A GET never writes (the brief; issue "Pages only read").

Every route of the URL resolver is requested with GET by a person with months of data, by a
stranger and by an anonymous visitor, and every SQL statement is captured: an INSERT, UPDATE or
DELETE on any table but the session table fails the test, naming the route and the statement.
The plan is reviewed on events (a round saved, answers changed, the worker's pass), so reading it
takes no lock and no page competes with a round being saved.

One deliberate exception (issue 16): a clinician's read of a person's data writes its row of the
person's access log, in the same transaction. The sweep also goes as the clinician the owner shares
with (signed in with the second factor), and allows exactly that: INSERTs into the access log, on
the clinic's own routes.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knipa.accounts.onboarding import STEPS
from knipa.outcomes.models import DiaryEntry, Leak
from knipa.reminders.models import Occurrence, PushSubscription, ReminderSettings
from knipa.sharing.models import Prescription, Share, ShareCode
from knipa.training.models import TrainingRound
from tests.personal_data.test_data_export import give_everything
from tests.conftest import make_person
from tests.routes import every_route
from tests.clinicians.people import verified_client
from tests.sharing.people import give_a_share

pytestmark = pytest.mark.django_db

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# The session table may be written when a session changes (the brief: sessions aside); Knipa's
# sessions live in knipa_session (knipa.sessions), Django's old table is django_session.
ALLOWED = re.compile(r'(INTO|UPDATE|FROM)\s+"?(django|knipa)_session"?', re.IGNORECASE)
FEED_TOKEN = "a-calendar-feed-token-long-enough-to-be-secret-0123"
ACCESS_LOG = re.compile(r'^\s*INSERT\s+INTO\s+"?sharing_accesslog"?', re.IGNORECASE)


@pytest.fixture
def owner_with_months(owner):
    give_everything(owner)
    give_a_share(owner)  # a clinician, a log row, suggested numbers and a code of the owner's
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
        "share_id": lambda: Share.objects.filter(profile=person).first().id,
        "code_id": lambda: ShareCode.objects.filter(profile=person).first().id,
        "prescription_id": lambda: Prescription.objects.filter(profile=person).first().id,
        "clinician_id": lambda: Share.objects.filter(profile=person).first().clinician_id,
    }


def writes_of(client, path: str, access_log_allowed: bool = False) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    statements = [query["sql"] for query in queries.captured_queries]
    return response.status_code, [sql for sql in statements if WRITES.match(sql) and not ALLOWED.search(sql)
                                  and not (access_log_allowed and ACCESS_LOG.match(sql))]


def test_no_get_request_writes_to_the_database(owner_with_months, owner_client, stranger_client, client):
    samples = samples_for(owner_with_months)
    clinician = verified_client(Share.objects.get(profile=owner_with_months).clinician.user)
    stranger_client.get("/")  # the stranger's session exists before the sweep
    failures = []
    answered = 0
    for route in every_route():
        path = route.path(samples)
        for who, visitor in (("owner", owner_client), ("stranger", stranger_client), ("anonymous", client),
                             ("clinician", clinician)):
            status, writes = writes_of(visitor, path, access_log_allowed=who == "clinician"
                                       and route.name.startswith("clinic:"))
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
