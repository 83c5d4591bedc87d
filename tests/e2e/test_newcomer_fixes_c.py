"""Issue 15, the newcomer walk (part c: items 7-10), in a real browser on a 390 px phone, in Swedish.

Every landing gets the harness's checks (conftest.py): `<html lang>`, axe, no console error or
CSP violation.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from knipa.outcomes.models import CheckIn, DiaryEntry
from tests.conftest import make_person
from tests.e2e.test_player import log_in_as

PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 740}

CHECK_IN = reverse("outcomes:check_in")
PROGRESS = reverse("outcomes:progress")
DIARY = reverse("outcomes:diary")
LEAKS = reverse("outcomes:leaks")
SUMMARY = reverse("data:summary")
TRAIN = reverse("training:player")
DATA = reverse("data:page")


@pytest.fixture
def phone(open_tab):
    """A Swedish phone, 390 px wide, logged in as `profile`."""

    def open_phone(profile, size=PHONE):
        tab = open_tab()
        tab.page.set_viewport_size(size)
        log_in_as(tab, profile.user.get_username(), "sv")
        return tab

    return open_phone


def page_width(tab) -> int:
    return tab.page.evaluate("document.documentElement.scrollWidth")


# --- 7. The check-in ----------------------------------------------------------------------------


def test_the_check_in_fits_a_phone_and_asks_what_the_person_trains_for(transactional_db, phone):
    profile = make_person("kontroll", goals=["faecal_leakage", "prolapse"])
    tab = phone(profile)
    tab.visit(CHECK_IN)
    page = tab.page
    assert page_width(tab) <= PHONE["width"]

    # The 0-10 scale is one segmented row, wrapped at most once, with buttons big enough for a thumb.
    bother = page.locator("fieldset.scale").filter(has=page.locator("input[name=bother]"))
    assert bother.locator("legend").inner_text() == "Hur mycket stör dina besvär dig?"
    boxes = [bother.locator("label.segment").nth(i).bounding_box() for i in range(11)]
    assert len({round(box["y"]) for box in boxes}) <= 2
    assert all(box["height"] >= 44 and box["width"] >= 40 for box in boxes)
    assert "0 = inte alls" in bother.locator(".scale__ends").inner_text()
    assert page.locator("input[name=bother][value='6']").get_attribute("aria-describedby") == "id_bother_ends"

    # The questions that fit: urine, gas or stool, heaviness.
    assert page.locator("input[name=frequency]").count() == 5
    assert page.locator("input[name=bowel_leaks]").count() == 5
    assert page.locator("input[name=heaviness]").count() == 5

    page.check("input[name=frequency][value='3']")
    page.check("input[name=amount][value='2']")
    page.check("input[name=bowel_leaks][value='2']")
    page.check("input[name=heaviness][value='4']")
    bother.locator("label.segment", has_text="6").click()  # a tap on the number chooses it
    page.locator("fieldset.scale label.segment").filter(
        has=page.locator("input[name=confidence][value='8']")).click()
    page.get_by_text("På grund av mina besvär undviker jag sex").click()  # the statement is the label
    assert page.locator("input[name=avoids_sex]").is_checked()
    page.check("input[name=pain][value='no']")
    tab.submit("main form button[type=submit]")
    assert tab.path == PROGRESS
    saved = CheckIn.objects.get(profile=profile)
    assert (saved.bother, saved.confidence, saved.bowel_leaks, saved.heaviness, saved.avoids_sex) == (6, 8, 2, 4, True)
    assert page.get_by_test_id("latest-heaviness").inner_text() == "Varje dag"


# --- 8. The summary, the player's cue, the leak log and the diary on a phone ---------------------


@pytest.mark.parametrize("size", [PHONE, SMALL_PHONE])
def test_the_summary_fits_the_phone_and_its_tables_scroll_inside_their_own_region(transactional_db, phone, size):
    profile = make_person(f"sammanfattning-{size['width']}", goals=["urinary_leakage", "prolapse"])
    for weeks_ago in (5, 0):
        CheckIn.objects.create(profile=profile, at=timezone.now() - timedelta(weeks=weeks_ago), frequency=4,
                               amount=3, bother=7, confidence=5, heaviness=3, improvement=3 if not weeks_ago else None)
    tab = phone(profile, size)
    tab.visit(SUMMARY)
    assert page_width(tab) <= size["width"]
    region = tab.page.locator(".table-scroll").filter(has=tab.page.get_by_test_id("summary-weeks"))
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("aria-labelledby") == "weeks-caption"


def test_the_players_cue_never_breaks_a_word_on_a_small_phone(transactional_db, phone):
    profile = make_person("spelare")
    tab = phone(profile, SMALL_PHONE)
    tab.visit(TRAIN)
    assert page_width(tab) <= SMALL_PHONE["width"]
    # The running screen, shown as it is during a squeeze, with the longest words the cues have.
    overflowing = tab.page.evaluate("""() => {
        const cue = document.getElementById('player-cue');
        for (let node = cue; node; node = node.parentElement) node.hidden = false;
        document.getElementById('player-lift').className = 'lift is-up';
        const words = ['Knip och lyft bäckenbotten', 'Funktionella övningar', 'Avslappning', 'Uthållighet',
                       'Slappna av musklerna helt'];
        const wide = [];
        for (const text of words) {
            cue.textContent = text;
            const style = getComputedStyle(cue);
            if (style.hyphens !== 'manual' || style.overflowWrap !== 'normal') wide.push('breaks: ' + text);
            if (cue.scrollWidth > cue.clientWidth) wide.push(text);
        }
        return wide;
    }""")
    assert overflowing == []
    assert page_width(tab) <= SMALL_PHONE["width"]


def test_the_leak_logs_amount_is_a_row_of_thumb_sized_segments(transactional_db, phone):
    profile = make_person("läckage")
    tab = phone(profile)
    tab.visit(LEAKS)
    page = tab.page
    assert page_width(tab) <= PHONE["width"]
    segments = page.locator("fieldset label.segment")
    assert segments.count() == 3
    boxes = [segments.nth(i).bounding_box() for i in range(3)]
    assert len({round(box["y"]) for box in boxes}) == 1 and all(box["height"] >= 44 for box in boxes)
    segments.nth(1).click()
    assert page.locator("input[name=amount][value=splash]").is_checked()


def test_the_diary_shows_only_the_fields_for_the_kind_chosen_and_lists_in_time_order(transactional_db, phone):
    profile = make_person("dagbok")
    tab = phone(profile)
    tab.visit(DIARY)
    page = tab.page
    assert page_width(tab) <= PHONE["width"]
    fields = {name: page.locator(f"[name={name}]").first for name in ("drink", "volume_ml", "urgency", "woke_me")}

    def shown():
        return {name for name, field in fields.items() if field.is_visible()}

    assert shown() == set()  # nothing but what happened, the day and the time, until the kind is chosen
    expected = {"drink": {"drink", "volume_ml"}, "void": {"volume_ml", "urgency", "woke_me"}, "leak": {"urgency"},
                "pad": set()}
    for kind, visible in expected.items():
        page.check(f"input[name=kind][value={kind}]")
        assert shown() == visible, kind

    add = "main form.diary-form button.button--primary"
    page.check("input[name=kind][value=void]")
    page.fill("input[name=volume_ml]", "300")
    page.fill("input[name=time]", "09:15")
    tab.submit(add)
    page.check("input[name=kind][value=drink]")
    page.select_option("select[name=drink]", "water")
    page.fill("input[name=volume_ml]", "250")
    page.fill("input[name=time]", "07:05")
    tab.submit(add)
    assert DiaryEntry.objects.filter(profile=profile).count() == 2
    lines = page.locator("main section ul.devices li > span").all_inner_texts()
    assert [line[:5] for line in lines] == ["07:05", "09:15"]
    assert page_width(tab) <= PHONE["width"]


# --- 9. Dates in the page's language -------------------------------------------------------------

ENGLISH_SHORT_MONTH = re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")
SWEDISH_MONTH = re.compile(r"\b\d{1,2} (jan|feb|mars|april|maj|juni|juli|aug|sep|okt|nov|dec)")


def test_swedish_charts_and_the_summary_write_their_dates_in_swedish(transactional_db, phone):
    profile = make_person("datum")
    for weeks_ago in (6, 1):
        CheckIn.objects.create(profile=profile, at=timezone.now() - timedelta(weeks=weeks_ago), frequency=3,
                               amount=2, bother=5, confidence=5)
    tab = phone(profile)
    tab.visit(PROGRESS)
    axis_labels = tab.page.locator("svg .chart__label").all_text_contents()
    assert axis_labels and all(SWEDISH_MONTH.search(label) for label in axis_labels), axis_labels
    assert not ENGLISH_SHORT_MONTH.search(tab.page.locator("main").inner_text())
    tab.visit(SUMMARY)
    days = tab.page.get_by_test_id("summary-weeks").locator("tbody th").all_text_contents()
    assert days and all(SWEDISH_MONTH.search(day) for day in days), days
    assert not ENGLISH_SHORT_MONTH.search(tab.page.locator("main").inner_text())


# --- 10. CSV for a Swedish spreadsheet -----------------------------------------------------------


def test_a_swedish_phone_downloads_csv_with_semicolons_and_decimal_commas(transactional_db, phone):
    import uuid

    from knipa.training.models import ExerciseRecord, TrainingRound

    profile = make_person("kalkylark")
    started = timezone.now() - timedelta(days=1)
    training_round = TrainingRound.objects.create(
        id=uuid.uuid4(), profile=profile, stage="training", position="lying", status="finished", effort="right",
        started_at=started, ended_at=started + timedelta(minutes=5))
    ExerciseRecord.objects.create(training_round=training_round, order=0, exercise="E1", planned_reps=8,
                                  achieved_reps=8, planned_squeeze_seconds=1.5, planned_rest_seconds=3)
    tab = phone(profile)
    tab.visit(DATA)
    assert page_width(tab) <= PHONE["width"]
    with tab.page.expect_download() as download:
        tab.page.get_by_test_id("download-rounds").click()
    content = open(download.value.path(), "rb").read()
    assert content.startswith(b"\xef\xbb\xbf")
    header, row = content.decode("utf-8-sig").split("\r\n")[:2]
    assert header.startswith("Datum;Börja;") and ";1,5;" in row
