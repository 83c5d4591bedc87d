"""The bladder diary and the leak log on a phone (issue 15, item 8): the diary asks what happened
first and keeps only the details that fit it (a drink: what and how much; a toilet visit: amount,
urge, woke me; a leak: urge; a pad: nothing more), without a script; its lines are listed in time
order; the leak log's amount is a row of segments."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from knipa.outcomes.models import DiaryEntry
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def english_client(client_factory, profile):
    client = client_factory(profile.user)
    client.cookies["knipa_language"] = "en"
    return client


def today_for(profile):
    return timezone.now().astimezone(profile.zone).date().isoformat()


EVERYTHING = {"drink": "water", "volume_ml": "250", "urgency": "2", "woke_me": "on", "time": "08:00"}


@pytest.mark.parametrize(("kind", "kept"), [
    ("drink", {"drink": "water", "volume_ml": 250, "urgency": None, "woke_me": False}),
    ("void", {"drink": "", "volume_ml": 250, "urgency": 2, "woke_me": True}),
    ("leak", {"drink": "", "volume_ml": None, "urgency": 2, "woke_me": False}),
    ("pad", {"drink": "", "volume_ml": None, "urgency": None, "woke_me": False}),
])
def test_a_diary_line_keeps_only_the_details_that_fit_its_kind(client_factory, kind, kept):
    profile = make_person(f"diary-{kind}")
    english_client(client_factory, profile).post(reverse("outcomes:diary"),
                                                 {**EVERYTHING, "kind": kind, "day": today_for(profile)})
    entry = DiaryEntry.objects.get(profile=profile)
    assert {name: getattr(entry, name) for name in kept} == kept


def test_a_wrong_detail_that_does_not_fit_the_kind_does_not_stop_the_line(client_factory):
    profile = make_person("diary-pad-slip")
    english_client(client_factory, profile).post(reverse("outcomes:diary"), {
        "kind": "pad", "volume_ml": "lots", "time": "08:00", "day": today_for(profile)})
    assert DiaryEntry.objects.get(profile=profile).volume_ml is None


def test_a_wrong_detail_that_fits_the_kind_is_refused_with_a_message(client_factory):
    profile = make_person("diary-void-slip")
    response = english_client(client_factory, profile).post(reverse("outcomes:diary"), {
        "kind": "void", "volume_ml": "lots", "time": "08:00", "day": today_for(profile)})
    assert "Please give a whole number of millilitres." in response.content.decode()
    assert not DiaryEntry.objects.filter(profile=profile).exists()


def test_the_diary_asks_what_happened_first_and_marks_the_fields_for_each_kind(client_factory):
    profile = make_person("diary-order")
    html = english_client(client_factory, profile).get(reverse("outcomes:diary")).content.decode()
    names = re.findall(r'name="(kind|day|time|drink|volume_ml|urgency|woke_me)"', html)
    assert names[0] == "kind"
    assert re.search(r'class="field for-kind for-drink">\s*<label for="id_drink"', html)
    assert re.search(r'class="field for-kind for-drink for-void">\s*<label for="id_volume_ml"', html)
    assert re.search(r'class="field for-kind for-void for-leak">\s*<label for="id_urgency"', html)
    assert re.search(r'class="field for-kind for-void">\s*<label class="statement" for="id_woke_me"', html)


def test_the_diary_lists_its_lines_in_time_order(client_factory):
    profile = make_person("diary-time-order")
    zone = profile.zone
    today = timezone.now().astimezone(zone).date()
    for days_ago, hour, minute in ((2, 18, 0), (3, 7, 30), (2, 6, 45), (3, 22, 10)):
        day = today - timedelta(days=days_ago)
        DiaryEntry.objects.create(profile=profile, kind="pad",
                                  at=datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone))
    html = english_client(client_factory, profile).get(reverse("outcomes:diary")).content.decode()
    assert re.findall(r"<li><span>(\d\d:\d\d) Pad change", html) == ["07:30", "22:10", "06:45", "18:00"]


def test_the_leak_logs_amount_is_a_row_of_segments(client_factory):
    profile = make_person("leak-segments")
    html = english_client(client_factory, profile).get(reverse("outcomes:leaks")).content.decode()
    assert re.search(r'<legend>How much\?</legend>\s*<div class="segments segments--words">', html)
    assert len(re.findall(r'<label class="segment"><input type="radio" name="amount"', html)) == 3
