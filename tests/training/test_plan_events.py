"""The plan changes on events and is read as a value (issue "Pages only read"; spec H1, K2, S1, S2).

Reading a page shows the stored plan and changes nothing. Events review it: onboarding ending,
answers changed, a round saved; and the worker's periodic pass reviews what time alone changes
(a break in training, the weeks after a birth or operation), so that nobody's plan waits for
them to open a page.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from knipa.program.plan import BREAK_DAYS
from knipa.reminders.dispatcher import Dispatcher
from knipa.training import plans
from knipa.training.models import Plan, PlanChange
from tests.conftest import make_person
from tests.training.plan_seeding import follow_the_plan

pytestmark = pytest.mark.django_db


def test_onboarding_ends_with_the_plan_begun(client):
    client.post(reverse("accounts:begin"))
    client.post(reverse("accounts:onboarding", args=["body"]), {"body": "vagina"})
    client.post(reverse("accounts:onboarding", args=["goals"]), {"goals": ["prevent"]})
    client.post(reverse("accounts:onboarding", args=["safety"]), {"pain": "no", "recent_event": "none",
                                                                  "pregnant": "no"})
    assert not Plan.objects.exists()  # not before onboarding ends
    client.post(reverse("accounts:onboarding", args=["time-zone"]), {"time_zone": "Europe/Stockholm"})
    plan = Plan.objects.get()
    assert plan.stage == "learning" and plan.reviewed_at is not None
    assert PlanChange.objects.get().reason == "started"


def test_a_changed_pain_answer_moves_the_plan_in_the_same_request(client_factory):  # spec S1, W5
    person = make_person("answers")
    plans.refresh(person)
    client = client_factory(person.user)
    client.post(reverse("accounts:onboarding", args=["safety"]) + "?from=profile",
                {"pain": "yes", "recent_event": "none", "pregnant": "no"})
    assert Plan.objects.get(profile=person).side_path == "relaxation"
    assert PlanChange.objects.filter(profile=person).first().reason == "pain_relaxation"


def test_a_break_is_noticed_by_the_workers_pass_not_by_reading_a_page(client_factory):  # spec H1, K2
    person = make_person("on-a-break")
    follow_the_plan(person, weeks=4)
    # The person stopped training BREAK_DAYS + 1 days ago; the plan was last reviewed then.
    stopped = timezone.now() - timedelta(days=BREAK_DAYS + 1)
    from knipa.training.models import TrainingRound

    TrainingRound.objects.filter(profile=person, started_at__gt=stopped).delete()
    Plan.objects.filter(profile=person).update(reviewed_at=stopped, evidence_since=stopped - timedelta(days=1))
    before = PlanChange.objects.filter(profile=person).count()
    assert client_factory(person.user).get(reverse("today:home")).status_code == 200
    assert PlanChange.objects.filter(profile=person).count() == before  # reading changed nothing

    assert Dispatcher(name="test").review_step(force=True)
    assert PlanChange.objects.filter(profile=person).first().reason == "eased_after_break"
    # Reviewed now: the next pass leaves the plan alone until a day has passed.
    assert plans.review_due_plans(timezone.now()) == 0


def test_the_workers_pass_ends_circulation_squeezes_when_the_weeks_soon_after_are_over(client_factory):  # S2, E7
    mother = make_person("mother", recent_event="childbirth", event_on=timezone.localdate() - timedelta(weeks=11))
    plans.refresh(mother)
    assert Plan.objects.get(profile=mother).side_path == "circulation"
    Plan.objects.filter(profile=mother).update(reviewed_at=timezone.now() - timedelta(days=2))
    mother.event_on = timezone.localdate() - timedelta(weeks=13)
    mother.save()
    plans.review_due_plans(timezone.now())
    assert Plan.objects.get(profile=mother).side_path == ""
    assert PlanChange.objects.filter(profile=mother).first().reason == "healing_weeks_over"
