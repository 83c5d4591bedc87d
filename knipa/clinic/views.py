"""The clinician's pages: the follow-up list, a person's page and printable summary, the
prescription, entering a person's code; and the host's staff page.

Every page that shows a person's data finds the share afresh on each request
(knipa.sharing.access.active_share: active, this clinician's, the clinician active), so a withdrawn
share is a 404 at once, and another clinician's share id is the same 404. What is read is logged
(log_access) in the same transaction as the read: the one deliberate exception to "a GET never
writes" (tests/test_pages_only_read.py allows exactly the AccessLog rows here). None of these pages
is kept (no @cached_page), in the server's memory or by the service worker.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from knipa.clinic import followup, person_page, staff
from knipa.clinic.forms import CodeForm, PrescriptionForm
from knipa.clinicians.access import clinician_required, staff_required
from knipa.clinicians.signin import recovery_codes_left
from knipa.middleware import client_address
from knipa.sharing import access
from knipa.sharing.models import Access, Scope

# Under this many recovery codes left, the follow-up list suggests making new ones.
FEW_RECOVERY_CODES = 3


def _share_or_404(clinician, share_id):
    share = access.active_share(clinician, share_id)
    if share is None:
        raise Http404
    return share


@never_cache
@require_http_methods(["GET", "HEAD"])
@clinician_required
def home(request, clinician):
    """The follow-up list: everyone sharing with this clinician, who needs attention first."""
    now = timezone.now()
    with transaction.atomic():
        shares = list(access.active_shares(clinician).order_by("pk"))
        rows = followup.follow_up_rows(shares, now)
        for share in shares:
            access.log_access(share, Access.FOLLOW_UP_LIST, now)
    left = recovery_codes_left(request.user)
    return render(request, "clinic/home.html", {
        "clinician": clinician, "rows": rows, "recovery_codes_left": left,
        "few_recovery_codes": left < FEW_RECOVERY_CODES,
    })


@never_cache
@require_http_methods(["GET", "HEAD"])
@clinician_required
def person(request, clinician, share_id):
    share = _share_or_404(clinician, share_id)
    return _render_person(request, clinician, share)


def _render_person(request, clinician, share, form=None):
    now = timezone.now()
    with transaction.atomic():
        context = person_page.context(share, now)
        for scope in Scope:
            if scope.value in share.scopes:
                access.log_access(share, Access(scope.value), now)
    if form is None and context["covers"]["plan"]:
        form = PrescriptionForm(initial=person_page.prescription_initial(share))
    return render(request, "clinic/person.html", {**context, "clinician": clinician, "form": form})


@require_POST
@clinician_required
def prescribe(request, clinician, share_id):
    """Suggest numbers; the person accepts or declines them (knipa.sharing.prescriptions)."""
    share = _share_or_404(clinician, share_id)
    if Scope.PLAN.value not in share.scopes:
        # Numbers for a plan the clinician may not see: refused, as the page says.
        messages.error(request, _("To suggest numbers, the person needs to share their plan with you."))
        return redirect("clinic:person", share_id=share.pk)
    form = PrescriptionForm(request.POST)
    if not form.is_valid():
        return _render_person(request, clinician, share, form=form)
    try:
        access.make_prescription(share, form.parameters(), form.cleaned_data["note"], form.cleaned_data["mode"])
    except ValueError:
        # The program's rules changed between the form's check and here: say so, change nothing.
        form.add_error(None, _("These numbers are not within the safe bounds. Nothing was sent."))
        return _render_person(request, clinician, share, form=form)
    messages.success(request, _("The numbers are sent. The person sees them in Knipa and decides whether to use "
                                "them."))
    return redirect("clinic:person", share_id=share.pk)


@require_POST
@clinician_required
def stop(request, clinician, share_id):
    """The clinician ends the follow-up: the share stops, and the person's log says who stopped it."""
    share = _share_or_404(clinician, share_id)
    access.stop_share(share, by="clinician")
    messages.success(request, _("You no longer follow this person. They can share with you again."))
    return redirect("clinic:home")


@never_cache
@require_http_methods(["GET", "HEAD"])
@clinician_required
def summary(request, clinician, share_id):
    """The person's printable one-page summary, with only what the share covers."""
    share = _share_or_404(clinician, share_id)
    now = timezone.now()
    with transaction.atomic():
        context = person_page.summary_context(share, now)
        access.log_access(share, Access.SUMMARY, now)
    return render(request, "clinic/summary.html", {**context, "clinician": clinician})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@clinician_required
def redeem(request, clinician, code=""):
    """Enter a person's code: their consent, with what they chose to share, starts the follow-up.

    A link with the code in it (/clinic/connect/<code>/, which the person may send) only fills in
    the form; the share starts when the clinician presses the button (a GET never writes)."""
    form = CodeForm(request.POST if request.method == "POST" else None, initial={"code": code})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            share = access.redeem_code(form.cleaned_data["code"], clinician=clinician,
                                       client=client_address(request) or "")
        except access.CodeRefused as refusal:
            form.add_error("code", refusal.message)
            status = 429 if refusal.reason == "throttled" else 200
        else:
            messages.success(request, _("You now follow this person, with what they chose to share."))
            return redirect("clinic:person", share_id=share.pk)
    return render(request, "clinic/redeem.html", {"form": form, "clinician": clinician}, status=status)


@never_cache
@require_POST
@clinician_required
def make_code(request, clinician):
    """A code of the clinician's for a person to enter in Knipa, shown once (this answer only)."""
    code, plain = access.make_code(clinician=clinician)
    return render(request, "clinic/code_made.html", {
        "clinician": clinician, "code": access.shown(plain), "expires_at": code.expires_at,
    })


# --- The host's staff page ------------------------------------------------------------------------

@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def staff_page(request):
    return staff.page(request)


@never_cache
@require_POST
@staff_required
def staff_clinician_action(request, clinician_id, action):
    return staff.clinician_action(request, clinician_id, action)
