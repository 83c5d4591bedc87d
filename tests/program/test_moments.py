"""The date rules in plain Python (knipa.program.moments): the ranges people's dates must keep to, and
conversions to local time that never fail at the calendar's ends; the plan's own functions take
such dates without failing either (review finding 5)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import product
from zoneinfo import ZoneInfo

import pytest

from knipa.program import moments
from knipa.program import plan as rules
from knipa.program.outcomes import week_start
from knipa.program.plan import ExerciseReport, PlanState, RoundReport
from knipa.program.rounds import Stage
from knipa.program.safety import RecentEvent, SafetyAnswers, TrainingPath, advice_for, training_path

FIRST = datetime(1, 1, 1, tzinfo=UTC)
LAST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
ZONES = [ZoneInfo(name) for name in ("Pacific/Kiritimati", "Etc/GMT+12", "Etc/GMT-14", "Europe/Stockholm", "UTC")]
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(("moment", "zone"), list(product([FIRST, LAST, FIRST + timedelta(hours=13),
                                                          LAST - timedelta(hours=13)], ZONES)))
def test_local_time_never_fails_and_can_be_converted_back(moment, zone):
    local = moments.local(moment, zone)
    assert local.tzinfo is zone
    local.astimezone(UTC)  # a query would do this
    assert moments.wall_clock(moment, zone).tzinfo is None
    assert moments.local_date(moment, zone).year in (1, 9999)


def test_local_time_is_exact_wherever_it_exists():
    zone = ZoneInfo("Pacific/Kiritimati")
    assert moments.local(NOW, zone) == NOW and moments.local(NOW, zone).hour == 2
    assert moments.local(LAST - timedelta(days=1), zone) == LAST - timedelta(days=1)


@pytest.mark.parametrize(("day", "zone"), list(product([date.min, date.max, date(2026, 6, 1)], ZONES)))
def test_the_start_of_any_day_is_an_instant_a_query_can_use(day, zone):
    start = moments.start_of_day(day, zone)
    assert start.tzinfo is not None and start.astimezone(UTC) is not None


def test_things_that_happened_lie_between_2000_and_a_day_from_now():
    assert not moments.happened_in_range(FIRST, NOW)
    assert not moments.happened_in_range(datetime(1999, 12, 31, 23, 59, tzinfo=UTC), NOW)
    assert moments.happened_in_range(datetime(2000, 1, 1, tzinfo=UTC), NOW)
    assert moments.happened_in_range(NOW + timedelta(hours=23), NOW)
    assert not moments.happened_in_range(NOW + timedelta(days=2), NOW)
    assert not moments.happened_in_range(LAST, NOW)


def test_days_that_happened_and_days_planned_have_their_ranges():
    today = NOW.date()
    assert not moments.day_in_range(date.min, today) and not moments.day_in_range(date.max, today)
    assert moments.day_in_range(today + timedelta(days=1), today)
    assert not moments.day_in_range(today + timedelta(days=2), today)
    assert moments.planned_day_in_range(today + timedelta(days=366), today)
    assert not moments.planned_day_in_range(today + timedelta(days=367), today)
    assert not moments.planned_day_in_range(date.max, today)
    assert moments.day_in_range(date.max, date.max)  # no overflow at the very end


def test_shifting_a_day_stops_at_the_calendars_ends():
    assert moments.shift(date.max, timedelta(days=1)) == date.max
    assert moments.shift(date.min, timedelta(days=-1)) == date.min
    assert week_start(date.min) == date.min  # 1 January of year 1 was a Monday


def a_report(started: datetime, stage: str = Stage.LEARNING.value) -> RoundReport:
    return RoundReport(started_at=started, stage=stage, status="finished", exercises=(
        ExerciseReport("E0", 10, 10, 3, full_strength_reps=10, felt_clearly="yes"),))


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("stage", [Stage.LEARNING, Stage.TRAINING, Stage.FUNCTIONAL, Stage.MAINTENANCE])
def test_the_plans_rules_take_rounds_and_plans_at_the_calendars_ends(zone, stage):
    reports = [a_report(FIRST, stage.value), a_report(LAST, stage.value), a_report(NOW, stage.value)]
    for since, started_on in ((FIRST, date.min), (LAST, date.max), (None, None)):
        state = PlanState(stage=stage, since=since, stage_since=since, training_started_on=started_on,
                          eased_at=since)
        rules.milestone(state, reports, NOW, zone)
        rules.ready_to_ask_satisfied(state, reports, NOW, zone)
        rules.review(state, reports, NOW, TrainingPath.LEARNING, zone)


@pytest.mark.parametrize("day", [date.min, date.max])
def test_the_safety_rules_take_any_day_of_a_birth(day):
    answers = SafetyAnswers(pain=False, recent_event=RecentEvent.CHILDBIRTH, event_on=day)
    for today in (date.min, NOW.date(), date.max):
        training_path(answers, today)
        advice_for(answers, frozenset(), today)
        answers.within_first_year_after_birth(today)
