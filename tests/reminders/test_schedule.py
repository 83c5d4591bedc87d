"""Reminder times: local wall-clock times to UTC across daylight-saving changes, and a schedule
that follows the plan (spec H1, E1, K2)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from knipa.reminders.schedule import DEFAULT_WEEKDAYS, due_times, schedule_for, wall_clock_to_utc

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SPRING_FORWARD = date(2026, 3, 29)  # 02:00 -> 03:00 in Stockholm
FALL_BACK = date(2026, 10, 25)  # 03:00 -> 02:00 in Stockholm


def test_a_time_in_the_spring_forward_gap_fires_at_the_first_valid_minute_after_it():
    due = wall_clock_to_utc(SPRING_FORWARD, time(2, 30), STOCKHOLM)
    assert due.astimezone(STOCKHOLM).time() == time(3, 0)
    assert due == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_a_time_that_happens_twice_when_the_clocks_go_back_fires_once_at_the_first():
    schedule = schedule_for([time(2, 30)], range(7), 1, 7, STOCKHOLM)
    start = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
    due = list(due_times(schedule, start, start + timedelta(days=1)))
    assert due == [(0, datetime(2026, 10, 25, 0, 30, tzinfo=UTC))]  # 02:30 summer time, not 02:30 winter time


def test_ordinary_times_keep_their_wall_clock_across_both_changes():
    schedule = schedule_for([time(8, 0)], range(7), 1, 7, STOCKHOLM)
    start = datetime(2026, 3, 27, tzinfo=UTC)
    local = [due.astimezone(STOCKHOLM) for _slot, due in due_times(schedule, start, start + timedelta(days=4))]
    assert [d.time() for d in local] == [time(8, 0)] * 4
    assert {d.utcoffset() for d in local} == {timedelta(hours=1), timedelta(hours=2)}


def test_there_are_as_many_times_a_day_as_the_plan_has_rounds():
    two = schedule_for([time(7, 15)], range(7), 2, 7, STOCKHOLM)
    assert two.times == (time(7, 15), time(13, 0))
    one = schedule_for([time(7, 15), time(12, 0), time(20, 0)], range(7), 1, 7, STOCKHOLM)
    assert one.times == (time(7, 15),)


@pytest.mark.parametrize("days", [1, 2, 3, 4, 7])
def test_the_days_follow_the_plans_days_a_week(days):  # E1, K2
    schedule = schedule_for([time(8, 0)], range(7), 1, days, STOCKHOLM)
    assert schedule.weekdays == frozenset(DEFAULT_WEEKDAYS[days])
    start = datetime(2026, 11, 30, tzinfo=UTC)  # a Monday
    assert len(list(due_times(schedule, start, start + timedelta(weeks=1)))) == days


def test_the_persons_own_days_are_kept_when_they_fit_the_plan():
    schedule = schedule_for([time(8, 0)], [1, 4, 6], 1, 3, STOCKHOLM)
    assert schedule.weekdays == {1, 4, 6}


def test_quiet_days_have_no_reminders():
    schedule = schedule_for([time(8, 0)], range(7), 1, 7, STOCKHOLM, quiet_dates=[date(2026, 12, 1)])
    start = datetime(2026, 11, 30, tzinfo=UTC)
    due = [d.astimezone(STOCKHOLM).date() for _s, d in due_times(schedule, start, start + timedelta(days=3))]
    assert date(2026, 12, 1) not in due and len(due) == 2
