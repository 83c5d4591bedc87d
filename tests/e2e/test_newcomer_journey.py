"""A newcomer's journey through Knipa in a real browser, in Swedish and in English.

Every page the tests land on (including pages that show form errors) gets the harness's checks
from conftest.py: the chosen `<html lang>`, zero axe violations, and no console error or CSP
violation. The tests find things by name attributes, form actions, ids and classes; text only
where the test is about the language itself (and the care phone number, which is not translated).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from knipa.accounts.models import Profile

LANGUAGES = ["sv", "en"]
START_BUTTON_TEXT = {"sv": "Börja träna", "en": "Start training"}

# The context's time zone (conftest.BROWSER_TIME_ZONE); the server's own default is Stockholm,
# so finding Oslo preselected proves the static script detected it.
DETECTED_TIME_ZONE = "Europe/Oslo"
SERVER_DEFAULT_TIME_ZONE = "Europe/Stockholm"

PASSWORD = "calm breaths and slow squeezes"
NEW_PASSWORD = "another quiet round of ten"


def step(slug: str) -> str:
    return reverse("accounts:onboarding", args=[slug])


def editing(slug: str) -> str:
    return step(slug) + "?from=profile"


HOME = reverse("today:home")
PROFILE = reverse("accounts:profile")
ACCOUNT = reverse("accounts:account")
DELETE = reverse("accounts:delete")
PASSWORD_CHANGE = reverse("accounts:password_change")
LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
START = reverse("content:start")
PRIVACY = reverse("content:privacy")


@pytest.fixture(params=LANGUAGES)
def language(request) -> str:
    return request.param


@pytest.fixture
def newcomer(tab, language):
    """A first-time visitor on the start page, having chosen the test's language."""
    tab.visit(START)
    if language != "sv":
        tab.switch_language(language)
    return tab


# --- Steps a person takes ----------------------------------------------------------------------


def start_training(tab) -> None:
    tab.submit(f"main form[action='{reverse('accounts:begin')}'] button[type=submit]")
    assert tab.path == step("body")


def answer_body(tab, body: str = "vagina") -> None:
    tab.page.check(f"input[name=body][value={body}]")
    tab.primary_submit()
    assert tab.path == step("goals")


def answer_goals(tab, *goals: str) -> None:
    for goal in goals or ("prevent",):
        tab.page.check(f"input[name=goals][value={goal}]")
    tab.primary_submit()
    assert tab.path == step("safety")


def fill_safety(tab, *, pain="no", recent_event="none", go_ahead=False, pregnant="no", event_days_ago=14) -> None:
    page = tab.page
    page.check(f"input[name=pain][value={pain}]")
    page.check(f"input[name=recent_event][value={recent_event}]")
    if recent_event != "none":  # S2, E7: the day of the birth or operation
        page.fill("input[name=event_on]", (timezone.localdate() - timedelta(days=event_days_ago)).isoformat())
    page.set_checked("input[name=go_ahead]", go_ahead)
    if pregnant is not None:  # not asked of a person whose body has a penis
        page.check(f"input[name=pregnant][value={pregnant}]")


def answer_safety(tab, **answers) -> None:
    fill_safety(tab, **answers)
    tab.primary_submit()
    assert tab.path == step("time-zone")


def answer_time_zone(tab, time_zone: str | None = None) -> None:
    select = tab.page.locator("select[name=time_zone]")
    assert select.input_value() == DETECTED_TIME_ZONE, "the browser's own time zone should be preselected"
    if time_zone is not None:
        select.select_option(time_zone)
    tab.primary_submit()
    assert tab.path == HOME


def onboard(tab, *, body="vagina", goals=("prevent",), time_zone=None, **safety) -> None:
    start_training(tab)
    answer_body(tab, body)
    answer_goals(tab, *goals)
    answer_safety(tab, **safety)
    answer_time_zone(tab, time_zone)


def secure_profile(tab, username: str, password: str = PASSWORD) -> None:
    tab.visit(ACCOUNT)
    page = tab.page
    page.fill("input[name=username]", username)
    page.fill("input[name=password1]", password)
    page.fill("input[name=password2]", password)
    tab.primary_submit()
    assert tab.path == ACCOUNT
    expect_message(tab)
    assert page.locator(f"main form[action='{LOGOUT}'] button[type=submit]").is_visible()


def log_out(tab, *, language_after: str | None = None) -> None:
    tab.visit(ACCOUNT)
    if language_after:
        tab.language = language_after
    tab.submit(f"main form[action='{LOGOUT}'] button[type=submit]")
    assert tab.path == START


def log_in(tab, username: str, password: str, *, language_after: str | None = None) -> None:
    """Log in; `language_after` is the language the page after it must be in, if it changes."""
    tab.visit(LOGIN)
    tab.page.fill("input[name=username]", username)
    tab.page.fill("input[name=password]", password)
    if language_after:
        tab.language = language_after
    tab.primary_submit()


def follow_menu(tab, href: str) -> None:
    """Follow a link of the main menu; on a phone the less used places are under "More" first."""
    link = tab.page.locator(f"nav.site-nav a[href='{href}']")
    if not link.is_visible():
        tab.page.locator("nav.site-nav details.site-nav__more > summary").click()
    tab.follow(link)


def expect_message(tab) -> None:
    messages = tab.page.locator("main .messages[role=status] .message")
    assert messages.count() >= 1 and messages.first.inner_text().strip(), f"no message on {tab.path}"


def expect_field_error(tab, name: str) -> None:
    """The field shows its own error, inside its own field box, and says it is invalid."""
    page = tab.page
    field_box = page.locator(".field.field--error", has=page.locator(f"[name={name}]"))
    assert field_box.count() == 1, f"no error box around the field {name!r} on {tab.path}"
    error = field_box.locator(".errorlist")
    assert error.is_visible() and error.inner_text().strip(), f"no error text next to {name!r}"
    assert page.locator(f"[name={name}][aria-invalid=true]").count() >= 1, f"{name!r} not marked aria-invalid"
    # Screen readers read the error with the field: the input or its fieldset points at it.
    error_id = error.get_attribute("id")
    assert error_id, f"the error of {name!r} has no id to point at"
    described = field_box.locator(
        f"[name={name}][aria-describedby~='{error_id}'], fieldset[aria-describedby~='{error_id}']"
    )
    assert described.count() >= 1, f"nothing points at the error of {name!r} with aria-describedby"


def expect_error_summary(tab) -> None:
    assert tab.page.locator("main [role=alert]").first.is_visible(), f"no error announcement on {tab.path}"


def expect_path(tab, path: str) -> None:
    """The home page shows this training path (learning, relaxation or circulation) and its guide."""
    page = tab.page
    assert tab.path == HOME
    assert page.locator(f".situation .path-badge--{path}").is_visible(), f"home page is not on the {path} path"
    others = {"learning", "relaxation", "circulation"} - {path}
    for other in others:
        assert page.locator(f".path-badge--{other}").count() == 0
    guide = page.locator("section.guide[aria-labelledby=guide-heading]")
    assert guide.count() == 1 and page.locator("#guide-heading").is_visible()


# --- The tests ---------------------------------------------------------------------------------


def test_the_start_page_is_swedish_until_the_visitor_chooses_english(tab, language):
    tab.visit(START)
    page = tab.page
    assert page.locator("html").get_attribute("lang") == "sv"
    start_button = page.locator(f"form[action='{reverse('accounts:begin')}'] button[type=submit]")
    assert start_button.inner_text().strip() == START_BUTTON_TEXT["sv"]
    if language == "en":
        tab.switch_language("en")
        assert tab.path == START
        assert start_button.inner_text().strip() == START_BUTTON_TEXT["en"]
    # The choice is remembered on other pages, after a reload and back on the start page.
    tab.visit(PRIVACY)
    page.reload()
    tab.check()
    tab.visit(START)
    assert start_button.inner_text().strip() == START_BUTTON_TEXT[language]
    # The switch offers the other language, named in that language.
    other = "sv" if language == "en" else "en"
    switch = page.locator("header form.language-switch button[name=language]")
    assert switch.count() == 1
    assert switch.get_attribute("value") == other and switch.get_attribute("lang") == other


def test_a_newcomer_onboards_and_sees_the_learning_path(newcomer):
    tab = newcomer
    start_training(tab)

    # Sending a step unanswered shows the error next to the field, and nothing breaks.
    tab.primary_submit()
    assert tab.path == step("body")
    expect_error_summary(tab)
    expect_field_error(tab, "body")

    answer_body(tab, "vagina")
    answer_goals(tab, "urinary_leakage", "prevent")
    answer_safety(tab, pain="no", recent_event="none", pregnant="no")
    assert SERVER_DEFAULT_TIME_ZONE != DETECTED_TIME_ZONE
    answer_time_zone(tab)

    expect_path(tab, "learning")
    # Nothing calls for care advice; the start page now leads home; the profile asks to be saved.
    assert tab.page.locator(".advice--important").count() == 0
    assert tab.page.locator(f"main a[href='{ACCOUNT}']").count() >= 1
    tab.visit(START)
    assert tab.path == HOME


def test_a_newcomer_with_pain_practises_relaxing_and_is_told_to_call_1177(newcomer):
    tab = newcomer
    start_training(tab)
    answer_body(tab, "penis")
    answer_goals(tab, "cough")

    # Only the pain question answered: the two others say what is missing.
    tab.page.check("input[name=pain][value=yes]")
    tab.primary_submit()
    assert tab.path == step("safety")
    expect_error_summary(tab)
    expect_field_error(tab, "recent_event")
    assert tab.page.locator("input[name=pregnant]").count() == 0, "pregnancy asked of a body with a penis"
    assert tab.page.locator("input[name=pain][value=yes]").is_checked(), "the given answer was lost"

    answer_safety(tab, pain="yes", recent_event="none", pregnant=None)
    answer_time_zone(tab)

    expect_path(tab, "relaxation")
    care = tab.page.locator(".advice-list .advice--important")
    assert care.count() == 1 and "1177" in care.inner_text()
    # The way out of relaxation practice is to update the pain answer.
    assert tab.page.locator(f"section.guide a[href='{editing('safety')}']").count() == 1


def test_after_childbirth_only_gentle_squeezes_until_the_go_ahead(newcomer):
    tab = newcomer
    start_training(tab)
    answer_body(tab, "vagina")
    answer_goals(tab, "pregnancy_or_birth")
    answer_safety(tab, pain="no", recent_event="childbirth", go_ahead=False, pregnant="no")
    answer_time_zone(tab)

    expect_path(tab, "circulation")
    assert "1177" in tab.page.locator("section.guide .notice--care").inner_text()

    tab.submit(f"section.guide form[action='{reverse('training:go_ahead')}'] button[type=submit]")
    expect_path(tab, "learning")
    expect_message(tab)
    assert tab.page.locator(f"form[action='{reverse('training:go_ahead')}']").count() == 0


def test_changing_an_answer_on_the_profile_switches_the_path_at_once(newcomer):
    tab = newcomer
    onboard(tab)
    expect_path(tab, "learning")

    follow_menu(tab, PROFILE)
    assert tab.path == PROFILE
    tab.follow(f"main a[href='{editing('safety')}']")
    page = tab.page
    # The form starts from the answers already given.
    assert page.locator("input[name=pain][value=no]").is_checked()
    assert page.locator("input[name=recent_event][value=none]").is_checked()
    assert page.locator("input[name=pregnant][value=no]").is_checked()
    page.check("input[name=pain][value=yes]")
    tab.primary_submit()
    assert tab.path == PROFILE
    expect_message(tab)

    follow_menu(tab, HOME)
    expect_path(tab, "relaxation")
    assert "1177" in page.locator(".advice--important").inner_text()

    # And back again, from the relaxation guide's own link.
    tab.follow(f"section.guide a[href='{editing('safety')}']")
    page.check("input[name=pain][value=no]")
    tab.primary_submit()
    tab.visit(HOME)
    expect_path(tab, "learning")


def test_a_saved_profile_opens_on_another_device_and_the_password_can_be_changed(newcomer, open_tab, language):
    tab = newcomer
    username = f"knipa-{language}"
    onboard(tab, body="neutral", goals=("prolapse",), time_zone="Pacific/Chatham")

    # Mismatched passwords are refused, with the error shown (and scanned).
    tab.visit(ACCOUNT)
    tab.page.fill("input[name=username]", username)
    tab.page.fill("input[name=password1]", PASSWORD)
    tab.page.fill("input[name=password2]", PASSWORD + " not the same")
    tab.primary_submit()
    assert tab.path == ACCOUNT
    expect_error_summary(tab)
    expect_field_error(tab, "password2")

    secure_profile(tab, username)
    log_out(tab)
    tab.visit(HOME)
    assert tab.path == f"{LOGIN}?next={HOME}", "after logging out the profile must not open in this browser"

    # Another device: a fresh browser, Swedish until the person logs in and their choice comes along.
    other = open_tab()
    log_in(other, username, PASSWORD, language_after=language)
    assert other.path == HOME
    follow_menu(other, PROFILE)
    answers = other.page.locator("main dl.answers").inner_text()
    assert "Pacific/Chatham" in answers

    # Change the password there: a wrong old password is refused first.
    follow_menu(other, ACCOUNT)
    other.follow(f"main a[href='{PASSWORD_CHANGE}']")
    page = other.page
    page.fill("input[name=old_password]", "not my password at all")
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    other.primary_submit()
    assert other.path == PASSWORD_CHANGE
    expect_error_summary(other)
    expect_field_error(other, "old_password")
    page.fill("input[name=old_password]", PASSWORD)
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    other.primary_submit()
    assert other.path == ACCOUNT
    expect_message(other)

    # The language came along with the login and stays in this browser after logging out.
    log_out(other)
    log_in(other, username, PASSWORD)
    assert other.path == LOGIN, "the old password still works"
    expect_error_summary(other)
    log_in(other, username, NEW_PASSWORD, language_after=language)
    assert other.path == HOME


@pytest.fixture
def saved_account(transactional_db, language) -> str:
    """Someone who onboarded and saved their profile earlier (made directly, to save time)."""
    user = get_user_model().objects.create_user(username=f"leaving-{language}", password=PASSWORD)
    Profile.objects.create(
        user=user, secured=True, language=language, body="vagina", goals=["prevent"], pain=False,
        recent_event="none", pregnant=False, time_zone="Europe/Oslo", onboarded_at=timezone.now(),
    )
    return user.get_username()


def test_deleting_a_saved_account_removes_it_for_good(newcomer, saved_account):
    tab = newcomer
    username = saved_account
    log_in(tab, username, PASSWORD)
    expect_path(tab, "learning")
    follow_menu(tab, ACCOUNT)
    tab.follow(f"main a[href='{DELETE}']")
    delete_button = "main form button[type=submit]"

    # Neither the tick nor the password: both are asked for.
    tab.submit(delete_button)
    assert tab.path == DELETE
    expect_error_summary(tab)
    expect_field_error(tab, "confirm")
    expect_field_error(tab, "password")

    tab.page.check("input[name=confirm]")
    tab.page.fill("input[name=password]", "a wrong password for sure")
    tab.submit(delete_button)
    assert tab.path == DELETE
    expect_field_error(tab, "password")

    tab.page.check("input[name=confirm]")
    tab.page.fill("input[name=password]", PASSWORD)
    tab.submit(delete_button)
    assert tab.path == START
    expect_message(tab)

    tab.visit(HOME)
    assert tab.path == f"{LOGIN}?next={HOME}"
    log_in(tab, username, PASSWORD)
    assert tab.path == LOGIN, "a deleted account could still log in"
    expect_error_summary(tab)
    assert not get_user_model().objects.filter(username=username).exists()
    assert not Profile.objects.exists()


def test_a_profile_kept_only_in_this_browser_is_deleted_with_a_tick(newcomer):
    tab = newcomer
    onboard(tab)
    tab.visit(DELETE)
    assert tab.page.locator("input[name=password]").count() == 0, "a browser-only profile has no password"
    tab.page.check("input[name=confirm]")
    tab.submit("main form button[type=submit]")
    assert tab.path == START
    expect_message(tab)
    tab.visit(HOME)
    assert tab.path == f"{LOGIN}?next={HOME}", "the deleted profile still opened"


def test_every_kind_of_page_also_passes_axe_in_dark_mode(open_tab):
    """The stylesheet has its own dark colours; axe checks their contrast on the same journey."""
    tab = open_tab(color_scheme="dark")
    tab.visit(START)
    background = tab.page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(18, 22, 21)", f"the dark colours are not in use ({background})"
    start_training(tab)
    tab.primary_submit()  # the error state, in dark colours
    expect_field_error(tab, "body")
    answer_body(tab, "neutral")
    answer_goals(tab, "cough", "sexual_function")
    # Every piece of advice at once: pain, a recent operation and a cough (pregnancy brings no lone
    # stimulator warning: S4's warning stands with the stimulators, in the guide).
    answer_safety(tab, pain="yes", recent_event="surgery", pregnant="yes")
    answer_time_zone(tab)
    expect_path(tab, "relaxation")
    assert tab.page.locator(".advice-list .advice").count() == 3

    tab.visit(PROFILE)
    tab.follow(f"main a[href='{editing('safety')}']")
    tab.page.check("input[name=pain][value=no]")
    tab.primary_submit()
    tab.visit(HOME)
    expect_path(tab, "circulation")
    tab.submit(f"section.guide form[action='{reverse('training:go_ahead')}'] button[type=submit]")
    expect_path(tab, "learning")

    tab.visit(ACCOUNT)
    tab.primary_submit()  # nothing filled in
    expect_field_error(tab, "username")
    tab.visit(DELETE)
    tab.visit(LOGIN)
    tab.visit(PRIVACY)
