"""Scores, bands, diary summaries and every seek-care rule (spec V1-V4, K1)."""

from datetime import datetime, timedelta

import pytest

from knipa.program.outcomes import (
    CareAdvice,
    CheckIn,
    DiaryEntry,
    DiaryKind,
    Improvement,
    LeakAmount,
    LeakFrequency,
    SeverityBand,
    Situation,
    adherence,
    care_advice,
    check_in_due,
    severity_band,
    severity_index,
    summarise_diary,
)

START = datetime(2026, 1, 5, 9, 0)


@pytest.mark.parametrize(("frequency", "amount", "index", "band"), [
    (LeakFrequency.NEVER, LeakAmount.NONE, 0, SeverityBand.NONE),
    (LeakFrequency.LESS_THAN_MONTHLY, LeakAmount.DROPS, 1, SeverityBand.SLIGHT),
    (LeakFrequency.FEW_TIMES_A_MONTH, LeakAmount.DROPS, 2, SeverityBand.SLIGHT),
    (LeakFrequency.FEW_TIMES_A_WEEK, LeakAmount.DROPS, 3, SeverityBand.MODERATE),
    (LeakFrequency.FEW_TIMES_A_WEEK, LeakAmount.SMALL_SPLASHES, 6, SeverityBand.MODERATE),
    (LeakFrequency.EVERY_DAY_OR_NIGHT, LeakAmount.SMALL_SPLASHES, 8, SeverityBand.SEVERE),
    (LeakFrequency.FEW_TIMES_A_WEEK, LeakAmount.MORE, 9, SeverityBand.SEVERE),
    (LeakFrequency.EVERY_DAY_OR_NIGHT, LeakAmount.MORE, 12, SeverityBand.VERY_SEVERE),
])
def test_the_severity_index_is_frequency_times_amount_in_sandviks_four_bands(frequency, amount, index, band):
    assert severity_index(frequency, amount) == index
    assert severity_band(index) is band


def test_a_severity_index_outside_zero_to_twelve_is_refused():
    with pytest.raises(ValueError):
        severity_band(13)


def check_in(weeks=0, frequency=LeakFrequency.FEW_TIMES_A_WEEK, amount=LeakAmount.SMALL_SPLASHES, bother=5,
             improvement=None, **avoids):
    return CheckIn(START + timedelta(weeks=weeks), frequency, amount, bother, confidence=6, improvement=improvement,
                   **avoids)


def test_a_check_in_is_due_at_the_start_and_every_four_weeks():
    assert check_in_due(None, START)
    assert not check_in_due(START, START + timedelta(weeks=3, days=6))
    assert check_in_due(START, START + timedelta(weeks=4))


@pytest.mark.parametrize("avoids", ["avoids_activity", "avoids_friends", "avoids_sex"])
def test_avoiding_activity_friends_or_sex_means_contact_primary_care_now(avoids):  # V1
    situation = Situation((check_in(**{avoids: True}),), weeks_of_training=0, adherence=0)
    assert care_advice(situation) == [CareAdvice.CONTACT_NOW_AVOIDING]


def test_twelve_weeks_of_faithful_training_without_improvement_means_contact_primary_care():  # V1, V2
    same = (check_in(0), check_in(12, improvement=Improvement.NO_CHANGE))
    assert care_advice(Situation(same, weeks_of_training=12, adherence=0.7)) == [CareAdvice.CONTACT_NOT_IMPROVING]


@pytest.mark.parametrize(("weeks", "adherence", "later"), [
    (11, 0.9, check_in(11, improvement=Improvement.NO_CHANGE)),  # too early (K1)
    (12, 0.69, check_in(12, improvement=Improvement.NO_CHANGE)),  # not trained as planned: train first
    (12, 0.9, check_in(12, frequency=LeakFrequency.LESS_THAN_MONTHLY, improvement=Improvement.NO_CHANGE)),  # band
    (12, 0.9, check_in(12, improvement=Improvement.A_LITTLE_BETTER)),  # feels better
])
def test_no_not_improving_advice_when_too_early_too_little_training_or_improving(weeks, adherence, later):
    assert care_advice(Situation((check_in(0), later), weeks_of_training=weeks, adherence=adherence)) == []


@pytest.mark.parametrize("situation", [
    Situation((check_in(0, frequency=LeakFrequency.EVERY_DAY_OR_NIGHT),), 0, 0, after_childbirth=True),
    Situation((check_in(0, bother=8),), 0, 0, after_childbirth=True),
    Situation((check_in(0, frequency=LeakFrequency.NEVER, amount=LeakAmount.NONE, bother=2),), 0, 0,
              after_childbirth=True, faecal_leakage=True),
])
def test_major_symptoms_after_childbirth_mean_seek_care(situation):  # V3
    assert care_advice(situation) == [CareAdvice.SEEK_CARE_AFTER_BIRTH]


def test_milder_symptoms_after_childbirth_need_no_care_advice():  # V3 is for major symptoms
    assert care_advice(Situation((check_in(0, bother=3),), 0, 0, after_childbirth=True)) == []


def test_no_check_in_no_advice():
    assert care_advice(Situation((), 20, 1.0)) == []


def test_the_diary_summary_counts_day_and_night_voids_volumes_leaks_and_pads():
    day = datetime(2026, 2, 2)
    entries = [
        DiaryEntry(day.replace(hour=7), DiaryKind.VOID, volume_ml=350, urgency=1),
        DiaryEntry(day.replace(hour=8), DiaryKind.DRINK, volume_ml=250),
        DiaryEntry(day.replace(hour=12), DiaryKind.VOID, volume_ml=200, urgency=3),
        DiaryEntry(day.replace(hour=15), DiaryKind.LEAK, urgency=3),
        DiaryEntry(day.replace(hour=15, minute=5), DiaryKind.PAD),
        DiaryEntry(day.replace(hour=23, minute=30), DiaryKind.VOID, volume_ml=300),
        DiaryEntry((day + timedelta(days=1)).replace(hour=3), DiaryKind.VOID, volume_ml=250),
        DiaryEntry((day + timedelta(days=1)).replace(hour=9), DiaryKind.VOID, volume_ml=400, night=False),
        DiaryEntry((day + timedelta(days=1)).replace(hour=10), DiaryKind.DRINK, volume_ml=750),
    ]
    summary = summarise_diary(entries)
    assert summary.days == 2
    assert summary.voids_per_day == 1.5  # 07, 12 and 09
    assert summary.voids_per_night == 1.0  # 23:30 and 03:00
    assert summary.mean_void_ml == 300
    assert summary.largest_void_ml == 400
    assert summary.leaks_per_day == 0.5
    assert summary.drinks_ml_per_day == 500
    assert summary.pads_per_day == 0.5
    assert summary.mean_urgency == 2.3


def test_an_empty_diary_has_no_summary():
    assert summarise_diary([]) is None


def test_adherence_is_the_share_of_the_planned_rounds_done():  # spec V1, V2: trained as recommended
    # Two rounds a day, every day, for 14 days: 28 planned.
    assert adherence(rounds_done=21, rounds_per_day=2, days_per_week=7, days_of_training=14) == 0.75
    # One round on four days a week, for four weeks: 16 planned.
    assert adherence(rounds_done=8, rounds_per_day=1, days_per_week=4, days_of_training=28) == 0.5


def test_adherence_counts_at_least_one_day_and_never_passes_one():  # spec V1, V2
    # On the first day (0 whole days) a day of rounds is planned: 3 a day, 3 done is all.
    assert adherence(rounds_done=3, rounds_per_day=3, days_per_week=7, days_of_training=0) == 1.0
    assert adherence(rounds_done=50, rounds_per_day=2, days_per_week=7, days_of_training=7) == 1.0
    assert adherence(rounds_done=0, rounds_per_day=2, days_per_week=7, days_of_training=30) == 0.0
