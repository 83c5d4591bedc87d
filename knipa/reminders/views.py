"""The reminders page and its actions, the calendar feed and the service worker. Thin views: each
takes the person's own profile (or a secret calendar token), asks the reminders room, and
redirects back with a message."""

from __future__ import annotations

import json
import secrets
from datetime import date, timedelta

from django.conf import settings as django_settings
from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from knipa.accounts import emails
from knipa.accounts.access import delete_own, profile_required
from knipa.accounts.pagecache import cached_page, move_version_on
from knipa.program.plan import round_exercises
from knipa.program.timeline import round_minutes
from knipa.reminders import dispatcher
from knipa.reminders import service_worker as service_worker_parts
from knipa.reminders.calendar import calendar_for
from knipa.reminders.forms import WEEKDAY_CHOICES, EmailRemindersForm, QuietDayForm, ScheduleForm
from knipa.reminders.models import Occurrence, PushSubscription, ReminderSettings
from knipa.reminders.planning import devices_changed, parse_dates, replan, schedule_of, settings_for, settings_to_show
from knipa.reminders.vapid import application_server_key
from knipa.training import plans


def _round_minutes(profile) -> int:
    return round_minutes(round_exercises(plans.current_plan(profile)))


def _schedule_form(profile, reminder_settings: ReminderSettings, data=None) -> ScheduleForm:
    state = plans.current_plan(profile)
    p = state.parameters
    schedule = schedule_of(reminder_settings, p.rounds_per_day, p.days_per_week)
    initial = {f"time_{index}": at for index, at in enumerate(schedule.times)}
    initial["weekdays"] = sorted(schedule.weekdays)
    return ScheduleForm(data, initial=initial, rounds_per_day=p.rounds_per_day, days_per_week=p.days_per_week)


def _email_context(profile, reminder_settings: ReminderSettings, form=None) -> dict:
    """The e-mail part of the page. The address is the account's (knipa.accounts.emails), sent to
    only once confirmed; `ReminderSettings.email`, where it used to be kept unconfirmed, is no
    longer read (accounts migration 0005 moved it)."""
    address = profile.user.email
    confirmed = profile.email_confirmed
    return {
        "email_form": form or EmailRemindersForm(initial={"email": address, "by_email": reminder_settings.by_email}),
        "email_address": address,
        "email_confirmed": confirmed,
        "email_link_sent_at": emails.last_link_sent_at(profile) if address and not confirmed else None,
        "email_zone": profile.zone,
    }


def _history(profile):
    zone = profile.zone
    rows = []
    for occurrence in Occurrence.objects.filter(profile=profile, due_at__lte=timezone.now() + timedelta(days=2))[:40]:
        rows.append({
            "occurrence": occurrence,
            "due": occurrence.due_at.astimezone(zone),
            "status": occurrence.get_status_display(),
            "deliveries": occurrence.deliveries,
        })
    return rows


def _render(request, profile, schedule_form=None, quiet_form=None, email_form=None):
    reminder_settings = settings_to_show(profile)  # a GET never writes
    now = timezone.now()
    zone = profile.zone
    state = plans.current_plan(profile)
    schedule = schedule_of(reminder_settings, state.parameters.rounds_per_day, state.parameters.days_per_week)
    upcoming = Occurrence.objects.filter(profile=profile, status=Occurrence.Status.PENDING, due_at__gt=now).order_by(
        "due_at")[:5]
    calendar_url = webcal_url = ""
    if reminder_settings.calendar_token:
        calendar_url = emails.public_link(reverse("reminders:calendar_feed", args=[reminder_settings.calendar_token]),
                                          request)
        # One tap subscribes on a phone: webcal:// opens the calendar app with the address filled in.
        webcal_url = "webcal://" + calendar_url.split("://", 1)[1]
    return render(request, "reminders/reminders.html", {
        "profile": profile,
        "zone": zone,
        "settings": reminder_settings,
        "schedule": schedule,
        "weekday_names": [str(name) for value, name in WEEKDAY_CHOICES if value in schedule.weekdays],
        "schedule_form": schedule_form or _schedule_form(profile, reminder_settings),
        "quiet_form": quiet_form or QuietDayForm(today=now.astimezone(zone).date()),
        "quiet_dates": [d for d in sorted(parse_dates(reminder_settings.quiet_dates)) if d >= now.astimezone(zone).date()],
        "subscriptions": PushSubscription.objects.filter(profile=profile).order_by("created_at"),
        "upcoming": [(o, o.due_at.astimezone(zone)) for o in upcoming],
        "history": _history(profile),
        "calendar_url": calendar_url,
        "webcal_url": webcal_url,
        "email_available": django_settings.EMAIL_REMINDERS,
        **_email_context(profile, reminder_settings, email_form),
        "application_server_key": application_server_key(),
        "zone": zone,
    })


@profile_required
@cached_page
def reminders_page(request, profile):
    return _render(request, profile)


@require_POST
@profile_required
def save_schedule(request, profile):
    reminder_settings = settings_for(profile)
    form = _schedule_form(profile, reminder_settings, request.POST)
    if not form.is_valid():
        return _render(request, profile, schedule_form=form)
    times = sorted(form.cleaned_data[name] for name in form.fields if name.startswith("time_"))
    reminder_settings.times = [at.strftime("%H:%M") for at in times]
    reminder_settings.weekdays = sorted(form.cleaned_data["weekdays"])
    reminder_settings.save()
    # The person's days set the plan's days a week (a change by the person, in the plan's history);
    # the rounds a day stay the plan's. Its frequency_changed replans the reminders too.
    days = len(reminder_settings.weekdays)
    chose_days = form.days_changed() and plans.choose_days_per_week(profile, days) is not None
    replan(profile, timezone.now())
    if chose_days:
        messages.success(request, ngettext(
            "Your reminder times are saved. Your plan now trains one day a week.",
            "Your reminder times are saved. Your plan now trains %(count)d days a week.", days) % {"count": days})
    else:
        messages.success(request, _("Your reminder times are saved."))
    return redirect("reminders:page")


@require_POST
@profile_required
def save_email(request, profile):
    """Reminders by e-mail on or off, and the address: a new address gets its confirmation link
    (the one mail it can get before its owner confirms it)."""
    if not django_settings.EMAIL_REMINDERS:
        messages.error(request, _("E-mail reminders are not available here: this Knipa has no mail server set up."))
        return redirect("reminders:page")
    form = EmailRemindersForm(request.POST)
    if not form.is_valid():
        return _render(request, profile, email_form=form)
    reminder_settings = settings_for(profile)
    changed = emails.change_address(profile, form.cleaned_data["email"])
    reminder_settings.by_email = form.cleaned_data["by_email"]
    reminder_settings.save(update_fields=["by_email", "updated_at"])
    replan(profile, timezone.now())
    if changed and profile.user.email:
        emails.tell(request, emails.send_confirmation(profile, request), profile.user.email)
    elif reminder_settings.by_email and not profile.email_confirmed:
        messages.warning(request, _("Saved. No reminders go to your address until you have confirmed it."))
    else:
        messages.success(request, _("Your e-mail choices are saved."))
    return redirect("reminders:page")


@csrf_exempt  # mail providers post the one-click unsubscribe (RFC 8058) with no CSRF token: the secret is the proof
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """The unsubscribe link of every reminder mail, and its List-Unsubscribe header. No login: a GET
    shows a button and changes nothing (mail scanners open links); a POST, the button's or a mail
    provider's `List-Unsubscribe=One-Click`, stops e-mail reminders at once."""
    profile = emails.profile_for_unsubscribe(token)
    context = {"valid": profile is not None, "stopped": False, "email_on": False}
    if profile is not None:
        reminder_settings = settings_to_show(profile)
        context["email_on"] = reminder_settings.by_email
        if request.method == "POST":
            if reminder_settings.by_email:
                ReminderSettings.objects.filter(profile=profile).update(by_email=False, updated_at=timezone.now())
                replan(profile, timezone.now())
                move_version_on(profile.pk)  # a link clicked while logged out: the page must show it
            context.update(stopped=True, email_on=False)
    request.LANGUAGE_CODE = emails.page_language(request, profile)
    with translation.override(request.LANGUAGE_CODE):
        return render(request, "reminders/unsubscribe.html", context, status=200 if profile is not None else 404)


@require_POST
@profile_required
def set_paused(request, profile):
    reminder_settings = settings_for(profile)
    reminder_settings.paused = request.POST.get("paused") == "yes"
    reminder_settings.save(update_fields=["paused", "updated_at"])
    replan(profile, timezone.now())
    messages.success(request, _("All reminders are paused.") if reminder_settings.paused else _("Reminders are on again."))
    return redirect("reminders:page")


@require_POST
@profile_required
def add_quiet_day(request, profile):
    form = QuietDayForm(request.POST, today=timezone.now().astimezone(profile.zone).date())
    if not form.is_valid():
        return _render(request, profile, quiet_form=form)
    reminder_settings = settings_for(profile)
    days = {d.isoformat() for d in parse_dates(reminder_settings.quiet_dates)} | {form.cleaned_data["day"].isoformat()}
    reminder_settings.quiet_dates = sorted(days)
    reminder_settings.save(update_fields=["quiet_dates", "updated_at"])
    replan(profile, timezone.now())
    messages.success(request, _("No reminders on that day."))
    return redirect("reminders:page")


@require_POST
@profile_required
def remove_quiet_day(request, profile):
    reminder_settings = settings_for(profile)
    try:
        day = date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        messages.error(request, _("That day is not known. Nothing was changed."))
        return redirect("reminders:page")
    reminder_settings.quiet_dates = [d for d in reminder_settings.quiet_dates if d != day.isoformat()]
    reminder_settings.save(update_fields=["quiet_dates", "updated_at"])
    replan(profile, timezone.now())
    return redirect("reminders:page")


@require_POST
@profile_required
def snooze_upcoming(request, profile, occurrence_id):
    """Move one upcoming reminder 30 minutes later."""
    occurrence = Occurrence.objects.filter(id=occurrence_id, profile=profile, status=Occurrence.Status.PENDING).first()
    if occurrence is None:
        raise Http404
    later = occurrence.due_at + dispatcher.SNOOZE
    try:
        Occurrence.objects.create(profile=profile, slot=occurrence.slot, due_at=later, next_attempt_at=later,
                                  snoozed=True)
    except IntegrityError:
        pass  # already snoozed to that time
    cancelled = {"status": Occurrence.Status.CANCELLED}
    if dispatcher.snooze_token(occurrence):
        # Snoozed here, it is snoozed: a notification already out for it (sent to one browser, a
        # retry pending for another) cannot snooze it a second time.
        cancelled["snooze_token"] = dispatcher.SPENT + occurrence.snooze_token
    Occurrence.objects.filter(id=occurrence.id).update(**cancelled)
    messages.success(request, _("That reminder comes 30 minutes later."))
    return redirect("reminders:page")


@csrf_exempt  # the random single-use token is the proof; a notification's button has no CSRF token
@require_POST
def snooze_by_token(request):
    """The notification's "Remind me in 30 minutes": answers the service worker in plain words, in
    the language the notification was in (the person's), whether or not this browser is logged in."""
    result = dispatcher.snooze(request.POST.get("token", ""))
    with translation.override(result.language or translation.get_language()):
        if result.outcome is dispatcher.SnoozeOutcome.SNOOZED:
            return JsonResponse({"due_at": result.later.due_at.isoformat(),
                                 "detail": _("You will be reminded again in 30 minutes.")})
        if result.outcome is dispatcher.SnoozeOutcome.ALREADY_SNOOZED:
            return JsonResponse({"detail": _("This reminder has already been snoozed.")}, status=409)
        return JsonResponse({"detail": _("This reminder can no longer be snoozed.")}, status=400)


@require_POST
@profile_required
def calendar_link(request, profile):
    """Make, renew or remove the secret calendar subscription address."""
    reminder_settings = settings_for(profile)
    action = request.POST.get("action")
    # Back to the calendar card, not to the top of a long page.
    back = reverse("reminders:page") + "#calendar"
    had_address = bool(reminder_settings.calendar_token)
    if action == "revoke":
        reminder_settings.calendar_token = ""
        messages.success(request, _("The calendar address no longer works."))
    elif action in ("create", "regenerate"):
        reminder_settings.calendar_token = secrets.token_urlsafe(32)
        if had_address:
            messages.success(request, _("Your new calendar address is ready. The earlier address no longer works."))
        else:
            messages.success(request, _("Your calendar address is ready."))
    else:
        messages.error(request, _("That choice is not known. Nothing was changed."))
        return redirect(back)
    reminder_settings.save(update_fields=["calendar_token", "updated_at"])
    return redirect(back)


def _ics_response(request, reminder_settings: ReminderSettings, attachment: bool) -> HttpResponse:
    response = HttpResponse(calendar_for(reminder_settings, _round_minutes(reminder_settings.profile),
                                         public_base=emails.public_base(request)),
                            content_type="text/calendar; charset=utf-8")
    if attachment:
        response["Content-Disposition"] = 'attachment; filename="knipa.ics"'
    response["Cache-Control"] = "private, no-cache"
    return response


@profile_required
def calendar_download(request, profile):
    return _ics_response(request, settings_to_show(profile), attachment=True)


@never_cache
def calendar_feed(request, token):
    """The calendar subscription: the secret token in the address is the only key."""
    if len(token) < 32:
        raise Http404
    reminder_settings = ReminderSettings.objects.select_related("profile").filter(calendar_token=token).first()
    if reminder_settings is None or not secrets.compare_digest(reminder_settings.calendar_token, token):
        raise Http404
    return _ics_response(request, reminder_settings, attachment=False)


@require_POST
@profile_required
def remove_subscription(request, profile, subscription_id):
    delete_own(PushSubscription, profile, subscription_id)
    devices_changed(profile)
    messages.success(request, _("That device no longer gets notifications."))
    return redirect("reminders:page")


def service_worker(request):
    """The service worker, at the site's root so that its scope is the whole site.

    The same bytes for everyone within a release (nothing of the person's, no language): a new
    release, and only that, makes browsers install a new worker (knipa/reminders/service_worker.py).
    """
    context = {"release": service_worker_parts.release(),
               "precache_json": json.dumps(service_worker_parts.precache_urls())}
    response = render(request, "reminders/sw.js", context, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
