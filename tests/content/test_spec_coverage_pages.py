"""What the pages tell a person about facts no other test cited by id (spec T1, T2, T5, S3, S5, L4,
W6), through the Django test client.

Part of the traceability check (tests/test_traceability.py): each test asserts what a person sees
and cites the spec id it covers.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def in_language(client, language="en"):
    client.cookies["knipa_language"] = language
    return client


def page(client, name: str, language: str = "en") -> str:
    response = in_language(client, language).get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    """The page's words with tags removed and white space collapsed, as a person reads them."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def move_on(client, times: int) -> None:
    for _ in range(times):
        in_language(client).post(reverse("training:plan_choice"), {"choice": "move_on"})


# --- Technique (T1, T2) -----------------------------------------------------------------------------


def test_before_every_round_the_player_has_the_body_relaxed_breathing_and_no_pushing_ticked_off(owner_client):
    # spec T1, T2: the round cannot start until each technique point is ticked (required boxes).
    html = page(owner_client, "training:player")
    for value, words in [
        ("relaxed", "My belly, buttocks and thighs are relaxed."),
        ("hand", "A hand rests on my belly, to feel that it stays soft."),
        ("breathing", "I breathe as usual and keep breathing while I squeeze."),
        ("no_pushing", "I will never push or bear down."),
    ]:
        assert re.search(rf'<input type="checkbox" name="technique" value="{value}" required', html), value
        assert words in html


def test_the_technique_checklist_is_in_swedish_for_a_swedish_speaker(owner_client):  # spec T1, T2
    html = page(owner_client, "training:player", language="sv")
    assert "Jag andas som vanligt och fortsätter att andas medan jag kniper." in html
    assert "I breathe as usual" not in html


def test_a_learner_is_told_to_keep_the_belly_soft_under_a_hand_and_never_bear_down(owner_client):  # spec T1, T2
    words = text_of(page(owner_client, "today:home"))
    assert "Rest a hand on your belly: it should stay relaxed while you squeeze." in words
    assert "Keep breathing as usual the whole time, and never push or bear down." in words


# --- Clear rounds (T5) ------------------------------------------------------------------------------


def announced_round_minutes(words: str) -> int:
    match = re.search(r"A round takes about (\d+) minutes?\.", words)
    assert match, "today's page says how long a round takes"
    return int(match.group(1))


def test_today_presents_training_as_rounds_of_a_few_minutes_counted_against_the_plan(owner_client):  # spec T5
    words = text_of(page(owner_client, "today:home"))
    # Finding the muscles: one short round of ten calm squeezes, three rounds a day (E0).
    assert announced_round_minutes(words) == 1
    assert "Rounds today 0 of 3" in words
    move_on(owner_client, 1)  # strength, speed and endurance: a longer round, still minutes long
    assert 1 < announced_round_minutes(text_of(page(owner_client, "today:home"))) <= 15


# --- Never stop the stream (S3) ---------------------------------------------------------------------


@pytest.mark.parametrize(("answers", "language", "warning"), [
    ({}, "en", "Never practise by stopping the flow when you pee."),
    ({}, "sv", "Öva aldrig genom att stoppa strålen när du kissar."),
    ({"recent_event": "childbirth"}, "en", "Never practise by stopping the flow when you pee."),
    ({"recent_event": "surgery"}, "sv", "Öva aldrig genom att stoppa strålen när du kissar."),
], ids=["learning-en", "learning-sv", "after-birth-en", "after-surgery-sv"])
def test_the_guide_warns_never_to_practise_by_stopping_the_stream(client_factory, answers, language, warning):
    # spec S3: on the paths where the person squeezes, and relaxing fully on the toilet.
    person = make_person("learner", **answers)
    words = text_of(page(client_factory(person.user), "today:home", language))
    assert warning in words


def test_with_pain_the_guide_says_relax_fully_on_the_toilet_and_never_strain(client_factory):  # spec S3, L4
    person = make_person("in_pain", pain=True)
    words = text_of(page(client_factory(person.user), "today:home"))
    assert "Practise letting go" in words
    assert "On the toilet, sit down properly, with your feet supported, and let everything relax." in words
    assert "Never strain, and avoid constipation." in words


# --- Leaking during exercise (S5) -------------------------------------------------------------------


def test_functional_training_says_to_leave_out_activities_that_cause_leaks_for_now(owner_client):  # spec S5
    advice = "If an activity makes you leak, leave it out of your exercise for now, until the pelvic floor is stronger."
    move_on(owner_client, 2)  # standing: the functional squeezes are not there yet
    assert advice not in text_of(page(owner_client, "today:home"))
    move_on(owner_client, 1)  # functional
    assert advice in text_of(page(owner_client, "today:home"))


# --- The goals (W6) ---------------------------------------------------------------------------------


def test_a_better_sex_life_can_be_chosen_as_a_goal_and_is_shown_as_a_reason_to_train(client):  # spec W6
    in_language(client).post(reverse("accounts:begin"))
    client.post(reverse("accounts:onboarding", args=["body"]), {"body": "neutral"})
    goals_page = client.get(reverse("accounts:onboarding", args=["goals"])).content.decode()
    assert 'value="sexual_function"' in goals_page and "For my sex life" in goals_page
    client.post(reverse("accounts:onboarding", args=["goals"]), {"goals": ["sexual_function"]})
    client.post(reverse("accounts:onboarding", args=["safety"]), {"pain": "no", "recent_event": "none",
                                                                  "pregnant": "no"})
    client.post(reverse("accounts:onboarding", args=["time-zone"]), {"time_zone": "Europe/Stockholm"})
    words = text_of(page(client, "today:home"))
    assert "Why you train For my sex life" in words


def test_the_daily_life_squeeze_is_practised_until_it_comes_by_itself(owner_client):  # spec W6, E6
    words = text_of(page(owner_client, "today:home"))
    daily_life = words[words.index("The squeeze in daily life"):words.index("Practise it now")]
    assert "by itself" in daily_life
    practice = in_language(owner_client).get(reverse("training:player") + "?practice=daily_life")
    assert "the squeeze can in time come by itself when you cough, sneeze or lift something" in text_of(
        practice.content.decode())
