"""The plan in the app: today's page and the plan page after weeks of training, the person's own
choices recorded with their reasons, bounds on numbers, side paths, and ownership (spec E0-E8, K1,
K2, S1, S2, T4)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from knipa.accounts.models import Profile, answers_changed
from knipa.program.plan import START
from knipa.training.models import Plan, PlanChange
from tests.training.plan_seeding import follow_the_plan

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies["knipa_language"] = "en"
    return client


def test_a_new_person_starts_by_finding_the_muscles_and_sees_what_it_takes_to_move_on(owner_client, owner):  # E0
    html = english(owner_client).get(reverse("today:home")).content.decode()
    assert "Finding the muscles" in html
    assert "Next: Strength, speed and endurance" in html
    assert "Feel the squeeze and the release clearly in 6 rounds: 0 so far." in html
    assert "0 of 3" in html  # rounds today against E0's three a day
    # Reading the page wrote nothing; the plan begins with the event that ends onboarding.
    assert not PlanChange.objects.filter(profile=owner).exists()
    answers_changed.send(sender=Profile, profile=owner)
    assert PlanChange.objects.filter(profile=owner, reason="started").count() == 1


def test_after_eight_weeks_of_training_home_shows_standing_and_the_next_milestone(owner_client, owner):  # E4, E5
    simulation = follow_the_plan(owner, weeks=8)
    assert simulation.stage_changes() == [("learning", "training"), ("training", "standing")]
    html = english(owner_client).get(reverse("today:home")).content.decode()
    assert "Standing training" in html
    assert "Next: Functional training" in html
    assert "Feel the lift upward and inward in 3 rounds in a row" in html
    assert "You have trained for 7 weeks." in html


def test_the_plan_page_explains_the_stage_the_path_the_numbers_and_the_history(owner_client, owner):
    follow_the_plan(owner, weeks=3)
    html = english(owner_client).get(reverse("training:plan")).content.decode()
    assert "Strength, speed and endurance" in html
    assert 'aria-current="step"' in html
    assert "Strength: seconds to hold" in html
    assert "You felt the squeeze and the release clearly over several days" in html
    assert "Finding the muscles → Strength, speed and endurance" in html


def test_staying_is_recorded_with_its_reason_and_stops_the_plan_moving_on(owner_client, owner):
    client = english(owner_client)
    response = client.post(reverse("training:plan_choice"), {"choice": "stay"}, follow=True)
    assert "You chose to stay at this stage." in response.content.decode()
    change = PlanChange.objects.filter(profile=owner).first()
    assert (change.reason, change.source) == ("person_stays", "person")
    assert Plan.objects.get(profile=owner).staying
    follow_the_plan(owner, weeks=2)
    assert Plan.objects.get(profile=owner).stage == "learning"


def test_moving_on_and_stepping_back_change_the_stage_and_the_round(owner_client, owner):
    client = english(owner_client)
    client.post(reverse("training:plan_choice"), {"choice": "move_on"})
    assert Plan.objects.get(profile=owner).stage == "training"
    timeline = client.get(reverse("api:get_timeline")).json()
    assert [e["exercise"] for e in timeline["exercises"]] == ["E1", "E2", "E3"]
    assert timeline["exercises"][0]["squeeze_seconds"] == START.strength_hold_seconds
    client.post(reverse("training:plan_choice"), {"choice": "step_back"})
    assert Plan.objects.get(profile=owner).stage == "learning"
    assert [c.reason for c in PlanChange.objects.filter(profile=owner)][:2] == ["person_steps_back", "person_moves_on"]


def test_an_unknown_choice_changes_nothing_and_says_so(owner_client, owner):
    client = english(owner_client)
    client.get(reverse("training:plan"))
    before = PlanChange.objects.filter(profile=owner).count()
    response = client.post(reverse("training:plan_choice"), {"choice": "jump_to_the_end"}, follow=True)
    assert "That choice is not known. Nothing was changed." in response.content.decode()
    assert PlanChange.objects.filter(profile=owner).count() == before


def valid_numbers(**changes):
    values = {**START.as_dict(), **changes}
    return {name: str(value) for name, value in values.items()}


def test_own_numbers_within_bounds_are_saved_and_used_by_the_next_round(owner_client, owner):
    client = english(owner_client)
    client.post(reverse("training:plan_choice"), {"choice": "move_on"})
    response = client.post(reverse("training:plan_numbers"), valid_numbers(strength_hold_seconds=8,
                                                                            strength_rest_seconds=10), follow=True)
    assert "Your numbers are saved." in response.content.decode()
    strength = client.get(reverse("api:get_timeline")).json()["exercises"][0]
    assert (strength["squeeze_seconds"], strength["rest_seconds"]) == (8, 10)
    assert PlanChange.objects.filter(profile=owner).first().reason == "person_set_numbers"


@pytest.mark.parametrize(("changes", "message"), [
    ({"strength_hold_seconds": 30}, "The highest safe value is 10."),
    ({"days_per_week": 0}, "The lowest safe value is 1."),
    ({"strength_hold_seconds": 8, "strength_rest_seconds": 5}, "Rest at least as long as you hold the squeeze"),  # T4
    ({"rounds_per_day": "many"}, "Please give a whole number."),
])
def test_numbers_out_of_bounds_are_refused_with_a_clear_message_and_nothing_changes(owner_client, owner, changes,
                                                                                   message):
    client = english(owner_client)
    answers_changed.send(sender=Profile, profile=owner)  # onboarding ended: the plan began
    before = Plan.objects.get(profile=owner)
    changes_before = PlanChange.objects.filter(profile=owner).count()
    response = client.post(reverse("training:plan_numbers"), valid_numbers(**changes))
    assert response.status_code == 200  # the form again, with the problem marked
    assert message in response.content.decode()
    after = Plan.objects.get(profile=owner)
    assert (after.strength_hold_seconds, after.days_per_week) == (before.strength_hold_seconds, before.days_per_week)
    assert PlanChange.objects.filter(profile=owner).count() == changes_before


def test_pain_moves_the_plan_to_relaxation_and_the_round_has_no_squeezing(owner_client, owner):  # S1, W5, E8
    client = english(owner_client)
    client.post(reverse("training:plan_choice"), {"choice": "move_on"})
    owner.pain = True
    owner.save()
    answers_changed.send(sender=Profile, profile=owner)  # as the answers page does
    html = client.get(reverse("today:home")).content.decode()
    assert "Relaxation practice" in html
    timeline = client.get(reverse("api:get_timeline")).json()
    assert [e["exercise"] for e in timeline["exercises"]] == ["E8"]
    assert PlanChange.objects.filter(profile=owner).first().reason == "pain_relaxation"
    # No override can leave the side path while the pain answer stands.
    response = client.post(reverse("training:plan_choice"), {"choice": "move_on"}, follow=True)
    assert "That is not possible at the moment." in response.content.decode()
    owner.pain = False
    owner.save()
    answers_changed.send(sender=Profile, profile=owner)
    plan = Plan.objects.get(profile=owner)
    assert (plan.stage, plan.side_path, plan.careful) == ("training", "", True)
    assert PlanChange.objects.filter(profile=owner).first().reason == "pain_gone"


def test_after_birth_only_circulation_squeezes_until_the_go_ahead_then_finding_the_muscles(client_factory):  # S2
    from tests.conftest import make_person

    mother = make_person("mother", recent_event="childbirth", go_ahead=False)
    answers_changed.send(sender=Profile, profile=mother)  # onboarding ended: the plan began
    client = english(client_factory(mother.user))
    assert "Gentle circulation squeezes" in client.get(reverse("today:home")).content.decode()
    assert [e["exercise"] for e in client.get(reverse("api:get_timeline")).json()["exercises"]] == ["E7"]
    client.post(reverse("training:go_ahead"))
    html = client.get(reverse("today:home")).content.decode()
    assert "Next: Strength, speed and endurance" in html
    assert PlanChange.objects.filter(profile=mother).first().reason == "go_ahead"


def test_the_self_check_is_recorded_and_ticked_off(owner_client, owner):  # C1-C3
    client = english(owner_client)
    client.post(reverse("training:self_check"))
    assert Plan.objects.get(profile=owner).self_check_done
    html = client.get(reverse("today:home")).content.decode()
    assert 'class="is-met"><span class="visually-hidden">Done:</span>Check once with your fingers' in html


def test_saying_satisfied_too_early_is_not_kept(owner_client, owner):  # K1, K2
    response = english(owner_client).post(reverse("training:satisfied"), follow=True)
    assert "Maintenance is not open yet." in response.content.decode()
    assert not Plan.objects.filter(profile=owner, satisfied=True).exists()


def test_the_functional_movements_can_be_chosen_and_an_empty_choice_is_refused(owner_client, owner):  # E5
    client = english(owner_client)
    for _step in range(2):  # to standing, where the movements for what comes next are chosen
        client.post(reverse("training:plan_choice"), {"choice": "move_on"})
    assert "Movements you practise" in client.get(reverse("training:plan")).content.decode()
    response = client.post(reverse("training:plan_movements"), {})
    assert response.status_code == 200
    assert "Please choose at least one movement." in response.content.decode()
    client.post(reverse("training:plan_movements"), {"movements": ["jump", "walk"]})
    assert Plan.objects.get(profile=owner).movements == ["walk", "jump"]


def test_a_stranger_sees_and_changes_only_their_own_plan(owner_client, owner, stranger_client, stranger):
    english(owner_client).post(reverse("training:plan_choice"), {"choice": "move_on"})
    stranger_client.post(reverse("training:plan_choice"), {"choice": "stay"})
    stranger_client.post(reverse("training:plan_numbers"), valid_numbers(strength_hold_seconds=9,
                                                                         strength_rest_seconds=9))
    html = english(stranger_client).get(reverse("training:plan")).content.decode()
    assert "You chose to move on" not in html
    owner_plan = Plan.objects.get(profile=owner)
    assert (owner_plan.stage, owner_plan.staying, owner_plan.strength_hold_seconds) == ("training", False, 4)
    assert not PlanChange.objects.filter(profile=owner, source="person").exclude(reason="person_moves_on").exists()


@pytest.mark.parametrize("name", ["plan", "plan_choice", "plan_numbers", "plan_movements", "self_check", "satisfied"])
def test_an_anonymous_visitor_is_sent_to_the_login(client, name):
    response = client.post(reverse(f"training:{name}")) if name != "plan" else client.get(reverse("training:plan"))
    assert response.status_code == 302 and response.url.split("?")[0] == reverse("accounts:login")
