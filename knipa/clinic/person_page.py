"""What a clinician's page about one person shows, scope by scope: the person's own charts and
tables (knipa.outcomes.charting), the plan with the reasons for each change (knipa.training), the
bladder diary's summary, the printable summary (knipa.personal_data.summary) and the prescriptions.
A scope the share does not cover is not shown: the page's own parts do not read it at all; the
printable summary is the person's own (visit_summary), with the parts of other scopes taken out
before it reaches the template.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from knipa.clinic import followup
from knipa.outcomes import progress
from knipa.outcomes.charting import progress_charts
from knipa.outcomes.models import CheckIn
from knipa.personal_data.summary import visit_summary
from knipa.program.moments import wall_clock
from knipa.program.outcomes import CareAdvice
from knipa.program.plan import PRESCRIBED_NUMBERS
from knipa.program.safety import TrainingPath
from knipa.sharing.models import Prescription, Scope, Share
from knipa.training.models import TrainingRound
from knipa.training.plan_texts import MOVEMENT_LABELS, PARAMETER_LABELS, reason_text, stage_name
from knipa.training.plans import current_plan, history

# Which of the progress page's charts each scope shows (knipa.outcomes.charting's html ids).
ROUND_CHARTS = ("chart-days", "chart-hold", "chart-reps", "chart-endurance")
CHECK_IN_CHARTS = ("chart-leaks", "chart-index")
RECENT_ROUNDS = 10
PLAN_CHANGES = 30

# The seek-care advice the person was given (V1-V3), said to the clinician.
CARE_ADVICE_FOR_CLINICIAN = {
    CareAdvice.SEEK_CARE_AFTER_BIRTH: _("Major symptoms in the first year after a birth (V3)"),
    CareAdvice.CONTACT_NOW_AVOIDING: _("Avoids activity, friends or sex because of the symptoms (V1)"),
    CareAdvice.CONTACT_NOT_IMPROVING: _("Has trained as planned for three months without clear improvement (V1, V2)"),
    CareAdvice.NEEDS_HELP_WITH_TRAINING: _("Has not felt the squeeze for many rounds (V1, H2)"),
}

# The plan's history in the clinician's words (the person's page says "You").
SOURCE_FOR_CLINICIAN = {
    "plan": _("The plan, from the reports"),
    "person": _("The person"),
    "clinician": _("A clinician's prescription"),
}

SIDE_PATH_NOTES = {
    TrainingPath.RELAXATION: _("The person reported pain, so the plan is on the relaxation path (S1). Numbers "
                               "you suggest are used once the pain has gone."),
    TrainingPath.CIRCULATION: _("The person recently gave birth or had an operation and waits for the go-ahead "
                                "(S2, E7). Numbers you suggest are used after that."),
}


def _plan_changes(profile) -> list[dict]:
    rows = []
    for change in history(profile, limit=PLAN_CHANGES):
        rows.append({
            "at": change.at,
            "reason": reason_text(change.reason),
            "reason_code": change.reason,
            "source": SOURCE_FOR_CLINICIAN.get(change.source, change.get_source_display()),
            "stage_before": stage_name(change.stage_before),
            "stage_after": stage_name(change.stage_after),
            "stage_changed": change.stage_before and change.stage_before != change.stage_after,
            "differences": [
                (PARAMETER_LABELS.get(name, name), change.parameters_before.get(name), value)
                for name, value in change.parameters_after.items()
                if change.parameters_before and change.parameters_before.get(name) != value
            ],
        })
    return rows


def context(share: Share, now: datetime) -> dict:
    profile = share.profile
    covers = followup.covered(share)
    row = followup.row(share, now)
    result = {
        "share": share, "profile": profile, "zone": profile.zone, "covers": covers, "row": row,
        "scope_labels": share.scope_labels(),
        "not_shared": [label for value, label in Scope.choices if not covers[value]],
    }
    charts = []
    if covers["rounds"] or covers["check_ins"]:
        check_ins = list(CheckIn.objects.filter(profile=profile).order_by("at", "id")) if covers["check_ins"] else []
        wanted = (ROUND_CHARTS if covers["rounds"] else ()) + (CHECK_IN_CHARTS if covers["check_ins"] else ())
        charts = [chart for chart in progress_charts(profile, followup.weeks_shared(share, now), check_ins)
                  if chart.html_id in wanted]
        if not covers["plan"]:
            # The training days' goal line is the plan's days a week: part of the plan.
            for chart in charts:
                if chart.html_id == "chart-days":
                    chart.target, chart.target_label = None, ""
        result["latest_check_in"] = check_ins[-1] if check_ins else None
    result["round_charts"] = [chart for chart in charts if chart.html_id in ROUND_CHARTS]
    result["check_in_charts"] = [chart for chart in charts if chart.html_id in CHECK_IN_CHARTS]
    if covers["rounds"]:
        result["recent_rounds"] = list(TrainingRound.objects.filter(profile=profile).order_by("-started_at")
                                       [:RECENT_ROUNDS])
    advice = row.care_advice
    result["care_advice"] = None if advice is None else [str(CARE_ADVICE_FOR_CLINICIAN[item]) for item in advice]
    if covers["diary"]:
        result["diary_summary"] = progress.diary_summary(profile)
    if covers["plan"]:
        state = current_plan(profile)
        result.update({
            "state": state,
            "stage_name": stage_name(state.current_stage),
            "main_stage_name": stage_name(state.stage),
            "parameters": [(PARAMETER_LABELS[name], value) for name, value in state.parameters.as_dict().items()],
            "positions": [position.value for position in state.positions],
            "movements": [MOVEMENT_LABELS[movement.value] for movement in state.movements],
            "changes": _plan_changes(profile),
            "side_path_note": SIDE_PATH_NOTES.get(profile.training_path, ""),
        })
    result["prescriptions"] = list(Prescription.objects.filter(share=share).order_by("-created_at", "-id")[:5])
    return result


def prescription_initial(share: Share) -> dict:
    """The form starts from the plan as it is (when the share covers the plan)."""
    state = current_plan(share.profile)
    initial = {name: getattr(state.parameters, name) for name in PRESCRIBED_NUMBERS}
    initial["stage"] = state.stage.value
    initial["positions"] = [position.value for position in state.positions]
    return initial


def summary_context(share: Share, now: datetime) -> dict:
    """The person's printable summary, without what the share does not cover."""
    covers = followup.covered(share)
    context = visit_summary(share.profile, now)
    # The person's answers about their body are never shared (the consent screen says so).
    context.update(goals=None, profile=None)
    if not covers["plan"]:
        context.update(stage_name=None, stage_since=None, training_started_on=None, numbers=None)
    if not covers["rounds"]:
        context.update(weeks=None, weeks_of_training=None)
    elif not covers["check_ins"] or not covers["diary"]:
        context["weeks"] = followup.weeks_shared(share, now)[-len(context["weeks"]):]
    if not covers["check_ins"]:
        context.update(first_check_in=None, latest_check_in=None)
    if not covers["diary"]:
        context["diary_summary"] = None
    advice = followup.care_advice(share, now)
    context["care_advice"] = None if advice is None else [str(CARE_ADVICE_FOR_CLINICIAN[item]) for item in advice]
    context.update(share=share, covers=covers, name=followup.shown_name(share),
                   not_shared=[label for value, label in Scope.choices if not covers[value]],
                   now=wall_clock(now, share.profile.zone))
    return context
