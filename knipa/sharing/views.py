"""The person's pages for sharing with a clinician (/account/sharing/): who they share with and
what, sharing by a code of their own or by a clinician's code, stopping at once, the access log,
and the clinician's suggested numbers. Every view gets the logged-in person's own profile from
`profile_required`; a row named by id in the URL is looked up among that person's rows only, so
anyone else's answers 404. The steps themselves live in access.py and prescriptions.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from knipa.accounts.access import profile_required
from knipa.middleware import client_address, too_many_requests
from knipa.sharing import access
from knipa.sharing.access import GUESS_LIMITS, CodeRefused
from knipa.sharing.forms import AnswerForm, ConsentForm, EnterCodeForm, ShareForm
from knipa.sharing.models import AccessLog, Direction, Prescription, PrescriptionStatus, Share
from knipa.sharing.prescriptions import AlreadyAnswered, decide, differences
from knipa.training import plans

LOG_PAGE_ROWS = 50


def _refused_by_throttle(request):
    _count, window = GUESS_LIMITS[0]
    return too_many_requests(request, CodeRefused("throttled").message, retry_after=window.total_seconds())


@profile_required
def overview(request, profile):
    """Who the person shares with and what, codes still waiting, and suggestions waiting."""
    shares = Share.objects.active().filter(profile=profile).select_related("clinician__clinic").order_by("created_at")
    return render(request, "sharing/overview.html", {
        "profile": profile,
        "shares": shares,
        "codes": access.waiting_codes(profile),
        "prescriptions": access.pending_prescriptions(profile),
        "stopped": Share.objects.filter(profile=profile, withdrawn_at__isnull=False).select_related(
            "clinician__clinic").order_by("-withdrawn_at")[:10],
    })


def _connect_link(request, plain: str) -> str:
    """The address a clinician opens to enter the person's code (the clinic room's page)."""
    return request.build_absolute_uri(reverse("clinic:redeem", kwargs={"code": plain}))


@profile_required
@require_http_methods(["GET", "POST"])
def share(request, profile):
    """The consent screen for a code of the person's own; after it, the code, shown this once."""
    form = ShareForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        code, plain = access.make_code(profile=profile, scopes=form.cleaned_data["scopes"],
                                       label=form.cleaned_data["label"])
        # Shown in the answer to the POST, never stored in plain: a reload does not show it again.
        return render(request, "sharing/code.html", {
            "profile": profile, "code": code, "plain": access.shown(plain),
            "link": _connect_link(request, plain), "scopes": _scope_labels(code.scopes),
        })
    return render(request, "sharing/share.html", {"profile": profile, "form": form})


def _scope_labels(scopes) -> list[str]:
    return Share(scopes=list(scopes)).scope_labels()


@profile_required
@require_POST
def cancel_code(request, profile, code_id):
    if not access.cancel_code(profile, code_id):
        raise Http404
    messages.success(request, _("The code is cancelled. Nobody can use it now."))
    return redirect("sharing:overview")


@profile_required
@require_http_methods(["GET", "POST"])
def enter_code(request, profile):
    """A clinician's code: first the code, then the consent screen naming the clinician and the
    clinic; the share starts only when the person confirms what to share. Each step counts as a try
    against the throttle, so the second cannot be used to guess codes either."""
    if request.method == "GET":
        return _enter_page(request, profile, EnterCodeForm())
    consenting = request.POST.get("step") == "consent"
    form = (ConsentForm if consenting else EnterCodeForm)(request.POST)
    if "code" in form.errors:
        return _enter_page(request, profile, EnterCodeForm(request.POST))
    code = form.cleaned_data["code"]  # valid: the scopes may still be missing
    try:
        if consenting and form.is_valid():
            started = access.redeem_code(code, profile=profile, scopes=form.cleaned_data["scopes"],
                                         label=form.cleaned_data["label"], client=client_address(request) or "")
            messages.success(request, _("You now share with %(name)s. You can stop at any time.")
                             % {"name": started.clinician.display_name})
            return redirect("sharing:overview")
        found = access.find_code(code, direction=Direction.FROM_CLINICIAN, who=f"profile:{profile.pk}",
                                 client=client_address(request) or "")
    except CodeRefused as refusal:
        if refusal.reason == "throttled":
            return _refused_by_throttle(request)
        retry = EnterCodeForm({"code": access.shown(code)})
        retry.full_clean()
        retry.add_error("code", refusal.message)
        return _enter_page(request, profile, retry)
    if not consenting:
        form = ConsentForm(initial={"code": code})
    return render(request, "sharing/consent.html", {
        "profile": profile, "form": form, "clinician": found.clinician, "clinic": found.clinician.clinic,
    })


def _enter_page(request, profile, form: EnterCodeForm):
    return render(request, "sharing/enter.html", {"profile": profile, "form": form})


@profile_required
@require_POST
def stop(request, profile, share_id):
    """Stop sharing with one clinician, at once."""
    share = get_object_or_404(Share.objects.select_related("clinician__clinic"), pk=share_id, profile=profile)
    if access.stop_share(share, by="person"):
        messages.success(request, _("You no longer share with %(name)s. From now on they see nothing of yours.")
                         % {"name": share.clinician.display_name})
    return redirect("sharing:overview")


@profile_required
def access_log(request, profile):
    """Who looked at what, and when: newest first, in pages."""
    rows = AccessLog.objects.filter(profile=profile)
    page = Paginator(rows, LOG_PAGE_ROWS).get_page(request.GET.get("page"))
    return render(request, "sharing/log.html", {"profile": profile, "page": page})


@profile_required
@require_http_methods(["GET", "POST"])
def prescription(request, profile, prescription_id):
    """A clinician's suggested numbers: what would change, the note, and the person's answer."""
    suggestion = get_object_or_404(Prescription, pk=prescription_id, profile=profile)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["answer"] == "accept"
        try:
            decide(profile, suggestion.pk, accept)
        except AlreadyAnswered:
            messages.info(request, _("These numbers have already been answered or taken back."))
        except ValueError:
            # The program's bounds refused the numbers: nothing was changed.
            messages.error(request, _("These numbers are outside what Knipa holds safe, so your plan was not "
                                      "changed. Ask your clinician to send new ones."))
        else:
            messages.success(request, _("Your plan now uses the new numbers.") if accept else
                             _("You declined the new numbers. Your plan is as it was."))
            return redirect("training:plan" if accept else "sharing:overview")
        return redirect("sharing:prescription", prescription_id=suggestion.pk)
    state = plans.current_plan(profile)
    return render(request, "sharing/prescription.html", {
        "profile": profile, "prescription": suggestion, "form": form,
        "waiting": suggestion.status == PrescriptionStatus.PENDING,
        "differences": differences(state, suggestion),
        "side_path": state.side_path is not None,
    })
