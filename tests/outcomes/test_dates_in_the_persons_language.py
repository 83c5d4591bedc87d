"""Dates on the progress charts and the printable summary are written in the page's language
(issue 15, item 9): a Swedish page read "2 Dec", because Django's "M" is the month's three letters
with a capital in every language."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from knipa.outcomes.charting import short_day
from knipa.outcomes.models import CheckIn
from tests.conftest import make_person

pytestmark = pytest.mark.django_db

ENGLISH_SHORT_MONTH = re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")
SWEDISH_SHORT_MONTH = re.compile(r"\b\d{1,2} (jan|feb|mars|april|maj|juni|juli|aug|sep|okt|nov|dec)\b")


@pytest.mark.parametrize(("language", "expected"), [("sv", ["2 dec", "2 mars", "2 maj"]),
                                                    ("en", ["2 Dec", "2 Mar", "2 May"])])
def test_a_chart_day_is_written_as_the_language_writes_it(language, expected):
    with translation.override(language):
        assert [short_day(date(2026, month, 2)) for month in (12, 3, 5)] == expected


def person_with_check_ins(name):
    profile = make_person(name)
    for weeks_ago in (6, 1):
        CheckIn.objects.create(profile=profile, at=timezone.now() - timedelta(weeks=weeks_ago), frequency=3,
                               amount=2, bother=5, confidence=5)
    return profile


@pytest.mark.parametrize("page", ["outcomes:progress", "data:summary"])
def test_a_swedish_page_has_no_english_month_names(client_factory, page):
    profile = person_with_check_ins(f"svenska-{page}")
    client = client_factory(profile.user)
    client.cookies["knipa_language"] = "sv"
    html = client.get(reverse(page)).content.decode()
    assert not ENGLISH_SHORT_MONTH.search(html)
    assert SWEDISH_SHORT_MONTH.search(html)


@pytest.mark.parametrize("page", ["outcomes:progress", "data:summary"])
def test_an_english_page_keeps_its_short_month_names(client_factory, page):
    profile = person_with_check_ins(f"english-{page}")
    client = client_factory(profile.user)
    client.cookies["knipa_language"] = "en"
    assert ENGLISH_SHORT_MONTH.search(client.get(reverse(page)).content.decode())
