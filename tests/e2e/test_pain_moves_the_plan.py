"""Pain stops training, not just the round (spec S1, W5, E8, V1, S2), in a real browser.

A person in basic training (strength, speed and endurance) reports pain in the middle of a round.
The next round the app offers is relaxation practice, with nothing that asks for a squeeze, the
home page gives the advice to contact care, and the plan history says why. Only when the person
says the pain has gone does squeezing come back, eased.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from knipa.training.models import PlanChange
from tests.conftest import make_person
from tests.e2e.test_player import (
    answer_the_self_report,
    choose_position_and_confirm_the_technique,
    log_in_as,
    serve_timelines_faster,
    wait_for_state,
    wait_until_saved,
)
from tests.training.plan_seeding import follow_the_plan

TRAIN = reverse("training:player")
HOME = reverse("today:home")
PLAN = reverse("training:plan")
SAFETY = reverse("accounts:onboarding", args=["safety"]) + "?from=profile"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_pain_reported_mid_round_makes_relaxation_the_next_round_until_the_pain_has_gone(
        transactional_db, tab, language):  # spec S1, W5, E8, V1, S2
    profile = make_person(f"training-{language}")
    follow_the_plan(profile, weeks=4)  # E0 learned: basic training (E1, E2, E3)
    log_in_as(tab, profile.user.get_username(), language)
    page = tab.page

    tab.visit(TRAIN)
    served = serve_timelines_faster(page, divide_by=50)
    choose_position_and_confirm_the_technique(page, "lying")
    page.locator("#player-start").click()
    wait_for_state(page, "report")  # after the first strength squeezes
    assert [exercise["exercise"] for exercise in served[-1]["exercises"]][-1] == "E3"
    answer_the_self_report(page, full_strength="2", felt_lift="unsure", pain="yes")
    wait_for_state(page, "finished")
    assert wait_until_saved(page) == "saved"

    # The next round is relaxation practice: no strength, nothing to squeeze.
    tab.visit(TRAIN)
    assert page.locator("#player").get_attribute("data-stage") == "relaxation"
    served.clear()
    choose_position_and_confirm_the_technique(page, "lying")
    page.locator("#player-start").click()
    wait_for_state(page, "running", 5_000)
    assert [exercise["exercise"] for exercise in served[-1]["exercises"]] == ["E8"]
    page.locator("[data-action=stop]").click()
    wait_for_state(page, "finished")

    # Home: the advice to contact care about the pain (V1); the plan history says why.
    tab.visit(HOME)
    assert page.locator(".advice--important").count() >= 1
    care_text = page.locator(".advice--important").first.inner_text()
    assert "1177" in care_text
    assert PlanChange.objects.filter(profile=profile, reason="pain_in_round").count() == 1
    tab.visit(PLAN)
    assert page.locator("[data-reason=pain_in_round]").count() == 1

    # The person says the pain has gone: back to basic training, eased (S2).
    tab.visit(SAFETY)
    page.check("input[name=pain][value=no]")
    tab.primary_submit()
    tab.visit(TRAIN)
    assert page.locator("#player").get_attribute("data-stage") == "training"
    back = PlanChange.objects.filter(profile=profile, reason="pain_gone").get()
    assert back.parameters_after["strength_hold_seconds"] <= back.parameters_before["strength_hold_seconds"]
