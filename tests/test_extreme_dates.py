"""Pages render whatever is stored (review finding 5): dates at the calendar's very ends, in zones far
east and west, never give a 500, and the person can still delete the odd row.

Rows are written straight into the database with instants in year 1 and year 9999 (as an older
Knipa, an import or a hand edit could have left them), for a person in Pacific/Kiritimati (UTC+14)
and one in Etc/GMT+12 (UTC-12), where converting those instants to local time leaves the years
Python's datetime can hold. Then every route (tests/routes.py) is asked for, the downloads too, the
worker's steps run, and the rows are deleted through the pages.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from knipa.accounts.models import Profile
from knipa.outcomes.models import CheckIn, DiaryEntry, Leak
from knipa.reminders.dispatcher import Dispatcher
from knipa.reminders.models import ReminderSettings
from knipa.training import plans
from knipa.sharing.models import AccessLog, Prescription, Share, ShareCode
from knipa.training.models import ExerciseRecord, Plan, PlanChange, TrainingRound
from tests.conftest import make_person
from tests.routes import every_route
from tests.sharing.people import OWNER_PRESCRIPTION, make_clinician

pytestmark = pytest.mark.django_db

FIRST = datetime(1, 1, 1, 0, 0, tzinfo=UTC)
LAST = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
FEED_TOKEN = "a-calendar-feed-token-long-enough-to-be-secret-extreme"
ZONES = ["Pacific/Kiritimati", "Etc/GMT+12"]


def store_round(profile: Profile, started: datetime, ended: datetime) -> TrainingRound:
    training_round = TrainingRound.objects.create(
        id=uuid.uuid4(), profile=profile, stage="training", position="lying", status="finished", effort="right",
        started_at=started, ended_at=ended)
    ExerciseRecord.objects.create(training_round=training_round, order=0, exercise="E1", planned_reps=8,
                                  achieved_reps=8, planned_squeeze_seconds=5, planned_rest_seconds=5,
                                  full_strength_reps=8, felt_lift="yes")
    return training_round


def seed_the_calendars_ends(profile: Profile) -> dict:
    """A person whose every kind of row has one at each end of the calendar."""
    plans.refresh(profile)
    rows = {
        "first_round": store_round(profile, FIRST, FIRST + timedelta(minutes=5)),
        "last_round": store_round(profile, LAST - timedelta(minutes=5), LAST),
        "first_leak": Leak.objects.create(profile=profile, at=FIRST, situation="cough"),
        "last_leak": Leak.objects.create(profile=profile, at=LAST, situation="sneeze"),
        "first_entry": DiaryEntry.objects.create(profile=profile, at=FIRST, kind="void", volume_ml=200),
        "last_entry": DiaryEntry.objects.create(profile=profile, at=LAST, kind="drink", drink="water",
                                                volume_ml=250),
    }
    CheckIn.objects.create(profile=profile, at=FIRST, frequency=3, amount=2, bother=7, confidence=4)
    CheckIn.objects.create(profile=profile, at=LAST, frequency=2, amount=1, bother=3, confidence=8, improvement=2)
    for at in (FIRST, LAST):
        PlanChange.objects.create(profile=profile, at=at, reason="grew_hold", source="plan", stage_before="training",
                                  stage_after="training", parameters_before={"strength_hold_seconds": 4},
                                  parameters_after={"strength_hold_seconds": 5})
    Plan.objects.filter(profile=profile).update(stage="training", stage_since=FIRST, evidence_since=FIRST,
                                                training_started_on=date.min, eased_at=LAST, reviewed_at=FIRST)
    Profile.objects.filter(pk=profile.pk).update(onboarded_at=FIRST, recent_event="childbirth", event_on=date.max,
                                                 go_ahead=True)
    ReminderSettings.objects.create(profile=profile, times=["07:30"], weekdays=[0, 1, 2, 3, 4, 5, 6],
                                    quiet_dates=["0001-01-01", "9999-12-31"], calendar_token=FEED_TOKEN)
    # Sharing with a clinician (knipa/sharing): a share, its log and suggested numbers at both ends.
    share = Share.objects.create(profile=profile, clinician=make_clinician(), scopes=["rounds"], created_at=FIRST)
    Share.objects.create(profile=profile, clinician=make_clinician("gone", "Gone", "Gone"), scopes=["plan"],
                         created_at=FIRST, withdrawn_at=LAST, withdrawn_by="person")
    for at in (FIRST, LAST):
        AccessLog.objects.create(profile=profile, share=share, clinician_name="Sara Fysio", clinic_name="Klinik",
                                 what="person_page", at=at)
    rows["share"] = share
    rows["code"] = ShareCode.objects.create(code_hash="0" * 64, direction="from_person", profile=profile,
                                            scopes=["rounds"], created_at=FIRST, expires_at=LAST)
    rows["prescription"] = Prescription.objects.create(
        profile=profile, share=share, clinician_name="Sara Fysio", created_at=FIRST, mode="fixed",
        parameters=OWNER_PRESCRIPTION)
    return rows


@pytest.fixture(params=ZONES)
def far_away(request) -> tuple[Profile, dict]:
    person = make_person("far-away", time_zone=request.param)
    return Profile.objects.get(pk=person.pk), seed_the_calendars_ends(person)


def samples(rows: dict) -> dict:
    return {
        "round_id": lambda: rows["first_round"].id,
        "leak_id": lambda: rows["first_leak"].id,
        "entry_id": lambda: rows["last_entry"].id,
        "subscription_id": lambda: 1,
        "occurrence_id": lambda: 1,
        "token": lambda: FEED_TOKEN,
        "step": lambda: "safety",
        "share_id": lambda: rows["share"].id,
        "code_id": lambda: rows["code"].id,
        "prescription_id": lambda: rows["prescription"].id,
        "clinician_id": lambda: rows["share"].clinician_id,
    }


def test_every_page_renders_with_dates_at_the_calendars_ends_in_far_zones(far_away, client_factory):
    profile, rows = far_away
    client = client_factory(profile.user)
    failures = []
    for route in every_route():
        path = route.path(samples(rows))
        status = client.get(path).status_code
        if status >= 500:
            failures.append(f"GET {path}: {status}")
    for training_round in (rows["first_round"], rows["last_round"]):
        status = client.get(reverse("training:round", args=[training_round.id])).status_code
        if status != 200:
            failures.append(f"the round of {training_round.started_at.year}: {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", ["today:home", "training:history", "training:plan", "outcomes:progress",
                                  "outcomes:leaks", "outcomes:diary", "data:page", "data:json", "data:rounds_csv",
                                  "data:diary_csv", "data:summary", "reminders:page", "sharing:overview",
                                  "sharing:log"])
def test_the_persons_pages_and_downloads_answer_200(far_away, client_factory, name):
    profile, _rows = far_away
    assert client_factory(profile.user).get(reverse(name)).status_code == 200


def test_the_downloads_hold_the_odd_rows(far_away, client_factory):
    profile, _rows = far_away
    client = client_factory(profile.user)
    exported = client.get(reverse("data:json")).json()
    years = sorted(int(r["started_at"][:4]) for r in exported["rounds"])
    assert years[0] == 1 and years[-1] == 9999
    assert "0001-" in client.get(reverse("data:rounds_csv")).content.decode("utf-8-sig")


def test_the_person_can_delete_each_odd_row(far_away, client_factory):
    profile, rows = far_away
    client = client_factory(profile.user)
    for training_round in (rows["first_round"], rows["last_round"]):
        assert client.post(reverse("training:delete_round", args=[training_round.id])).status_code == 302
    for leak in (rows["first_leak"], rows["last_leak"]):
        assert client.post(reverse("outcomes:delete_leak", args=[leak.id])).status_code == 302
    for entry in (rows["first_entry"], rows["last_entry"]):
        assert client.post(reverse("outcomes:delete_diary_entry", args=[entry.id])).status_code == 302
    assert not TrainingRound.objects.filter(profile=profile).exists()
    assert not Leak.objects.filter(profile=profile).exists()
    assert not DiaryEntry.objects.filter(profile=profile).exists()


def test_the_worker_and_the_plan_take_the_odd_rows_in_their_stride(far_away):
    profile, _rows = far_away
    plans.refresh(profile)  # the rules read rounds and a plan at both ends
    dispatcher = Dispatcher(name="test-extremes")
    dispatcher.plan_step(force=True)
    dispatcher.review_step(force=True)
    dispatcher.retention_step(force=True)
    dispatcher.send_step()
    assert Profile.objects.filter(pk=profile.pk).exists()


def test_a_time_zone_change_does_not_break_the_pages(client_factory):
    # A diary line at the last minute a zone west of Greenwich can write, seen after moving far east.
    person = make_person("mover", time_zone="America/Lima")
    DiaryEntry.objects.create(profile=person, at=LAST, kind="leak")
    store_round(person, LAST - timedelta(minutes=5), LAST)
    Profile.objects.filter(pk=person.pk).update(time_zone="Pacific/Kiritimati")
    client = client_factory(person.user)
    for name in ("training:history", "outcomes:diary", "outcomes:progress", "data:json", "data:summary",
                 "today:home"):
        assert client.get(reverse(name)).status_code == 200, name


def test_now_is_the_same_for_everyone_at_the_ends(far_away):
    # The seeding itself stores what it says: the instants came back unchanged.
    profile, rows = far_away
    assert TrainingRound.objects.get(pk=rows["first_round"].pk).started_at == FIRST
    assert Leak.objects.get(pk=rows["last_leak"].pk).at == LAST
    assert timezone.now().year < 9999
