"""The home page: where the person stands and what their first step of training is."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from knipa.accounts.access import profile_required
from knipa.program.safety import RecentEvent, TrainingPath


@profile_required
def home(request, profile):
    return render(
        request,
        "training/home.html",
        {
            "profile": profile,
            "path": profile.training_path.value,
            "advice": [item.value for item in profile.advice],
            "body": profile.body,
        },
    )


@require_POST
@profile_required
def confirm_go_ahead(request, profile):
    """The midwife or doctor has said training may begin (S2): leave circulation squeezes."""
    if profile.recent_event and profile.recent_event != RecentEvent.NONE and not profile.go_ahead:
        profile.go_ahead = True
        profile.save(update_fields=["go_ahead", "updated_at"])
        if profile.training_path is TrainingPath.LEARNING:
            messages.success(request, _("Good news. Start gently: only squeeze as hard as feels comfortable."))
    return redirect("training:home")
