"""The numbers a person sees, each from one rule (knipa.program.plan; docs/plan.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from knipa.program.plan import (
    START,
    ExerciseReport,
    PlanState,
    RoundReport,
    best_endurance_hold,
    counts_toward_plan,
    counts_toward_today,
    reports_needed_since,
    strength_goal,
)
from knipa.program.rounds import Stage

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=timezone.utc)


def endurance(started: datetime, held: float, *, stage: str = "training", pain: bool = False) -> RoundReport:
    return RoundReport(started_at=started, stage=stage, status="stopped_for_pain" if pain else "finished",
                       exercises=(ExerciseReport("E3", 1, 1, 20, held_seconds=held, pain=pain),))


def test_only_finished_rounds_without_pain_and_not_practice_count_toward_the_plan():  # E6, S1
    assert counts_toward_plan("training", "finished", False)
    assert not counts_toward_plan("training", "stopped", False)
    assert not counts_toward_plan("training", "stopped_for_pain", False)
    assert not counts_toward_plan("training", "finished", True)
    assert not counts_toward_plan("daily_life", "finished", False)


def test_today_counts_only_the_rounds_of_the_stage_the_plan_is_at():
    state = PlanState(stage=Stage.TRAINING)
    assert counts_toward_today("training", "finished", False, state)
    assert not counts_toward_today("learning", "finished", False, state)
    assert counts_toward_today("relaxation", "finished", False, replace(state, side_path=Stage.RELAXATION))


def test_the_best_hold_outlives_a_change_of_numbers_but_not_a_change_of_stage_nor_counts_a_hold_that_hurt():  # E3, S1
    stage_began = NOW - timedelta(days=3)
    state = PlanState(stage=Stage.TRAINING, stage_since=stage_began, since=NOW - timedelta(hours=1))
    reports = [
        endurance(stage_began - timedelta(days=1), 50, stage="learning"),  # before this stage
        endurance(stage_began + timedelta(days=1), 6),  # before the last change: still counts
        endurance(NOW - timedelta(minutes=5), 45, pain=True),  # hurt: never counts
    ]
    assert best_endurance_hold(state, reports) == 6
    assert reports_needed_since(state) == stage_began


def test_the_strength_goal_is_ten_squeezes_of_six_seconds_or_the_persons_own_higher_numbers():  # E1
    assert strength_goal(START) == (10, 6)
    assert strength_goal(replace(START, strength_reps=12, strength_hold_seconds=8)) == (12, 8)
