"""Newcomer walk fixes (issue 15, items 4-6) in a real browser, on a 390 px phone, in Swedish.

4. Back during a round asks before throwing the round away, and a stopped round keeps what was
   done, stored once.
5. The progress numbers agree on every page after a stage change and a round stopped for pain.
6. The reminder days can be changed, and the plan's days a week follow the person's choice.

Rounds run fast through `window.knipaPlayer.playTimeline` (see test_player.py).
"""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from knipa.program.exercises import FIND_THE_MUSCLES, SPEED, STRENGTH
from knipa.training import plans
from knipa.training.models import TrainingRound
from tests.conftest import make_person
from tests.e2e.test_player import log_in_as, play, timeline_dict, wait_for_state, wait_until_saved

HOME = reverse("today:home")
TRAIN = reverse("training:player")
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(transactional_db, open_tab):
    """A person in training, logged in on a 390 px phone, in Swedish."""
    tab = open_tab("sv")
    tab.page.set_viewport_size(PHONE)
    profile = make_person("phone-sv")
    log_in_as(tab, profile.user.get_username(), "sv")
    return tab, profile


def wait_for_rounds(profile, count: int, timeout_s: float = 10.0) -> list[TrainingRound]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        rounds = list(TrainingRound.objects.filter(profile=profile).prefetch_related("exercises"))
        if len(rounds) >= count:
            return rounds
        time.sleep(0.1)
    raise AssertionError(f"{count} round(s) expected, found {TrainingRound.objects.filter(profile=profile).count()}")


# --- 4. Back during a round -------------------------------------------------------------------


def test_back_during_a_round_asks_first_and_stop_saves_the_exercises_done_so_far_once(phone):
    tab, profile = phone
    tab.visit(TRAIN)
    page = tab.page
    # A long first exercise, so that the round is still in it when the person presses back.
    timeline = timeline_dict([STRENGTH.with_changes(reps=10), SPEED])
    play(page, timeline, speed=4, report=False, record=True, stage="training")
    page.wait_for_function("() => window.knipaPlayer.cueLog.some(c => c.kind === 'squeeze')", polling=20)

    # Back: the page stays, the round waits, and the question is asked in Swedish.
    page.evaluate("() => history.back()")
    dialog = page.locator("#player-leave")
    dialog.wait_for(state="visible")
    assert "Stoppa omgången?" in dialog.inner_text()
    assert "Det du har gjort hittills sparas." in dialog.inner_text()
    assert tab.path == TRAIN and page.locator("#player").get_attribute("data-state") == "running"
    assert page.locator("[data-slot=paused]").is_visible(), "the round did not wait for the answer"
    box = dialog.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], "the question does not fit the phone"
    tab.check()  # axe: the question over the round

    # Go on: the round goes on, and nothing was saved.
    fired = len(page.evaluate("() => window.knipaPlayer.cueLog"))
    dialog.locator("[data-action=leave-go-on]").click()
    page.wait_for_function("n => window.knipaPlayer.cueLog.length > n", arg=fired, polling=20)
    assert not TrainingRound.objects.filter(profile=profile).exists()

    # Back again, and Stop: the person leaves, and the round is saved as stopped, with only the
    # exercise under way.
    page.evaluate("() => history.back()")
    dialog.wait_for(state="visible")
    with page.expect_navigation(wait_until="load"):
        dialog.locator("[data-action=leave-stop]").click()
    assert tab.path == HOME
    tab.check()
    (stopped,) = wait_for_rounds(profile, 1)
    assert stopped.status == "stopped"
    exercises = list(stopped.exercises.all())
    assert [exercise.exercise for exercise in exercises] == ["E1"]
    assert 1 <= exercises[0].achieved_reps < 10

    # Stored once: the player's next visit finds nothing left to send.
    tab.visit(TRAIN)
    page.wait_for_timeout(300)
    assert page.evaluate("() => localStorage.getItem('knipa.outbox.rounds')") is None
    assert TrainingRound.objects.filter(profile=profile).count() == 1


def test_leaving_a_round_asks_the_browser_first_and_leaving_anyway_keeps_the_round_as_stopped(phone):
    tab, profile = phone
    tab.visit(TRAIN)
    page = tab.page
    play(page, timeline_dict([SPEED.with_changes(reps=10), STRENGTH]), speed=4, report=False, record=True, stage="training")
    page.wait_for_function("() => window.knipaPlayer.cueLog.some(c => c.kind === 'squeeze')", polling=20)
    asked: list[str] = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.accept()  # leave anyway

    page.on("dialog", answer)
    page.goto(tab.url(HOME), wait_until="load")
    assert asked == ["beforeunload"], "leaving a running round did not ask first"
    (stopped,) = wait_for_rounds(profile, 1)
    assert stopped.status == "stopped"
    assert [exercise.exercise for exercise in stopped.exercises.all()] == ["E2"]
    page.remove_listener("dialog", answer)

    # A finished or stopped round leaves without a question.
    tab.visit(TRAIN)
    play(page, timeline_dict([SPEED.with_changes(reps=1)]), speed=10, report=False, record=True, stage="training")
    wait_for_state(page, "finished")
    page.on("dialog", answer)
    tab.visit(HOME)
    assert asked == ["beforeunload"]
    assert len(wait_for_rounds(profile, 2)) == 2


# --- 5. The numbers agree -------------------------------------------------------------------------


def tally_value(page, term: str) -> str:
    return page.locator("[data-testid=tally] div", has_text=term).locator("dd").inner_text().strip()


def test_the_end_of_a_round_says_how_many_of_todays_rounds_are_done_as_the_home_page_does(phone):
    tab, profile = phone
    tab.visit(TRAIN)
    page = tab.page
    # S1: a round stopped for pain is not one of today's rounds (and moves the plan to relaxation,
    # so this person says the pain has gone before going on).
    play(page, timeline_dict([FIND_THE_MUSCLES.with_changes(reps=3)]), speed=10, report=False, record=True,
         stage="learning")
    page.locator("[data-action=pain]").click()
    wait_for_state(page, "finished")
    assert wait_until_saved(page) == "saved"
    profile.refresh_from_db()
    profile.pain = False
    profile.save(update_fields=["pain"])
    plans.refresh(profile)

    tab.visit(TRAIN)
    play(page, timeline_dict([FIND_THE_MUSCLES.with_changes(reps=2)]), speed=10, report=False, record=True,
         stage="learning")
    wait_for_state(page, "finished")
    assert wait_until_saved(page) == "saved"
    today = page.locator("[data-testid=finished-today]")
    assert today.is_visible() and today.inner_text().strip() == "1 av 3 omgångar i dag"
    tab.check()  # axe: the end of the round with today's count

    tab.visit(HOME)
    assert tally_value(page, "Omgångar i dag") == "1 av 3"


# --- 6. The reminder days are the person's, and the plan follows -----------------------------------


def test_choosing_three_reminder_days_makes_the_plan_train_three_days_a_week(phone):  # H1
    tab, profile = phone
    page = tab.page
    tab.visit(reverse("reminders:page"))
    assert "Din plan har just nu 7 träningsdagar i veckan." in page.locator("main").inner_text()
    for day in (1, 3, 5, 6):  # keep Monday, Wednesday and Friday
        page.uncheck(f"input[name=weekdays][value='{day}']")
    tab.submit(page.locator("form[action$='/schedule/'] button[type=submit]"))
    text = page.locator("main").inner_text()
    assert "Dina påminnelsetider är sparade. Din plan tränar nu 3 dagar i veckan." in text
    assert "Din plan har just nu 3 träningsdagar i veckan." in text
    assert [page.locator(f"input[name=weekdays][value='{day}']").is_checked() for day in range(7)] == [
        True, False, True, False, True, False, False]
    state = plans.current_plan(type(profile).objects.get(pk=profile.pk))
    assert state.parameters.days_per_week == 3 and state.parameters.rounds_per_day == 3

    # The plan page shows the new number and the person's change in its history.
    tab.visit(reverse("training:plan"))
    assert page.locator("table.numbers tr", has_text="Dagar per vecka").locator("td").inner_text().strip() == "3"
    assert "Du valde dina träningsdagar" in page.locator("[data-testid=plan-changes]").inner_text()
    # Home: training days this week against three.
    tab.visit(HOME)
    assert tally_value(page, "Träningsdagar den här veckan") == "0 av 3"
