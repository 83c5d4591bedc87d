"""The JSON API (django-ninja): a person's round timeline, and saving and reading their rounds.

Every endpoint uses the session of the logged-in person (CSRF-checked for writes) and only ever
touches that person's own rounds; another person's round id answers 404, as if it did not exist.
Documented at /api/docs, served from our own origin.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Literal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth
from pydantic import field_validator, model_validator

from knipa.accounts.access import READ_ANSWERS, WRITE_ANSWERS, Invalid, Problem, api_profile
from knipa.accounts.models import Profile
from knipa.program import moments
from knipa.program.exercises import ALL_EXERCISES, Position
from knipa.program.plan import Effort, Felt, RoundStatus
from knipa.program.questions import Question
from knipa.program.rounds import Stage
from knipa.program.timeline import build_timeline
from knipa.training import plans
from knipa.training.cues import cue_text
from knipa.training.current import current_round
from knipa.training.models import ExerciseRecord, Plan, TrainingRound
from knipa.training.today import today_for

# A phone's clock may run a little ahead of the server's; more than this is a round "from the future".
CLOCK_SKEW = timedelta(minutes=5)

router = Router(auth=django_auth, tags=["training"])


def one_of(enum) -> object:
    """A Literal of the enum's values (a blank one included where the enum has it), in its order.

    The clinical core's enums are the one list of allowed values; a Literal keeps the OpenAPI
    schema a plain string enum and the 422 message a plain list ("Input should be 'a' or 'b'").
    """
    return Literal[tuple(member.value for member in enum)]


StageName = one_of(Stage)
PositionName = one_of(Position)
StatusName = one_of(RoundStatus)
EffortAnswer = one_of(Effort)  # "": not answered
FeltAnswer = one_of(Felt)  # "": not asked or not answered
QuestionName = one_of(Question)


# --- Timeline ---------------------------------------------------------------------------------

class CueOut(Schema):
    at_ms: int
    kind: str
    text_key: str
    text: str
    exercise: str
    exercise_index: int
    rep: int
    reps: int
    duration_ms: int
    open_ended: bool
    # E3: the goal of an open-ended hold, from its squeeze; duration_ms runs to the safe limit.
    target_ms: int | None = None


class ExerciseOut(Schema):
    exercise: str
    kind: str
    intensity: str
    squeeze_seconds: float
    rest_seconds: float
    reps: int
    open_ended: bool
    target_seconds: float | None
    # The self-report after this exercise (E0, T3, S1; knipa.program.questions), never `effort`.
    questions: list[QuestionName]


class TimelineOut(Schema):
    stage: StageName
    position: PositionName
    positions: list[PositionName]
    planned_ms: int
    # T6: whether the report after the last exercise asks how the round felt.
    asks_effort: bool
    exercises: list[ExerciseOut]
    cues: list[CueOut]


def timeline_for(profile: Profile, position: str | None, practice: Stage | None = None) -> dict:
    stage, exercises, allowed = current_round(profile, practice)
    chosen = Position(position) if position in {p.value for p in allowed} else allowed[0]
    data = build_timeline(exercises, chosen).as_dict()
    for cue in data["cues"]:
        cue["text"] = cue_text(cue["text_key"])
    return {**data, "stage": stage.value, "positions": [p.value for p in allowed]}


@router.get("/timeline", response={200: TimelineOut, **READ_ANSWERS}, summary="The person's next round, cue by cue")
def get_timeline(request, position: str | None = None, practice: str | None = None):
    """The exercises of the person's current round and every cue with its offset in ms.

    `position` chooses one of the positions the round allows (P1-P4); an unknown or unsuitable
    position falls back to the first allowed one, which the response names. `practice=daily_life`
    asks for the practice of the squeeze before a cough (E6) instead of the plan's round; any
    other value is ignored. The response's `stage` says which round it is.
    """
    chosen = Stage.DAILY_LIFE if practice == Stage.DAILY_LIFE.value else None
    return timeline_for(api_profile(request), position, chosen)


# --- Rounds -------------------------------------------------------------------------------------

class ExerciseIn(Schema):
    exercise: str = Field(description="spec id of the exercise, e.g. E1")
    planned_reps: int = Field(ge=1, le=100)
    achieved_reps: int = Field(ge=0, le=100)
    planned_squeeze_seconds: float = Field(gt=0, le=600)
    planned_rest_seconds: float = Field(ge=0, le=600)
    held_seconds: float | None = Field(default=None, ge=0, le=3600)
    recatches: int = Field(default=0, ge=0, le=500)
    full_strength_reps: int | None = Field(default=None, ge=0, le=100)
    felt_lift: FeltAnswer = Felt.UNKNOWN.value
    # E0: were the squeeze and the release felt clearly (blank: not asked or not answered).
    felt_clearly: FeltAnswer = Felt.UNKNOWN.value
    pain: bool = False

    @field_validator("exercise")
    @classmethod
    def known_exercise(cls, value: str) -> str:
        if value not in ALL_EXERCISES:
            raise ValueError(f"unknown exercise {value!r}")
        return value

    @model_validator(mode="after")
    def consistent(self):
        if self.achieved_reps > self.planned_reps:
            raise ValueError("achieved_reps cannot exceed planned_reps")
        if self.full_strength_reps is not None and self.full_strength_reps > self.achieved_reps:
            raise ValueError("full_strength_reps cannot exceed achieved_reps")
        return self


class RoundIn(Schema):
    id: uuid.UUID
    stage: StageName
    position: PositionName
    status: StatusName
    # How the round felt (T6: "too hard" when other muscles took over); blank: not answered.
    effort: EffortAnswer = Effort.UNKNOWN.value
    started_at: datetime
    ended_at: datetime
    exercises: list[ExerciseIn] = Field(max_length=20)

    @model_validator(mode="after")
    def plausible_times(self):
        if self.started_at.tzinfo is None or self.ended_at.tzinfo is None:
            raise ValueError("times need a time zone offset, e.g. 2026-11-28T18:00:00Z")
        if self.ended_at < self.started_at:
            raise ValueError("ended_at is before started_at")
        if self.ended_at - self.started_at > timedelta(hours=3):
            raise ValueError("a round cannot last more than three hours")
        if self.ended_at > timezone.now() + CLOCK_SKEW:
            raise ValueError("the round ends in the future")
        if self.started_at < moments.EARLIEST:
            # Year 1 or 1999 is a broken clock, not a round (knipa.program.moments).
            raise ValueError(_("A round cannot have started before the year 2000: check the device's clock."))
        return self


class ExerciseOutRecord(Schema):
    exercise: str
    planned_reps: int
    achieved_reps: int
    planned_squeeze_seconds: float
    planned_rest_seconds: float
    held_seconds: float | None
    recatches: int
    full_strength_reps: int | None
    felt_lift: str
    felt_clearly: str
    pain: bool


class RoundOut(Schema):
    id: uuid.UUID
    stage: str
    position: str
    status: str
    effort: str
    started_at: datetime
    ended_at: datetime
    exercises: list[ExerciseOutRecord]


class TodayOut(Schema):
    """Rounds done today against the plan, after this round (knipa.training.today): the end of the
    round shows "1 of 3 today" with the same numbers as the home page."""

    rounds: int
    planned: int


class SavedRoundOut(RoundOut):
    today: TodayOut


def _today_out(profile: Profile) -> dict:
    today = today_for(profile, plans.current_plan(profile))
    return {"rounds": today.rounds_today, "planned": today.rounds_planned_today}


def round_out(training_round: TrainingRound) -> dict:
    return {
        "id": training_round.id,
        "stage": training_round.stage,
        "position": training_round.position,
        "status": training_round.status,
        "effort": training_round.effort,
        "started_at": training_round.started_at,
        "ended_at": training_round.ended_at,
        "exercises": list(training_round.exercises.all()),
    }


@router.post("/rounds", response={200: SavedRoundOut, 201: SavedRoundOut, **WRITE_ANSWERS},
             summary="Save a finished or stopped round (idempotent by id)")
def save_round(request, payload: RoundIn):
    """Store a round. Sending the same id again returns the stored round unchanged (200).

    A newly stored round is a new report: the plan reviews it at once (knipa.training.plans), so
    the next round the person is offered already follows from it.
    """
    profile = api_profile(request)
    existing = TrainingRound.objects.filter(id=payload.id).first()
    if existing is not None:
        if existing.profile_id != profile.id:
            return Status(409, {"detail": _("This round id is already in use.")})
        # The same round again: the first try stored it but may have been answered 503 before the
        # plan reviewed it (a busy database, knipa.middleware); then the review happens now.
        if not Plan.objects.filter(profile=profile, reviewed_at__gte=existing.received_at).exists():
            _review_after(profile, existing.status, any(record.pain for record in existing.exercises.all()))
        return Status(200, {**round_out(existing), "today": _today_out(profile)})
    try:
        with transaction.atomic():
            training_round = TrainingRound.objects.create(
                id=payload.id,
                profile=profile,
                stage=payload.stage,
                position=payload.position,
                status=payload.status,
                effort=payload.effort,
                started_at=payload.started_at,
                ended_at=payload.ended_at,
            )
            ExerciseRecord.objects.bulk_create(
                ExerciseRecord(training_round=training_round, order=order, **exercise.dict())
                for order, exercise in enumerate(payload.exercises)
            )
    except IntegrityError:
        # Two copies of the same round arrived at once; the other one was stored.
        existing = TrainingRound.objects.filter(id=payload.id, profile=profile).first()
        if existing is None:
            return Status(409, {"detail": _("This round id is already in use.")})
        return Status(200, {**round_out(existing), "today": _today_out(profile)})
    _review_after(profile, payload.status, any(exercise.pain for exercise in payload.exercises))
    return Status(201, {**round_out(training_round), "today": _today_out(profile)})


def _review_after(profile: Profile, status: str, pain: bool) -> None:
    """A new report: the plan reviews it at once."""
    if status == RoundStatus.STOPPED_FOR_PAIN or pain:
        plans.note_pain(profile)  # S1: relaxation practice from the next round on
    else:
        plans.refresh(profile)


@router.get("/rounds", response={200: list[RoundOut], **READ_ANSWERS, 422: Invalid}, summary="The person's rounds, newest first")
def list_rounds(request, limit: int = 50):
    profile = api_profile(request)
    limit = max(1, min(limit, 200))
    rounds = TrainingRound.objects.filter(profile=profile).prefetch_related("exercises")[:limit]
    return [round_out(training_round) for training_round in rounds]


def own_round(request, round_id: uuid.UUID) -> TrainingRound:
    training_round = TrainingRound.objects.filter(id=round_id, profile__user=request.auth).first()
    if training_round is None:
        raise HttpError(404, _("No such round."))
    return training_round


@router.get("/rounds/{round_id}", response={200: RoundOut, **READ_ANSWERS, 404: Problem, 422: Invalid}, summary="One of the person's rounds")
def get_round(request, round_id: uuid.UUID):
    return round_out(own_round(request, round_id))


@router.delete("/rounds/{round_id}", response={204: None, **WRITE_ANSWERS, 404: Problem}, summary="Delete one of the person's rounds")
def delete_round(request, round_id: uuid.UUID):
    own_round(request, round_id).delete()
    return Status(204, None)
