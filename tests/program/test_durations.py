"""Durations said naturally (issue 15, item 11b): no "0 min 6 s", no "0 weeks"."""

from __future__ import annotations

import pytest
from django.utils import translation

from knipa.program.durations import Duration, split
from knipa.training.templatetags.durations import duration


def test_a_duration_splits_into_whole_hours_minutes_and_seconds():
    assert split(3725.4) == Duration(1, 2, 5)
    assert split(-3) == Duration(0, 0, 0) and split(None) == Duration(0, 0, 0)


@pytest.mark.parametrize(("seconds", "said"), [
    (6, "6 s"), (0, "0 s"), (59.6, "1 min"), (90, "1 min 30 s"), (120, "2 min"), (3725, "1 h 2 min 5 s"),
    (3600, "1 h"),
])
def test_a_duration_leaves_out_the_parts_that_are_zero(seconds, said):
    with translation.override("en"):
        assert duration(seconds) == said


def test_a_duration_that_is_not_a_number_shows_nothing():
    assert duration(None) == "" and duration("soon") == ""

