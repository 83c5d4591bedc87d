"""The safety screen's rules (spec S1, S2, S4, W4, W5, E0, E7, E8)."""

from knipa.program.safety import (
    Advice,
    Goal,
    RecentEvent,
    SafetyAnswers,
    TrainingPath,
    advice_for,
    training_path,
)


def test_a_person_without_pain_or_recent_birth_starts_by_finding_the_muscles():  # spec E0
    assert training_path(SafetyAnswers(pain=False)) is TrainingPath.LEARNING


def test_pain_leads_to_relaxation_practice_instead_of_squeezing():  # spec S1, W5, E8
    assert training_path(SafetyAnswers(pain=True)) is TrainingPath.RELAXATION


def test_pain_after_childbirth_still_leads_to_relaxation_not_circulation_squeezes():  # spec S1, E7
    answers = SafetyAnswers(pain=True, recent_event=RecentEvent.CHILDBIRTH)
    assert training_path(answers) is TrainingPath.RELAXATION


def test_a_recent_birth_without_the_go_ahead_gives_only_circulation_squeezes():  # spec S2, E7
    answers = SafetyAnswers(pain=False, recent_event=RecentEvent.CHILDBIRTH, go_ahead=False)
    assert training_path(answers) is TrainingPath.CIRCULATION


def test_recent_surgery_without_the_go_ahead_gives_only_circulation_squeezes():  # spec S2, E7, W3
    answers = SafetyAnswers(pain=False, recent_event=RecentEvent.SURGERY)
    assert training_path(answers) is TrainingPath.CIRCULATION


def test_the_go_ahead_after_birth_opens_finding_the_muscles_with_a_careful_start():  # spec S2
    answers = SafetyAnswers(pain=False, recent_event=RecentEvent.CHILDBIRTH, go_ahead=True)
    assert training_path(answers) is TrainingPath.LEARNING
    assert Advice.START_CAREFULLY in advice_for(answers)
    assert Advice.WAIT_FOR_GO_AHEAD not in advice_for(answers)


def test_waiting_for_the_go_ahead_is_explained():  # spec S2
    answers = SafetyAnswers(pain=False, recent_event=RecentEvent.SURGERY)
    assert advice_for(answers) == [Advice.WAIT_FOR_GO_AHEAD]


def test_pain_comes_with_advice_to_contact_care_first():  # spec S1, V1
    advice = advice_for(SafetyAnswers(pain=True, pregnant=True))
    assert advice[0] is Advice.CONTACT_CARE_ABOUT_PAIN


def test_pregnancy_is_recorded_as_a_reason_not_to_use_a_stimulator():  # spec S4
    assert Advice.NO_STIMULATOR_WHILE_PREGNANT in advice_for(SafetyAnswers(pain=False, pregnant=True))
    assert Advice.NO_STIMULATOR_WHILE_PREGNANT not in advice_for(SafetyAnswers(pain=False))


def test_a_long_lasting_cough_brings_advice_to_have_it_treated():  # spec W4, L2
    assert Advice.TREAT_COUGH in advice_for(SafetyAnswers(pain=False), frozenset({Goal.COUGH}))
    assert advice_for(SafetyAnswers(pain=False), frozenset({Goal.PREVENT})) == []
