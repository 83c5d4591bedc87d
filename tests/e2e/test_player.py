"""The guided round in a real browser (training/player.html, js/player.js), in Swedish and English.

Every page the tests land on gets the harness's checks (conftest.py): `<html lang>`, zero axe
violations, no console error and no CSP violation. Screens inside the player (the round, the
self-report, the end) are checked the same way with `tab.check()` as they appear.

To keep the suite short, rounds run faster than real time: either the page's own Start button
with the /api/timeline answer divided by ten (page.route), or `window.knipaPlayer.playTimeline`
with a timeline built here from knipa.program. The scheduler does not care how long the gaps are;
lateness is measured on every cue either way.

The tests marked `timing` assert on how late cues fire or how soon the page reacts, so another
test competing for the CPU could fail them: scripts/test runs them alone, after the rest of the
suite has run in parallel.
"""

from __future__ import annotations

import math

import pytest
from django.urls import reverse
from django.utils import translation

from knipa.program.exercises import ENDURANCE, ENDURANCE_SAFE_LIMIT_SECONDS, SPEED, STRENGTH, Position
from knipa.program.timeline import build_timeline
from knipa.training.cues import cue_text
from knipa.training.models import TrainingRound
from tests.conftest import PASSWORD, make_person

LANGUAGES = ["sv", "en"]
TRAIN = reverse("training:player")
HISTORY = reverse("training:history")
HOME = reverse("today:home")
LOGIN = reverse("accounts:login")
ROUNDS_API = "/api/rounds"

# The player's promise: a cue fires at most this late (p99), idle or busy. The promise itself is
# measured by bench/cue_timing.py over full real-time rounds (the brief: targets are measured by
# benchmarks, not timed tests). These browser tests check the scheduling behaviour on a shared
# CI machine, where the OS can take the CPU from a headless renderer for several milliseconds:
# most cues within the promise, and none anywhere near as late as a scheduling fault would make
# them (a skipped origin, chained delays or a burst of stale cues is hundreds of ms off).
LATENESS_LIMIT_MS = 5.0
HICCUP_LIMIT_MS = 50.0


# --- People and pages ------------------------------------------------------------------------


@pytest.fixture(params=LANGUAGES)
def language(request) -> str:
    return request.param


def log_in_as(tab, username: str, language: str = "sv") -> None:
    """Log in through the form, then choose the language with the switch in the header."""
    tab.visit(LOGIN)
    tab.page.fill("input[name=username]", username)
    tab.page.fill("input[name=password]", PASSWORD)
    tab.primary_submit()
    assert tab.path == HOME, f"logging in landed on {tab.path}"
    if language != "sv":
        tab.switch_language(language)


@pytest.fixture
def trainee(transactional_db, tab, language):
    """An onboarded person on the learning path, logged in, on the player page before the start."""
    profile = make_person(f"trainee-{language}")
    log_in_as(tab, profile.user.get_username(), language)
    tab.visit(TRAIN)  # axe: the player before the start
    return tab


def state(page) -> str:
    return page.locator("#player").get_attribute("data-state")


def wait_for_state(page, wanted: str, timeout_ms: int = 30_000) -> None:
    page.wait_for_function(
        "wanted => document.getElementById('player').dataset.state === wanted",
        arg=wanted, polling=50, timeout=timeout_ms,
    )


def wait_until_saved(page) -> str:
    page.wait_for_function("() => document.getElementById('player').dataset.saved", polling=50, timeout=10_000)
    return page.locator("#player").get_attribute("data-saved")


def serve_timelines_faster(page, divide_by: int = 10) -> list[dict]:
    """Answer GET /api/timeline with the real timeline, every offset divided by `divide_by`."""
    served: list[dict] = []

    def handle(route):
        response = route.fetch()
        timeline = response.json()
        served.append(timeline)
        fast = {**timeline, "cues": [
            {**cue, "at_ms": cue["at_ms"] // divide_by, "duration_ms": cue["duration_ms"] // divide_by}
            for cue in timeline["cues"]
        ]}
        route.fulfill(response=response, json=fast)

    page.route("**/api/timeline?*", handle)
    return served


def watch_the_cue_display(page) -> None:
    """Record what the page shows each time the cue changes: the words and the ball's state."""
    page.evaluate(
        """() => {
          window.__shown = [];
          const lift = document.getElementById("player-lift");
          const cue = document.getElementById("player-cue");
          const announcer = document.getElementById("player-announcer");
          new MutationObserver(() => {
            window.__shown.push({text: cue.textContent, said: announcer.textContent.trim(),
                                 live: announcer.getAttribute("aria-live"),
                                 up: lift.classList.contains("is-up"),
                                 down: lift.classList.contains("is-down"), ready: lift.classList.contains("is-ready")});
          }).observe(cue, {childList: true, characterData: true, subtree: true});
        }"""
    )


def choose_position_and_confirm_the_technique(page, position: str = "sitting") -> None:
    page.check(f"input[name=position][value={position}]")
    for box in page.locator("input[name=technique]").all():
        box.check()


def timeline_dict(exercises, position=Position.SITTING, language: str = "sv") -> dict:
    """A timeline exactly as GET /api/timeline answers it, built from the clinical core."""
    data = build_timeline(list(exercises), position).as_dict()
    with translation.override(language):
        for cue in data["cues"]:
            cue["text"] = cue_text(cue["text_key"])
    return data


def play(page, timeline: dict, **options) -> None:
    """Start a timeline in the page (after a click, as a person's first touch would be)."""
    page.locator("#settings-heading").click()  # user activation: sound and voice may start
    page.evaluate("([timeline, options]) => { window.knipaPlayer.playTimeline(timeline, options); }", [timeline, options])
    wait_for_state(page, "running", 5_000)


def cue_log(page) -> list[dict]:
    return page.evaluate("() => window.knipaPlayer.cueLog")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def answer_the_self_report(page, *, full_strength: str | None = None, felt_lift: str | None = "yes",
                           felt_clearly: str | None = None, pain: str = "no", effort: str | None = None) -> None:
    """Answer the questions given (None: leave it unanswered, or it is not asked) and go on."""
    if full_strength is not None:
        page.fill("input[name=full_strength_reps]", full_strength)
    if felt_clearly is not None:
        page.check(f"input[name=felt_clearly][value={felt_clearly}]")
    if felt_lift is not None:
        page.check(f"input[name=felt_lift][value={felt_lift}]")
    page.check(f"input[name=pain][value={pain}]")
    if effort is not None:
        page.check(f"input[name=effort][value={effort}]")
    page.locator("#player-report-form button[type=submit]").click()


def rounds_from_the_api(page) -> list[dict]:
    response = page.request.get(page.url.split("/train/")[0] + ROUNDS_API)
    assert response.status == 200, response.text()
    return response.json()


# --- A whole round --------------------------------------------------------------------------


@pytest.mark.timing  # lateness p90 and the hiccup bound
def test_a_learning_round_plays_from_start_to_the_history_page(trainee, language):
    tab = trainee
    page = tab.page
    served = serve_timelines_faster(page, divide_by=25)
    watch_the_cue_display(page)
    choose_position_and_confirm_the_technique(page, "sitting")
    page.locator("#player-start").click()
    wait_for_state(page, "running", 5_000)
    assert served and served[0]["position"] == "sitting"
    timeline = served[0]
    cues = timeline["cues"]

    # Pause after the third squeeze (Space: focus is on the Pause button), look at the paused
    # screen with axe, and go on.
    page.wait_for_function("() => window.knipaPlayer.cueLog.filter(c => c.kind === 'squeeze').length >= 3", polling=20)
    page.keyboard.press(" ")
    assert page.locator("[data-slot=paused]").is_visible()
    fired_at_pause = len(cue_log(page))
    pause_started = page.evaluate("() => performance.now()")
    page.wait_for_timeout(800)
    assert len(cue_log(page)) == fired_at_pause, "a cue fired during the pause"
    tab.check()  # axe: the round, paused
    resumed_at = page.evaluate("() => performance.now()")
    page.keyboard.press(" ")
    assert not page.locator("[data-slot=paused]").is_visible()

    wait_for_state(page, "report")
    tab.check()  # axe: the self-report, with the question about the whole round
    assert page.locator("input[name=full_strength_reps]").is_visible(), "E0 asks how many squeezes were at full strength"
    # E0: were tense and relaxed told apart? The lift (T3) is not asked yet.
    assert page.locator("[data-question=felt_clearly]").is_visible()
    assert not page.locator("[data-question=felt_lift]").is_visible(), "E0 does not ask about the lift"
    # The round's only exercise is its last: how the round felt is asked here, once (T6).
    assert page.locator("[data-question=effort]").is_visible()
    assert page.locator("input[name=effort][value=too_hard]").get_attribute("aria-describedby") == "report-effort-hint"
    answer_the_self_report(page, full_strength="8", felt_clearly="yes", felt_lift=None, pain="no", effort="right")
    wait_for_state(page, "finished")
    assert wait_until_saved(page) == "saved"
    tab.check()  # axe: the end of the round

    # Every cue fired, in order, with its own words on screen and the ball in the right place.
    log = cue_log(page)
    assert [entry["index"] for entry in log] == list(range(len(cues)))
    assert [entry["kind"] for entry in log] == [cue["kind"] for cue in cues]
    shown = page.evaluate("() => window.__shown")
    assert [item["text"] for item in shown] == [cue["text"] for cue in cues]
    # ... and said to screen readers as it happens.
    assert [item["said"] for item in shown] == [cue["text"] for cue in cues]
    assert {item["live"] for item in shown} == {"assertive"}
    for item, cue in zip(shown, cues):
        if cue["kind"] == "squeeze":
            assert item["up"] and not item["down"], f"the ball did not lift on {cue}"
        elif cue["kind"] == "relax":
            assert item["down"] and not item["up"], f"the ball did not sink on {cue}"
        elif cue["kind"] == "get_ready":
            assert item["ready"]

    # The pause moved every later cue by its length: none fired during it, none in a burst after.
    pause_ms = resumed_at - pause_started
    after = [entry for entry in log if entry["index"] >= fired_at_pause]
    before = [entry for entry in log if entry["index"] < fired_at_pause]
    for entry in before:
        assert entry["due_ms"] == pytest.approx(entry["at_ms"], abs=0.01)
    for entry in after:
        assert entry["due_ms"] - entry["at_ms"] >= pause_ms - 50, "a cue after the pause was not moved"
    lateness = [entry["late_ms"] for entry in log]
    assert percentile(lateness, 0.9) <= LATENESS_LIMIT_MS, [(e["index"], e["kind"], e["late_ms"]) for e in log]
    assert max(lateness) <= HICCUP_LIMIT_MS, [(e["index"], e["kind"], e["late_ms"]) for e in log]

    # Saved once, with what the person reported.
    saved = [item for item in rounds_from_the_api(page) if item["status"] == "finished"]
    assert len(saved) == 1
    record = saved[0]
    assert record["stage"] == "learning" and record["position"] == "sitting"
    assert record["effort"] == "right"
    (exercise,) = record["exercises"]
    assert exercise["exercise"] == "E0"
    assert exercise["planned_reps"] == exercise["achieved_reps"] == 10
    assert exercise["full_strength_reps"] == 8 and exercise["pain"] is False
    assert exercise["felt_clearly"] == "yes" and exercise["felt_lift"] == ""

    tab.follow("#player-finished a[data-link=history]")
    assert tab.path == HISTORY
    assert page.locator(f"main a[href='{reverse('training:round', args=[record['id']])}']").count() == 1


def test_pain_in_the_self_report_stops_the_round_with_the_care_advice(transactional_db, open_tab, language):
    # In dark mode, so axe checks the dark colours of the round and of the pain advice too.
    tab = open_tab(color_scheme="dark")
    profile = make_person(f"sore-{language}")
    log_in_as(tab, profile.user.get_username(), language)
    tab.visit(TRAIN)
    page = tab.page
    serve_timelines_faster(page, divide_by=25)
    choose_position_and_confirm_the_technique(page, "lying")
    page.locator("#player-start").click()
    wait_for_state(page, "running", 5_000)
    page.wait_for_function("() => window.knipaPlayer.cueLog.length >= 2", polling=20)
    tab.check()  # axe: the round while it runs (dark)
    wait_for_state(page, "report")
    # An answer to how the round felt does not count when pain ends it (S1).
    answer_the_self_report(page, full_strength="3", felt_clearly="unsure", felt_lift=None, pain="yes", effort="too_hard")
    wait_for_state(page, "finished")
    assert page.locator("#player").get_attribute("data-status") == "stopped_for_pain"
    advice = page.locator("[data-slot=pain-advice]")
    assert advice.is_visible(), "the S1 advice is not shown"
    assert "1177" in advice.inner_text(), "the advice does not give the care line"
    assert page.locator("[data-slot=pain-advice] a[href='https://www.1177.se']").count() == 1
    assert wait_until_saved(page) == "saved"
    tab.check()  # axe: the end of a round stopped for pain
    done_cues = [entry for entry in cue_log(page) if entry["kind"] == "done"]
    assert not done_cues, "the round went on after pain was reported"

    (record,) = rounds_from_the_api(page)
    assert record["status"] == "stopped_for_pain" and record["effort"] == ""
    assert record["exercises"][0]["pain"] is True and record["exercises"][0]["felt_clearly"] == "unsure"
    assert record["position"] == "lying"


# --- The squeeze in daily life (E6) ------------------------------------------------------------


def test_the_daily_life_practice_says_when_to_cough_and_saves_a_daily_life_round(transactional_db, open_tab):
    # One language is enough here: the words come from the same cue texts as every round's.
    tab = open_tab()  # a new device starts in Swedish; the person switches to English
    profile = make_person("cougher")
    log_in_as(tab, profile.user.get_username(), "en")
    tab.visit(f"{TRAIN}?practice=daily_life")  # axe: the practice before the start
    page = tab.page
    assert "cough" in page.locator("#player h1").inner_text().lower(), "the page does not say what it practises"
    assert page.locator("#player-setup input[name=position]").count() == 2  # sitting or standing
    served = serve_timelines_faster(page, divide_by=20)
    watch_the_cue_display(page)
    # The seam to the speech engine: what would be said aloud.
    page.evaluate("() => { window.__said = []; speechSynthesis.speak = (utterance) => window.__said.push(utterance.text); }")
    choose_position_and_confirm_the_technique(page, "standing")
    with page.expect_request(lambda request: "/api/timeline?" in request.url) as asked:
        page.locator("#player-start").click()
    assert "practice=daily_life" in asked.value.url
    wait_for_state(page, "report")
    tab.check()  # axe: the self-report after the practice

    (timeline,) = served
    assert timeline["stage"] == "daily_life"
    with translation.override("en"):
        cough = cue_text("cough_now")
    reps = timeline["exercises"][0]["reps"]
    shown = [item["text"] for item in page.evaluate("() => window.__shown")]
    assert shown.count(cough) == reps, shown
    said = page.evaluate("() => window.__said")
    assert said.count(cough) == reps, said
    coughs = [entry for entry in cue_log(page) if entry["kind"] == "hold"]
    assert len(coughs) == reps

    assert not page.locator("input[name=full_strength_reps]").is_visible(), "E6 is not a squeeze at full strength"
    assert page.locator("[data-question=effort]").is_visible()
    answer_the_self_report(page, felt_lift="yes", pain="no", effort="easy")
    wait_for_state(page, "finished")
    assert wait_until_saved(page) == "saved"
    (record,) = rounds_from_the_api(page)
    assert (record["stage"], record["position"], record["status"], record["effort"]) == (
        "daily_life", "standing", "finished", "easy")
    (exercise,) = record["exercises"]
    assert exercise["exercise"] == "E6" and exercise["achieved_reps"] == reps


# --- Timing ------------------------------------------------------------------------------------


# Timing does not depend on the language: one run is enough.
@pytest.mark.timing
@pytest.mark.parametrize("language", ["sv"])
def test_cue_lateness_stays_within_five_ms_for_nearly_every_cue_of_a_round_of_over_a_hundred_cues(trainee):
    page = trainee.page
    # Strength, speed, strength, speed: over a hundred cues, played 30 times faster (about 13 s;
    # the speed squeezes' cues are still 67 ms apart). The open-ended endurance hold has tests of
    # its own.
    # p95 over all cues: a few hiccups of this shared machine's scheduler do not decide the test;
    # the p99 promise is measured by bench/cue_timing.py.
    speed = SPEED.with_changes(reps=20)
    timeline = timeline_dict([STRENGTH, speed, STRENGTH, speed])
    assert len(timeline["cues"]) >= 100
    play(page, timeline, speed=30, report=False, record=False)
    wait_for_state(page, "finished", 60_000)
    log = cue_log(page)
    assert [entry["index"] for entry in log] == list(range(len(timeline["cues"]))), "a cue was skipped or repeated"
    lateness = [entry["late_ms"] for entry in log]
    assert min(lateness) >= 0, "a cue fired early"
    assert percentile(lateness, 0.95) <= LATENESS_LIMIT_MS, sorted(lateness)[-8:]
    assert max(lateness) <= HICCUP_LIMIT_MS, sorted(lateness)[-5:]
    # One origin: the last cue is as punctual as the first, however many came before it.
    last = log[-1]
    assert last["due_ms"] == pytest.approx(last["at_ms"], abs=0.01)
    assert last["late_ms"] <= HICCUP_LIMIT_MS


@pytest.mark.timing
@pytest.mark.parametrize("language", ["sv"])  # timing, not words
def test_a_tab_that_wakes_up_late_jumps_to_the_present_without_a_burst_of_old_cues(trainee):
    page = trainee.page
    timeline = timeline_dict([SPEED], language="sv")
    play(page, timeline, speed=10, report=False, record=False)
    page.wait_for_function("() => window.knipaPlayer.cueLog.length >= 2", polling=20)
    # Freeze the page's main thread for 1.5 s, as a sleeping phone or a throttled tab would,
    # then tell it that it is visible again.
    page.evaluate(
        """() => {
          const until = performance.now() + 1500;
          while (performance.now() < until) {}
          document.dispatchEvent(new Event("visibilitychange"));
        }"""
    )
    wait_for_state(page, "finished", 20_000)
    log = cue_log(page)
    skipped = page.evaluate("() => window.knipaPlayer.skippedLog")
    assert skipped, "no cue was skipped although several were overdue"
    fired_or_skipped = sorted([entry["index"] for entry in log] + [entry["index"] for entry in skipped])
    assert fired_or_skipped == list(range(len(timeline["cues"]))), "each cue is either fired once or skipped"
    # No burst: of the cues that were overdue together, only the latest one was shown.
    late = [entry for entry in log if entry["late_ms"] > HICCUP_LIMIT_MS]
    assert len(late) <= 1, late


def test_the_self_report_asks_exactly_the_questions_the_timeline_lists(trainee):  # spec E0, T3, T6, S1
    page = trainee.page
    # The rules are the clinical core's (knipa/program/questions.py); the player only follows the
    # timeline. Here a timeline that asks otherwise than the rules would, to show who decides.
    timeline = timeline_dict([SPEED.with_changes(reps=2)])
    assert timeline["exercises"][0]["questions"] == ["full_strength", "felt_lift", "pain"]
    timeline["exercises"][0]["questions"] = ["felt_clearly", "pain"]
    timeline["asks_effort"] = False
    play(page, timeline, speed=10, report=True, record=False)
    wait_for_state(page, "report")
    visible = {name: page.locator(f"[data-question={name}]").is_visible()
               for name in ("full_strength", "felt_clearly", "felt_lift", "pain", "effort")}
    assert visible == {"full_strength": False, "felt_clearly": True, "felt_lift": False, "pain": True,
                       "effort": False}
    answer_the_self_report(page, felt_clearly="yes", felt_lift=None, pain="no")
    wait_for_state(page, "finished")


# --- Endurance (E3) -------------------------------------------------------------------------


def speech_seam(page) -> None:
    """The seam to the speech engine: what would be said aloud is kept in window.__said."""
    page.evaluate("() => { window.__said = []; speechSynthesis.speak = (utterance) => window.__said.push(utterance.text); }")


@pytest.mark.timing  # Done ends the hold within 150 ms; the hiccup bound
def test_endurance_counts_recatches_and_done_moves_every_later_cue_earlier(trainee, language):  # spec E3
    page = trainee.page
    # Two speed squeezes, then endurance last, as in every round (E3: "at the end of every
    # round"); 10 times faster: a 6 s goal, an 18 s limit. Done moves the cues after the hold.
    timeline = timeline_dict([SPEED.with_changes(reps=2), ENDURANCE], language=language)
    play(page, timeline, speed=10, report=True, record=True, stage="training")
    wait_for_state(page, "report")  # after the speed squeezes
    assert page.locator("input[name=full_strength_reps]").is_visible()
    assert not page.locator("[data-question=effort]").is_visible(), "how the round felt is asked at its end only"
    answer_the_self_report(page, full_strength="2", felt_lift="yes", pain="no")
    page.wait_for_function("() => window.knipaPlayer.cueLog.some(c => c.kind === 'hold')", polling=20)
    endurance = page.locator("[data-slot=endurance]")
    assert endurance.is_visible()
    trainee.check()  # axe: the endurance controls
    page.keyboard.press("l")
    page.locator("[data-action=lost]").click()
    assert page.locator("[data-slot=recatches]").inner_text() == "2"
    page.wait_for_timeout(1200)
    pressed_at = page.evaluate("() => performance.now() - window.knipaPlayer.player.scheduler.origin")
    page.keyboard.press("d")
    wait_for_state(page, "report")  # the hold was the round's end
    assert not endurance.is_visible()
    assert not page.locator("input[name=full_strength_reps]").is_visible(), "E3 does not ask about full strength"
    assert page.locator("[data-question=effort]").is_visible()
    answer_the_self_report(page, felt_lift="no", pain="no", effort=None)  # skipped
    wait_for_state(page, "finished")
    assert wait_until_saved(page) == "saved"

    log = {entry["index"]: entry for entry in cue_log(page)}
    skipped = {entry["index"]: entry for entry in page.evaluate("() => window.knipaPlayer.skippedLog")}
    shifts = page.evaluate("() => window.knipaPlayer.player.scheduler.shifts")
    ended = [shift for shift in shifts if shift["reason"] == "hold_ended"]
    assert len(ended) == 1 and ended[0]["ms"] < -15_000, shifts  # about 16.7 s of the 18 s limit unused
    cues = timeline["cues"]
    relax_index = next(i for i, cue in enumerate(cues) if cue["kind"] == "relax" and cue["exercise"] == "E3")
    relax = log[relax_index]
    assert relax["fired_ms"] == pytest.approx(pressed_at, abs=150), "the hold did not end when Done was pressed"
    # (at_ms in the log is the offset as played, i.e. already divided by ten; the self-report
    # after the speed squeezes paused the round before the hold, and moved it later by as long)
    before_the_hold = sum(shift["ms"] for shift in shifts
                          if shift["reason"] == "pause" and shift["appliedMs"] < relax["fired_ms"])
    assert relax["due_ms"] == pytest.approx(relax["at_ms"] + before_the_hold + ended[0]["ms"], abs=1)
    # The goal was not reached: its cue was passed over in silence, not said late.
    goal_index = next(i for i, cue in enumerate(cues) if cue["text_key"] == "target_reached")
    assert goal_index in skipped and goal_index not in log
    # Every later cue (`done`) moved by the same unused time (plus the time the self-reports took).
    later = range(relax_index + 1, len(cues))
    assert later
    for index in later:
        entry = log[index]
        # A cue that shares its due time with the relax before it (`done`) fires right after the
        # self-report's pause is lifted; the two clock readings can differ by a fraction of a ms.
        moved = sum(shift["ms"] for shift in shifts if shift["appliedMs"] < entry["fired_ms"] + 5)
        assert entry["due_ms"] == pytest.approx(entry["at_ms"] + moved, abs=1), (index, shifts)
        assert entry["late_ms"] <= HICCUP_LIMIT_MS

    record = next(item for item in rounds_from_the_api(page) if item["stage"] == "training")
    assert record["exercises"][0]["full_strength_reps"] == 2
    hold = record["exercises"][1]
    assert hold["exercise"] == "E3" and hold["recatches"] == 2 and hold["achieved_reps"] == 1
    assert 10 <= hold["held_seconds"] <= 30, hold  # about 1.3 s in the page, times ten
    assert hold["full_strength_reps"] is None and hold["felt_lift"] == "no"
    assert record["effort"] == "", "a skipped question is sent as not answered"


def test_an_endurance_hold_goes_on_past_the_target_until_done(trainee, language):  # spec E3
    tab = trainee
    page = tab.page
    # The one-minute goal, 20 times faster: the goal is reached 3 s into the hold, the safe limit
    # (three minutes) would come at 9 s.
    speed = 20
    timeline = timeline_dict([ENDURANCE], language=language)
    speech_seam(page)
    play(page, timeline, speed=speed, report=True, record=True, stage="training")
    page.wait_for_function("() => window.knipaPlayer.cueLog.some(c => c.kind === 'hold')", polling=20)
    held = page.locator("[data-slot=held-item]")
    assert held.is_visible()
    goal_before = page.locator("[data-slot=target]").inner_text()
    assert "1:00" in goal_before, goal_before  # "0:04 / goal 1:00"
    page.locator("[data-action=lost]").click()  # lost it once, caught it again: the clock goes on
    assert page.locator("[data-slot=recatches]").inner_text() == "1"

    # The goal is passed: celebrated on the clock, on screen, aloud and for screen readers.
    page.wait_for_function("() => document.querySelector('[data-slot=held-item]').classList.contains('is-goal-reached')",
                           polling=20, timeout=10_000)
    with translation.override(language):
        celebration = cue_text("target_reached")
    assert page.locator("#player-cue").inner_text() == celebration
    assert page.locator("#player-announcer").inner_text().strip() == celebration
    assert celebration in page.evaluate("() => window.__said")
    goal_after = page.locator("[data-slot=target]").inner_text()
    assert goal_after != goal_before and "1:00" in goal_after, goal_after  # "goal 1:00 reached"
    assert state(page) == "running", "the hold did not go on past the goal"
    tab.check()  # axe: the celebration

    page.wait_for_timeout(1000)  # hold on: about 20 s more, in the timeline's own seconds
    page.locator("[data-action=done]").click()
    wait_for_state(page, "report")
    answer_the_self_report(page, felt_lift="yes", pain="no", effort="right")
    wait_for_state(page, "finished")
    assert wait_until_saved(page) == "saved"

    (record,) = rounds_from_the_api(page)
    (hold,) = record["exercises"]
    # Really held, not capped at the goal; the goal itself stays the plan's number.
    assert 70 <= hold["held_seconds"] < ENDURANCE_SAFE_LIMIT_SECONDS, hold
    assert hold["planned_squeeze_seconds"] == ENDURANCE.target_seconds
    assert hold["recatches"] == 1 and hold["pain"] is False


def test_the_safe_limit_ends_an_endurance_hold_nobody_ends(trainee):  # spec E3
    page = trainee.page
    # 60 times faster: the three-minute limit comes after 3 s.
    play(page, timeline_dict([ENDURANCE]), speed=60, report=False, record=True, stage="training")
    wait_for_state(page, "finished", 15_000)
    assert wait_until_saved(page) == "saved"
    (record,) = rounds_from_the_api(page)
    assert record["status"] == "finished"
    assert record["exercises"][0]["held_seconds"] == ENDURANCE_SAFE_LIMIT_SECONDS


# --- Pain (S1) ----------------------------------------------------------------------------------


@pytest.mark.timing  # at most one cue (200 ms apart) between reading the log and the click
def test_the_pain_button_stops_the_round_at_once_and_records_pain_for_the_exercise_under_way(trainee, language):  # spec S1
    tab = trainee
    page = tab.page
    timeline = timeline_dict([STRENGTH.with_changes(reps=2), SPEED], language=language)
    play(page, timeline, speed=10, report=False, record=True, stage="training")
    # During the second exercise, after a squeeze or two.
    page.wait_for_function(
        "() => window.knipaPlayer.cueLog.filter(c => c.kind === 'squeeze' && c.exercise_index === 1).length >= 2",
        polling=20)
    pain = page.locator("#player-run [data-action=pain]")
    assert pain.is_visible() and pain.inner_text().strip(), "the pain button has no words"
    fired_before = len(cue_log(page))
    pain.click()
    wait_for_state(page, "finished", 2_000)
    assert page.locator("#player").get_attribute("data-status") == "stopped_for_pain"
    page.wait_for_timeout(500)
    assert len(cue_log(page)) <= fired_before + 1, "the round went on after the pain button"
    advice = page.locator("[data-slot=pain-advice]")
    assert advice.is_visible(), "the S1 advice is not shown"
    assert advice.locator(f"a[href='{reverse('training:plan')}']").is_visible(), "no way to the plan"
    assert wait_until_saved(page) == "saved"
    tab.check()  # axe: the end of a round stopped with the pain button

    (record,) = rounds_from_the_api(page)
    assert record["status"] == "stopped_for_pain" and record["effort"] == ""
    assert [exercise["pain"] for exercise in record["exercises"]] == [False, True]


def test_a_relaxation_round_never_speaks_of_squeezing_and_can_stop_for_pain(transactional_db, open_tab):  # spec S1, W5, E8
    tab = open_tab()
    profile = make_person("hurting-en", pain=True)
    log_in_as(tab, profile.user.get_username(), "en")
    tab.visit(TRAIN)  # axe: the relaxation round before the start
    page = tab.page
    assert page.locator("#player").get_attribute("data-stage") == "relaxation"
    assert "squeez" not in page.locator("#player").inner_text().lower()
    served = serve_timelines_faster(page, divide_by=20)
    watch_the_cue_display(page)
    choose_position_and_confirm_the_technique(page, "lying")
    page.locator("#player-start").click()
    page.wait_for_function("() => window.knipaPlayer.cueLog.filter(c => c.kind === 'relax').length >= 2", polling=20)
    assert served[0]["stage"] == "relaxation"
    # Everything shown while it runs, and every cue said so far: no squeezing.
    assert "squeez" not in page.locator("#player").inner_text().lower()
    assert not [item for item in page.evaluate("() => window.__shown") if "squeez" in item["text"].lower()]
    tab.check()  # axe: the relaxation round while it runs
    page.locator("[data-action=pain]").click()
    wait_for_state(page, "finished")
    assert page.locator("#player").get_attribute("data-status") == "stopped_for_pain"
    assert page.locator("[data-slot=pain-advice]").is_visible()
    assert "squeez" not in page.locator("#player").inner_text().lower()
    assert wait_until_saved(page) == "saved"
    tab.check()  # axe: the end of a relaxation round stopped for pain
    (record,) = rounds_from_the_api(page)
    assert (record["stage"], record["status"]) == ("relaxation", "stopped_for_pain")
    assert record["exercises"][0]["exercise"] == "E8" and record["exercises"][0]["pain"] is True


# --- Saving ----------------------------------------------------------------------------------


def test_a_round_saved_while_offline_is_sent_later_and_stored_once(trainee):
    tab = trainee
    page = tab.page
    page.route("**/api/rounds", lambda route: route.abort("internetdisconnected"))
    play(page, timeline_dict([SPEED.with_changes(reps=2)]), speed=10, report=False)
    wait_for_state(page, "finished")
    assert wait_until_saved(page) == "kept"
    assert page.locator("[data-slot=save-status]").inner_text().strip()
    problems = tab.problems.take()
    assert all("/api/rounds" in problem or "ERR_INTERNET_DISCONNECTED" in problem for problem in problems), problems
    kept = page.evaluate("() => JSON.parse(localStorage.getItem('knipa.outbox.rounds'))")
    assert len(kept) == 1
    round_id = kept[0]["round"]["id"]
    assert not TrainingRound.objects.filter(id=round_id).exists()

    # Back online: the next page load sends it.
    page.unroute("**/api/rounds")
    with page.expect_response(lambda response: response.url.endswith(ROUNDS_API) and response.request.method == "POST") as sent:
        tab.visit(TRAIN)
    assert sent.value.status == 201
    page.wait_for_function("() => localStorage.getItem('knipa.outbox.rounds') === null", polling=50)
    assert TrainingRound.objects.filter(id=round_id).count() == 1

    # The same round again (a retry whose answer was lost): stored once, answered 200.
    token = page.locator("#player input[name=csrfmiddlewaretoken]").input_value()
    again = page.request.post(
        tab.url(ROUNDS_API), data=kept[0]["round"],
        headers={"X-CSRFToken": token, "Content-Type": "application/json"},
    )
    assert again.status == 200, again.text()
    assert TrainingRound.objects.filter(id=round_id).count() == 1
    assert [item["id"] for item in rounds_from_the_api(page)].count(round_id) == 1


def test_stopping_with_escape_saves_the_round_as_stopped(trainee):
    page = trainee.page
    play(page, timeline_dict([SPEED]), speed=10)
    page.wait_for_function("() => window.knipaPlayer.cueLog.filter(c => c.kind === 'squeeze').length >= 2", polling=20)
    page.keyboard.press("Escape")
    wait_for_state(page, "finished")
    assert page.locator("#player").get_attribute("data-status") == "stopped"
    assert wait_until_saved(page) == "saved"
    (record,) = rounds_from_the_api(page)
    assert record["status"] == "stopped" and record["effort"] == ""
    assert 2 <= record["exercises"][0]["achieved_reps"] < 10


def test_the_settings_are_remembered_in_this_browser(trainee):
    tab = trainee
    page = tab.page
    for name in ("sound", "voice", "shortcuts"):
        page.uncheck(f"input[data-setting={name}]")
    tab.visit(TRAIN)
    for name in ("sound", "voice", "shortcuts"):
        assert not page.is_checked(f"input[data-setting={name}]"), f"{name} was not remembered"
    assert not page.locator("#player-shortcuts").is_visible(), "the shortcut keys are still listed while off"
    # With the shortcuts off, Space does not pause (WCAG 2.1.4: single-key shortcuts can be turned off).
    play(page, timeline_dict([SPEED]), speed=10, report=False, record=False)
    page.locator("#run-heading").focus()
    page.keyboard.press(" ")
    assert not page.locator("[data-slot=paused]").is_visible()
    page.locator("[data-action=stop]").click()
    wait_for_state(page, "finished")


def test_the_round_does_not_start_until_the_technique_is_confirmed(trainee):
    page = trainee.page
    page.check("input[name=position][value=all_fours]")
    page.locator("#player-start").click()
    assert state(page) == "setup"
    assert page.evaluate("() => document.activeElement.name") == "technique", "the first unticked item should get focus"
    assert page.locator("#player-setup svg[role=img][aria-label]").count() == 3  # P1-P3 on the learning path
    for box in page.locator("input[name=technique]").all():
        box.check()
    with page.expect_response(lambda response: "/api/timeline?position=all_fours" in response.url):
        page.locator("#player-start").click()
    wait_for_state(page, "running", 5_000)
    page.locator("[data-action=stop]").click()
    wait_for_state(page, "finished")
    # The stopped round is sent to the server: let that finish before the test's database is
    # emptied, or the flush can meet the server's write (SQLite: "database table is locked").
    wait_until_saved(page)
