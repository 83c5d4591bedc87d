"""Check-ins, the leak log, the bladder diary and the progress page. Thin views: the person's own
profile, the outcomes room's numbers, render."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from knipa.accounts.access import delete_own, profile_required
from knipa.accounts.pagecache import cached_page
from knipa.outcomes import progress
from knipa.outcomes.forms import CheckInForm, DiaryEntryForm
from knipa.outcomes.models import CheckIn, DiaryEntry, Leak
from knipa.program.moments import local_date
from knipa.program.outcomes import severity_band
from knipa.training import plans


@profile_required
def check_in(request, profile):
    ask_improvement = progress.asks_improvement(profile)
    form = CheckInForm(request.POST if request.method == "POST" else None, ask_improvement=ask_improvement,
                       goals=profile.goal_set)
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        entry.profile = profile
        entry.at = timezone.now()
        entry.save()
        if entry.pain:
            plans.note_pain(profile)  # S1: relaxation practice instead of squeezing, at once
            messages.warning(request, _("Thank you. Because it hurts, your plan is now relaxation practice instead "
                                        "of squeezing. Read the advice about contacting care below."))
            return redirect("today:home")
        messages.success(request, _("Thank you. Your answers are saved; the next check-in is in four weeks."))
        return redirect("outcomes:progress")
    return render(request, "outcomes/check_in.html", {"form": form, "first": not CheckIn.objects.filter(
        profile=profile).exists(), "ask_improvement": ask_improvement})


@profile_required
def get_help(request, profile):
    """V1, H2: where to get help with the training, and the person's own seek-care advice."""
    return render(request, "outcomes/get_help.html", {
        "profile": profile,
        "care_advice": [item.value for item in progress.advice_for(profile)],
    })


@profile_required
def leaks(request, profile):
    if request.method == "POST":
        situation = request.POST.get("situation", "")
        amount = request.POST.get("amount", Leak.Amount.DROPS)
        if situation not in Leak.Situation.values or amount not in Leak.Amount.values:
            messages.error(request, _("That leak could not be noted: choose one of the situations."))
            return redirect("outcomes:leaks")
        Leak.objects.create(profile=profile, at=timezone.now(), situation=situation, amount=amount)
        messages.success(request, _("Noted. Every note helps you see the change."))
        return redirect("outcomes:leaks")
    recent = list(Leak.objects.filter(profile=profile)[:30])
    return render(request, "outcomes/leaks.html", {
        "situations": Leak.Situation.choices, "amounts": Leak.Amount.choices, "recent": recent, "zone": profile.zone,
        # The situations of the latest leaks, newest first: the guide's pages about them (S5: sport).
        "noted_situations": list(dict.fromkeys(leak.situation for leak in recent)),
    })


@require_POST
@profile_required
def delete_leak(request, profile, leak_id):
    delete_own(Leak, profile, leak_id)
    messages.success(request, _("The note is deleted."))
    return redirect("outcomes:leaks")


@profile_required
def diary(request, profile):
    zone = profile.zone
    now = timezone.now().astimezone(zone)
    form = DiaryEntryForm(request.POST if request.method == "POST" else None, today=now.date(),
                          initial={"day": now.date(), "time": now.strftime("%H:%M")})
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        entry.profile = profile
        entry.at = datetime.combine(form.cleaned_data["day"], form.cleaned_data["time"], tzinfo=zone)
        entry.save()
        messages.success(request, _("Added to your diary."))
        return redirect("outcomes:diary")
    entries = DiaryEntry.objects.filter(profile=profile, at__gte=timezone.now() - timedelta(days=60)).order_by("at",
                                                                                                             "id")
    days: dict = {}
    for entry in entries:
        # Never fails, even for a moment stored at the calendar's very end (knipa.program.moments).
        days.setdefault(local_date(entry.at, zone), []).append(entry)
    return render(request, "outcomes/diary.html", {
        "form": form, "days": sorted(days.items()), "summary": progress.diary_summary(profile),
        "zone": zone,
    })


@require_POST
@profile_required
def delete_diary_entry(request, profile, entry_id):
    delete_own(DiaryEntry, profile, entry_id)
    messages.success(request, _("The diary line is deleted."))
    return redirect("outcomes:diary")


@profile_required
@cached_page
def progress_page(request, profile):
    from knipa.outcomes.charting import progress_charts

    check_ins = list(CheckIn.objects.filter(profile=profile))
    return render(request, "outcomes/progress.html", {
        "profile": profile,
        "charts": progress_charts(profile, progress.weeks(profile), check_ins),
        "care_advice": [item.value for item in progress.advice_for(profile)],
        "check_in_due": progress.check_in_is_due(profile),
        "latest": check_ins[-1] if check_ins else None,
        "latest_band": severity_band(check_ins[-1].scores().index).value if check_ins else "",
        "diary_summary": progress.diary_summary(profile),
    })
