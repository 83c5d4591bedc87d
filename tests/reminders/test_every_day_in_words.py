"""The reminders page says "every day" and "weekdays" rather than listing the days (issue 15, item 11d)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def page_after_choosing(client, weekdays, language="en"):
    client.cookies["knipa_language"] = language
    data = {f"time_{i}": t for i, t in enumerate(["07:15", "12:30", "20:00"])}
    data["weekdays"] = [str(d) for d in weekdays]
    client.post(reverse("reminders:schedule"), data)
    return client.get(reverse("reminders:page")).content.decode()


def test_all_seven_days_are_every_day(owner_client):
    html = page_after_choosing(owner_client, range(7))
    assert "Now: 3 a day, every day." in html
    assert "Monday, Tuesday" not in html


def test_monday_to_friday_are_weekdays(owner_client):
    html = page_after_choosing(owner_client, range(5))
    assert "Now: 3 a day, on weekdays (Monday to Friday)." in html


def test_other_days_are_named(owner_client):
    html = page_after_choosing(owner_client, [0, 2, 5])
    assert "Now: 3 a day, on Monday, Wednesday, Saturday." in html


def test_every_day_in_swedish(owner_client):
    html = page_after_choosing(owner_client, range(7), language="sv")
    assert "varje dag" in html and "måndag, tisdag" not in html.lower()
