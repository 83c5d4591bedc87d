"""The plan in a real browser (spec E0-E5, K1, K2): after weeks of simulated training the home page
shows the right stage and the next milestone; an override is recorded and explained; the plan
page's own numbers are checked against the safe bounds. Every landing gets the harness's checks
(language, zero axe violations, no console or CSP problems)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from knipa.training.models import Plan, PlanChange
from tests.conftest import make_person
from tests.e2e.test_player import log_in_as
from tests.training.plan_seeding import follow_the_plan

HOME = reverse("today:home")
PLAN = reverse("training:plan")

STAGE_NAMES = {
    "sv": {"standing": "Stående träning", "functional": "Funktionell träning", "learning": "Hitta musklerna"},
    "en": {"standing": "Standing training", "functional": "Functional training", "learning": "Finding the muscles"},
}
STAYING = {"sv": "Du valde att stanna", "en": "You chose to stay"}
MOVED_ON = {"sv": "Du valde att gå vidare", "en": "You chose to move on"}


@pytest.fixture(params=["sv", "en"])
def language(request) -> str:
    return request.param


@pytest.fixture
def eight_weeks_in(transactional_db, tab, language):
    """A person who has followed the plan for eight weeks, logged in, on the home page."""
    profile = make_person(f"steady-{language}")
    follow_the_plan(profile, weeks=8)
    log_in_as(tab, profile.user.get_username(), language)
    return tab, profile


def test_after_eight_weeks_home_shows_standing_and_what_functional_training_takes(eight_weeks_in, language):
    tab, _profile = eight_weeks_in
    page = tab.page
    assert page.get_by_test_id("stage").inner_text() == STAGE_NAMES[language]["standing"]
    milestone = page.get_by_test_id("milestone")
    assert STAGE_NAMES[language]["functional"] in milestone.locator("h2").inner_text()
    items = milestone.locator(".checklist li")
    assert items.count() == 4  # full rounds, one minute's endurance, the lift, weeks at this stage
    assert milestone.locator(".checklist li.is-met").count() >= 1  # the endurance minute is already held
    tally = page.get_by_test_id("tally")
    assert tally.locator("dd").first.inner_text().endswith("2")  # rounds today: n of 2


def test_an_override_is_recorded_and_explained_on_the_plan_page(eight_weeks_in, language):
    tab, profile = eight_weeks_in
    tab.visit(PLAN)
    tab.submit("button[name=choice][value=stay]")
    assert STAYING[language] in tab.page.get_by_test_id("plan-changes").locator("li").first.inner_text()
    assert Plan.objects.get(profile=profile).staying
    tab.submit("button[name=choice][value=move_on]")
    assert tab.page.get_by_test_id("plan-stage").inner_text() == STAGE_NAMES[language]["functional"]
    assert MOVED_ON[language] in tab.page.get_by_test_id("plan-why").inner_text()
    latest = PlanChange.objects.filter(profile=profile).first()
    assert (latest.reason, latest.source, latest.stage_after) == ("person_moves_on", "person", "functional")
    tab.visit(HOME)
    assert tab.page.get_by_test_id("stage").inner_text() == STAGE_NAMES[language]["functional"]


def test_numbers_outside_the_safe_bounds_are_marked_and_nothing_changes(eight_weeks_in, language):
    tab, profile = eight_weeks_in
    tab.visit(PLAN)
    hold_before = Plan.objects.get(profile=profile).strength_hold_seconds
    tab.page.locator("details.disclosure summary").first.click()
    tab.page.fill("input[name=strength_hold_seconds]", "30")
    tab.submit("form[action$='/plan/numbers/'] button[type=submit]")
    field = tab.page.locator(".field--error input[name=strength_hold_seconds]")
    assert field.count() == 1
    assert field.get_attribute("aria-invalid") == "true"
    assert Plan.objects.get(profile=profile).strength_hold_seconds == hold_before
