"""Every date a person or a file gives is bounded (review finding 5): from 1 January 2000 until a day
after the person's today for what happened, a year ahead for a day planned; year 1 and year 9999
are refused with a clear, translated message, and nothing is stored (knipa.program.moments)."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from knipa.accounts.models import Profile
from knipa.outcomes.models import DiaryEntry
from knipa.personal_data.export import ImportRefused, import_person
from knipa.reminders.models import ReminderSettings
from knipa.training.models import TrainingRound
from tests.conftest import make_person
from tests.personal_data.test_data_export import exported, exported_once  # noqa: F401
from tests.training.test_rounds_api import a_round, post_round

pytestmark = pytest.mark.django_db

FIRST_DAY, LAST_DAY = "0001-01-01", "9999-12-31"


def english(client):
    client.cookies["knipa_language"] = "en"
    return client


# --- The API ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("started", "ended", "words"), [
    ("0001-01-01T08:00:00+00:00", "0001-01-01T08:05:00+00:00", "before the year 2000"),
    ("1999-12-31T23:00:00+00:00", "1999-12-31T23:05:00+00:00", "before the year 2000"),
    ("9999-12-31T23:00:00+00:00", "9999-12-31T23:05:00+00:00", "the round ends in the future"),
    ("0001-01-01T08:00:00+14:00", "0001-01-01T08:05:00+14:00", "before the year 2000"),
])
def test_a_round_from_year_1_or_9999_is_refused_and_not_stored(owner_client, started, ended, words):
    response = post_round(english(owner_client), a_round(started_at=started, ended_at=ended))
    assert response.status_code == 422
    assert words in str(response.json()["problems"])
    assert not TrainingRound.objects.exists()


def test_the_refusal_of_an_old_round_is_in_swedish_by_default(owner_client):
    response = post_round(owner_client, a_round(started_at="1999-12-31T23:00:00+00:00",
                                                ended_at="1999-12-31T23:05:00+00:00"))
    assert response.status_code == 422 and "år 2000" in str(response.json()["problems"])


def test_a_round_of_today_is_still_taken(owner_client):
    assert post_round(owner_client, a_round()).status_code == 201


# --- The bladder diary ------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "words"), [
    (FIRST_DAY, "a day in the year 2000 or later"),
    ("1999-12-31", "a day in the year 2000 or later"),
    (LAST_DAY, "That day has not come yet"),
])
def test_a_diary_line_on_a_day_out_of_range_is_refused(owner_client, day, words):
    response = english(owner_client).post(reverse("outcomes:diary"), {"day": day, "time": "08:00", "kind": "void"})
    assert response.status_code == 200 and words in response.content.decode()
    assert not DiaryEntry.objects.exists()


def test_a_diary_line_may_be_a_day_ahead_of_the_persons_today_but_not_two(client_factory):
    # Far east, the person's today may be the server's tomorrow: their own date is what counts.
    person = make_person("far-east", time_zone="Pacific/Kiritimati")
    client = english(client_factory(person.user))
    today = person.today()
    for day, stored in ((today, 1), (today + timedelta(days=1), 2), (today + timedelta(days=2), 2)):
        client.post(reverse("outcomes:diary"), {"day": day.isoformat(), "time": "23:59", "kind": "void"})
        assert DiaryEntry.objects.count() == stored, day


# --- Onboarding: the day of a birth or operation ----------------------------------------------

@pytest.mark.parametrize(("day", "words"), [(FIRST_DAY, "more than a year ago"), (LAST_DAY, "has not come yet")])
def test_the_day_of_a_birth_in_year_1_or_9999_is_refused(owner_client, owner, day, words):
    response = english(owner_client).post(reverse("accounts:onboarding", args=["safety"]) + "?from=profile", {
        "pain": "no", "recent_event": "surgery", "event_on": day})
    assert response.status_code == 200 and words in response.content.decode()
    assert Profile.objects.get(pk=owner.pk).event_on is None


# --- Reminders: a quiet day -------------------------------------------------------------------

def test_a_quiet_day_in_year_9999_is_refused_and_one_within_a_year_taken(owner_client, owner):
    client = english(owner_client)
    response = client.post(reverse("reminders:quiet_add"), {"day": LAST_DAY})
    assert "Choose a day within a year from today" in response.content.decode()
    assert LAST_DAY not in (ReminderSettings.objects.filter(profile=owner).values_list("quiet_dates", flat=True)
                            .first() or [])
    soon = (owner.today() + timedelta(days=300)).isoformat()
    client.post(reverse("reminders:quiet_add"), {"day": soon})
    assert soon in ReminderSettings.objects.get(profile=owner).quiet_dates


# --- The import --------------------------------------------------------------------------------

@pytest.mark.parametrize(("change", "place"), [
    (lambda d: d["rounds"][0].update(started_at="0001-01-01T00:00:00+00:00"), "rounds 1, started_at"),
    (lambda d: d["rounds"][0].update(ended_at="9999-12-31T23:59:00+00:00"), "rounds 1, ended_at"),
    (lambda d: d["diary"][0].update(at="9999-12-31T23:59:00+14:00"), "diary 1, at"),
    (lambda d: d["leaks"][0].update(at="1999-12-31T12:00:00+01:00"), "leaks 1, at"),
    (lambda d: d["check_ins"][0].update(at="0001-01-01T00:00:00-12:00"), "check_ins 1, at"),
    (lambda d: d["plan"].update(training_started_on=FIRST_DAY), "plan, training_started_on"),
    (lambda d: d["plan"].update(stage_since="9999-01-01T00:00:00+00:00"), "plan, stage_since"),
    (lambda d: d["plan_changes"][0].update(at="0001-01-01T00:00:00+00:00"), "plan_changes 1, at"),
    (lambda d: d["profile"].update(event_on=LAST_DAY), "profile, event_on"),
    (lambda d: d["reminders"].update(quiet_dates=[LAST_DAY]), "reminders, quiet_dates 1"),
    (lambda d: d.update(exported_at="9999-12-31T00:00:00+00:00"), "exported_at"),
])
def test_an_import_with_a_date_out_of_range_is_refused_and_says_where(exported, change, place):  # noqa: F811
    newcomer = make_person("newcomer", goals=["prevent"])
    data = copy.deepcopy(exported)
    change(data)
    with translation.override("en"), pytest.raises(ImportRefused) as refused:
        import_person(newcomer, data)
    message = refused.value.message
    assert "a date in it is before the year 2000 or in the future" in message and f"(at {place})" in message, message
    assert not TrainingRound.objects.filter(profile=newcomer).exists()


def test_check_ins_and_leaks_take_the_servers_clock_not_the_browsers(owner_client, owner):
    # Nothing to bound there: the moment is the server's own.
    owner_client.post(reverse("outcomes:leaks"), {"situation": "cough", "amount": "drops", "at": "0001-01-01"})
    assert abs(owner.leaks.get().at - timezone.now()) < timedelta(minutes=1)
