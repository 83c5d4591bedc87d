"""The round a person does now: one answer for the home page, the player page and the API."""

from __future__ import annotations

from knipa.accounts.models import Profile
from knipa.program.exercises import Exercise, Position
from knipa.program.rounds import Stage, compose_round, positions_for, stage_for_path


def current_round(profile: Profile) -> tuple[Stage, list[Exercise], tuple[Position, ...]]:
    """The stage the person's path puts them in, its exercises, and the positions they allow."""
    stage = stage_for_path(profile.training_path)
    exercises = compose_round(stage)
    return stage, exercises, positions_for(exercises)
