"""Your data: download everything (JSON for another Knipa, CSV for a spreadsheet), print a summary
for a visit to a physiotherapist or doctor, and import an export into a new account. Every view
gets the logged-in person's own profile from `profile_required`; nothing here takes an id."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from knipa.accounts.access import profile_required
from knipa.accounts.pagecache import cached_page
from knipa.accounts.throttle import allow
from knipa.middleware import client_address, remember_language, too_many_requests
from knipa.personal_data.export import ImportRefused, export_json, has_training_data, import_person, import_state
from knipa.personal_data.forms import ImportForm
from knipa.personal_data.spreadsheets import diary_csv, rounds_csv
from knipa.personal_data.summary import visit_summary


# Imports per client address (KNIPA_IMPORT_LIMIT_PER_HOUR): each may bring a 5 MB file of rows.
IMPORT_WINDOW = timedelta(hours=1)


@profile_required(onboarded=False)
def data_page(request, profile):
    """The page, and the import it offers: a refused file is shown next to the field, here."""
    if request.method == "POST" and not allow("import", client_address(request) or "",
                                              ((settings.IMPORT_LIMIT_PER_HOUR, IMPORT_WINDOW),)):
        return too_many_requests(request, _("Many imports have been made from your network in the last hour. "
                                            "Please wait an hour and try again."),
                                 retry_after=IMPORT_WINDOW.total_seconds())
    form = ImportForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            import_person(profile, form.data_in_file)
        except ImportRefused as refusal:
            form.add_error("file", refusal.message)
        else:
            profile.refresh_from_db()
            messages.success(request, _("Your data is imported: your answers, your plan, your rounds and your "
                                        "notes are all here."))
            response = redirect("data:page")
            remember_language(response, profile.language)  # the restored language, as after logging in
            return response
    return render(request, "personal_data/data.html", {
        "profile": profile, "form": form, "has_data": has_training_data(profile),
        "import_state": import_state(profile),
    })


def _download(content: str, content_type: str, name: str, profile) -> HttpResponse:
    day = timezone.now().astimezone(profile.zone).date().isoformat()
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="knipa-{name}-{day}.{content_type.split("/")[1]}"'
    return response


@never_cache
@profile_required(onboarded=False)
def download_json(request, profile):
    return _download(export_json(profile), "application/json", "export", profile)


@never_cache
@profile_required(onboarded=False)
def download_rounds(request, profile):
    return _download(rounds_csv(profile), "text/csv", "rounds", profile)


@never_cache
@profile_required(onboarded=False)
def download_diary(request, profile):
    return _download(diary_csv(profile), "text/csv", "diary", profile)


@never_cache
@profile_required
@cached_page
def summary(request, profile):
    return render(request, "personal_data/summary.html", visit_summary(profile))
