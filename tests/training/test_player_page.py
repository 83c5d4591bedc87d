"""The player page: which round it describes, and which round it tells the player to ask for."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.conftest import make_person

pytestmark = pytest.mark.django_db

TRAIN = reverse("training:player")
TIMELINE_API = "/api/timeline"
SQUEEZE = re.compile(r"squeez", re.IGNORECASE)  # squeeze, squeezes, squeezing, squeezed


class PlayerText(HTMLParser):
    """Every word the player (#player) can show or say: text, the strings its script shows
    (<template>, #player-strings), and the attributes people read or hear (alt, labels)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.depth = 0  # inside #player: how many open elements deep
        self.in_script = False
        self.words: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.depth == 0 and attributes.get("id") != "player":
            return
        if tag == "script":
            self.in_script = True
        for name in ("alt", "aria-label", "title", "placeholder"):
            if attributes.get(name):
                self.words.append(attributes[name])
        if tag not in self.VOID:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.in_script and data.strip():
            self.words.append(data.strip())


def player_words(html: str) -> str:
    parser = PlayerText()
    parser.feed(html)
    assert parser.words, "no #player on the page"
    return " ".join(parser.words)


@pytest.fixture
def hurting_client(client_factory):
    """A person who said it hurts (S1): on the relaxation path, reading English."""
    person = make_person("hurting", pain=True, language="en")
    return client_factory(person.user)


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


def test_the_relaxation_page_never_speaks_of_squeezing(hurting_client):  # spec S1, W5, E8
    html = hurting_client.get(TRAIN).content.decode()
    assert 'data-stage="relaxation"' in html and '<html lang="en"' in html
    words = player_words(html)
    assert not SQUEEZE.findall(words), [part for part in re.split(r"(?<=[.:!?])\s+", words) if SQUEEZE.search(part)]
    # ... and says what to do instead: breathe calmly and let go, sound included.
    assert "I breathe calmly, in through the nose and slowly out." in words
    assert "a high tone to breathe in, a low tone to breathe out and let go" in words
    assert "Let the chair carry your weight." in words


def test_the_relaxation_rounds_cues_never_speak_of_squeezing(hurting_client):  # spec S1, E8
    timeline = hurting_client.get(TIMELINE_API).json()
    assert timeline["stage"] == "relaxation"
    texts = {cue["text"] for cue in timeline["cues"]}
    assert texts and not [text for text in texts if SQUEEZE.search(text)], texts


def test_the_main_path_page_still_has_the_squeeze_checklist(client_factory):  # spec T1, T2
    person = make_person("learner", language="en")
    html = client_factory(person.user).get(TRAIN).content.decode()
    assert 'data-stage="learning"' in html
    words = player_words(html)
    assert "I breathe as usual and keep breathing while I squeeze." in words
    assert "I will never push or bear down." in words
    assert "a high tone to squeeze, a low tone to relax" in words
    assert "How many squeezes were at full strength?" in words


def test_every_round_has_a_pain_button_and_its_advice_leads_to_the_plan(client_factory, hurting_client):  # spec S1
    learner = client_factory(make_person("learner", language="en").user)
    for client in (learner, hurting_client):
        html = client.get(TRAIN).content.decode()
        assert re.search(r'<button type="button"[^>]*data-action="pain"[^>]*>It hurts – stop now</button>', html)
        assert f'href="{reverse("training:plan")}" data-link="plan"' in html
    html = learner.get(TRAIN).content.decode()
    assert "Your plan now switches to relaxation practice" in player_words(html)


def test_the_circulation_round_says_to_stop_if_it_hurts(client_factory):  # spec S2, E7
    person = make_person("after-birth", recent_event="childbirth", language="en")
    timeline = client_factory(person.user).get(TIMELINE_API).json()
    assert timeline["stage"] == "circulation"
    intro = timeline["cues"][0]
    assert intro["text_key"] == "intro_circulation" and "stop if it hurts" in intro["text"]
