"""Starting without registering, and the onboarding sequence (spec T3, W1-W4, W5, S1, S2, S4)."""

import re

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from knipa.accounts.models import Profile

SWEDISH_NOT_FOUND = "Vi hittar inte sidan"

pytestmark = pytest.mark.django_db


def onboard(client, *, body="vagina", goals=("prevent",), pain="no", recent_event="none", go_ahead=False,
            pregnant="no", time_zone="Europe/Stockholm", event_on=None):
    client.post(reverse("accounts:begin"))
    client.post(reverse("accounts:onboarding", args=["body"]), {"body": body})
    client.post(reverse("accounts:onboarding", args=["goals"]), {"goals": list(goals)})
    safety = {"pain": pain, "recent_event": recent_event, "pregnant": pregnant}
    if recent_event != "none":
        safety["event_on"] = (event_on or timezone.localdate() - timedelta(days=14)).isoformat()
    if go_ahead:
        safety["go_ahead"] = "on"
    client.post(reverse("accounts:onboarding", args=["safety"]), safety)
    return client.post(reverse("accounts:onboarding", args=["time-zone"]), {"time_zone": time_zone})


def test_start_training_creates_a_private_profile_without_email_or_password(client):
    response = client.post(reverse("accounts:begin"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:onboarding", args=["body"])
    user = get_user_model().objects.get()
    assert not user.has_usable_password()
    assert user.email == ""
    assert Profile.objects.get(user=user).secured is False
    # The session cookie now holds the profile: the next page is theirs.
    assert client.get(reverse("accounts:onboarding", args=["body"])).status_code == 200


def test_start_training_only_accepts_post_so_a_link_cannot_create_profiles(client):
    assert client.get(reverse("accounts:begin")).status_code == 405
    assert not get_user_model().objects.exists()


def test_the_profile_starts_in_the_language_the_person_chose_before_starting(client):
    client.post(reverse("content:set_language"), {"language": "en", "next": "/"})
    client.post(reverse("accounts:begin"))
    assert Profile.objects.get().language == "en"


def test_onboarding_ends_on_the_home_page_with_every_answer_saved(client):
    response = onboard(client, body="penis", goals=("cough", "urinary_leakage"), pregnant="no",
                       time_zone="America/Sao_Paulo")
    assert response["Location"] == reverse("today:home")
    profile = Profile.objects.get()
    assert profile.body == "penis"
    assert profile.goals == ["urinary_leakage", "cough"] or set(profile.goals) == {"cough", "urinary_leakage"}
    assert profile.pain is False and profile.pregnant is False
    assert profile.time_zone == "America/Sao_Paulo"
    assert profile.onboarded_at is not None


def test_the_home_page_waits_until_onboarding_is_finished(client):
    client.post(reverse("accounts:begin"))
    client.post(reverse("accounts:onboarding", args=["body"]), {"body": "neutral"})
    response = client.get(reverse("today:home"))
    assert response["Location"] == reverse("accounts:onboarding", args=["goals"])


def test_onboarding_steps_cannot_be_skipped(client):
    client.post(reverse("accounts:begin"))
    response = client.get(reverse("accounts:onboarding", args=["safety"]))
    assert response["Location"] == reverse("accounts:onboarding", args=["body"])


def test_an_unknown_onboarding_step_is_a_translated_404(client):
    client.post(reverse("accounts:begin"))
    response = client.get("/welcome/nonsense/")
    assert response.status_code == 404
    assert SWEDISH_NOT_FOUND in response.content.decode()


def test_a_missing_answer_is_explained_next_to_the_field_and_earlier_answers_are_kept(client):
    client.post(reverse("accounts:begin"))
    client.post(reverse("accounts:onboarding", args=["body"]), {"body": "vagina"})
    client.post(reverse("accounts:onboarding", args=["goals"]), {"goals": ["prolapse"]})
    response = client.post(reverse("accounts:onboarding", args=["safety"]), {"pain": "yes", "pregnant": "maybe"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"recent_event", "pregnant"}
    html = response.content.decode()
    # What was typed stays selected.
    assert re.search(r'<input type="radio" name="pain" value="yes"[^>]*checked', html)
    assert not re.search(r'<input type="radio" name="pain" value="no"[^>]*checked', html)
    profile = Profile.objects.get()
    assert profile.body == "vagina" and profile.goals == ["prolapse"]
    assert profile.pain is None  # nothing half-saved from the invalid step


def test_errors_are_shown_in_swedish_by_default_and_in_english_when_chosen(client):
    client.post(reverse("accounts:begin"))
    response = client.post(reverse("accounts:onboarding", args=["body"]), {})
    assert "Välj ett av alternativen." in response.content.decode()
    client.post(reverse("content:set_language"), {"language": "en", "next": "/"})
    response = client.post(reverse("accounts:onboarding", args=["body"]), {})
    assert "Please choose one of the options." in response.content.decode()


def test_an_unknown_time_zone_is_rejected_with_a_clear_message(client):
    response = onboard(client, time_zone="Mars/Olympus_Mons")
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    assert Profile.objects.get().onboarded_at is None


def test_pain_puts_the_person_on_the_relaxation_path_with_advice_to_contact_care(client):  # spec S1, W5, V4
    onboard(client, pain="yes")
    response = client.get(reverse("today:home"))
    assert response.context["path"] == "relaxation"
    html = response.content.decode()
    assert "1177" in html
    assert 'id="guide-heading"' in html


def test_a_recent_birth_without_go_ahead_puts_the_person_on_circulation_squeezes(client):  # spec S2, E7
    onboard(client, recent_event="childbirth")
    response = client.get(reverse("today:home"))
    assert response.context["path"] == "circulation"
    assert reverse("training:go_ahead") in response.content.decode()


def test_confirming_the_go_ahead_moves_from_circulation_to_finding_the_muscles(client):  # spec S2
    onboard(client, recent_event="surgery")
    response = client.post(reverse("training:go_ahead"))
    assert response["Location"] == reverse("today:home")
    home = client.get(reverse("today:home"))
    assert home.context["path"] == "learning"
    assert "start_carefully" in home.context["advice"]


def test_a_go_ahead_without_a_recent_birth_or_operation_is_not_recorded(client):
    onboard(client, recent_event="none", go_ahead=True)
    assert Profile.objects.get().go_ahead is False


def test_pregnancy_is_recorded_without_a_lone_stimulator_warning_beside_the_training(client):  # spec S4
    onboard(client, pregnant="yes")
    assert Profile.objects.get().pregnant is True
    assert not [item for item in client.get(reverse("today:home")).context["advice"] if "stimulator" in item]


def test_a_person_whose_body_has_a_penis_is_never_asked_about_pregnancy_or_birth(client):  # spec W2, W3, S2
    client.post(reverse("content:set_language"), {"language": "en", "next": "/"})
    client.post(reverse("accounts:begin"))
    client.post(reverse("accounts:onboarding", args=["body"]), {"body": "penis"})
    client.post(reverse("accounts:onboarding", args=["goals"]), {"goals": ["surgery"]})
    html = client.get(reverse("accounts:onboarding", args=["safety"])).content.decode()
    assert "pregnant" not in html.lower() and "given birth" not in html and "midwife" not in html
    assert "My doctor has said" in html
    # Answered without the pregnancy question, the step is complete and the profile says "not pregnant".
    response = client.post(reverse("accounts:onboarding", args=["safety"]), {
        "pain": "no", "recent_event": "surgery", "event_on": (timezone.localdate() - timedelta(days=20)).isoformat()})
    assert response.status_code == 302
    profile = Profile.objects.get()
    assert profile.pregnant is False and profile.safety_answered and profile.training_path.value == "circulation"


@pytest.mark.parametrize(("days_ago", "message"), [
    (None, "Please give the day"),
    (-3, "That day has not come yet"),
    (400, "more than a year ago"),
])
def test_the_day_of_the_birth_or_operation_is_needed_and_checked(client, days_ago, message):  # spec S2, E7, V3
    client.post(reverse("content:set_language"), {"language": "en", "next": "/"})
    client.post(reverse("accounts:begin"))
    client.post(reverse("accounts:onboarding", args=["body"]), {"body": "vagina"})
    client.post(reverse("accounts:onboarding", args=["goals"]), {"goals": ["pregnancy_or_birth"]})
    answers = {"pain": "no", "recent_event": "childbirth", "pregnant": "no"}
    if days_ago is not None:
        answers["event_on"] = (timezone.localdate() - timedelta(days=days_ago)).isoformat()
    response = client.post(reverse("accounts:onboarding", args=["safety"]), answers)
    assert response.status_code == 200 and message in response.content.decode()
    assert Profile.objects.get().recent_event == ""  # nothing half-saved


def test_circulation_squeezes_end_when_the_weeks_soon_after_are_over_with_a_careful_start(client):  # spec E7, S2
    onboard(client, recent_event="childbirth", event_on=timezone.localdate() - timedelta(weeks=14))
    home = client.get(reverse("today:home"))
    assert home.context["path"] == "learning"
    assert home.context["advice"] == ["ask_about_go_ahead"]


@pytest.mark.parametrize(
    ("body", "expected", "absent"),
    [
        ("vagina", "vagina", "penis"),
        ("penis", "penis", "vagina"),
    ],
)
def test_the_instructions_describe_the_body_the_person_chose(client, body, expected, absent):  # spec T3, C2, C3
    client.post(reverse("content:set_language"), {"language": "en", "next": "/"})
    onboard(client, body=body)
    guide = client.get(reverse("today:home")).content.decode().split('id="guide-heading"')[1]
    assert expected in guide
    assert absent not in guide
