"""The position pictures (P1-P4) are drawn inline in the player's page (issue 15: no picture of its
own to fetch on a phone's first visit), each described for screen readers, beside the position's
own name."""

import re

import pytest
from django.urls import reverse

from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def test_each_position_card_has_its_name_and_an_inline_picture_with_its_description(client_factory):
    html = client_factory(make_person("positions").user).get(reverse("training:player")).content.decode()
    cards = re.findall(r'<label class="position-card" for="position-(\w+)">(.*?)</label>', html, flags=re.S)
    assert [value for value, _card in cards] == ["lying", "sitting", "all_fours"]  # P1-P3 while learning
    names = {"lying": "Liggande", "sitting": "Sittande", "all_fours": "På alla fyra"}
    for value, card in cards:
        picture = re.search(r'<svg class="position-card__picture" viewBox="0 0 200 140" width="200" height="140" '
                            r'role="img" aria-label="([^"]+)">', card)
        assert picture, f"no inline picture on the card {value}"
        assert picture.group(1).startswith("En person"), picture.group(1)
        label = re.search(r'<span class="position-card__label">([^<]*)</span>', card).group(1)
        assert label == names[value] != picture.group(1)
    assert "<img" not in html.split('id="player-setup"')[1].split("</section>")[0]
