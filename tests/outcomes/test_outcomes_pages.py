"""Check-ins, the leak log and the bladder diary through the pages; seek-care advice shown where it
applies; a stranger gets nothing (spec V1-V4)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from knipa.outcomes.models import CheckIn, DiaryEntry, Leak
from knipa.program.outcomes import NEEDS_HELP_AFTER_ROUNDS
from knipa.training import plans
from knipa.training.models import PlanChange, TrainingRound
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies["knipa_language"] = "en"
    return client


ANSWERS = {"frequency": "3", "amount": "2", "bother": "6", "confidence": "4", "pain": "no"}


def test_the_first_check_in_is_offered_on_the_home_page_and_saved(owner_client, owner):
    client = english(owner_client)
    assert "Before you start: how are things now?" in client.get(reverse("today:home")).content.decode()
    page = client.get(reverse("outcomes:check_in")).content.decode()
    assert "Compared with before you started training" not in page  # PGI-I only from week four
    response = client.post(reverse("outcomes:check_in"), ANSWERS, follow=True)
    assert "Your answers are saved" in response.content.decode()
    saved = CheckIn.objects.get(profile=owner)
    assert (saved.frequency, saved.amount, saved.scores().index) == (3, 2, 6)
    assert "Before you start" not in client.get(reverse("today:home")).content.decode()


def test_the_impression_of_improvement_is_asked_from_week_four(owner_client, owner):
    CheckIn.objects.create(profile=owner, at=timezone.now() - timedelta(weeks=4), frequency=3, amount=2, bother=6,
                           confidence=4)
    client = english(owner_client)
    assert "Compared with before you started training" in client.get(reverse("outcomes:check_in")).content.decode()
    response = client.post(reverse("outcomes:check_in"), ANSWERS)
    assert "Please choose one of the options." in response.content.decode()
    client.post(reverse("outcomes:check_in"), {**ANSWERS, "improvement": "2"})
    assert CheckIn.objects.filter(profile=owner).last().improvement == 2


@pytest.mark.parametrize(("answers", "message"), [
    ({**ANSWERS, "amount": "0"}, "choose how much, even if it is only drops"),
    ({**ANSWERS, "bother": "11"}, "Select a valid choice"),
    ({"frequency": "3", "amount": "2"}, "Please choose a number from 0 to 10."),
])
def test_bad_check_in_answers_are_refused_and_nothing_is_saved(owner_client, owner, answers, message):
    response = english(owner_client).post(reverse("outcomes:check_in"), answers)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CheckIn.objects.filter(profile=owner).exists()


def test_avoiding_activities_shows_the_advice_to_contact_primary_care_now(owner_client, owner):  # V1
    english(owner_client).post(reverse("outcomes:check_in"), {**ANSWERS, "avoids_friends": "on"})
    for page in ("today:home", "outcomes:progress"):
        html = english(owner_client).get(reverse(page)).content.decode()
        assert "keep you from things you want to do" in html
        assert "1177" in html  # the configurable care line (V4)


def test_major_symptoms_after_childbirth_show_the_advice_to_seek_care(client_factory):  # V3
    mother = make_person("mother", recent_event="childbirth", go_ahead=True)
    client = english(client_factory(mother.user))
    client.post(reverse("outcomes:check_in"), {"frequency": "4", "amount": "3", "bother": "8", "confidence": "3",
                                               "pain": "no"})
    assert "after giving birth" in client.get(reverse("outcomes:progress")).content.decode()


def test_major_symptoms_eleven_months_after_a_birth_still_show_the_advice_to_seek_care(client_factory):  # V3
    mother = make_person("mother", recent_event="childbirth", go_ahead=True,
                         event_on=timezone.localdate() - timedelta(days=330))
    client = english(client_factory(mother.user))
    client.post(reverse("outcomes:check_in"), {"frequency": "4", "amount": "3", "bother": "8", "confidence": "3",
                                               "pain": "no"})
    assert "after giving birth" in client.get(reverse("outcomes:progress")).content.decode()
    # After the first year, the same answers no longer call it a post-natal matter.
    mother.event_on = timezone.localdate() - timedelta(days=400)
    mother.save()
    assert "after giving birth" not in client.get(reverse("outcomes:progress")).content.decode()


def test_pain_reported_in_a_check_in_moves_the_plan_to_relaxation_with_the_care_advice(owner_client, owner):  # S1, V1
    plans.refresh(owner)  # a plan on the main path
    response = english(owner_client).post(reverse("outcomes:check_in"), {**ANSWERS, "pain": "yes"}, follow=True)
    html = response.content.decode()
    assert "relaxation practice instead of squeezing" in html
    assert response.context["path"] == "relaxation" and "contact_care_about_pain" in response.context["advice"]
    owner.refresh_from_db()
    assert owner.pain is True
    assert PlanChange.objects.filter(profile=owner, reason="pain_relaxation").exists()


def test_rounds_without_feeling_the_squeeze_bring_advice_to_get_help_with_the_training(owner_client, owner):  # V1, H2
    from tests.training.plan_seeding import save_rounds_without_feeling_the_squeeze

    save_rounds_without_feeling_the_squeeze(owner, NEEDS_HELP_AFTER_ROUNDS - 1)
    assert "needs_help_with_training" not in english(owner_client).get(reverse("outcomes:progress")).context["care_advice"]
    save_rounds_without_feeling_the_squeeze(owner, 1)
    html = english(owner_client).get(reverse("today:home")).content.decode()
    assert "You have not been able to feel the squeeze for a while" in html
    # The owner's body has a penis: no midwife (S2, W3), a physiotherapist or urotherapist (H2).
    assert "physiotherapist or urotherapist" in html and "midwife" not in html


def test_the_help_page_says_who_helps_with_the_training_and_how_to_reach_them(client_factory):  # V1, H2, V4
    for body, helpers in (("vagina", "physiotherapist, urotherapist or midwife"),
                          ("penis", "physiotherapist or urotherapist")):
        person = make_person(f"asks-{body}", body=body)
        html = english(client_factory(person.user)).get(reverse("outcomes:get_help")).content.decode()
        assert helpers in html and "1177" in html
        if body == "penis":
            assert "midwife" not in html


def test_twelve_weeks_of_faithful_training_without_improvement_shows_the_advice(owner_client, owner):  # V1, V2
    from knipa.program.plan import Override

    plans.override(owner, Override.MOVE_ON)
    plan = owner.plan
    plan.training_started_on = (timezone.now() - timedelta(weeks=12, days=1)).date()
    plan.rounds_per_day, plan.days_per_week = 1, 7
    plan.save()
    start = timezone.now() - timedelta(weeks=12)
    for day in range(84):
        started = start + timedelta(days=day)
        TrainingRound.objects.create(id=uuid.uuid4(), profile=owner, stage="training", position="lying",
                                     status="finished", started_at=started, ended_at=started + timedelta(minutes=7))
    CheckIn.objects.create(profile=owner, at=start, frequency=3, amount=2, bother=6, confidence=4)
    CheckIn.objects.create(profile=owner, at=timezone.now(), frequency=3, amount=2, bother=6, confidence=7,
                           improvement=4)
    html = english(owner_client).get(reverse("outcomes:progress")).content.decode()
    assert "You have trained regularly for three months" in html


def test_a_leak_is_logged_with_one_tap_and_can_be_deleted(owner_client, owner):
    client = english(owner_client)
    client.post(reverse("outcomes:leaks"), {"situation": "sneeze", "amount": "splash"})
    leak = Leak.objects.get(profile=owner)
    assert (leak.situation, leak.amount) == ("sneeze", "splash")
    assert "Sneezing" in client.get(reverse("outcomes:leaks")).content.decode()
    response = client.post(reverse("outcomes:leaks"), {"situation": "skydiving"}, follow=True)
    assert "choose one of the situations" in response.content.decode()
    client.post(reverse("outcomes:delete_leak", args=[leak.id]))
    assert not Leak.objects.filter(profile=owner).exists()


def test_a_diary_day_is_summarised(owner_client, owner):
    client = english(owner_client)
    day = timezone.now().astimezone(owner.zone).date().isoformat()
    for line in (
        {"kind": "drink", "drink": "water", "volume_ml": "300", "time": "08:00"},
        {"kind": "void", "volume_ml": "350", "urgency": "2", "time": "09:00"},
        {"kind": "void", "volume_ml": "250", "time": "13:00"},
        {"kind": "leak", "urgency": "3", "time": "15:00"},
        {"kind": "void", "volume_ml": "200", "woke_me": "on", "time": "03:00"},
    ):
        client.post(reverse("outcomes:diary"), {**line, "day": day})
    assert DiaryEntry.objects.filter(profile=owner).count() == 5
    html = client.get(reverse("outcomes:diary")).content.decode()
    assert 'data-testid="diary-summary"' in html
    assert "350 ml" in html  # the largest amount
    response = client.post(reverse("outcomes:diary"), {"kind": "drink", "volume_ml": "300", "time": "08:00",
                                                       "day": day})
    assert "Choose what you drank." in response.content.decode()
    response = client.post(reverse("outcomes:diary"), {"kind": "void", "volume_ml": "9000", "time": "08:00",
                                                       "day": day})
    assert "The largest amount is 3000 ml." in response.content.decode()
    assert DiaryEntry.objects.filter(profile=owner).count() == 5


def test_a_stranger_sees_and_deletes_nothing_of_the_owners(owner_client, owner, stranger_client):
    english(owner_client).post(reverse("outcomes:leaks"), {"situation": "cough", "amount": "more"})
    english(owner_client).post(reverse("outcomes:check_in"), {**ANSWERS, "avoids_sex": "on"})
    day = timezone.now().astimezone(owner.zone).date().isoformat()
    owner_client.post(reverse("outcomes:diary"), {"kind": "leak", "time": "10:00", "day": day})
    leak = Leak.objects.get(profile=owner)
    entry = DiaryEntry.objects.get(profile=owner)
    assert stranger_client.post(reverse("outcomes:delete_leak", args=[leak.id])).status_code == 404
    assert stranger_client.post(reverse("outcomes:delete_diary_entry", args=[entry.id])).status_code == 404
    for page in ("outcomes:leaks", "outcomes:diary", "outcomes:progress"):
        html = english(stranger_client).get(reverse(page)).content.decode()
        assert "Coughing, more" not in html and "keep you from things" not in html and "10:00 Leak" not in html


@pytest.mark.parametrize("name", ["progress", "check_in", "leaks", "diary"])
def test_an_anonymous_visitor_is_sent_to_the_login(client, name):
    response = client.get(reverse(f"outcomes:{name}"))
    assert response.status_code == 302 and response.url.split("?")[0] == reverse("accounts:login")
