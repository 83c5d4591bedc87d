"""A clinician's suggested numbers, on the person's side: shown with what would change, applied to
the plan only when accepted, within the safe bounds, and never above the safety rules (issue 16)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from knipa.program.rounds import Stage
from knipa.sharing import access
from knipa.sharing.models import AccessLog, Prescription
from knipa.training import plans
from knipa.training.models import Plan, PlanChange
from tests.sharing.people import OWNER_PRESCRIPTION, make_clinician
from tests.training.plan_seeding import follow_the_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def training_owner(owner):
    follow_the_plan(owner, weeks=2)
    assert plans.current_plan(owner).stage is Stage.TRAINING
    return owner


@pytest.fixture
def share(training_owner):
    return access.start_share(training_owner, make_clinician(), ["rounds", "plan"])


def suggest(share, mode="fixed", **changes) -> Prescription:
    return access.make_prescription(share, {**OWNER_PRESCRIPTION, **changes}, "Sitting, five days a week.", mode)


def page(client, suggestion) -> str:
    client.cookies["knipa_language"] = "en"
    return client.get(reverse("sharing:prescription", kwargs={"prescription_id": suggestion.pk})).content.decode()


def test_the_suggestion_shows_who_when_what_changes_the_note_and_the_mode(training_owner, owner_client, share):
    before = plans.current_plan(training_owner).parameters
    suggestion = suggest(share)
    html = page(owner_client, suggestion)
    assert "Sara Fysio" in html and "Bäckenkliniken" in html and "Sitting, five days a week." in html
    changes = html[html.index('data-testid="suggestion-changes"'):]
    assert f"<td>{before.strength_reps}</td><td><strong>9</strong></td>" in changes
    assert f"<td>{before.days_per_week}</td><td><strong>5</strong></td>" in changes
    assert 'data-testid="suggestion-mode"' in html and "Kept fixed" in html


def test_accepting_applies_the_numbers_to_the_plan_as_the_clinicians_change(training_owner, owner_client, share):
    suggestion = suggest(share)
    response = owner_client.post(reverse("sharing:prescription", kwargs={"prescription_id": suggestion.pk}),
                                 {"answer": "accept"})
    assert response["Location"] == reverse("training:plan")
    plan = Plan.objects.get(profile=training_owner)
    assert (plan.strength_hold_seconds, plan.strength_rest_seconds, plan.strength_reps, plan.rounds_per_day,
            plan.days_per_week, plan.positions, plan.numbers_fixed) == (5, 10, 9, 3, 5, ["sitting"], True)
    change = PlanChange.objects.filter(profile=training_owner, reason="prescribed").get()
    assert change.source == "clinician" and change.parameters_after["strength_reps"] == 9
    assert Prescription.objects.get(pk=suggestion.pk).status == "accepted"
    assert AccessLog.objects.filter(profile=training_owner, what="prescription_accepted").exists()
    # The player offers the prescribed position only.
    timeline = owner_client.get("/api/timeline").json()
    assert timeline["positions"] == ["sitting"]


def test_declining_changes_nothing_in_the_plan(training_owner, owner_client, share):
    before = plans.current_plan(training_owner)
    suggestion = suggest(share)
    owner_client.post(reverse("sharing:prescription", kwargs={"prescription_id": suggestion.pk}),
                      {"answer": "decline"})
    assert plans.current_plan(training_owner) == before
    assert not PlanChange.objects.filter(profile=training_owner, reason="prescribed").exists()
    assert Prescription.objects.get(pk=suggestion.pk).status == "declined"


def test_an_answered_suggestion_cannot_be_answered_again(training_owner, owner_client, share):
    suggestion = suggest(share)
    url = reverse("sharing:prescription", kwargs={"prescription_id": suggestion.pk})
    owner_client.post(url, {"answer": "decline"})
    owner_client.post(url, {"answer": "accept"})
    assert Prescription.objects.get(pk=suggestion.pk).status == "declined"
    assert not PlanChange.objects.filter(profile=training_owner, reason="prescribed").exists()


def test_numbers_outside_the_safe_bounds_are_never_made_nor_applied(training_owner, owner_client, share):
    with pytest.raises(ValueError):
        suggest(share, strength_hold_seconds=12)
    with pytest.raises(ValueError):
        suggest(share, strength_hold_seconds=8, strength_rest_seconds=6)  # T4: rest >= hold
    # A row that got past the check anyway (written by hand) is refused when accepted.
    suggestion = suggest(share)
    Prescription.objects.filter(pk=suggestion.pk).update(parameters={**OWNER_PRESCRIPTION, "strength_reps": 50})
    before = plans.current_plan(training_owner)
    owner_client.post(reverse("sharing:prescription", kwargs={"prescription_id": suggestion.pk}),
                      {"answer": "accept"})
    assert plans.current_plan(training_owner) == before
    assert Prescription.objects.get(pk=suggestion.pk).status == "pending"


def test_pain_reported_after_accepting_a_fixed_prescription_moves_to_relaxation(training_owner, share):  # S1
    from knipa.sharing.prescriptions import decide

    decide(training_owner, suggest(share).pk, accept=True)
    assert plans.current_plan(training_owner).numbers_fixed
    state = plans.note_pain(training_owner)  # a check-in or a round that hurt
    assert state.current_stage is Stage.RELAXATION


def test_accepting_on_the_pain_path_keeps_relaxation(training_owner, owner_client, share):  # S1
    plans.note_pain(training_owner)
    suggestion = suggest(share)
    assert "gentler path" in page(owner_client, suggestion)
    owner_client.post(reverse("sharing:prescription", kwargs={"prescription_id": suggestion.pk}),
                      {"answer": "accept"})
    assert plans.current_plan(training_owner).current_stage is Stage.RELAXATION
    assert owner_client.get("/api/timeline").json()["stage"] == "relaxation"


def test_a_new_suggestion_takes_back_the_one_still_waiting(share):
    first = suggest(share)
    second = suggest(share, strength_reps=10)
    assert Prescription.objects.get(pk=first.pk).status == "withdrawn"
    assert Prescription.objects.get(pk=second.pk).status == "pending"


def test_the_home_page_mentions_a_waiting_suggestion_in_one_line(training_owner, owner_client, share):
    assert 'data-testid="waiting-suggestion"' not in owner_client.get(reverse("today:home")).content.decode()
    suggestion = suggest(share)
    html = owner_client.get(reverse("today:home")).content.decode()
    assert 'data-testid="waiting-suggestion"' in html
    assert reverse("sharing:prescription", kwargs={"prescription_id": suggestion.pk}) in html
