"""Knipa as an app on the phone (issue 15, "Installable and offline"), in Chromium on a 390 px phone,
in Swedish, with the network really switched off (`context.set_offline`).

The service worker (knipa/reminders/templates/reminders/sw.js) is registered by js/app.js on every
page; the live server runs on localhost, which Chromium counts as secure, so it installs as it
would over HTTPS. Every landing gets the harness's checks (conftest.py): `<html lang>`, axe, no
console error or CSP violation; offline, the browser's own reports of the requests that could not
go out are expected and taken away before the check.
"""

from __future__ import annotations

import struct
import time

import pytest
from django.urls import reverse

from knipa.program.exercises import SPEED
from knipa.reminders import service_worker
from knipa.training.models import TrainingRound
from tests.conftest import PASSWORD, make_person
from tests.e2e.chromium import CHROMIUM_ARGS, find_chromium
from tests.e2e.test_player import (
    answer_the_self_report,
    choose_position_and_confirm_the_technique,
    log_in_as,
    play,
    timeline_dict,
    wait_for_state,
    wait_until_saved,
)

PHONE = {"width": 390, "height": 844}
HOME = reverse("today:home")
TRAIN = reverse("training:player")
HISTORY = reverse("training:history")
PLAN = reverse("training:plan")
ACCOUNT = reverse("accounts:account")
TIMELINE = reverse("api:get_timeline")
OUTBOX = "knipa.outbox.rounds"
# What Chromium reports for a request that could not go out while offline.
OFFLINE_NOISE = ("ERR_INTERNET_DISCONNECTED", "Failed to fetch", "/api/rounds", "/api/timeline")


@pytest.fixture
def phone(transactional_db, open_tab):
    """`phone(color_scheme="light")`: a person in their first stage, logged in on a 390 px phone."""

    def open_phone(username: str = "offline-sv", color_scheme: str = "light"):
        tab = open_tab("sv", color_scheme=color_scheme)
        tab.page.set_viewport_size(PHONE)
        profile = make_person(username)
        log_in_as(tab, profile.user.get_username(), "sv")
        return tab, profile

    return open_phone


def wait_until(page, expression: str, arg=None, timeout_s: float = 15.0) -> None:
    """Wait until an async expression is true in the page (Playwright's wait_for_function would take
    the promise an async function returns for a true value, and never wait)."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression, arg):
        assert time.monotonic() < deadline, f"still false after {timeout_s} s: {expression}"
        page.wait_for_timeout(100)


def kept(page, *paths: str) -> None:
    """Wait until the service worker controls the page and has kept every path for offline use."""
    wait_until(page, """async (paths) => {
                          if (!navigator.serviceWorker.controller) return false;
                          for (const path of paths) if (!(await caches.match(path))) return false;
                          return true;
                        }""", list(paths))


def is_kept(page, path: str) -> bool:
    return page.evaluate("async (path) => Boolean(await caches.match(path))", path)


def offline(tab, on: bool = True) -> None:
    tab.page.context.set_offline(on)


def expected_offline_noise(tab) -> None:
    problems = tab.problems.take()
    unexpected = [problem for problem in problems if not any(noise in problem for noise in OFFLINE_NOISE)]
    assert not unexpected, unexpected


def wait_for_rounds(profile, count: int, timeout_s: float = 10.0) -> list[TrainingRound]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        rounds = list(TrainingRound.objects.filter(profile=profile))
        if len(rounds) >= count:
            return rounds
        time.sleep(0.1)
    raise AssertionError(f"{count} round(s) expected, found {TrainingRound.objects.filter(profile=profile).count()}")


def make_the_kept_round_short(page, divide_by: int = 25) -> None:
    """The round kept for offline use, every offset divided (the player's tests do the same online)."""
    page.evaluate(
        """async ([address, divideBy]) => {
             for (const name of await caches.keys()) {
               const cache = await caches.open(name);
               const response = await cache.match(address);
               if (!response) continue;
               const timeline = await response.json();
               for (const cue of timeline.cues) {
                 cue.at_ms = Math.floor(cue.at_ms / divideBy);
                 cue.duration_ms = Math.floor(cue.duration_ms / divideBy);
                 if (cue.target_ms != null) cue.target_ms = Math.floor(cue.target_ms / divideBy);
               }
               await cache.put(address, new Response(JSON.stringify(timeline), {headers: {"Content-Type": "application/json"}}));
             }
           }""",
        [TIMELINE, divide_by],
    )


# --- Offline: the start URL, the player, a round sent once from another page ----------------------


def test_the_start_url_opens_offline_after_one_visit_and_a_page_that_needs_the_server_says_so(phone):
    tab, _profile = phone()
    assert tab.path == HOME  # logging in lands on the start URL: one online visit
    kept(tab.page, HOME)
    offline(tab)
    tab.visit(HOME)
    assert tab.page.locator("h1").inner_text() == "I dag"
    assert tab.page.locator("body").get_attribute("data-signed-in") is not None
    # The plan is never kept: it says plainly that it needs a connection, in Swedish.
    tab.visit(PLAN)
    assert tab.path == PLAN
    assert tab.page.locator("h1").inner_text() == "Ingen anslutning"
    assert "behöver en anslutning" in tab.page.locator("main").inner_text()
    assert tab.page.locator("main a.button").get_attribute("href") == ""  # try again: this address
    expected_offline_noise(tab)
    offline(tab, False)
    tab.visit(PLAN)  # back online: the real page again
    assert tab.page.locator("h1").inner_text() != "Ingen anslutning"


def test_a_round_trained_offline_is_sent_once_from_another_page_when_the_connection_returns(phone):
    tab, profile = phone()
    page = tab.page
    kept(page, HOME)  # the start URL, seen once online
    tab.visit(TRAIN)  # one online visit: the player and today's round are kept
    kept(page, TRAIN, TIMELINE)
    make_the_kept_round_short(page)

    offline(tab)
    tab.visit(TRAIN)
    choose_position_and_confirm_the_technique(page, "sitting")
    page.locator("#player-start").click()
    wait_for_state(page, "running", 10_000)
    assert page.evaluate("() => window.knipaPlayer.player.timeline.kept") is True
    assert page.evaluate("() => window.knipaPlayer.player.timeline.position") == "sitting"
    wait_for_state(page, "report")
    answer_the_self_report(page, full_strength="8", felt_clearly="yes", felt_lift=None, pain="no", effort="right")
    wait_for_state(page, "finished")
    assert wait_until_saved(page) == "kept"
    expected_offline_noise(tab)
    tab.check()  # axe: the end of a round kept on the phone
    waiting = page.evaluate(f"() => JSON.parse(localStorage.getItem('{OUTBOX}'))")
    assert len(waiting) == 1
    round_id = waiting[0]["round"]["id"]
    assert not TrainingRound.objects.filter(profile=profile).exists()

    # Still offline, to the home page (kept); then the connection returns there.
    tab.visit(HOME)
    expected_offline_noise(tab)
    with page.expect_response(lambda response: response.url.endswith("/api/rounds")
                              and response.request.method == "POST") as sent:
        offline(tab, False)
    assert sent.value.status == 201
    assert sent.value.frame.url.endswith(HOME), "the round was not sent from the home page"
    (stored,) = wait_for_rounds(profile, 1)
    assert str(stored.id) == round_id and stored.status == "finished" and stored.position == "sitting"
    page.wait_for_function(f"() => localStorage.getItem('{OUTBOX}') === null", polling=50)
    tab.visit(HISTORY)  # and the next page sends nothing again
    tab.visit(HOME)
    assert TrainingRound.objects.filter(profile=profile).count() == 1


def test_the_end_of_the_round_says_sent_when_the_connection_returns_while_it_shows(phone):
    tab, profile = phone()
    page = tab.page
    tab.visit(TRAIN)
    kept(page, TRAIN)
    # A second tab of the same phone on the history page: both come online at once, and the
    # round is still stored once.
    other = page.context.new_page()
    other.goto(tab.url(HISTORY))
    offline(tab)
    play(page, timeline_dict([SPEED.with_changes(reps=2)]), speed=10, report=False)
    wait_for_state(page, "finished")
    assert wait_until_saved(page) == "kept"
    kept_text = page.locator("[data-slot=save-status]").inner_text()
    assert "skickas när du är uppkopplad igen" in kept_text
    expected_offline_noise(tab)

    offline(tab, False)
    page.wait_for_function("() => document.getElementById('player').dataset.saved === 'saved'", polling=50)
    assert page.locator("[data-slot=save-status]").inner_text() == "Din omgång är sparad."
    assert page.locator("[data-testid=finished-today]").is_visible()  # "1 av 3 omgångar i dag"
    tab.check()  # axe: the end of the round, sent
    wait_for_rounds(profile, 1)
    time.sleep(0.5)  # a second sending, from the other tab, would have come by now
    assert TrainingRound.objects.filter(profile=profile).count() == 1
    other.close()


def test_after_logging_out_no_kept_personal_page_is_shown_offline(phone):
    tab, _profile = phone("leaving")
    kept(tab.page, HOME)
    tab.visit(HISTORY)
    kept(tab.page, HOME, HISTORY)
    tab.visit(ACCOUNT)
    tab.submit(tab.page.locator(f"form[action='{reverse('accounts:logout')}'] button[type=submit]"))
    assert tab.path == reverse("content:start")
    assert not is_kept(tab.page, HOME) and not is_kept(tab.page, HISTORY)
    offline(tab)
    for path in (HOME, HISTORY):
        tab.visit(path)
        assert tab.page.locator("h1").inner_text() == "Ingen anslutning"
        assert "leaving" not in tab.page.content()
        assert tab.page.locator("body").get_attribute("data-signed-in") is None
    expected_offline_noise(tab)


def test_a_page_that_says_nobody_is_logged_in_makes_the_worker_forget_the_personal_pages(phone):
    # The session may end without the logout form (it expired, or the account was deleted on
    # another device): the next page, rendered for nobody, is enough.
    tab, _profile = phone("expired")
    kept(tab.page, HOME)
    tab.page.context.clear_cookies()
    tab.visit(reverse("content:privacy"))
    wait_until(tab.page, "async (path) => !(await caches.match(path))", HOME)


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_the_offline_page_passes_axe_in_light_and_dark_mode(phone, color_scheme):
    tab, _profile = phone(color_scheme=color_scheme)
    kept(tab.page, HOME)
    offline(tab)
    tab.visit(PLAN)  # axe, in the harness's check
    assert tab.page.locator("h1").inner_text() == "Ingen anslutning"
    assert tab.page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") is (color_scheme == "dark")
    expected_offline_noise(tab)


# --- Installable --------------------------------------------------------------------------------


def png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", body[16:24])


def test_chromium_finds_knipa_installable_and_the_manifests_icons_have_their_sizes(browser, live_server,
                                                                                     transactional_db, tmp_path):
    # Chromium never installs from an incognito profile, which every test context is: this test
    # has a browser profile of its own, on disk, as a phone's browser has.
    profile = make_person("installing")
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=find_chromium()[0], headless=True, args=CHROMIUM_ARGS,
        viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(live_server.url + reverse("accounts:login"))
        page.fill("input[name=username]", profile.user.get_username())
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.locator("main form button.button--primary[type=submit]").click()
        assert page.url.endswith(HOME)  # the start URL
        kept(page, HOME)
        session = context.new_cdp_session(page)
        errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == [], errors
        manifest_url = session.send("Page.getAppManifest")["url"]
        assert manifest_url.endswith(reverse("content:manifest"))
        manifest = page.request.get(manifest_url).json()
        assert (manifest["name"], manifest["short_name"], manifest["lang"]) == ("Knipa", "Knipa", "sv")
        assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (HOME, "/", "standalone")
        purposes = set()
        for icon in manifest["icons"]:
            response = page.request.get(live_server.url + icon["src"])
            assert response.status == 200, icon
            assert response.headers["content-type"] == icon["type"]
            if icon["type"] == "image/png":
                width, height = png_size(response.body())
                assert f"{width}x{height}" == icon["sizes"], icon
                purposes.add(icon["purpose"])
        assert purposes == {"any", "maskable"}
        apple = page.locator("link[rel=apple-touch-icon]").get_attribute("href")
        assert png_size(page.request.get(live_server.url + apple).body()) == (180, 180)
    finally:
        context.close()


# --- A new release --------------------------------------------------------------------------------


def test_a_new_release_gets_new_caches_and_the_old_ones_are_deleted(phone, monkeypatch):
    tab, _profile = phone()
    page = tab.page
    kept(page, HOME)
    release = service_worker.release()
    names = page.evaluate("() => caches.keys()")
    assert sorted(names) == sorted([f"knipa-shell-{release}", f"knipa-pages-{release}"])

    # The next release: other static files, so another digest, so other bytes in /sw.js.
    monkeypatch.setattr(service_worker, "release", lambda: "0123456789abcdef")
    page.evaluate("() => navigator.serviceWorker.getRegistration().then((registration) => registration.update())")
    # The page is of the new release (same files here) and the only one open: the new worker
    # takes over at once (sw.js, "take-over"), deletes the old caches and keeps the page anew.
    wait_until(page, """async () => {
                          const names = await caches.keys();
                          return names.length === 2 && names.every((name) => name.endsWith("-0123456789abcdef"))
                            && Boolean(await caches.match(location.pathname));
                        }""")
    offline(tab)
    tab.visit(HOME)  # the new release's copy
    assert tab.page.locator("h1").inner_text() == "I dag"
    expected_offline_noise(tab)


# --- The hint to add Knipa to the home screen ---------------------------------------------------

# Chromium decides by itself when to offer installing (beforeinstallprompt), which a headless test
# cannot count on: the event is made here as Chromium would send it, with a prompt that records
# being called and answers as the person would.
FAKE_INSTALL_PROMPT = """(outcome) => {
  const event = new Event("beforeinstallprompt", { cancelable: true });
  event.prompt = () => { window.__prompted = (window.__prompted || 0) + 1; return Promise.resolve(); };
  event.userChoice = Promise.resolve({ outcome, platform: "web" });
  window.dispatchEvent(event);
  return event.defaultPrevented;
}"""


def finish_a_round(tab) -> None:
    tab.visit(TRAIN)
    play(tab.page, timeline_dict([SPEED.with_changes(reps=2)]), speed=10, report=False)
    wait_for_state(tab.page, "finished")
    assert wait_until_saved(tab.page) == "saved"


def test_the_install_hint_waits_for_a_finished_round_and_the_browsers_prompt(phone):
    tab, _profile = phone()
    page = tab.page
    hint = page.locator(".install-hint")
    # Before any round: nothing, even when the browser offers to install.
    assert page.evaluate(FAKE_INSTALL_PROMPT, "dismissed") is True  # the browser's own banner is held back
    assert hint.count() == 0
    finish_a_round(tab)
    tab.visit(HOME)
    assert hint.count() == 0  # no prompt from the browser: nothing to offer yet
    page.evaluate(FAKE_INSTALL_PROMPT, "accepted")
    assert hint.is_visible()
    assert hint.locator("h2").inner_text() == "Knipa på hemskärmen"
    assert not hint.locator("[data-install=ios]").is_visible()
    tab.check()  # axe: the hint
    hint.locator("[data-install=prompt]").click()
    page.wait_for_function("() => window.__prompted === 1")
    assert hint.count() == 0
    tab.visit(HOME)
    page.evaluate(FAKE_INSTALL_PROMPT, "accepted")
    assert hint.count() == 0, "the hint came back after the answer"


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_no_thanks_puts_the_hint_away_for_good(phone, color_scheme):
    tab, _profile = phone(f"no-thanks-{color_scheme}", color_scheme=color_scheme)
    page = tab.page
    finish_a_round(tab)
    tab.visit(HOME)
    page.evaluate(FAKE_INSTALL_PROMPT, "dismissed")
    hint = page.locator(".install-hint")
    assert hint.is_visible()
    tab.check()  # axe: the hint, in this colour scheme
    hint.locator("[data-install=dismiss]").click()
    assert hint.count() == 0
    assert page.evaluate("() => document.activeElement.id") == "main"
    tab.visit(HOME)
    page.evaluate(FAKE_INSTALL_PROMPT, "dismissed")
    assert hint.count() == 0


def test_on_an_iphone_the_hint_says_where_to_tap_and_never_shows_in_the_installed_app(phone):
    tab, _profile = phone("iphone")
    page = tab.page
    page.add_init_script("""Object.defineProperty(Navigator.prototype, "userAgent", {get: () =>
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        + "Version/18.0 Mobile/15E148 Safari/604.1"});""")
    finish_a_round(tab)
    tab.visit(HOME)
    hint = page.locator(".install-hint")
    assert hint.is_visible()
    assert "Lägg till på hemskärmen" in hint.locator("[data-install=ios]").inner_text()
    assert not hint.locator("[data-install=prompt]").is_visible()
    tab.check()
    # Opened from the home screen (Safari's navigator.standalone): no hint.
    page.add_init_script("Object.defineProperty(Navigator.prototype, 'standalone', {get: () => true});")
    tab.visit(HOME)
    assert hint.count() == 0
