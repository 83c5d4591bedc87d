"""The player page: which round it describes, and which round it tells the player to ask for."""

import pytest
from django.urls import reverse

from tests.conftest import make_person

pytestmark = pytest.mark.django_db

TRAIN = reverse("training:player")


def test_the_daily_life_practice_page_asks_the_player_for_the_practice(owner_client):  # spec E6
    html = owner_client.get(f"{TRAIN}?practice=daily_life").content.decode()
    assert 'data-stage="daily_life"' in html and 'data-practice="daily_life"' in html
    assert 'data-key="E6"' in html


def test_the_plain_player_page_asks_for_the_plans_round(owner_client):
    html = owner_client.get(TRAIN).content.decode()
    assert 'data-stage="learning"' in html and 'data-practice=""' in html


def test_on_the_relaxation_path_the_practice_is_not_offered(client_factory):  # spec S1
    person = make_person("hurting", pain=True)
    html = client_factory(person.user).get(f"{TRAIN}?practice=daily_life").content.decode()
    assert 'data-stage="relaxation"' in html and 'data-practice=""' in html
