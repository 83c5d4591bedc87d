"""The home page ("today"): what to do now, the rounds done against the plan, what comes next, and
the advice that applies. It gathers from several rooms (the plan, outcomes, reminders), so it has a
room of its own above them. Thin: ownership check, read, render."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from knipa.accounts.access import profile_required
from knipa.accounts.pagecache import cached_page
from knipa.outcomes import progress
from knipa.program import plan as plan_rules
from knipa.program.timeline import round_minutes
from knipa.reminders.planning import reminders_set_up
from knipa.training import plans
from knipa.training.models import TrainingRound
from knipa.training.plan_texts import STAGE_SUMMARIES, stage_name
from knipa.training.today import today_for
from knipa.training.views import milestone_lines


@profile_required
@cached_page
def home(request, profile):
    """Today: what to do now, how much is done against the plan, and what comes next."""
    state = plans.current_plan(profile)
    reports = plans.reports(profile, plan_rules.reports_needed_since(state))  # read once for the milestone and the K2 question
    next_stage, milestone = milestone_lines(profile, state, reports)
    now = timezone.now()
    return render(
        request,
        "today/home.html",
        {
            "profile": profile,
            "path": profile.training_path.value,
            "stage": state.current_stage.value,
            "stage_name": stage_name(state.current_stage),
            "stage_summary": STAGE_SUMMARIES.get(state.current_stage, ""),
            "state": state,
            "today": today_for(profile, state, now),
            "next_stage": next_stage,
            "milestone": milestone,
            "ask_satisfied": plan_rules.ready_to_ask_satisfied(state, reports, now, profile.zone),
            "weeks_of_training": (now.astimezone(profile.zone).date() - state.training_started_on).days // 7
            if state.training_started_on else None,
            "advice": [item.value for item in profile.advice],
            "body": profile.body,
            "last_round": TrainingRound.objects.filter(profile=profile).first(),
            "round_minutes": round_minutes(plan_rules.round_exercises(state)),
            "has_reminders": reminders_set_up(profile),
            "care_advice": [item.value for item in progress.advice_for(profile, now)],
            "check_in_due": progress.check_in_is_due(profile, now),
            "first_check_in": not profile.check_ins.exists(),
        },
    )
