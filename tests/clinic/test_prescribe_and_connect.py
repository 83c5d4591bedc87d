"""A clinician suggests numbers (checked by knipa/program's own bounds, T4) for the person to
accept, and starts following a person by the person's code (issue 16)."""

from __future__ import annotations

import pytest

from knipa.sharing import access
from knipa.sharing.models import Access, AccessLog, Prescription, PrescriptionStatus, Scope, Share, ShareCode
from knipa.training import plans
from tests.clinicians.people import make_clinician, verified_client
from tests.conftest import make_person

pytestmark = pytest.mark.django_db

NUMBERS = {"stage": "training", "strength_hold_seconds": "6", "strength_rest_seconds": "12", "strength_reps": "10",
           "rounds_per_day": "2", "days_per_week": "5", "positions": ["sitting", "standing"], "mode": "fixed",
           "note": "Sitting and standing this month."}


@pytest.fixture
def clinician():
    return make_clinician()


@pytest.fixture
def shared(clinician):
    person = make_person("patient")
    plans.refresh(person)
    return access.start_share(person, clinician, [scope.value for scope in Scope])


def test_a_prescription_within_the_safe_bounds_waits_for_the_person(clinician, shared):
    answer = verified_client(clinician.user).post(f"/clinic/people/{shared.pk}/prescribe/", NUMBERS)
    assert answer.status_code == 302 and answer["Location"] == f"/clinic/people/{shared.pk}/"
    prescription = Prescription.objects.get(share=shared)
    assert prescription.status == PrescriptionStatus.PENDING and prescription.mode == "fixed"
    assert prescription.parameters == {"stage": "training", "strength_hold_seconds": 6, "strength_rest_seconds": 12,
                                       "strength_reps": 10, "rounds_per_day": 2, "days_per_week": 5,
                                       "positions": ["sitting", "standing"]}
    assert prescription.note == "Sitting and standing this month."
    assert AccessLog.objects.filter(share=shared, what=Access.PRESCRIPTION_MADE).exists()
    assert plans.current_plan(shared.profile).parameters.strength_hold_seconds != 6  # not until accepted


def test_a_rest_shorter_than_the_hold_is_refused_in_plain_words_and_nothing_is_sent(clinician, shared):
    answer = verified_client(clinician.user).post(f"/clinic/people/{shared.pk}/prescribe/",
                                                  {**NUMBERS, "strength_rest_seconds": "4"})
    assert answer.status_code == 200
    assert "The rest must be at least as long as the squeeze" in answer.content.decode()  # T4
    assert not Prescription.objects.exists()


@pytest.mark.parametrize("field, value, words", [
    ("strength_hold_seconds", "11", "The highest safe value is 10."),
    ("rounds_per_day", "0", "The lowest safe value is 1."),
    ("stage", "relaxation", "Please choose one of the options."),  # a side path is the safety screen's (S1)
    ("strength_reps", "many", "Please give a whole number."),
])
def test_numbers_outside_the_programs_bounds_are_refused(clinician, shared, field, value, words):
    answer = verified_client(clinician.user).post(f"/clinic/people/{shared.pk}/prescribe/", {**NUMBERS, field: value})
    assert answer.status_code == 200 and words in answer.content.decode()
    assert not Prescription.objects.exists()


def test_no_prescription_for_a_plan_that_is_not_shared(clinician):
    person = make_person("private_plan")
    share = access.start_share(person, clinician, [Scope.ROUNDS.value])
    answer = verified_client(clinician.user).post(f"/clinic/people/{share.pk}/prescribe/", NUMBERS)
    assert answer.status_code == 302
    assert not Prescription.objects.exists()


def test_a_persons_code_starts_the_share_with_the_scopes_they_chose(clinician):
    person = make_person("with_code")
    _code, plain = access.make_code(profile=person, scopes=[Scope.CHECK_INS.value])
    browser = verified_client(clinician.user)
    # A link with the code fills in the form; the share starts only with the button (a GET never writes).
    page = browser.get(f"/clinic/connect/{plain}/")
    assert page.status_code == 200 and plain in page.content.decode()
    assert not Share.objects.exists()
    answer = browser.post("/clinic/connect/", {"code": plain.lower()[:4] + "-" + plain[4:]})
    share = Share.objects.get(profile=person, clinician=clinician)
    assert answer.status_code == 302 and answer["Location"] == f"/clinic/people/{share.pk}/"
    assert share.scopes == [Scope.CHECK_INS.value]
    again = browser.post("/clinic/connect/", {"code": plain})
    assert again.status_code == 200 and "already been used" in again.content.decode()


def test_a_made_up_code_starts_nothing(clinician):
    answer = verified_client(clinician.user).post("/clinic/connect/", {"code": "ABCD-EFGH"})
    assert answer.status_code == 200 and "There is no such code" in answer.content.decode()
    assert not Share.objects.exists()


def test_a_clinician_makes_a_code_for_a_person_shown_once(clinician):
    answer = verified_client(clinician.user).post("/clinic/code/")
    assert answer.status_code == 200
    code = ShareCode.objects.get(clinician=clinician)
    shown = answer.content.decode().split('data-testid="clinician-code"><code>')[1].split("<")[0]
    assert access.hash_code(shown) == code.code_hash


def test_the_clinician_can_end_the_follow_up(clinician, shared):
    answer = verified_client(clinician.user).post(f"/clinic/people/{shared.pk}/stop/")
    assert answer.status_code == 302
    shared.refresh_from_db()
    assert shared.withdrawn_at is not None and shared.withdrawn_by == "clinician"
