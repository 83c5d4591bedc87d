"""Is it working? In a real browser (spec V1-V4): the first check-in, a leak logged with one tap and
a diary day show up on the progress page, in charts with tables beside them; scripted histories get
the right seek-care advice. Every landing gets the harness's checks (zero axe violations)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from knipa.outcomes.models import CheckIn, DiaryEntry, Leak
from knipa.program.plan import Override
from knipa.training import plans
from knipa.training.models import TrainingRound
from tests.conftest import make_person
from tests.e2e.test_player import log_in_as

HOME = reverse("today:home")
PROGRESS = reverse("outcomes:progress")
CHECK_IN = reverse("outcomes:check_in")
LEAKS = reverse("outcomes:leaks")
DIARY = reverse("outcomes:diary")


@pytest.fixture(params=["sv", "en"])
def language(request) -> str:
    return request.param


def signed_in(tab, profile, language):
    log_in_as(tab, profile.user.get_username(), language)
    return tab


def test_check_in_leaks_and_diary_show_on_the_progress_page(transactional_db, tab, language):
    profile = make_person(f"noting-{language}")
    signed_in(tab, profile, language)
    page = tab.page
    assert page.locator(f"a[href='{CHECK_IN}']").count() >= 1  # the first check-in is offered at once
    tab.visit(CHECK_IN)
    page.check("input[name=frequency][value='3']")
    page.check("input[name=amount][value='2']")
    page.check("input[name=bother][value='6']")
    page.check("input[name=confidence][value='5']")
    page.check("input[name=pain][value='no']")
    tab.submit("main form button[type=submit]")
    assert tab.path == PROGRESS
    assert page.get_by_test_id("latest-index").inner_text() == "6"

    tab.visit(LEAKS)
    page.check("input[name=amount][value='splash']")
    tab.submit("button[name=situation][value=sneeze]")
    tab.submit("button[name=situation][value=lift]")
    assert Leak.objects.filter(profile=profile).count() == 2

    tab.visit(DIARY)
    add = "main form.stack button.button--primary"
    page.check("input[name=kind][value=void]")
    page.fill("input[name=volume_ml]", "320")
    page.fill("input[name=time]", "09:15")
    tab.submit(add)
    page.check("input[name=kind][value=leak]")
    page.fill("input[name=time]", "11:00")
    tab.submit(add)
    assert DiaryEntry.objects.filter(profile=profile).count() == 2
    assert page.get_by_test_id("diary-summary").count() == 1

    tab.visit(PROGRESS)
    leaks_chart = page.locator("figure.chart").filter(has=page.locator("#chart-leaks-title"))
    assert leaks_chart.count() == 1
    leaks_chart.locator("summary").click()  # the numbers as a table
    cells = leaks_chart.locator("tbody td").all_inner_texts()
    assert cells[-1] == "3"  # two one-tap leaks and the diary's leak, this week
    assert page.locator("svg[role=img] title").count() >= 5  # every chart has a text alternative
    assert page.get_by_test_id("care-advice").count() == 0  # nothing calls for care


def test_avoiding_friends_brings_the_advice_to_contact_primary_care_now(transactional_db, tab, language):  # V1
    profile = make_person(f"avoiding-{language}")
    CheckIn.objects.create(profile=profile, at=timezone.now(), frequency=3, amount=2, bother=7, confidence=5,
                           avoids_friends=True)
    signed_in(tab, profile, language)
    advice = tab.page.get_by_test_id("care-advice")
    assert advice.count() == 1 and "1177" in advice.inner_text()
    tab.visit(PROGRESS)
    assert tab.page.get_by_test_id("care-advice").locator("li").count() == 1


def test_three_faithful_months_without_improvement_bring_the_advice_to_seek_care(transactional_db, tab, language):
    profile = make_person(f"steady-{language}")  # V1, V2
    plans.override(profile, Override.MOVE_ON)
    plan = profile.plan
    plan.training_started_on = (timezone.now() - timedelta(weeks=13)).date()
    plan.rounds_per_day, plan.days_per_week = 1, 7
    plan.save()
    start = timezone.now() - timedelta(weeks=13)
    TrainingRound.objects.bulk_create(
        TrainingRound(id=uuid.uuid4(), profile=profile, stage="training", position="lying", status="finished",
                      started_at=start + timedelta(days=day), ended_at=start + timedelta(days=day, minutes=7))
        for day in range(91))
    CheckIn.objects.create(profile=profile, at=start, frequency=3, amount=2, bother=6, confidence=4)
    CheckIn.objects.create(profile=profile, at=timezone.now() - timedelta(days=1), frequency=3, amount=2, bother=6,
                           confidence=8, improvement=4)
    signed_in(tab, profile, language)
    tab.visit(PROGRESS)
    assert tab.page.get_by_test_id("care-advice").locator("li").count() == 1
    days = tab.page.locator("figure.chart").filter(has=tab.page.locator("#chart-days-title"))
    days.locator("summary").click()
    assert days.locator("tbody td").all_inner_texts()[-2] == "7"  # last full week: every day trained
