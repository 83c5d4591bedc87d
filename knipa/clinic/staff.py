"""The host's staff page (/clinic/staff/): clinics and clinicians, made and looked after here or
with `knipa manage clinician` (knipa.clinicians.hosting does the work for both)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from knipa.clinic.forms import ClinicForm, ClinicianForm
from knipa.clinicians import hosting
from knipa.clinicians.models import Clinic, Clinician
from knipa.clinicians.welcome import VALID_FOR


def _render(request, clinic_form=None, clinician_form=None, link=None, link_for=None):
    clinics = list(Clinic.objects.order_by("name"))
    clinicians = list(Clinician.objects.select_related("user", "clinic").order_by("clinic__name", "display_name"))
    for clinician in clinicians:
        clinician.has_second_factor = hosting.has_second_factor(clinician.user)
    return render(request, "clinic/staff.html", {
        "clinics": clinics,
        "clinicians": clinicians,
        "clinic_form": clinic_form or ClinicForm(prefix="clinic"),
        "clinician_form": clinician_form or ClinicianForm(prefix="clinician", clinics=clinics),
        "link": link, "link_for": link_for, "link_days": VALID_FOR.days,
    })


def page(request):
    """GET: the lists and forms. POST: make a clinic (form "clinic") or a clinician ("clinician");
    a new clinician's set-password link is shown in this answer only."""
    if request.method != "POST":
        return _render(request)
    if request.POST.get("make") == "clinic":
        form = ClinicForm(request.POST, prefix="clinic")
        if form.is_valid():
            try:
                clinic = hosting.add_clinic(form.cleaned_data["name"])
            except hosting.Refused as refusal:
                form.add_error("name", str(refusal))
            else:
                messages.success(request, _("The clinic %(name)s is made.") % {"name": clinic.name})
                return redirect("clinic:staff")
        return _render(request, clinic_form=form)
    form = ClinicianForm(request.POST, prefix="clinician", clinics=Clinic.objects.order_by("name"))
    if form.is_valid():
        clinic = Clinic.objects.filter(pk=form.cleaned_data["clinic"]).first()
        try:
            if clinic is None:
                raise hosting.Refused(_("Please choose one of the options."))
            clinician, link = hosting.add_clinician(clinic, form.cleaned_data["username"],
                                                    form.cleaned_data["display_name"], form.cleaned_data["profession"])
        except hosting.Refused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, str(refusal))
        else:
            return _render(request, link=link, link_for=clinician)
    return _render(request, clinician_form=form)


def clinician_action(request, clinician_id, action):
    clinician = Clinician.objects.select_related("user", "clinic").filter(pk=clinician_id).first()
    if clinician is None:
        raise Http404
    if action == "deactivate":
        hosting.deactivate(clinician)
        messages.success(request, _("%(name)s is deactivated: logged out, and sees nothing.")
                         % {"name": clinician.display_name})
    elif action == "reset-2fa":
        hosting.reset_second_factor(clinician)
        messages.success(request, _("%(name)s connects a new authenticator app the next time they log in.")
                         % {"name": clinician.display_name})
    elif action == "link":
        try:
            link = hosting.new_link(clinician)
        except hosting.Refused as refusal:
            messages.error(request, str(refusal))
        else:
            return _render(request, link=link, link_for=clinician)
    else:
        raise Http404
    return redirect("clinic:staff")
