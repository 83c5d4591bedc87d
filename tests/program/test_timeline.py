"""The session timeline: exact offsets of every cue (spec E0-E3, T4)."""

import pytest

from knipa.program.exercises import ENDURANCE, FIND_THE_MUSCLES, SPEED, STRENGTH, Position
from knipa.program.rounds import Stage, compose_round
from knipa.program.timeline import (
    BETWEEN_EXERCISES_MS,
    GET_READY_MS,
    CueKind,
    build_timeline,
)


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
    assert squeeze.open_ended and squeeze.duration_ms == 60_000
    assert cues_of(timeline, CueKind.HOLD)[0].open_ended


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
    }
