"""The round a person does now: one answer for the home page, the player page and the API."""

from __future__ import annotations

from knipa.accounts.models import Profile
from knipa.program.exercises import Exercise, Position
from knipa.program.plan import plan_positions, round_exercises
from knipa.program.rounds import Stage, compose_round, positions_for


def current_round(profile: Profile, practice: Stage | None = None) -> tuple[Stage, list[Exercise], tuple[Position, ...]]:
    """The stage the person's plan puts them in, its exercises, and the positions they allow.

    `practice` asks for the daily-life squeeze practice (E6) instead, which is open to anyone on
    the main path; on a side path (S1, S2) the side path's round is the only one offered.
    """
    from knipa.training.plans import current_plan  # the plan lives in the training room

    state = current_plan(profile)
    if practice is Stage.DAILY_LIFE and state.side_path is None:
        exercises = compose_round(Stage.DAILY_LIFE)
        return Stage.DAILY_LIFE, exercises, positions_for(exercises)
    exercises = round_exercises(state)
    # The positions a clinician's prescription asked for, when this round allows them.
    return state.current_stage, exercises, plan_positions(state, positions_for(exercises))
