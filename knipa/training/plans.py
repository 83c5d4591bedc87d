"""The person's plan in the database: load it, let the rules review it, record every change.

The rules are in knipa.program.plan (plain Python). This module only translates between the
`Plan` row and `PlanState`, feeds the rules the person's own reports, and writes each change down
with its reason, in one transaction with the plan row locked, so that two events reviewing at
once (a round arriving while an answer changes) cannot both apply the same step.

Reading never writes. The plan is reviewed when something happens that can change it (a round
saved, an answer changed, an override, a check-in that reports pain, an import) and by the
worker's periodic pass for what time alone changes (a break in training, the weeks after a birth
or operation running out). Pages read the stored plan with `current_plan()`, once per request:
no page view takes SQLite's write lock or competes with a round being saved.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal, receiver
from django.utils import timezone

from knipa.accounts.models import Profile, answers_changed
from knipa.accounts.pagecache import move_version_on
from knipa.program import plan as rules
from knipa.program.exercises import Position
from knipa.program.plan import Change, Movement, PlanParameters, PlanState, Reason, RoundReport, Source
from knipa.program.rounds import Stage
from knipa.program.safety import RecentEvent
from knipa.training.models import ExerciseRecord, Plan, PlanChange, TrainingRound

PARAMETER_FIELDS = tuple(rules.PARAMETER_BOUNDS)

# Sent (with `profile` and `at`) when the plan's rounds a day or days a week change, so that
# reminders follow the plan (knipa.reminders.planning).
frequency_changed = Signal()


def _rhythm(state: PlanState) -> tuple[int, int]:
    return state.parameters.rounds_per_day, state.parameters.days_per_week


def _state(plan: Plan) -> PlanState:
    known = {movement.value for movement in Movement}
    return PlanState(
        stage=Stage(plan.stage),
        parameters=PlanParameters(**{name: getattr(plan, name) for name in PARAMETER_FIELDS}),
        since=plan.evidence_since,
        stage_since=plan.stage_since,
        training_started_on=plan.training_started_on,
        side_path=Stage(plan.side_path) if plan.side_path else None,
        self_check_done=plan.self_check_done,
        satisfied=plan.satisfied,
        staying=plan.staying,
        careful=plan.careful,
        eased_at=plan.eased_at,
        movements=tuple(Movement(m) for m in plan.movements if m in known),
        numbers_fixed=plan.numbers_fixed,
        positions=tuple(position for position in Position if position.value in plan.positions),
    )


# The worker reviews every plan at least this often, for the rules that time alone fires (H1, K2
# breaks; S2, E7 the weeks soon after an event; the weeks a stage lasts). A day is soon enough for
# rules counted in weeks.
REVIEW_EVERY = timedelta(days=1)


def _store(plan: Plan, state: PlanState) -> None:
    plan.stage = state.stage.value
    plan.side_path = state.side_path.value if state.side_path else ""
    for name in PARAMETER_FIELDS:
        setattr(plan, name, getattr(state.parameters, name))
    plan.evidence_since = state.since
    plan.stage_since = state.stage_since
    plan.training_started_on = state.training_started_on
    plan.self_check_done = state.self_check_done
    plan.satisfied = state.satisfied
    plan.staying = state.staying
    plan.careful = state.careful
    plan.eased_at = state.eased_at
    plan.movements = [m.value for m in state.movements]
    plan.numbers_fixed = state.numbers_fixed
    plan.positions = [p.value for p in state.positions]
    plan.save()


def _remember(profile: Profile, state: PlanState) -> PlanState:
    # The plan is read once per request: the profile object lives as long as the request.
    profile._current_plan = state
    return state


def _record(profile: Profile, change: Change, at: datetime) -> PlanChange:
    return PlanChange.objects.create(
        profile=profile,
        at=at,
        reason=change.reason.value,
        source=change.source.value,
        stage_before=change.before.current_stage.value if change.reason is not Reason.STARTED else "",
        stage_after=change.after.current_stage.value,
        parameters_before=change.before.parameters.as_dict(),
        parameters_after=change.after.parameters.as_dict(),
    )


def _locked_plan(profile: Profile, now: datetime) -> Plan:
    """The person's plan row, locked for this transaction; created (and its start recorded) if new."""
    plan = Plan.objects.select_for_update().filter(profile=profile).first()
    if plan is not None:
        return plan
    state = rules.new_plan(now, profile.training_path)
    plan = Plan(profile=profile)
    _store(plan, state)
    _record(profile, Change(Reason.STARTED, state, state), now)
    return plan


_REPORTED_FIELDS = ("training_round_id", "exercise", "planned_reps", "achieved_reps", "planned_squeeze_seconds",
                    "full_strength_reps", "held_seconds", "felt_clearly", "felt_lift", "pain")


def reports(profile: Profile, since: datetime | None) -> list[RoundReport]:
    """The person's rounds since the given time, as the rules read them.

    Read as plain rows, not model instances: every saved round is reviewed, over every round of
    the stage so far (months of them), and building a model per exercise record was most of what
    saving a round cost (bench/pages.py)."""
    rounds = TrainingRound.objects.filter(profile=profile)
    records = ExerciseRecord.objects.filter(training_round__profile=profile)
    if since is not None:
        rounds = rounds.filter(started_at__gte=since)
        records = records.filter(training_round__started_at__gte=since)
    exercises: dict = {}
    for (round_id, spec_id, planned, achieved, squeeze, full, held, felt_clearly, felt_lift, pain) in \
            records.order_by("training_round_id", "order").values_list(*_REPORTED_FIELDS):
        exercises.setdefault(round_id, []).append(rules.ExerciseReport(
            spec_id=spec_id, planned_reps=planned, achieved_reps=achieved, squeeze_seconds=squeeze,
            full_strength_reps=full, held_seconds=held, felt_clearly=felt_clearly, felt_lift=felt_lift, pain=pain,
        ))
    return [
        RoundReport(started_at=started_at, stage=stage, status=status, effort=effort,
                    exercises=tuple(exercises.get(round_id, ())))
        for round_id, started_at, stage, status, effort in
        rounds.order_by("started_at").values_list("id", "started_at", "stage", "status", "effort")
    ]


def healing_weeks_over(profile: Profile) -> bool:
    """S2, E7: the weeks soon after a birth or operation are over without a go-ahead being noted."""
    answers = profile.safety_answers
    return answers.recent_event != RecentEvent.NONE and not answers.go_ahead and \
        not answers.event_is_soon_after(profile.today())


def note_pain(profile: Profile, now: datetime | None = None) -> PlanState:
    """S1: pain reported anywhere (a round, a check-in) is kept in the person's answers, so that
    only their own "the pain has gone" brings squeezing back, and the plan moves to relaxation now."""
    if not profile.pain:
        profile.pain = True
        profile.save(update_fields=["pain", "updated_at"])
    return refresh(profile, now)


def refresh(profile: Profile, now: datetime | None = None) -> PlanState:
    """Review the plan against the latest reports and safety answers; record what changed.

    Called on events (never from a GET): a round saved, answers changed, a person's choice, and
    the worker's periodic pass (`review_due_plans`).
    """
    now = now or timezone.now()
    with transaction.atomic():
        plan = _locked_plan(profile, now)
        state = _state(plan)
        new_state, changes = rules.review(state, reports(profile, rules.reports_needed_since(state)), now,
                                          profile.training_path, profile.zone,
                                          healing_over=healing_weeks_over(profile))
        if changes:
            _store(plan, new_state)
            for change in changes:
                _record(profile, change, now)
            move_version_on(profile.pk)  # pages kept for the person show the old plan
            if _rhythm(new_state) != _rhythm(state):
                frequency_changed.send(sender=Plan, profile=profile, at=now)
        Plan.objects.filter(pk=plan.pk).update(reviewed_at=now)
    return _remember(profile, new_state)


def current_plan(profile: Profile) -> PlanState:
    """The plan as stored, read-only and read once per request.

    A person who has no plan row yet (one is written when onboarding ends) gets the plan they
    would start with, computed and not stored.
    """
    remembered = getattr(profile, "_current_plan", None)
    if remembered is not None:
        return remembered
    plan = Plan.objects.filter(profile=profile).first()
    state = _state(plan) if plan is not None else rules.new_plan(timezone.now(), profile.training_path)
    return _remember(profile, state)


def review_due_plans(now: datetime | None = None, limit: int = 200) -> int:
    """One step of the worker's periodic pass: review plans not reviewed for a day.

    Also onboarded people without a plan row (from before plans were written at onboarding).
    Returns how many were due, those left to another worker included, so that a full batch
    tells the worker that more may be waiting.
    """
    now = now or timezone.now()
    due = list(Profile.objects.filter(onboarded_at__isnull=False, plan__isnull=True)[:limit])
    if len(due) < limit:
        stale = Q(plan__reviewed_at__isnull=True) | Q(plan__reviewed_at__lt=now - REVIEW_EVERY)
        due += list(Profile.objects.filter(stale, plan__isnull=False).order_by("plan__reviewed_at")[:limit - len(due)])
    for profile in due:
        with transaction.atomic():
            # Several workers (a region runs them) pick the same people: one that is being reviewed
            # by another is left to it (PostgreSQL's SKIP LOCKED; SQLite hosts run one worker),
            # which also keeps two workers from writing the same new plan row at once.
            if not Profile.objects.select_for_update(skip_locked=True).filter(pk=profile.pk).exists():
                continue
            if Plan.objects.filter(profile=profile, reviewed_at__gte=now - REVIEW_EVERY).exists():
                continue  # reviewed by another worker since this one looked
            refresh(profile, now)
    return len(due)


def change_by_person(profile: Profile, make_change, now: datetime | None = None) -> Change:
    """Apply a change the person chose (`make_change(state, now)` returns it), then review.

    Raises whatever `make_change` raises (an override that is not possible, numbers out of
    bounds) before anything is written.
    """
    now = now or timezone.now()
    with transaction.atomic():
        plan = _locked_plan(profile, now)
        change = make_change(_state(plan), now)
        _store(plan, change.after)
        _record(profile, change, now)
        if _rhythm(change.after) != _rhythm(change.before):
            frequency_changed.send(sender=Plan, profile=profile, at=now)
    refresh(profile, now)
    return change


def mark_self_check_done(profile: Profile, now: datetime | None = None) -> Change:
    return change_by_person(profile, lambda state, at: rules.mark(state, Reason.SELF_CHECK_DONE, at,
                                                                   self_check_done=True), now)


def mark_satisfied(profile: Profile, now: datetime | None = None) -> Change:
    return change_by_person(profile, lambda state, at: rules.mark(state, Reason.PERSON_SATISFIED, at,
                                                                   satisfied=True), now)


def choose_movements(profile: Profile, movements: list[str]) -> Change:
    chosen = tuple(movement for movement in Movement if movement.value in movements)  # in a fixed order
    return change_by_person(profile, lambda state, now: rules.mark(state, Reason.MOVEMENTS_CHOSEN, now,
                                                                    movements=chosen))


def set_numbers(profile: Profile, values: dict[str, int], source: Source = Source.PERSON) -> Change:
    return change_by_person(profile, lambda state, now: rules.set_parameters(state, values, now, source))


def choose_days_per_week(profile: Profile, days: int, now: datetime | None = None) -> Change | None:
    """The person's own training days (chosen on the reminders page): the plan's days a week follow,
    recorded as the person's change; None (nothing written) when the plan already has that many."""
    if rules.choose_days_per_week(current_plan(profile), days, now or timezone.now()) is None:
        return None
    return change_by_person(profile, lambda state, at: rules.choose_days_per_week(state, days, at)
                            or rules.mark(state, Reason.PERSON_CHOSE_DAYS, at), now)


def accept_prescription(profile: Profile, values: dict, mode: str, now: datetime | None = None) -> Change:
    """A clinician's prescription the person accepted, applied under the plan's lock like every
    change of theirs, then reviewed (so pain reported meanwhile still wins, S1). Raises ValueError
    with the problems when the values are not safe (knipa.program.plan.check_prescription)."""
    return change_by_person(profile, lambda state, at: rules.apply_prescription(
        state, values, rules.PrescriptionMode(mode), at), now)


def override(profile: Profile, choice: rules.Override) -> Change:
    return change_by_person(profile, lambda state, now: rules.override(state, choice, now))


def history(profile: Profile, limit: int = 100):
    return PlanChange.objects.filter(profile=profile)[:limit]



@receiver(answers_changed)
def answers_were_changed(sender, profile: Profile, **kwargs) -> None:
    refresh(profile)
