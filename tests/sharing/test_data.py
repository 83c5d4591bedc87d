"""Sharing in the person's own data: the JSON export holds the shares, the access log and the
suggestions; an import brings none of them; deleting the account deletes them (issue 16)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from knipa.accounts.models import Profile
from knipa.personal_data.export import export_person, import_person
from knipa.sharing import access
from knipa.sharing.models import AccessLog, Prescription, Share, ShareCode
from tests.conftest import PASSWORD, make_person
from tests.sharing.people import give_a_share, make_clinician

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_shares_the_access_log_and_the_suggestions(owner, owner_client):
    share = give_a_share(owner)
    access.stop_share(share, by="person")
    exported = json.loads(owner_client.get(reverse("data:json")).content)
    [shared] = exported["shares"]
    assert shared["clinician"] == "Sara Fysio" and shared["clinic"] == "Bäckenkliniken"
    assert shared["scopes"] == ["rounds", "plan"] and shared["stopped_by"] == "person"
    assert shared["started_at"].endswith(("+13:45", "+12:45"))  # the person's own offset (Pacific/Chatham)
    assert [row["what"] for row in exported["access_log"]] == [
        "share_started", "person_page", "prescription_made", "share_stopped"]
    [suggestion] = exported["prescriptions"]
    assert suggestion["parameters"]["strength_reps"] == 9 and suggestion["status"] == "pending"


def test_an_import_brings_no_shares_into_the_new_account(owner):
    give_a_share(owner)
    exported = export_person(owner)
    newcomer = make_person("newcomer", goals=["prevent"])
    import_person(newcomer, exported)
    newcomer = Profile.objects.get(pk=newcomer.pk)
    assert not Share.objects.filter(profile=newcomer).exists()
    assert not AccessLog.objects.filter(profile=newcomer).exists()
    assert not Prescription.objects.filter(profile=newcomer).exists()
    again = export_person(newcomer)
    assert again["shares"] == again["access_log"] == again["prescriptions"] == []


def test_an_export_from_before_sharing_still_imports(owner):
    exported = export_person(owner)
    for key in ("shares", "access_log", "prescriptions"):
        del exported[key]
    newcomer = make_person("newcomer", goals=["prevent"])
    import_person(newcomer, exported)  # refused files raise ImportRefused


def test_deleting_the_account_deletes_the_shares_the_log_codes_and_suggestions(owner, owner_client, stranger):
    physio = make_clinician()
    give_a_share(owner, physio)
    access.start_share(stranger, physio, ["rounds"])
    owner_client.post(reverse("accounts:delete"), {"confirm": "on", "password": PASSWORD})
    for model in (Share, AccessLog, ShareCode, Prescription):
        assert not model.objects.filter(profile_id=owner.pk).exists(), model
    # The clinician and others' shares stay.
    assert Share.objects.filter(profile=stranger, clinician=physio).exists()
