"""The session timeline: exact offsets of every cue (spec E0-E3, T4)."""

import pytest

from knipa.program.exercises import (
    ENDURANCE,
    ENDURANCE_SAFE_LIMIT_SECONDS,
    FIND_THE_MUSCLES,
    RELAXATION,
    SPEED,
    STRENGTH,
    Position,
)
from knipa.program.rounds import Stage, compose_round
from knipa.program.timeline import (
    BETWEEN_EXERCISES_MS,
    GET_READY_MS,
    HOLD_REMINDER_AFTER_MS,
    CueKind,
    build_timeline,
)

LIMIT_MS = ENDURANCE_SAFE_LIMIT_SECONDS * 1000


def cues_of(timeline, kind):
    return [cue for cue in timeline.cues if cue.kind is kind]


def test_a_learning_round_has_ten_squeezes_each_followed_by_a_relax():  # spec E0
    timeline = build_timeline(compose_round(Stage.LEARNING), Position.LYING)
    assert len(cues_of(timeline, CueKind.SQUEEZE)) == 10
    assert len(cues_of(timeline, CueKind.RELAX)) == 10
    assert timeline.cues[0].kind is CueKind.GET_READY and timeline.cues[-1].kind is CueKind.DONE


def test_cue_offsets_are_exact_and_never_go_backwards():
    timeline = build_timeline(compose_round(Stage.TRAINING), Position.SITTING)
    offsets = [cue.at_ms for cue in timeline.cues]
    assert offsets == sorted(offsets)
    first_squeeze = cues_of(timeline, CueKind.SQUEEZE)[0]
    assert first_squeeze.at_ms == GET_READY_MS
    # Strength: squeeze 6 s, relax and rest 6 s, so the second squeeze is 12 s after the first.
    assert cues_of(timeline, CueKind.SQUEEZE)[1].at_ms - first_squeeze.at_ms == 12_000


def test_every_relax_comes_exactly_one_squeeze_length_after_its_squeeze():  # spec T4
    timeline = build_timeline(compose_round(Stage.TRAINING), Position.LYING)
    squeezes = cues_of(timeline, CueKind.SQUEEZE)
    relaxes = cues_of(timeline, CueKind.RELAX)
    for squeeze, relax in zip(squeezes, relaxes, strict=True):
        assert relax.at_ms - squeeze.at_ms == squeeze.duration_ms
        assert (relax.exercise, relax.rep) == (squeeze.exercise, squeeze.rep)


def test_every_rest_after_a_squeeze_is_at_least_as_long_as_the_squeeze_except_at_the_very_end():  # spec T4
    timeline = build_timeline(compose_round(Stage.TRAINING), Position.LYING)
    squeezes = cues_of(timeline, CueKind.SQUEEZE)
    relaxes = cues_of(timeline, CueKind.RELAX)
    for squeeze, relax in zip(squeezes[:-1], relaxes[:-1], strict=True):
        assert relax.duration_ms >= squeeze.duration_ms
    assert relaxes[-1].duration_ms == 0
    assert timeline.cues[-1].at_ms == relaxes[-1].at_ms


def test_the_total_length_adds_up_from_the_exercise_parameters():
    timeline = build_timeline([STRENGTH, SPEED], Position.LYING)
    expected = (GET_READY_MS + 10 * (6_000 + 6_000) + BETWEEN_EXERCISES_MS
                + GET_READY_MS + 10 * (2_000 + 2_000) - 2_000)
    assert timeline.planned_ms == expected


def test_exercises_are_announced_in_order_with_a_rest_between_them():  # spec E3
    timeline = build_timeline(compose_round(Stage.TRAINING), Position.LYING)
    intros = [cue for cue in timeline.cues if cue.kind in (CueKind.GET_READY, CueKind.NEXT_EXERCISE)]
    assert [cue.exercise for cue in intros] == ["E1", "E2", "E3"]
    assert len(cues_of(timeline, CueKind.REST)) == 2


def test_long_holds_get_a_hold_reminder_and_quick_squeezes_do_not():  # spec E1, E2
    timeline = build_timeline([STRENGTH, SPEED], Position.LYING)
    holds = cues_of(timeline, CueKind.HOLD)
    assert {cue.exercise for cue in holds} == {"E1"}
    assert len(holds) == 10


def test_the_endurance_hold_is_open_ended_with_the_one_minute_target():  # spec E3
    timeline = build_timeline([ENDURANCE], Position.LYING)
    squeeze = cues_of(timeline, CueKind.SQUEEZE)[0]
    assert squeeze.open_ended and squeeze.target_ms == 60_000
    assert all(cue.open_ended and cue.target_ms == 60_000 for cue in cues_of(timeline, CueKind.HOLD))


def test_an_endurance_hold_goes_on_past_the_target_up_to_the_safe_limit():  # spec E3
    # "Hold as long as possible": the relax comes at the safe limit (unless Done comes first),
    # not at the target, which is a goal on the way.
    assert LIMIT_MS == 180_000
    timeline = build_timeline([STRENGTH, SPEED, ENDURANCE], Position.SITTING)
    (squeeze,) = [cue for cue in cues_of(timeline, CueKind.SQUEEZE) if cue.exercise == "E3"]
    (relax,) = [cue for cue in cues_of(timeline, CueKind.RELAX) if cue.exercise == "E3"]
    assert squeeze.duration_ms == LIMIT_MS
    assert relax.at_ms - squeeze.at_ms == LIMIT_MS


def test_the_goal_is_celebrated_at_the_target_while_the_hold_goes_on():  # spec E3
    exercise = ENDURANCE.with_changes(squeeze_seconds=20, rest_seconds=20, target_seconds=20)
    timeline = build_timeline([exercise], Position.LYING)
    squeeze = cues_of(timeline, CueKind.SQUEEZE)[0]
    holds = cues_of(timeline, CueKind.HOLD)
    assert [(cue.text_key, cue.at_ms - squeeze.at_ms) for cue in holds] == [
        ("hold", HOLD_REMINDER_AFTER_MS), ("target_reached", 20_000)]
    goal = holds[-1]
    assert goal.target_ms == squeeze.target_ms == 20_000
    # Until the relax at the limit: the hold goes on after the goal.
    assert goal.at_ms + goal.duration_ms == cues_of(timeline, CueKind.RELAX)[0].at_ms == squeeze.at_ms + LIMIT_MS


def test_only_open_ended_holds_have_a_target():  # spec E1, E3
    timeline = build_timeline([STRENGTH, ENDURANCE], Position.LYING)
    assert {cue.exercise for cue in timeline.cues if cue.target_ms is not None} == {"E3"}
    assert [cue.exercise for cue in timeline.cues if cue.text_key == "target_reached"] == ["E3"]


def test_the_rest_after_an_endurance_hold_that_is_not_last_covers_the_longest_possible_hold():  # spec T4
    # E3 always ends a round, but if it did not, the rest after it must still be at least as
    # long as the hold, and the hold may last up to the limit.
    timeline = build_timeline([ENDURANCE, SPEED], Position.LYING)
    (relax,) = [cue for cue in cues_of(timeline, CueKind.RELAX) if cue.exercise == "E3"]
    assert relax.duration_ms >= LIMIT_MS
    rest = cues_of(timeline, CueKind.REST)[0]
    assert rest.at_ms - relax.at_ms >= LIMIT_MS


def test_the_planned_length_counts_the_endurance_hold_at_its_target():  # spec E3
    # The round is announced as long as it takes when the goal is met, not at the safe limit.
    with_endurance = build_timeline([SPEED, ENDURANCE], Position.LYING)
    speed_only = build_timeline([SPEED], Position.LYING)
    assert with_endurance.planned_ms == (speed_only.planned_ms + 2_000 + BETWEEN_EXERCISES_MS + GET_READY_MS
                                         + ENDURANCE.target_seconds * 1000)
    assert with_endurance.cues[-1].at_ms == with_endurance.planned_ms + LIMIT_MS - 60_000


def test_a_target_at_or_beyond_the_safe_limit_is_refused():  # spec E3
    beyond = ENDURANCE.with_changes(squeeze_seconds=LIMIT_MS / 1000, rest_seconds=LIMIT_MS / 1000,
                                    target_seconds=LIMIT_MS / 1000)
    with pytest.raises(ValueError):
        build_timeline([beyond], Position.LYING)


def test_the_relaxation_round_has_no_squeeze_cue_words():  # spec S1, W5, E8
    timeline = build_timeline([RELAXATION], Position.LYING)
    assert not [cue.text_key for cue in timeline.cues if "squeeze" in cue.text_key or cue.kind is CueKind.HOLD]


def test_squeeze_cues_say_how_hard_to_squeeze():  # spec E0, E1, E2, E3
    timeline = build_timeline(compose_round(Stage.TRAINING), Position.LYING)
    keys = {cue.exercise: cue.text_key for cue in cues_of(timeline, CueKind.SQUEEZE)}
    assert keys == {"E1": "squeeze_maximal", "E2": "squeeze_fast", "E3": "squeeze_moderate"}


def test_a_position_the_exercise_does_not_allow_is_refused():  # spec P4
    with pytest.raises(ValueError):
        build_timeline([FIND_THE_MUSCLES], Position.STANDING)


def test_the_timeline_serialises_with_every_cue():
    data = build_timeline([FIND_THE_MUSCLES], Position.LYING).as_dict()
    assert data["position"] == "lying"
    assert data["cues"][1] == {
        "at_ms": GET_READY_MS, "kind": "squeeze", "text_key": "squeeze_calm", "exercise": "E0",
        "exercise_index": 0, "rep": 1, "reps": 10, "duration_ms": 3_000, "open_ended": False,
        "target_ms": None,
    }
