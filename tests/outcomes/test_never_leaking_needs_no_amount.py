"""The check-in's "how much" question (issue 15, item 11g): someone who never leaks has nothing to
answer there, so it may be left empty; anyone who leaks must still answer it."""

from __future__ import annotations

import pytest

from knipa.outcomes.forms import CheckInForm

ANSWERS = {"bother": "0", "confidence": "8", "pain": "no"}


def form_for(**answers):
    return CheckInForm(data={**ANSWERS, **answers}, ask_improvement=False)


def test_someone_who_never_leaks_may_leave_how_much_unanswered():
    form = form_for(frequency="0")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == 0


def test_someone_who_leaks_must_still_say_how_much():
    form = form_for(frequency="3")
    assert not form.is_valid()
    assert "amount" in form.errors


def test_the_how_much_question_is_not_marked_required_in_the_page():
    # The browser's own required check would otherwise stop the "never" answer before the server.
    html = str(CheckInForm(ask_improvement=False)["amount"])
    assert "required" not in html


@pytest.mark.django_db
def test_a_never_answer_without_an_amount_is_saved(client_factory):
    from django.urls import reverse

    from knipa.outcomes.models import CheckIn
    from tests.conftest import make_person

    profile = make_person("never")
    client = client_factory(profile.user)
    response = client.post(reverse("outcomes:check_in"), {**ANSWERS, "frequency": "0"})
    assert response.status_code == 302
    assert CheckIn.objects.get(profile=profile).amount == 0
