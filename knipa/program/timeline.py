"""The session timeline: every cue of a round with its exact offset in milliseconds.

The player schedules each cue against one start time (never by chaining delays), so nothing
drifts. Offsets assume every hold lasts as planned. An open-ended hold (endurance, E3) is laid out
up to its safe limit (ENDURANCE_SAFE_LIMIT_SECONDS): the person holds as long as they can, past
the target if they can, and ends it with Done; the player then moves every later cue earlier by
the unused time, the same way a pause moves them later. A hold cue at the target moment
("target_reached") celebrates the goal while the hold goes on.

Cue kinds: get_ready (an exercise is about to begin), squeeze, hold (a reminder to keep the
squeeze, on holds long enough to need one), relax (let go; the rest begins), rest (a pause between
exercises), next_exercise (the next exercise begins), done (the round is over).

A hold cue can also say what to do while squeezing: the movement of functional training (E5,
"now stand up") or the cough of the daily-life squeeze (E6, "now cough").

`as_dict()` also carries the self-report the player asks (knipa.program.questions): each
exercise's `questions`, and whether the round asks how it felt (`asks_effort`, T6).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum

from knipa.program.exercises import ENDURANCE_SAFE_LIMIT_SECONDS, Exercise, ExerciseKind, Position
from knipa.program.questions import asks_effort, questions_for

# Time to settle into the first exercise, and the pause between two exercises. Mainstream
# practice (the spec gives no number): long enough to read the next instruction.
GET_READY_MS = 5_000
BETWEEN_EXERCISES_MS = 10_000
# A "keep holding" reminder one second into holds of at least four seconds (E1, E3, E5).
HOLD_REMINDER_AFTER_MS = 1_000
HOLD_REMINDER_MIN_SQUEEZE_MS = 4_000


class CueKind(StrEnum):
    GET_READY = "get_ready"
    SQUEEZE = "squeeze"
    HOLD = "hold"
    RELAX = "relax"
    REST = "rest"
    NEXT_EXERCISE = "next_exercise"
    DONE = "done"


@dataclass(frozen=True)
class Cue:
    at_ms: int
    kind: CueKind
    text_key: str
    exercise: str  # spec id, e.g. "E1"
    exercise_index: int
    rep: int  # 1-based; 0 for cues that belong to no repetition
    reps: int
    duration_ms: int  # how long this phase lasts until the next cue (holds: until the relax)
    # An endurance hold (E3): ends on Done, or at the latest after duration_ms (the safe limit).
    open_ended: bool = False
    # The goal of an open-ended hold, from its squeeze (the target cue falls there); else None.
    target_ms: int | None = None


@dataclass(frozen=True)
class SessionTimeline:
    cues: tuple[Cue, ...]
    exercises: tuple[Exercise, ...]
    position: Position

    @property
    def planned_ms(self) -> int:
        """How long the round takes when every open-ended hold ends at its target.

        The target is what the person aims for; the safe limit is a ceiling, not a plan, so the
        round's announced length ("about 5 minutes") does not grow by it.
        """
        if not self.cues:
            return 0
        beyond_targets = sum(cue.duration_ms - cue.target_ms for cue in self.cues
                             if cue.kind is CueKind.SQUEEZE and cue.open_ended and cue.target_ms is not None)
        return self.cues[-1].at_ms - beyond_targets

    def as_dict(self) -> dict:
        return {
            "position": self.position.value,
            "planned_ms": self.planned_ms,
            # T6: how the round felt, asked once after its last exercise (knipa.program.questions).
            "asks_effort": asks_effort(self.exercises),
            "exercises": [
                {
                    "exercise": exercise.spec_id,
                    "kind": exercise.kind.value,
                    "intensity": exercise.intensity.value,
                    "squeeze_seconds": exercise.squeeze_seconds,
                    "rest_seconds": exercise.rest_seconds,
                    "reps": exercise.reps,
                    "open_ended": exercise.open_ended,
                    "target_seconds": exercise.target_seconds,
                    # The self-report after it (E0, T3, S1; knipa.program.questions).
                    "questions": [question.value for question in questions_for(exercise)],
                }
                for exercise in self.exercises
            ],
            "cues": [{**asdict(cue), "kind": cue.kind.value} for cue in self.cues],
        }


def squeeze_text_key(exercise: Exercise) -> str:
    if exercise.kind is ExerciseKind.RELAXATION:
        return "breathe_in"  # E8: the "squeeze" phase is a slow breath in
    if exercise.kind is ExerciseKind.FUNCTIONAL:
        return "squeeze_then_move"  # E5
    return f"squeeze_{exercise.intensity.value}"


def during_squeeze_text_key(exercise: Exercise, rep: int, squeeze_ms: int) -> str | None:
    """What the cue one second into a squeeze says, if anything."""
    if exercise.kind is ExerciseKind.FUNCTIONAL and exercise.movements:
        return f"move_{exercise.movements[(rep - 1) % len(exercise.movements)]}"  # E5
    if exercise.kind is ExerciseKind.DAILY_LIFE:
        return "cough_now"  # E6: squeeze first, then cough while holding
    if squeeze_ms >= HOLD_REMINDER_MIN_SQUEEZE_MS and exercise.kind is not ExerciseKind.RELAXATION:
        return "hold"
    return None


def relax_text_key(exercise: Exercise) -> str:
    return "breathe_out_let_go" if exercise.kind is ExerciseKind.RELAXATION else "relax"


def endurance_hold_ms(exercise: Exercise) -> tuple[int, int]:
    """An open-ended hold's target and safe limit, in ms (E3: aim for the target, one minute)."""
    target_ms = round((exercise.target_seconds or exercise.squeeze_seconds) * 1000)
    limit_ms = ENDURANCE_SAFE_LIMIT_SECONDS * 1000
    if not 0 < target_ms < limit_ms:
        raise ValueError(f"{exercise.spec_id}: the target must lie below the safe limit of {limit_ms} ms")
    return target_ms, limit_ms


def build_timeline(exercises: list[Exercise], position: Position) -> SessionTimeline:
    """Lay out every cue of the round, one after the other, with exact offsets."""
    if not exercises:
        raise ValueError("a round needs at least one exercise")
    for exercise in exercises:
        if position not in exercise.positions:
            raise ValueError(f"{exercise.spec_id} cannot be done in position {position.value}")
    cues: list[Cue] = []
    now = 0
    for index, exercise in enumerate(exercises):
        squeeze_ms = round(exercise.squeeze_seconds * 1000)
        rest_ms = round(exercise.rest_seconds * 1000)
        target_ms = None
        if exercise.open_ended:
            # E3: hold as long as you can. The squeeze phase lasts up to the safe limit (the relax
            # comes then unless Done comes first); the target is a goal on the way, not the end.
            target_ms, squeeze_ms = endurance_hold_ms(exercise)
            # T4: rest at least as long as the squeeze lasted. The hold may last up to the limit,
            # so the rest after it is at least the limit too. This is the simple option that is
            # right for every held time without the player re-timing the rest; it costs nothing
            # in practice, because E3 ends every round that has it, and the last relax of a round
            # is the round's end (see below).
            rest_ms = max(rest_ms, squeeze_ms)
        intro_kind = CueKind.GET_READY if index == 0 else CueKind.NEXT_EXERCISE
        intro_ms = GET_READY_MS
        common = {"exercise": exercise.spec_id, "exercise_index": index, "reps": exercise.reps}
        hold = {"open_ended": exercise.open_ended, "target_ms": target_ms}
        cues.append(Cue(now, intro_kind, f"intro_{exercise.kind.value}", rep=0, duration_ms=intro_ms, **common))
        now += intro_ms
        last_exercise = index == len(exercises) - 1
        for rep in range(1, exercise.reps + 1):
            cues.append(Cue(now, CueKind.SQUEEZE, squeeze_text_key(exercise), rep=rep, duration_ms=squeeze_ms,
                            **hold, **common))
            during = during_squeeze_text_key(exercise, rep, squeeze_ms)
            if during is not None and (target_ms is None or HOLD_REMINDER_AFTER_MS < target_ms):
                cues.append(
                    Cue(now + HOLD_REMINDER_AFTER_MS, CueKind.HOLD, during, rep=rep,
                        duration_ms=squeeze_ms - HOLD_REMINDER_AFTER_MS, **hold, **common)
                )
            if target_ms is not None:
                # E3: the goal is reached; said and felt like any act-while-holding cue, and the
                # hold goes on until Done or the limit.
                cues.append(Cue(now + target_ms, CueKind.HOLD, "target_reached", rep=rep,
                                duration_ms=squeeze_ms - target_ms, **hold, **common))
            now += squeeze_ms
            final_rep = rep == exercise.reps
            # T4: after every squeeze, relax completely and rest at least as long as it lasted.
            # After the very last squeeze of the round the rest is the end of the round itself.
            this_rest = 0 if (final_rep and last_exercise) else rest_ms
            cues.append(Cue(now, CueKind.RELAX, relax_text_key(exercise), rep=rep, duration_ms=this_rest, **common))
            now += this_rest
        if not last_exercise:
            cues.append(Cue(now, CueKind.REST, "rest_between", rep=0, duration_ms=BETWEEN_EXERCISES_MS, **common))
            now += BETWEEN_EXERCISES_MS
    last = exercises[-1]
    cues.append(Cue(now, CueKind.DONE, "done", last.spec_id, len(exercises) - 1, rep=0, reps=last.reps, duration_ms=0))
    return SessionTimeline(tuple(cues), tuple(exercises), position)


def round_minutes(exercises: list[Exercise]) -> int:
    """How long a round of these exercises takes, in whole minutes (at least one), as announced.

    One promise everywhere (the home page, the calendar): the round in its first position, with
    every endurance hold at its goal (SessionTimeline.planned_ms).
    """
    from knipa.program.rounds import positions_for  # rounds composes exercises; it never needs timelines

    timeline = build_timeline(exercises, positions_for(exercises)[0])
    return max(1, round(timeline.planned_ms / 60_000))


def stage_round_minutes(stage: str) -> int:
    """How long a stage's plain round takes, as round_minutes() announces it: for a page that has
    no person's plan at hand (the practice before a cough, E6)."""
    from knipa.program.rounds import Stage, compose_round

    return round_minutes(compose_round(Stage(stage)))
