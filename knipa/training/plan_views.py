"""The plan page: the stage and why, the path through the stages, the numbers, the history of
changes, and the person's own choices (stay, step back, move on, their own numbers). Thin views:
each takes the person's own profile, asks knipa.training.plans, and redirects back with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from knipa.accounts.access import profile_required
from knipa.accounts.pagecache import cached_page
from knipa.program import plan as plan_rules
from knipa.program.plan import Override, OverrideRefused
from knipa.program.rounds import MAIN_PATH
from knipa.training import plans
from knipa.training.forms import MovementsForm, PlanNumbersForm
from knipa.training.models import PlanChange
from knipa.training.plan_texts import (
    MOVEMENT_LABELS,
    PARAMETER_LABELS,
    STAGE_SUMMARIES,
    reason_text,
    stage_name,
)
from knipa.training.views import milestone_lines


def _changes_for_display(profile):
    rows = []
    for change in plans.history(profile):
        differences = [
            (PARAMETER_LABELS.get(name, name), change.parameters_before.get(name), value)
            for name, value in change.parameters_after.items()
            if change.parameters_before and change.parameters_before.get(name) != value
        ]
        rows.append({
            "at": change.at,
            "reason": reason_text(change.reason),
            "reason_code": change.reason,
            "source": change.get_source_display(),
            "stage_before": stage_name(change.stage_before),
            "stage_after": stage_name(change.stage_after),
            "stage_changed": change.stage_before and change.stage_before != change.stage_after,
            "differences": differences,
        })
    return rows


@profile_required
@cached_page
def plan_page(request, profile):
    return _render_plan(request, profile)


def _render_plan(request, profile, numbers_form=None, movements_form=None):
    state = plans.current_plan(profile)
    next_stage, milestone = milestone_lines(profile, state)
    last = PlanChange.objects.filter(profile=profile).exclude(reason__in=[
        plan_rules.Reason.ENDURANCE_FOLLOWED.value]).first()
    numbers_form = numbers_form or PlanNumbersForm(initial=state.parameters.as_dict())
    movements_form = movements_form or MovementsForm(initial={"movements": [m.value for m in state.movements]})
    path = [
        {"stage": stage.value, "name": stage_name(stage), "summary": STAGE_SUMMARIES[stage],
         "current": stage is state.stage, "done": MAIN_PATH.index(stage) < MAIN_PATH.index(state.stage)}
        for stage in MAIN_PATH
    ]
    return render(request, "training/plan.html", {
        "profile": profile,
        "state": state,
        "stage": state.current_stage.value,
        "stage_name": stage_name(state.current_stage),
        "main_stage_name": stage_name(state.stage),
        "stage_summary": STAGE_SUMMARIES.get(state.current_stage, ""),
        "why": reason_text(last.reason) if last else "",
        "why_at": last.at if last else None,
        "path": path,
        "next_stage": next_stage,
        "milestone": milestone,
        "parameters": [(PARAMETER_LABELS[name], value) for name, value in state.parameters.as_dict().items()],
        "movements": [MOVEMENT_LABELS[m.value] for m in state.movements],
        "numbers_form": numbers_form,
        "movements_form": movements_form,
        "changes": _changes_for_display(profile),
        "zone": profile.zone,
        "can_step_back": state.side_path is None and state.stage is not MAIN_PATH[0],
        "can_move_on": state.side_path is None and state.stage is not MAIN_PATH[-1],
        "next_main_stage": stage_name(plan_rules.next_stage(state.stage)),
        "previous_main_stage": stage_name(plan_rules.previous_stage(state.stage)),
    })


@require_POST
@profile_required
def plan_choice(request, profile):
    """Stay, let the plan move on again, step back, or move on: the person decides."""
    try:
        choice = Override(request.POST.get("choice", ""))
    except ValueError:
        messages.error(request, _("That choice is not known. Nothing was changed."))
        return redirect("training:plan")
    try:
        change = plans.override(profile, choice)
    except OverrideRefused:
        messages.error(request, _("That is not possible at the moment. Nothing was changed."))
        return redirect("training:plan")
    messages.success(request, reason_text(change.reason))
    return redirect("training:plan")


@require_POST
@profile_required
def plan_numbers(request, profile):
    form = PlanNumbersForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Some numbers are outside the safe range. Nothing was changed."))
        return _render_plan(request, profile, numbers_form=form)
    plans.set_numbers(profile, {name: form.cleaned_data[name] for name in plan_rules.PARAMETER_BOUNDS})
    messages.success(request, _("Your numbers are saved. The next round uses them."))
    return redirect("training:plan")


@require_POST
@profile_required
def plan_movements(request, profile):
    form = MovementsForm(request.POST)
    if not form.is_valid():
        return _render_plan(request, profile, movements_form=form)
    plans.choose_movements(profile, form.cleaned_data["movements"])
    messages.success(request, _("Your movements are saved."))
    return redirect("training:plan")


@require_POST
@profile_required
def self_check_done(request, profile):
    """C1-C3: the person has checked with their fingers that they squeeze the right muscles."""
    plans.mark_self_check_done(profile)
    messages.success(request, _("Well done. Checking once is enough; check again whenever you are unsure."))
    return redirect("training:plan" if request.POST.get("next") == "plan" else "today:home")


@require_POST
@profile_required
def satisfied(request, profile):
    """K2: the person is satisfied with strength, speed and endurance: maintenance may begin."""
    state = plans.current_plan(profile)
    now = timezone.now()
    reports = plans.reports(profile, plan_rules.reports_needed_since(state))
    if not plan_rules.ready_to_ask_satisfied(state, reports, now, profile.zone):
        # K1: asked only once every other goal for maintenance is met; an early answer is not kept.
        messages.error(request, _("Maintenance is not open yet. Keep training as planned; the plan asks you when it is time."))
        return redirect("today:home")
    plans.mark_satisfied(profile, now)
    messages.success(request, _("Wonderful. From now on one to three rounds a week keep what you have built."))
    return redirect("today:home")
