"""Issue 15, the newcomer walk (part d), in a real browser on a 390 px phone, in Swedish: a wrong
password says so plainly (item 11a), a round of six seconds is "6 s" (11b), and the username logs in
whatever its case (11f).

Every landing gets the harness's checks (conftest.py): `<html lang>`, axe, no console error or
CSP violation.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from knipa.accounts.models import Profile
from knipa.training.models import TrainingRound
# The phone (a Swedish 390 px tab) and logging in through the form, as in part a.
from tests.e2e.test_newcomer_fixes_a import PASSWORD, log_in, phone  # noqa: F401 - phone is a fixture


LOGIN = reverse("accounts:login")
HOME = reverse("today:home")
HISTORY = reverse("training:history")


def make_account(username: str = "owner") -> Profile:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    return Profile.objects.create(
        user=user, secured=True, language="sv", body="vagina", goals=["prevent"], pain=False,
        recent_event="none", pregnant=False, time_zone="Europe/Stockholm", onboarded_at=timezone.now(),
    )


def test_a_wrong_password_says_plainly_that_the_username_or_password_is_wrong(phone, transactional_db):
    make_account()
    tab = phone()
    tab.visit(LOGIN)
    log_in(tab, "owner", "not the password")
    assert tab.path == LOGIN
    text = tab.page.locator("main").inner_text()
    assert "Användarnamnet eller lösenordet är fel." in text
    assert "Rätta de markerade fälten" not in text
    assert tab.page.locator(".field--error").count() == 0


def test_logging_in_as_the_username_in_capitals_works(phone, transactional_db):
    make_account("owner")
    tab = phone()
    tab.visit(LOGIN)
    log_in(tab, "OWNER")
    assert tab.path == HOME


def test_a_round_of_six_seconds_shows_six_seconds(phone, transactional_db):
    profile = make_account()
    start = timezone.now() - timedelta(minutes=10)
    done = TrainingRound.objects.create(profile=profile, stage="learning", position="lying", status="stopped",
                                        started_at=start, ended_at=start + timedelta(seconds=6))
    tab = phone()
    tab.visit(LOGIN)
    log_in(tab, "owner")
    tab.visit(HISTORY)
    history = tab.page.locator("main").inner_text()
    assert "6 s" in history and "0 min" not in history
    tab.visit(reverse("training:round", args=[done.id]))
    page = tab.page.locator("main").inner_text()
    assert "6 s" in page and "0 min" not in page
