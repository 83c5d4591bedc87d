"""The session player, the history of rounds, the go-ahead and the milestone in words. Thin views."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from knipa.accounts.access import profile_required
from knipa.accounts.pagecache import cached_page
from knipa.program import plan as plan_rules
from knipa.program.rounds import Stage
from knipa.program.safety import RecentEvent, TrainingPath
from knipa.training.current import current_round
from knipa.training import plans
from knipa.training.models import POSITION_CHOICES, TrainingRound
from knipa.training.plan_texts import criterion_text, stage_name

ROUNDS_PER_PAGE = 30


def milestone_lines(profile, state, reports=None) -> tuple[str, list[tuple[bool, str]]]:
    """The next stage's name and each thing it takes, met or not, in words."""
    if reports is None:
        reports = plans.reports(profile, plan_rules.reports_needed_since(state))
    goal = plan_rules.milestone(state, reports, timezone.now(), profile.zone)
    lines = [(item.met, criterion_text(item, state.parameters)) for item in goal.progress]
    return (stage_name(goal.next_stage) if goal.next_stage else ""), lines


@require_POST
@profile_required
def confirm_go_ahead(request, profile):
    """The midwife or doctor has said training may begin (S2): leave circulation squeezes."""
    if profile.recent_event and profile.recent_event != RecentEvent.NONE and not profile.go_ahead:
        profile.go_ahead = True
        profile.save(update_fields=["go_ahead", "updated_at"])
        plans.refresh(profile)
        if profile.training_path is TrainingPath.LEARNING:
            messages.success(request, _("Good news. Start gently: only squeeze as hard as feels comfortable."))
    return redirect("today:home")


@profile_required
@cached_page
def player(request, profile):
    """The guided round: choose a position, check the technique, then follow the cues."""
    # ?practice=daily_life: the short practice of the squeeze before a cough (E6).
    practice = Stage.DAILY_LIFE if request.GET.get("practice") == Stage.DAILY_LIFE.value else None
    stage, _exercises, allowed = current_round(profile, practice)
    labels = dict(POSITION_CHOICES)
    positions = [(position.value, labels[position.value]) for position in allowed]
    return render(
        request,
        "training/player.html",
        {"profile": profile, "stage": stage.value, "positions": positions, "path": profile.training_path.value,
         # Only when the practice is really offered (not on a side path, S1, S2), so that the
         # player asks for the same round the page describes.
         "body": profile.body, "practice": stage.value if stage is Stage.DAILY_LIFE else ""},
    )


@profile_required
@cached_page
def history(request, profile):
    # A page at a time, newest first: light on a phone, and every round reachable however many
    # there are. A page number that is not one (or past the end) shows the nearest real page.
    pages = Paginator(TrainingRound.objects.filter(profile=profile), ROUNDS_PER_PAGE)
    page = pages.get_page(request.GET.get("page"))
    return render(request, "training/history.html", {"rounds": page.object_list, "page": page, "zone": profile.zone})


def _own_round(profile, round_id: uuid.UUID) -> TrainingRound:
    training_round = TrainingRound.objects.filter(id=round_id, profile=profile).first()
    if training_round is None:
        raise Http404
    return training_round


@profile_required
@cached_page
def round_detail(request, profile, round_id):
    training_round = _own_round(profile, round_id)
    return render(request, "training/round_detail.html", {"round": training_round, "zone": profile.zone})


@require_POST
@profile_required
def delete_round(request, profile, round_id):
    _own_round(profile, round_id).delete()
    messages.success(request, _("The round has been deleted."))
    return redirect("training:history")
