"""Links to the guide where the question arises (knipa/guide/links.py and its template tags).

The player and the plan point to the page that explains the stage's exercises; the advice cards
(pain, a birth or operation, a cough, seek care) to theirs; a leak noted during sport or running to
the page on sport (S5); the check-in to the page on when to seek care (V1). Each link's page must
cover the spec ids the mapping names, in both languages, so a rewritten page cannot leave a link
pointing at the wrong explanation.
"""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from knipa.accounts.models import Profile
from knipa.guide import pages
from knipa.guide.links import TOPICS
from knipa.outcomes.models import Leak
from knipa.program.rounds import Stage
from knipa.program.safety import Advice
from tests.conftest import make_person
from tests.guide.conftest import LANGUAGES

pytestmark = pytest.mark.django_db


def url_of(slug: str) -> str:
    return reverse("guide:page", kwargs={"slug": slug})


@pytest.mark.parametrize(("kind", "key"), [(kind, key) for kind, topics in TOPICS.items() for key in topics])
def test_each_link_goes_to_a_page_that_covers_what_it_is_linked_for(kind, key):
    topic = TOPICS[kind][key]
    for language in LANGUAGES:
        page = pages.guide(language).page(topic.slug)
        assert page is not None, f"{kind} {key}: no page {topic.slug} in {language}"
        missing = set(topic.covers) - set(page.header.covers)
        assert not missing, f"{kind} {key}: {language}/{topic.slug} does not cover {sorted(missing)}"


def test_every_stage_and_every_piece_of_advice_has_its_page():
    assert set(TOPICS["stage"]) == {stage.value for stage in Stage}
    assert set(TOPICS["advice"]) == {advice.value for advice in Advice}
    assert TOPICS["leak"]["jump_or_run"].slug == "sport"  # S5


# --- Where the links appear ------------------------------------------------------------------------


@pytest.mark.parametrize(("answers", "query", "slug"), [
    ({}, "", "finding-the-muscles"),  # E0
    ({"pain": True}, "", "pain-and-relaxation"),  # S1, E8
    ({"recent_event": "childbirth"}, "", "birth-and-surgery"),  # E7, S2
    ({}, "?practice=daily_life", "daily-life"),  # E6
])
def test_the_players_setup_links_to_the_page_on_its_exercises(client_factory, answers, query, slug):
    person = make_person("trainee", **answers)
    html = client_factory(person.user).get(reverse("training:player") + query).content.decode()
    setup = html[html.index('id="player-setup"'):html.index('id="player-run"')]
    assert f'href="{url_of(slug)}"' in setup


def test_the_players_pain_advice_links_to_the_page_on_pain(client_factory):
    html = client_factory(make_person("trainee").user).get(reverse("training:player")).content.decode()
    advice = html[html.index('data-slot="pain-advice"'):html.index('data-slot="save-status"')]
    assert f'href="{url_of("pain-and-relaxation")}"' in advice  # S1


@pytest.mark.parametrize(("answers", "slug"), [({}, "finding-the-muscles"), ({"pain": True}, "pain-and-relaxation")])
def test_the_plan_page_links_to_the_page_on_the_stage(client_factory, answers, slug):
    html = client_factory(make_person("planner", **answers).user).get(reverse("training:plan")).content.decode()
    assert f'href="{url_of(slug)}"' in html


@pytest.mark.parametrize(("answers", "advice", "slug"), [
    ({"pain": True}, "contact_care_about_pain", "pain-and-relaxation"),  # S1, W5
    ({"recent_event": "childbirth"}, "wait_for_go_ahead", "birth-and-surgery"),  # S2
    ({"recent_event": "surgery"}, "wait_for_go_ahead", "birth-and-surgery"),  # S2
    ({"goals": ["cough"]}, "treat_cough", "lifestyle"),  # W4, L2
])
def test_each_advice_card_on_today_links_to_its_page(client_factory, answers, advice, slug):
    person = make_person("advised", **answers)
    assert advice in person.advice
    html = client_factory(person.user).get(reverse("today:home")).content.decode()
    card = html[html.index('id="advice-heading"'):]
    card = card[:card.index("</section>")]
    assert f'href="{url_of(slug)}"' in card


@pytest.mark.parametrize("item", list(TOPICS["care"]))
def test_each_seek_care_advice_links_to_the_page_on_seeking_care(item):
    # V1-V3: the advice from the person's own numbers; the page says when and where to turn.
    profile = Profile(body="vagina")
    with translation.override("sv"):
        html = render_to_string("outcomes/care_advice.html", {"care_advice": [item], "profile": profile})
    assert f'href="{url_of("seek-care")}"' in html


def test_a_leak_noted_during_sport_links_to_the_page_on_sport(client_factory):
    # S5: leaking during exercise has its own advice.
    person = make_person("runner")
    runner = client_factory(person.user)
    assert f'href="{url_of("sport")}"' not in runner.get(reverse("outcomes:leaks")).content.decode()
    runner.post(reverse("outcomes:leaks"), {"situation": Leak.Situation.JUMP_OR_RUN, "amount": Leak.Amount.DROPS})
    runner.post(reverse("outcomes:leaks"), {"situation": Leak.Situation.COUGH, "amount": Leak.Amount.DROPS})
    runner.post(reverse("outcomes:leaks"), {"situation": Leak.Situation.SNEEZE, "amount": Leak.Amount.DROPS})
    html = runner.get(reverse("outcomes:leaks")).content.decode()
    assert html.count(f'href="{url_of("sport")}"') == 1
    assert html.count(f'href="{url_of("daily-life")}"') == 1  # a cough and a sneeze: one page, once


def test_the_check_in_links_to_the_page_on_when_to_seek_care(client_factory):
    html = client_factory(make_person("checking").user).get(reverse("outcomes:check_in")).content.decode()
    assert f'href="{url_of("seek-care")}"' in html  # V1


def test_a_link_names_the_page_in_the_readers_language(client_factory):
    person = make_person("english", language="en")
    reader = client_factory(person.user)
    reader.cookies["knipa_language"] = "en"
    html = reader.get(reverse("training:plan")).content.decode()
    english_title = pages.guide("en").page("finding-the-muscles").header.title
    assert f'href="{url_of("finding-the-muscles")}">{english_title}</a>' in html
