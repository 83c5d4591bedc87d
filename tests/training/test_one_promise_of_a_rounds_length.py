"""One promise for how long a round takes (issue 15, item 11e): the home page, its guide for the first
stage, the practice button and the calendar all say what knipa.program.timeline.round_minutes says."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from knipa.program.rounds import Stage, compose_round
from knipa.program.timeline import round_minutes, stage_round_minutes
from knipa.training import plans
from knipa.program import plan as rules
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def test_a_stages_round_minutes_is_round_minutes_of_its_round():
    assert stage_round_minutes("daily_life") == round_minutes(compose_round(Stage.DAILY_LIFE))
    assert stage_round_minutes("training") == round_minutes(compose_round(Stage.TRAINING))


def test_every_length_on_the_home_page_is_the_one_promise(client_factory):
    profile = make_person("length")
    client = client_factory(profile.user)
    client.cookies["knipa_language"] = "en"
    html = client.get(reverse("today:home")).content.decode()
    promised = round_minutes(rules.round_exercises(plans.current_plan(profile)))
    found = re.findall(r"round takes about (\d+) minute", html)
    assert len(found) == 2  # the card above and the first stage's guide
    said = {int(n) for n in found}
    assert said == {promised}
    assert "only a few minutes" not in html
    practice = int(re.search(r"Practise it now \(about (\d+) minute", html).group(1))
    assert practice == stage_round_minutes("daily_life")
