"""The safety screen's rules (spec S1, S2, S4, W3, W4, W5, E0, E7, E8, V3)."""

from datetime import date, timedelta

from knipa.program.safety import (
    FIRST_YEAR_AFTER_BIRTH,
    SOON_AFTER,
    STIMULATOR_CONTRAINDICATIONS,
    Advice,
    Body,
    Carer,
    Goal,
    RecentEvent,
    SafetyAnswers,
    StimulatorContraindication,
    TrainingPath,
    advice_for,
    asks_about_pregnancy,
    may_have_given_birth,
    training_path,
)

TODAY = date(2026, 12, 2)


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


def test_the_stimulator_warning_always_names_all_three_contraindications():  # spec S4
    assert set(STIMULATOR_CONTRAINDICATIONS) == {
        StimulatorContraindication.PACEMAKER, StimulatorContraindication.PREGNANCY,
        StimulatorContraindication.INFECTION}
    # Not a lone pregnancy warning beside the training advice: it belongs with the stimulators.
    assert all("stimulator" not in item.value for item in advice_for(SafetyAnswers(pain=False, pregnant=True)))


def test_circulation_squeezes_are_offered_only_soon_after_the_birth_or_operation():  # spec E7, S2
    soon = SafetyAnswers(pain=False, recent_event=RecentEvent.SURGERY, event_on=TODAY - timedelta(weeks=3))
    assert training_path(soon, TODAY) is TrainingPath.CIRCULATION
    long_after = SafetyAnswers(pain=False, recent_event=RecentEvent.CHILDBIRTH,
                               event_on=TODAY - SOON_AFTER - timedelta(days=1))
    assert training_path(long_after, TODAY) is TrainingPath.LEARNING
    # Long after, without a go-ahead: ask whoever treated you, and start carefully (S2).
    assert advice_for(long_after, today=TODAY) == [Advice.ASK_ABOUT_GO_AHEAD]


def test_circulation_squeezes_are_never_offered_when_they_hurt():  # spec E7, S1
    answers = SafetyAnswers(pain=True, recent_event=RecentEvent.SURGERY, event_on=TODAY - timedelta(days=4))
    assert training_path(answers, TODAY) is TrainingPath.RELAXATION
    # Care about the pain first; the go-ahead still comes from whoever treated them (S2).
    assert advice_for(answers, today=TODAY) == [Advice.CONTACT_CARE_ABOUT_PAIN, Advice.WAIT_FOR_GO_AHEAD]


def test_the_advice_comes_from_a_midwife_or_doctor_after_a_birth_and_a_doctor_after_surgery():  # spec S2, W3
    assert SafetyAnswers(pain=False, recent_event=RecentEvent.CHILDBIRTH).carer is Carer.MIDWIFE_OR_DOCTOR
    assert SafetyAnswers(pain=False, recent_event=RecentEvent.SURGERY).carer is Carer.DOCTOR
    assert SafetyAnswers(pain=False).carer is None


def test_pregnancy_and_birth_are_asked_about_only_where_they_can_apply():  # spec W2, W3
    assert not asks_about_pregnancy(Body.PENIS) and not may_have_given_birth(Body.PENIS)
    assert asks_about_pregnancy(Body.VAGINA) and asks_about_pregnancy(Body.NEUTRAL)


def test_the_first_year_after_a_birth_lasts_a_whole_year_not_a_few_weeks():  # spec V3
    eleven_months = SafetyAnswers(pain=False, recent_event=RecentEvent.CHILDBIRTH, go_ahead=True,
                                  event_on=TODAY - timedelta(days=330))
    assert eleven_months.within_first_year_after_birth(TODAY)
    over = SafetyAnswers(pain=False, recent_event=RecentEvent.CHILDBIRTH, event_on=TODAY - FIRST_YEAR_AFTER_BIRTH
                         - timedelta(days=1))
    assert not over.within_first_year_after_birth(TODAY)
    surgery = SafetyAnswers(pain=False, recent_event=RecentEvent.SURGERY, event_on=TODAY - timedelta(days=10))
    assert not surgery.within_first_year_after_birth(TODAY)


def test_a_long_lasting_cough_brings_advice_to_have_it_treated():  # spec W4, L2
    assert Advice.TREAT_COUGH in advice_for(SafetyAnswers(pain=False), frozenset({Goal.COUGH}))
    assert advice_for(SafetyAnswers(pain=False), frozenset({Goal.PREVENT})) == []
