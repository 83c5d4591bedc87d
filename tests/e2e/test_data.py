"""Owning the data in a real browser: a person who has trained for eight weeks notes leaks and a
diary day through the pages, prints the one-page summary, downloads everything as JSON, deletes
the account, starts afresh and imports the file, and finds everything again. Every landing gets
the harness's checks (language, zero axe violations, no console or CSP problems)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from knipa.outcomes.models import CheckIn, DiaryEntry, Leak
from knipa.reminders.models import ReminderSettings
from knipa.training.models import TrainingRound
from tests.conftest import PASSWORD, make_person
from tests.e2e.test_newcomer_journey import (
    ACCOUNT,
    DELETE,
    HOME,
    START,
    expect_error_summary,
    expect_field_error,
    expect_message,
    onboard,
)
from tests.e2e.test_player import log_in_as
from tests.training.plan_seeding import follow_the_plan

DATA = reverse("data:page")
SUMMARY = reverse("data:summary")
LEAKS = reverse("outcomes:leaks")
DIARY = reverse("outcomes:diary")
IMPORT_BUTTON = f"main form[action='{DATA}'] button[type=submit]"


@pytest.fixture
def eight_weeks_in(transactional_db, tab):
    """Eight weeks of training, two check-ins and reminder times; logged in, on the home page."""
    profile = make_person("moving-on", goals=["urinary_leakage", "prolapse"])
    follow_the_plan(profile, weeks=8)
    now = timezone.now()
    CheckIn.objects.create(profile=profile, at=now - timedelta(weeks=8), frequency=3, amount=2, bother=7,
                           confidence=3)
    CheckIn.objects.create(profile=profile, at=now - timedelta(days=2), frequency=2, amount=1, bother=3,
                           confidence=8, improvement=2, avoids_sex=True)
    ReminderSettings.objects.create(profile=profile, times=["07:30", "18:00"], weekdays=[0, 1, 2, 3, 4, 5, 6])
    log_in_as(tab, profile.user.get_username())
    return tab, profile


def log_leak(tab, situation: str, amount: str) -> None:
    tab.page.check(f"input[name=amount][value={amount}]")
    tab.submit(f"main button[name=situation][value={situation}]")
    assert tab.path == LEAKS
    expect_message(tab)


def add_diary_line(tab, time: str, kind: str, *, drink: str = "", volume: str = "", urgency: str = "",
                   woke_me: bool = False) -> None:
    page = tab.page
    page.fill("input[name=time]", time)
    page.check(f"input[name=kind][value={kind}]")
    if drink:
        page.select_option("select[name=drink]", drink)
    # The form shows only the fields of the kind chosen (a leak has no volume, only a toilet
    # visit can have woken the person).
    if volume:
        page.fill("input[name=volume_ml]", volume)
    if urgency:
        page.select_option("select[name=urgency]", urgency)
    if kind == "void":
        page.set_checked("input[name=woke_me]", woke_me)
    tab.primary_submit()
    assert tab.path == DIARY
    expect_message(tab)


def download(tab, test_id: str) -> bytes:
    with tab.page.expect_download() as info:
        tab.page.get_by_test_id(test_id).click()
    return Path(info.value.path()).read_bytes()


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_everything_exported_comes_back_in_a_new_account(eight_weeks_in, tmp_path):
    tab, profile = eight_weeks_in
    page = tab.page
    stage = page.get_by_test_id("stage").inner_text()

    tab.visit(LEAKS)
    log_leak(tab, "sneeze", "splash")
    log_leak(tab, "lift", "drops")
    tab.visit(DIARY)
    add_diary_line(tab, "03:10", "void", volume="220", urgency="2", woke_me=True)
    add_diary_line(tab, "07:45", "drink", drink="coffee_tea", volume="250")
    add_diary_line(tab, "08:30", "void", volume="350", urgency="1")
    add_diary_line(tab, "11:00", "leak", urgency="3")
    assert page.get_by_test_id("diary-summary").is_visible()

    # The account page leads to the data page; the summary is one A4 page, ready to print.
    tab.visit(ACCOUNT)
    tab.follow(f"main a[href='{DATA}']")
    tab.follow(f"main a[href='{SUMMARY}']")
    assert page.get_by_test_id("summary-stage").inner_text() == stage
    assert page.locator("button[data-print]").is_visible(), "the print button is shown once its script runs"
    assert page.get_by_test_id("summary-weeks").locator("tbody tr").count() == 8
    assert page.get_by_test_id("summary-check-ins").is_visible()
    assert page.get_by_test_id("care-advice").is_visible()
    assert "1177" in page.get_by_test_id("summary").inner_text()
    assert pdf_pages(page.pdf(format="A4", print_background=False)) == 1, "the summary needs more than one page"

    tab.visit(DATA)
    exported = download(tab, "download-json")
    rounds_csv = download(tab, "download-rounds").decode("utf-8-sig")
    assert len(rounds_csv.strip().splitlines()) > TrainingRound.objects.filter(profile=profile).count()
    assert download(tab, "download-diary").decode("utf-8-sig").count("\n") == 1 + 4
    data = json.loads(exported)
    assert len(data["leaks"]) == 2 and len(data["diary"]) == 4 and len(data["check_ins"]) == 2
    export_file = tmp_path / "knipa-export.json"
    export_file.write_bytes(exported)

    # Delete the account, then start again from the start page.
    tab.visit(ACCOUNT)
    tab.follow(f"main a[href='{DELETE}']")
    page.check("input[name=confirm]")
    page.fill("input[name=password]", PASSWORD)
    tab.submit("main form button[type=submit]")
    assert tab.path == START
    assert not TrainingRound.objects.exists() and not Leak.objects.exists() and not DiaryEntry.objects.exists()
    onboard(tab, body="neutral", goals=("prevent",))
    assert page.get_by_test_id("stage").inner_text() != stage

    # A file that is not an export is refused next to the field, and nothing changes.
    tab.visit(DATA)
    page.set_input_files("input[name=file]", files=[
        {"name": "notes.json", "mimeType": "application/json", "buffer": b'{"shopping": ["milk"]}'}])
    tab.submit(IMPORT_BUTTON)
    assert tab.path == DATA
    expect_error_summary(tab)
    expect_field_error(tab, "file")
    assert not TrainingRound.objects.exists()

    page.set_input_files("input[name=file]", str(export_file))
    tab.submit(IMPORT_BUTTON)
    assert tab.path == DATA
    expect_message(tab)

    tab.visit(HOME)
    assert page.get_by_test_id("stage").inner_text() == stage
    tab.visit(DATA)
    again = json.loads(download(tab, "download-json"))
    # Nothing lost: the same file, round ids included (the old account's rounds are gone), apart
    # from the moment of the export.
    assert {**again, "exported_at": None} == {**data, "exported_at": None}
