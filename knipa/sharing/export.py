"""The sharing room's part of the person's JSON export (knipa.personal_data.export).

Sent through `knipa.accounts.models.exporting`, since the export's room is on this room's layer.
The sections are for the person to keep: who they shared with and what, who looked and when, and
the numbers suggested to them. An import never brings them into a new account.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from knipa.accounts.models import Profile
from knipa.program import moments
from knipa.sharing.models import AccessLog, Prescription, Share


def _moment(value: datetime | None, zone: ZoneInfo) -> str | None:
    return moments.local(value, zone).isoformat() if value is not None else None


def sections(sender, profile: Profile, zone: ZoneInfo, **kwargs) -> dict:
    shares = Share.objects.filter(profile=profile).select_related("clinician__clinic").order_by("created_at", "id")
    log = AccessLog.objects.filter(profile=profile).order_by("at", "id")
    prescriptions = Prescription.objects.filter(profile=profile).order_by("created_at", "id")
    return {
        "shares": [{
            "clinician": share.clinician.display_name,
            "clinic": share.clinician.clinic.name,
            "scopes": list(share.scopes),
            "label": share.label,
            "started_at": _moment(share.created_at, zone),
            "stopped_at": _moment(share.withdrawn_at, zone),
            "stopped_by": share.withdrawn_by,
        } for share in shares],
        "access_log": [{
            "at": _moment(row.at, zone),
            "clinician": row.clinician_name,
            "clinic": row.clinic_name,
            "what": row.what,
        } for row in log],
        "prescriptions": [{
            "created_at": _moment(prescription.created_at, zone),
            "clinician": prescription.clinician_name,
            "clinic": prescription.clinic_name,
            "parameters": prescription.parameters,
            "note": prescription.note,
            "mode": prescription.mode,
            "status": prescription.status,
            "decided_at": _moment(prescription.decided_at, zone),
        } for prescription in prescriptions],
    }
