"""`{% waiting_suggestions profile %}`: one line on another room's page (the home page) when a
clinician's suggested numbers wait for the person's answer. A template tag, so that the room below
needs no import of this one (docs/architecture.md, "Layers")."""

from __future__ import annotations

from django import template

from knipa.sharing.access import pending_prescriptions

register = template.Library()


@register.inclusion_tag("sharing/waiting_line.html")
def waiting_suggestions(profile) -> dict:
    return {"waiting": list(pending_prescriptions(profile).only("pk", "clinician_name")[:1])}
