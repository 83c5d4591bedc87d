"""The numbers a person sees agree on every page (issue 15, item 5): today's rounds, the week's rounds
and days, the best endurance hold and the strength goal, after a stage change, an easing and a
round stopped for pain. One source each: knipa.program.plan (counts_toward_plan,
counts_toward_today, best_endurance_hold, strength_goal), docs/plan.md "The numbers a person sees".
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from knipa.accounts.models import Profile, answers_changed
from knipa.outcomes import progress
from knipa.program.plan import Reason, strength_goal
from knipa.training import plans
from knipa.training.models import PlanChange
from knipa.training.today import today_for
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def a_round(stage: str, started: datetime, *, status: str = "finished", held: float | None = None,
            pain: bool = False, hold: int = 4, reps: int = 8) -> dict:
    exercises = [{"exercise": "E0", "planned_reps": 10, "achieved_reps": 10, "planned_squeeze_seconds": 3,
                  "planned_rest_seconds": 3, "full_strength_reps": 10, "felt_clearly": "yes", "pain": False}]
    if stage != "learning":
        exercises = [
            {"exercise": "E1", "planned_reps": reps, "achieved_reps": reps, "planned_squeeze_seconds": hold,
             "planned_rest_seconds": 6, "full_strength_reps": reps, "felt_lift": "yes", "pain": pain},
            {"exercise": "E2", "planned_reps": 10, "achieved_reps": 10, "planned_squeeze_seconds": 1,
             "planned_rest_seconds": 1, "pain": False},
            {"exercise": "E3", "planned_reps": 1, "achieved_reps": 1, "planned_squeeze_seconds": 20,
             "planned_rest_seconds": 20, "held_seconds": held, "pain": False},
        ]
    return {"id": str(uuid.uuid4()), "stage": stage, "position": "lying", "status": status,
            "started_at": started.isoformat(), "ended_at": (started + timedelta(seconds=1)).isoformat(),
            "exercises": exercises}


def post(client, payload) -> dict:
    response = client.post("/api/rounds", json.dumps(payload), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def tally(html: str, term: str) -> str:
    """The value beside a term of the home page's tally ("Rounds today": "2 of 2")."""
    match = re.search(rf"<dt>{re.escape(term)}</dt>\s*<dd>\s*(.*?)\s*</dd>", html, re.S)
    assert match, f"{term!r} is not on the page"
    return match.group(1)


@pytest.fixture
def walker(client_factory):
    """A person who moved on a stage today, then had two failed rounds (the plan eased), a round
    stopped for pain (S1) and said the pain has gone."""
    person = make_person("walker", time_zone="Europe/Stockholm")
    answers_changed.send(sender=Profile, profile=person)
    client = client_factory(person.user)
    client.cookies["knipa_language"] = "en"
    now = timezone.now()
    midnight = datetime.combine(now.astimezone(person.zone).date(), time(0), tzinfo=person.zone)
    post(client, a_round("learning", max(now - timedelta(minutes=2), midnight + timedelta(seconds=1))))
    client.post(reverse("training:plan_choice"), {"choice": "move_on"})
    # After the move: rounds of the new stage. Endurance 6 s of a 20 s goal: failed twice, so the
    # plan eases and its evidence starts afresh (T6).
    answers = [post(client, a_round("training", timezone.now(), held=6)) for _ in range(2)]
    assert PlanChange.objects.filter(profile=person, reason=Reason.EASED_AFTER_FAILURES).exists()
    # S1: a round stopped for pain, with a long hold that must not count, then the pain is gone.
    post(client, a_round("training", timezone.now(), status="stopped_for_pain", held=45, pain=True))
    person.refresh_from_db()
    assert person.pain
    person.pain = False
    person.save(update_fields=["pain"])
    plans.refresh(Profile.objects.get(pk=person.pk))
    return Profile.objects.get(pk=person.pk), client, answers


def test_each_number_is_the_same_on_home_the_plan_page_the_progress_page_and_the_end_of_a_round(walker):  # E1, E3, S1
    person, client, answers = walker
    state = plans.current_plan(person)
    assert state.current_stage.value == "training"
    today = today_for(person, state)
    # Today: only the finished rounds of the stage the plan is at; not the earlier stage's round,
    # nor the round stopped for pain.
    assert (today.rounds_today, today.rounds_planned_today) == (2, state.parameters.rounds_per_day) == (2, 2)
    # The end of the last training round said the same (the pain round came after it).
    assert answers[-1]["today"] == {"rounds": 2, "planned": 2}
    # The week: the plan's rounds of any stage, as the progress page counts them.
    this_week = progress.weeks(person)[-1]
    assert today.rounds_this_week == this_week.rounds == 3
    assert today.days_this_week == this_week.training_days == 1

    home = client.get(reverse("today:home")).content.decode()
    assert tally(home, "Rounds today") == "2 of 2"
    assert tally(home, "Rounds this week") == f"3 of {today.rounds_planned_this_week}"

    # E3: the best hold at this stage is the 6 s held, not 0 (the easing started the evidence
    # afresh) and not the 45 s of the round that hurt; the progress chart shows the same.
    best = "Hold the endurance squeeze for a whole minute: your best at this stage is 6 seconds."
    plan_page = client.get(reverse("training:plan")).content.decode()
    assert best in home and best in plan_page
    assert this_week.endurance_seconds == 6.0

    # E1: the goal and the plan's numbers now, in one sentence, equal to the plan page's table.
    p = state.parameters
    reps, hold = strength_goal(p)
    goal = (f"The goal is {reps} strength squeezes of {hold} seconds. Your plan now has {p.strength_reps} of "
            f"{p.strength_hold_seconds} seconds")
    assert goal in home and goal in plan_page
    assert re.search(rf"Strength: seconds to hold</th><td>{p.strength_hold_seconds}</td>", plan_page)
    assert re.search(rf"Strength: squeezes per set</th><td>{p.strength_reps}</td>", plan_page)


def test_a_stranger_gets_no_count_of_anyone_elses_rounds(walker, client_factory):
    stranger = make_person("passer-by")
    client = client_factory(stranger.user)
    answer = post(client, a_round("learning", timezone.now()))
    assert answer["today"] == {"rounds": 1, "planned": 3}
