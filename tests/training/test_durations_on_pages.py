"""Durations on the pages (issue 15, item 11b): a round of six seconds is "6 s", not "0 min 6 s", and
someone who began this week has not trained "0 weeks"."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_a_round_of_six_seconds_shows_six_seconds_in_the_history_and_on_its_page(client_factory):
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from knipa.training.models import TrainingRound
    from tests.conftest import make_person

    profile = make_person("short-round")
    start = timezone.now() - timedelta(minutes=5)
    done = TrainingRound.objects.create(profile=profile, stage="learning", position="lying", status="stopped",
                                        started_at=start, ended_at=start + timedelta(seconds=6))
    client = client_factory(profile.user)
    client.cookies["knipa_language"] = "sv"
    history = client.get(reverse("training:history")).content.decode()
    page = client.get(reverse("training:round", args=[done.id])).content.decode()
    for html in (history, page):
        assert "6 s" in html and "0 min" not in html


@pytest.mark.django_db
def test_home_and_the_summary_never_say_zero_weeks(client_factory):
    from django.urls import reverse

    from tests.conftest import make_person

    profile = make_person("new-trainer")
    client = client_factory(profile.user)
    client.cookies["knipa_language"] = "sv"
    from django.utils import timezone

    from knipa.training import plans
    from knipa.training.models import Plan

    plans.refresh(profile)
    Plan.objects.filter(profile=profile).update(training_started_on=timezone.now().date())
    for name in ("today:home", "data:summary"):
        html = client.get(reverse(name)).content.decode()
        assert "0 veckor" not in html and "0 vecka" not in html


@pytest.mark.django_db
def test_home_says_training_began_this_week_in_the_first_week(client_factory):
    from django.urls import reverse

    from tests.conftest import make_person

    from django.utils import timezone

    from knipa.training import plans
    from knipa.training.models import Plan

    profile = make_person("first-week")
    plans.refresh(profile)
    # Basic training began today (the plan keeps the day it began, K1).
    Plan.objects.filter(profile=profile).update(training_started_on=timezone.now().date())
    client = client_factory(profile.user)
    client.cookies["knipa_language"] = "en"
    html = client.get(reverse("today:home")).content.decode()
    assert "You began training this week." in html and "0 weeks" not in html
