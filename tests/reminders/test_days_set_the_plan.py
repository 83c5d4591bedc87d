"""The reminder days are the person's own, and the plan's days a week follow them (issue 15, item 6;
spec H1: reminders on the days that suit the person). The rounds a day stay the plan's."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from django.urls import reverse

from knipa.program.plan import PARAMETER_BOUNDS, PlanState, Reason, choose_days_per_week
from knipa.reminders.models import ReminderSettings
from knipa.training import plans
from knipa.training.models import PlanChange

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 2, 12, 0, tzinfo=timezone.utc)


def english(client):
    client.cookies["knipa_language"] = "en"
    return client


def schedule(times, weekdays):
    data = {f"time_{i}": t for i, t in enumerate(times)}
    data["weekdays"] = [str(d) for d in weekdays]
    return data


def test_choosing_three_days_makes_the_plan_train_three_days_a_week_as_the_persons_change(owner_client, owner):  # H1
    rounds_per_day = plans.current_plan(owner).parameters.rounds_per_day
    response = english(owner_client).post(reverse("reminders:schedule"),
                                          schedule(["07:00", "12:00", "20:00"], [0, 2, 4]), follow=True)
    html = response.content.decode()
    assert "Your reminder times are saved. Your plan now trains 3 days a week." in html
    assert ReminderSettings.objects.get(profile=owner).weekdays == [0, 2, 4]
    state = plans.current_plan(type(owner).objects.get(pk=owner.pk))
    assert state.parameters.days_per_week == 3
    assert state.parameters.rounds_per_day == rounds_per_day  # the rounds a day stay the plan's
    change = PlanChange.objects.filter(profile=owner).first()
    assert (change.reason, change.source) == (Reason.PERSON_CHOSE_DAYS.value, "person")
    # The page now says so, with the days chosen kept.
    page = english(owner_client).get(reverse("reminders:page")).content.decode()
    assert "Your plan has 3 training days a week right now." in page
    plan_page = english(owner_client).get(reverse("training:plan")).content.decode()
    assert "You chose your training days, so your plan trains that many days a week." in plan_page


def test_choosing_as_many_days_as_the_plan_has_changes_nothing_in_the_plan(owner_client, owner):
    english(owner_client).post(reverse("reminders:schedule"), schedule(["07:00", "12:00", "20:00"], range(7)))
    assert not PlanChange.objects.filter(profile=owner, reason=Reason.PERSON_CHOSE_DAYS.value).exists()


def test_a_stranger_choosing_days_changes_only_their_own_plan(stranger_client, stranger, owner):
    before = plans.current_plan(owner).parameters.days_per_week
    stranger_client.post(reverse("reminders:schedule"), schedule(["07:00", "12:00", "20:00"], [1]))
    assert plans.current_plan(type(owner).objects.get(pk=owner.pk)).parameters.days_per_week == before
    assert not PlanChange.objects.filter(profile=owner, reason=Reason.PERSON_CHOSE_DAYS.value).exists()
    assert plans.current_plan(type(stranger).objects.get(pk=stranger.pk)).parameters.days_per_week == 1


def test_the_days_stay_within_the_plans_safe_bounds():
    low, high = PARAMETER_BOUNDS["days_per_week"]
    state = PlanState()
    for days in (low - 1, high + 1):
        with pytest.raises(ValueError):
            choose_days_per_week(state, days, NOW)
    assert choose_days_per_week(state, state.parameters.days_per_week, NOW) is None
    change = choose_days_per_week(state, 4, NOW)
    assert change.after.parameters.days_per_week == 4 and change.after.since == state.since
