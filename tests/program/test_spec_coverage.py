"""Clinical rules that no other test cited by id, tested straight on knipa.program (spec T5).

Part of the traceability check (tests/test_traceability.py): each test here asserts behaviour and
cites the spec id it covers.
"""

from __future__ import annotations

import pytest

from knipa.program.rounds import Stage, compose_round, positions_for
from knipa.program.timeline import CueKind, build_timeline

# Stages whose rounds the plan offers (daily life is a short practice outside the plan's rounds).
PLANNED_STAGES = [stage for stage in Stage if stage is not Stage.DAILY_LIFE]


@pytest.mark.parametrize("stage", list(Stage), ids=str)
def test_every_round_is_one_clear_unit_with_a_single_start_and_a_single_end(stage):  # spec T5
    exercises = compose_round(stage)
    timeline = build_timeline(exercises, positions_for(exercises)[0])
    kinds = [cue.kind for cue in timeline.cues]
    assert kinds[0] is CueKind.GET_READY and timeline.cues[0].at_ms == 0
    assert kinds.count(CueKind.GET_READY) == 1
    assert kinds[-1] is CueKind.DONE and kinds.count(CueKind.DONE) == 1
    offsets = [cue.at_ms for cue in timeline.cues]
    assert offsets == sorted(offsets), "the cues follow one another, with no gaps to fill by hand"


@pytest.mark.parametrize("stage", PLANNED_STAGES, ids=str)
def test_a_planned_round_is_short_enough_to_do_with_full_focus(stage):  # spec T5
    # Mainstream practice (the spec gives no length): a focused round takes minutes, not an hour.
    exercises = compose_round(stage)
    timeline = build_timeline(exercises, positions_for(exercises)[0])
    assert 0 < timeline.planned_ms <= 15 * 60_000
